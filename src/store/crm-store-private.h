/* crm-store-private.h: what the parts of CrmStore share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "crm-store.h"
#include "crm-lead-list-model.h"

G_BEGIN_DECLS

struct _CrmStore
{
  GObject     parent_instance;

  char       *path;
  char       *author;
  sqlite3    *db;            /* main thread: all writes and single-record reads */
  GHashTable *statements;    /* SQL text -> sqlite3_stmt, for db */

  GMutex      reader_lock;   /* guards reader and sums_by_id */
  sqlite3    *reader;        /* worker threads: list queries and sums */
  gpointer    sums_by_id;    /* crm-store-query.c: what summing needs of each lead */
  gpointer    stats;         /* crm-store-stats.c: the statistics summary */

  GHashTable *live_leads;    /* id -> CrmLead (weak), shared by every view */
  GHashTable *key_values;    /* "kind\037key" -> CrmKeyValue */
  GHashTable *key_lists;     /* kind -> GListStore of active+inactive CrmKeyValue */

  /* crm-store-sync.c */
  gboolean    sync_bound;    /* a server is bound: changes append to the outbox */
  gboolean    sync_read_only;/* the bound user may not write */
  gboolean    sync_admin;    /* the bound user may change key values */
  JsonArray  *sync_events;   /* while set, insert_event() adds each event here */
};

enum {
  SIGNAL_LEAD_CHANGED,
  SIGNAL_LEADS_CHANGED,
  SIGNAL_KEY_VALUES_CHANGED,
  SIGNAL_CONTACTS_CHANGED,
  SIGNAL_RATES_CHANGED,
  N_SIGNALS
};

extern guint _crm_store_signals[N_SIGNALS];

sqlite3_stmt *_crm_store_prepare       (CrmStore      *self,
                                        const char    *sql,
                                        GError       **error);
gboolean      _crm_store_exec          (CrmStore      *self,
                                        const char    *sql,
                                        GError       **error);
GArray       *_crm_store_query_ids     (CrmStore      *self,
                                        const char    *sql,
                                        gint64         param,
                                        GError       **error);
gboolean      _crm_store_restore_indexes (CrmStore  *self,
                                          GError   **error);
gboolean      _crm_store_update_phase_ranks (CrmStore  *self,
                                             GError   **error);
gboolean      _crm_store_begin         (CrmStore      *self,
                                        GError       **error);
gboolean      _crm_store_commit        (CrmStore      *self,
                                        GError       **error);
void          _crm_store_rollback      (CrmStore      *self);
gboolean      _crm_store_step_done     (CrmStore      *self,
                                        sqlite3_stmt  *stmt,
                                        GError       **error);
void          _crm_store_set_error     (GError       **error,
                                        sqlite3       *db,
                                        int            rc,
                                        const char    *what);
gint64        _crm_store_now           (void);
char         *_crm_store_new_uuid      (void);
void          _crm_store_bind_text     (sqlite3_stmt  *stmt,
                                        int            index,
                                        const char    *text);
const char   *_crm_store_column_text   (sqlite3_stmt  *stmt,
                                        int            column);
void          _crm_store_bind_event    (sqlite3_stmt  *stmt,
                                        gint64         lead_id,
                                        gint64         at,
                                        const char    *author,
                                        const char    *field,
                                        const char    *old_value,
                                        const char    *new_value,
                                        gint64         activity_id);
void          _crm_store_reload_key_values (CrmStore  *self);
void          _crm_store_refresh_lead  (CrmStore      *self,
                                        gint64         id);
char         *_crm_store_get_meta      (CrmStore      *self,
                                        const char    *key);
gboolean      _crm_store_set_meta      (CrmStore      *self,
                                        const char    *key,
                                        const char    *value,
                                        GError       **error);
void          _crm_store_seed_key_values (CrmStore    *self);

void          _crm_store_query_clear     (CrmStore            *self);

/* The reader connection's helpers (crm-store-query.c), shared with the
 * statistics. Reader lock held. */
char         *_crm_store_fts_query       (const char          *search);
sqlite3_stmt *_crm_store_prepare_reader  (sqlite3             *db,
                                          const char          *sql,
                                          GPtrArray           *params,
                                          GError             **error);
void          _crm_store_set_cancellable (sqlite3             *db,
                                          GCancellable        *cancellable);
gboolean      _crm_store_finish_step     (sqlite3             *db,
                                          int                  rc,
                                          GCancellable        *cancellable,
                                          GError             **error);
