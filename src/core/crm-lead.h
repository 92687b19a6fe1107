/* crm-lead.h: a sales opportunity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "crm-types.h"

G_BEGIN_DECLS

#define CRM_TYPE_LEAD (crm_lead_get_type ())

G_DECLARE_FINAL_TYPE (CrmLead, crm_lead, CRM, LEAD, GObject)

typedef enum {
  CRM_STATUS_CLASS_OPEN,
  CRM_STATUS_CLASS_WON,
  CRM_STATUS_CLASS_LOST,
} CrmStatusClass;

CrmLead     *crm_lead_new                   (void);

gint64       crm_lead_get_id                (CrmLead     *self);
const char  *crm_lead_get_uuid              (CrmLead     *self);
const char  *crm_lead_get_title             (CrmLead     *self);
gint64       crm_lead_get_contact_id        (CrmLead     *self);
const char  *crm_lead_get_contact_name      (CrmLead     *self);
gint64       crm_lead_get_volume_minor      (CrmLead     *self);
const char  *crm_lead_get_currency          (CrmLead     *self);
int          crm_lead_get_probability       (CrmLead     *self);
gint64       crm_lead_get_weighted_minor    (CrmLead     *self);
const char  *crm_lead_get_status            (CrmLead     *self);
const char  *crm_lead_get_status_label      (CrmLead     *self);
CrmStatusClass crm_lead_get_status_class    (CrmLead     *self);
const char  *crm_lead_get_phase             (CrmLead     *self);
const char  *crm_lead_get_phase_label       (CrmLead     *self);
int          crm_lead_get_phase_probability (CrmLead     *self);
const char  *crm_lead_get_lead_type         (CrmLead     *self);
const char  *crm_lead_get_unit              (CrmLead     *self);
const char  *crm_lead_get_owner             (CrmLead     *self);
CrmMonth     crm_lead_get_close_month       (CrmLead     *self);
const char  *crm_lead_get_source            (CrmLead     *self);
const char  *crm_lead_get_description       (CrmLead     *self);
const char  *crm_lead_get_lost_reason       (CrmLead     *self);
const char  *crm_lead_get_next_follow_up    (CrmLead     *self);
gint64       crm_lead_get_created_at        (CrmLead     *self);
gint64       crm_lead_get_updated_at        (CrmLead     *self);
gint64       crm_lead_get_last_activity     (CrmLead     *self);
int          crm_lead_get_days_without_contact (CrmLead  *self,
                                             gint64       now);
gboolean     crm_lead_is_stale              (CrmLead     *self,
                                             int          stale_days,
                                             gint64       now);
CrmRecordSyncState crm_lead_get_sync_state (CrmLead     *self);
gint64       crm_lead_get_rev               (CrmLead     *self);

/* Fields a store or command line can change, with their validation.
 * Values travel as canonical strings: integers in decimal, months as
 * "YYYY-MM", "" for "none". */
typedef enum {
  CRM_FIELD_KIND_TEXT,
  CRM_FIELD_KIND_REQUIRED_TEXT,
  CRM_FIELD_KIND_MONEY,
  CRM_FIELD_KIND_CURRENCY,
  CRM_FIELD_KIND_PROBABILITY,
  CRM_FIELD_KIND_MONTH,
  CRM_FIELD_KIND_DATE,
  CRM_FIELD_KIND_KEY_VALUE,
  CRM_FIELD_KIND_CONTACT,
} CrmFieldKind;

typedef struct {
  const char   *name;        /* JSON / command-line name */
  const char   *column;      /* column in the lead table */
  CrmFieldKind  kind;
  const char   *key_kind;    /* for CRM_FIELD_KIND_KEY_VALUE: which list */
  gboolean      logged;      /* part of the closed-loop change log */
  const char   *property;    /* GObject property on CrmLead */
} CrmLeadField;

const CrmLeadField *crm_lead_field_lookup    (const char          *name);
const CrmLeadField *crm_lead_fields          (guint               *n_fields);
gboolean            crm_lead_field_normalize (const CrmLeadField  *field,
                                              const char          *value,
                                              char               **normalized,
                                              GError             **error);
char               *crm_lead_dup_field_value (CrmLead             *self,
                                              const CrmLeadField  *field);
const char         *crm_lead_field_label     (const char          *name);
gboolean            crm_lead_parse_date      (const char          *text,
                                              GDate               *out_date,
                                              GError             **error);

G_END_DECLS
