/* crm-store.h: the local SQLite cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-activity.h"
#include "crm-contact.h"
#include "crm-history-item.h"
#include "crm-key-value.h"
#include "crm-lead.h"
#include "crm-lead-filter.h"
#include "crm-lead-totals.h"
#include "crm-stats.h"
#include "crm-types.h"

G_BEGIN_DECLS

#define CRM_STORE_ERROR (crm_store_error_quark ())

typedef enum {
  CRM_STORE_ERROR_FAILED,
  CRM_STORE_ERROR_NOT_FOUND,
  CRM_STORE_ERROR_IN_USE,
  CRM_STORE_ERROR_INVALID,
  CRM_STORE_ERROR_CORRUPT,
  CRM_STORE_ERROR_DISK_FULL,
  CRM_STORE_ERROR_BUSY,
  CRM_STORE_ERROR_READ_ONLY,
  CRM_STORE_ERROR_TOO_NEW,
} CrmStoreError;

GQuark crm_store_error_quark (void);

/* One field of a lead and its new value, in canonical form (see
 * crm_lead_field_normalize()). */
typedef struct {
  const char *field;
  const char *value;
} CrmFieldValue;

#define CRM_TYPE_STORE (crm_store_get_type ())

G_DECLARE_FINAL_TYPE (CrmStore, crm_store, CRM, STORE, GObject)

char          *crm_store_default_path        (void);
CrmStore      *crm_store_open                (const char           *path,
                                              GError              **error);
const char    *crm_store_get_path            (CrmStore             *self);
const char    *crm_store_get_author          (CrmStore             *self);
void           crm_store_set_author          (CrmStore             *self,
                                              const char           *author);
const char    *crm_store_get_default_currency (CrmStore            *self);
gboolean       crm_store_set_default_currency (CrmStore            *self,
                                              const char           *currency,
                                              GError              **error);
gboolean       crm_store_is_empty            (CrmStore             *self);
gboolean       crm_store_check_integrity     (CrmStore             *self,
                                              GError              **error);

/* Key values */
GListModel    *crm_store_list_key_values     (CrmStore             *self,
                                              const char           *kind,
                                              gboolean              include_inactive);
void           crm_store_count_key_value_uses (CrmStore            *self,
                                              GListModel           *values);
CrmKeyValue   *crm_store_lookup_key_value    (CrmStore             *self,
                                              const char           *kind,
                                              const char           *key);
CrmKeyValue   *crm_store_find_key_value      (CrmStore             *self,
                                              const char           *kind,
                                              const char           *key_or_label);
const char    *crm_store_key_value_label     (CrmStore             *self,
                                              const char           *kind,
                                              const char           *key);
gint64         crm_store_add_key_value       (CrmStore             *self,
                                              const char           *kind,
                                              const char           *label,
                                              int                   probability,
                                              CrmStatusClass        status_class,
                                              GError              **error);
gboolean       crm_store_rename_key_value    (CrmStore             *self,
                                              gint64                id,
                                              const char           *label,
                                              GError              **error);
gboolean       crm_store_set_key_value_probability (CrmStore       *self,
                                              gint64                id,
                                              int                   probability,
                                              GError              **error);
/* A phase's days without a contact report before its leads are stale */
#define CRM_MAX_STALE_DAYS 3650
gboolean       crm_store_set_key_value_stale_days (CrmStore        *self,
                                              gint64                id,
                                              int                   stale_days,
                                              GError              **error);
gboolean       crm_store_set_key_value_active (CrmStore            *self,
                                              gint64                id,
                                              gboolean              active,
                                              GError              **error);
gboolean       crm_store_move_key_value      (CrmStore             *self,
                                              gint64                id,
                                              int                   new_position,
                                              GError              **error);
gboolean       crm_store_delete_key_value    (CrmStore             *self,
                                              gint64                id,
                                              GError              **error);

/* Contacts */
gint64         crm_store_create_contact      (CrmStore             *self,
                                              const char           *kind,
                                              const char           *name,
                                              gint64                company_id,
                                              GError              **error);
gboolean       crm_store_update_contact      (CrmStore             *self,
                                              gint64                id,
                                              const char           *name,
                                              gint64                company_id,
                                              const char           *addresses,
                                              const char           *phones,
                                              const char           *emails,
                                              const char           *notes,
                                              GError              **error);
CrmContact    *crm_store_get_contact         (CrmStore             *self,
                                              gint64                id,
                                              GError              **error);
gint64         crm_store_find_contact        (CrmStore             *self,
                                              const char           *name);
GListModel    *crm_store_list_contacts       (CrmStore             *self,
                                              const char           *search,
                                              guint                 limit);
GListModel    *crm_store_list_contact_leads  (CrmStore             *self,
                                              gint64                contact_id);