gint64        _crm_store_data_version    (sqlite3             *db);
GArray       *_crm_store_fts_rowids      (sqlite3             *db,
                                          const char          *fts,
                                          GCancellable        *cancellable,
                                          GError             **error);

/* The statistics summary (crm-store-stats.c). The store notes every lead
 * it changes (after the commit, before anyone hears of it): the summary
 * re-reads those leads before the next statistic. Cheap, any thread. */
void          _crm_store_stats_init      (CrmStore            *self);
void          _crm_store_stats_clear     (CrmStore            *self);
void          _crm_store_stats_note_lead (CrmStore            *self,
                                          gint64               id);
void          _crm_store_stats_note_leads (CrmStore           *self,
                                          const gint64        *ids,
                                          guint                n_ids);
/* Many or unknown leads changed (bulk load): rebuild on next use */
void          _crm_store_stats_note_many (CrmStore            *self,
                                          const gint64        *ids,
                                          guint                n_ids);
void          _crm_store_stats_note_all  (CrmStore            *self);

/* The list model typing a search: see crm-store-query.c */
gboolean      _crm_store_filter_refines  (const CrmLeadFilter *earlier,
                                          const CrmLeadFilter *filter);
void          _crm_store_refine_async    (CrmStore            *self,
                                          const CrmLeadFilter *filter,
                                          GArray              *base,
                                          gint64               base_version,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The list model reusing a result it kept: see crm-store-query.c */
void          _crm_store_reuse_async     (CrmStore            *self,
                                          const CrmLeadFilter *filter,
                                          GArray              *ids,
                                          const CrmLeadTotals *totals,
                                          gint64               data_version,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      _crm_store_query_finish_full (CrmStore          *self,
                                          GAsyncResult        *result,
                                          GArray             **out_ids,
                                          CrmLeadTotals      **out_totals,
                                          gint64              *out_data_version,
                                          gboolean            *out_reused,
                                          GError             **error);

/* crm-lead-list-model.c, for the tests: how many results set_filter ()
 * took from the model's kept results instead of querying */
guint         _crm_lead_list_model_get_n_reused (CrmLeadListModel *self);

void          _crm_store_live_lead_free (gpointer     data);

/* crm-store-sync.c: the outbox and the sync metadata */
void          _crm_store_sync_load       (CrmStore            *self);
gboolean      _crm_store_sync_writable   (CrmStore            *self,
                                          GError             **error);
gboolean      _crm_store_sync_key_values_writable (CrmStore   *self,
                                          GError             **error);
gboolean      _crm_store_outbox_add      (CrmStore            *self,
                                          const char          *name,
                                          const char          *record_type,
                                          const char          *record_uuid,
                                          JsonNode            *args,
                                          GError             **error);
char         *_crm_store_uuid_of         (CrmStore            *self,
                                          const char          *table,
                                          gint64               id);
gint64        _crm_store_contact_for_uuid (CrmStore           *self,
                                          const char          *uuid,
                                          const char          *kind,
                                          GError             **error);
gint64        _crm_store_id_of           (CrmStore            *self,
                                          const char          *table,
                                          const char          *uuid);
JsonNode     *_crm_store_key_value_record (CrmStore           *self,
                                          const char          *kind,
                                          const char          *key);
JsonNode     *_crm_store_contact_record  (CrmStore            *self,
                                          gint64               id);
JsonNode     *_crm_store_activity_record (CrmStore            *self,
                                          gint64               id);
JsonArray    *_crm_store_events_of       (CrmStore            *self,
                                          const char          *column,
                                          gint64               id);
gint64        _crm_store_wire_time       (gint64               local_seconds);

/* crm-store-leads.c, for sync */
JsonNode     *_crm_store_lead_record     (CrmStore            *self,
                                          gint64               id);
void          _crm_store_lead_wire_field (CrmStore            *self,
                                          const char          *local_field,
                                          const char          *local_value,
                                          const char         **out_field,
                                          char               **out_value);
gboolean      _crm_store_lead_put        (CrmStore            *self,
                                          JsonObject          *data,
                                          gint64               rev,
                                          gint64              *out_id,
                                          GError             **error);
gboolean      _crm_store_lead_set_wire_fields (CrmStore       *self,
                                          gint64               id,
                                          JsonObject          *fields,
                                          GError             **error);
void          _crm_store_lead_notify     (CrmStore            *self,
                                          gint64               id);
gboolean      _crm_store_lead_check_values (CrmStore          *self,
                                          const CrmFieldValue *values,
                                          guint                n_values,
                                          GError             **error);

G_END_DECLS
