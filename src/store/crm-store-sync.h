/* crm-store-sync.h: the store's side of sync with leads-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "crm-protocol.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef enum {
  CRM_CONFLICT_KEEP,   /* the kept (server) value stays */
  CRM_CONFLICT_MINE,   /* my value is sent again, as a new edit */
  CRM_CONFLICT_EDIT,   /* a third value is sent, as a new edit */
} CrmConflictResolution;

/* The binding: set at the first login, kept across logouts. */
gboolean       crm_store_sync_bind             (CrmStore            *self,
                                                const char          *server_url,
                                                const char          *login,
                                                const char          *user_name,
                                                const char * const  *modules,
                                                gboolean             read_only,
                                                gboolean             admin,
                                                GError             **error);
gboolean       crm_store_sync_is_bound         (CrmStore            *self);
const char    *crm_store_sync_get_client_id    (CrmStore            *self);
char          *crm_store_sync_dup_server_url   (CrmStore            *self);
char          *crm_store_sync_dup_login        (CrmStore            *self);
char          *crm_store_sync_dup_user_name    (CrmStore            *self);
char         **crm_store_sync_dup_modules      (CrmStore            *self);
gboolean       crm_store_sync_get_read_only    (CrmStore            *self);
gboolean       crm_store_sync_get_admin        (CrmStore            *self);
char          *crm_store_sync_dup_cursor       (CrmStore            *self);
gint64         crm_store_sync_get_last_mutation_id (CrmStore        *self);
gint64         crm_store_sync_get_last_sync    (CrmStore            *self);
gboolean       crm_store_sync_set_last_sync    (CrmStore            *self,
                                                gint64               when,
                                                GError             **error);
gboolean       crm_store_sync_set_setting      (CrmStore            *self,
                                                const char          *key,
                                                const char          *value,
                                                GError             **error);
char          *crm_store_sync_dup_setting      (CrmStore            *self,
                                                const char          *key);

/* The outbox */
guint          crm_store_sync_count_pending    (CrmStore            *self);
guint          crm_store_sync_count_local_only (CrmStore            *self);
gboolean       crm_store_sync_upload_local     (CrmStore            *self,
                                                GError             **error);
GPtrArray     *crm_store_sync_peek_batch       (CrmStore            *self,
                                                guint                max_mutations,
                                                gsize                max_bytes);
gboolean       crm_store_sync_apply_push_answer (CrmStore           *self,
                                                GPtrArray           *results,
                                                gint64               last_mutation_id,
                                                GError             **error);

/* Pulled pages */
gboolean       crm_store_sync_apply_page       (CrmStore            *self,
                                                CrmProtocolPage     *page,
                                                gboolean            *out_reset,
                                                GError             **error);
gboolean       crm_store_sync_reset            (CrmStore            *self,
                                                GError             **error);

/* Conflicts and rejections */
GListModel    *crm_store_sync_list_conflicts   (CrmStore            *self,
                                                gboolean             include_resolved);
guint          crm_store_sync_count_conflicts  (CrmStore            *self);
gboolean       crm_store_sync_resolve_conflict (CrmStore            *self,
                                                const char          *uuid,
                                                CrmConflictResolution how,
                                                const char          *value,
                                                GError             **error);

G_END_DECLS