GListModel    *crm_store_contact_history     (CrmStore             *self,
                                              gint64                contact_id,
                                              GError              **error);

/* Leads */
gint64         crm_store_create_lead         (CrmStore             *self,
                                              const CrmFieldValue  *values,
                                              guint                 n_values,
                                              GError              **error);
gboolean       crm_store_check_lead_values   (CrmStore             *self,
                                              gint64                id,
                                              const CrmFieldValue  *values,
                                              guint                 n_values,
                                              GError              **error);
gboolean       crm_store_update_lead         (CrmStore             *self,
                                              gint64                id,
                                              const CrmFieldValue  *values,
                                              guint                 n_values,
                                              GError              **error);
CrmLead       *crm_store_get_lead            (CrmStore             *self,
                                              gint64                id,
                                              GError              **error);
gboolean       crm_store_delete_lead         (CrmStore             *self,
                                              gint64                id,
                                              GError              **error);
gboolean       crm_store_undelete_lead       (CrmStore             *self,
                                              gint64                id,
                                              GError              **error);
gint64         crm_store_duplicate_lead      (CrmStore             *self,
                                              gint64                id,
                                              GError              **error);
gboolean       crm_store_mark_won            (CrmStore             *self,
                                              gint64                id,
                                              GError              **error);
gboolean       crm_store_mark_lost           (CrmStore             *self,
                                              gint64                id,
                                              const char           *reason,
                                              GError              **error);
gboolean       crm_store_step_phase          (CrmStore             *self,
                                              gint64                id,
                                              int                   delta,
                                              GError              **error);
gint64         crm_store_add_activity        (CrmStore             *self,
                                              gint64                lead_id,
                                              const char           *kind,
                                              gint64                at,
                                              const char           *subject,
                                              const char           *text,
                                              int                   probability,
                                              const char           *phase,
                                              GError              **error);
GListModel    *crm_store_lead_history        (CrmStore             *self,
                                              gint64                lead_id,
                                              GError              **error);
char         **crm_store_list_owners         (CrmStore             *self);

/* Queries; safe to call from any thread (they use their own connection). */
GArray        *crm_store_query_lead_ids      (CrmStore             *self,
                                              const CrmLeadFilter  *filter,
                                              guint                 limit,
                                              GCancellable         *cancellable,
                                              GError              **error);
CrmLeadTotals *crm_store_query_totals        (CrmStore             *self,
                                              const CrmLeadFilter  *filter,
                                              GCancellable         *cancellable,
                                              GError              **error);
void           crm_store_query_async         (CrmStore             *self,
                                              const CrmLeadFilter  *filter,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       crm_store_query_finish        (CrmStore             *self,
                                              GAsyncResult         *result,
                                              GArray              **out_ids,
                                              CrmLeadTotals       **out_totals,
                                              GError              **error);

/* Exchange rates (for the statistics): how many units of the company
 * currency (crm_store_get_default_currency ()) one unit of @currency is
 * worth, × 10^6 (CRM_RATE_SCALE). */
typedef struct {
  char   currency[4];
  gint64 rate_micros;
} CrmExchangeRate;

GArray        *crm_store_list_rates          (CrmStore             *self);
gint64         crm_store_get_rate            (CrmStore             *self,
                                              const char           *currency);
gboolean       crm_store_set_rate            (CrmStore             *self,
                                              const char           *currency,
                                              gint64                rate_micros,
                                              GError              **error);
gboolean       crm_store_remove_rate         (CrmStore             *self,
                                              const char           *currency,
                                              GError              **error);

/* Statistics (docs/architecture.md, "Statistics"); safe to call from any
 * thread. @from and @to (CRM_MONTH_NONE: open) bound the close months. */
CrmStats      *crm_store_query_stats         (CrmStore             *self,
                                              CrmStatsBy            by,
                                              const CrmLeadFilter  *filter,
                                              CrmMonth              from,
                                              CrmMonth              to,
                                              GCancellable         *cancellable,
                                              GError              **error);
void           crm_store_query_stats_async   (CrmStore             *self,
                                              CrmStatsBy            by,
                                              const CrmLeadFilter  *filter,
                                              CrmMonth              from,
                                              CrmMonth              to,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CrmStats      *crm_store_query_stats_finish  (CrmStore             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Sample data and generated data */
typedef void (*CrmProgressFunc) (guint64 done, guint64 total, gpointer user_data);

gboolean       crm_store_generate            (CrmStore             *self,
                                              guint64               n_leads,
                                              guint32               seed,
                                              CrmProgressFunc       progress,
                                              gpointer              user_data,
                                              GError              **error);
gboolean       crm_store_load_sample         (CrmStore             *self,
                                              GError              **error);

G_END_DECLS
