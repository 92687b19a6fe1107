/* crm-sync-engine.h: offline-first sync of a CrmStore with leads-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"
#include "crm-sync-error.h"
#include "crm-token-store.h"

G_BEGIN_DECLS

typedef enum {
  CRM_SYNC_STATE_DISABLED,         /* no team server: the database is local */
  CRM_SYNC_STATE_SYNCED,           /* the last round succeeded */
  CRM_SYNC_STATE_SYNCING,          /* a round is running */
  CRM_SYNC_STATE_OFFLINE,          /* the server cannot be reached; retried */
  CRM_SYNC_STATE_NEEDS_ATTENTION,  /* the last round failed; see :last-error; retried */
  CRM_SYNC_STATE_PAUSED,           /* log in again, account disabled, update needed */
} CrmSyncState;

#define CRM_TYPE_SYNC_STATE (crm_sync_state_get_type ())
GType crm_sync_state_get_type (void);

#define CRM_TYPE_SYNC_ENGINE (crm_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (CrmSyncEngine, crm_sync_engine, CRM, SYNC_ENGINE, GObject)

CrmSyncEngine *crm_sync_engine_new             (CrmStore             *store,
                                                CrmTokenStore        *tokens);
CrmStore      *crm_sync_engine_get_store       (CrmSyncEngine        *self);
CrmSyncState   crm_sync_engine_get_state       (CrmSyncEngine        *self);
guint          crm_sync_engine_get_pending_count (CrmSyncEngine      *self);
gint64         crm_sync_engine_get_last_sync   (CrmSyncEngine        *self);
const char    *crm_sync_engine_get_last_error  (CrmSyncEngine        *self);
gboolean       crm_sync_engine_get_needs_login (CrmSyncEngine        *self);
guint64        crm_sync_engine_get_progress    (CrmSyncEngine        *self);
char          *crm_sync_engine_dup_server_url  (CrmSyncEngine        *self);

void           crm_sync_engine_login_async     (CrmSyncEngine        *self,
                                                const char           *server_url,
                                                const char           *login,
                                                const char           *password,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean       crm_sync_engine_login_finish    (CrmSyncEngine        *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void           crm_sync_engine_logout_async    (CrmSyncEngine        *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean       crm_sync_engine_logout_finish   (CrmSyncEngine        *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void           crm_sync_engine_sync_async      (CrmSyncEngine        *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean       crm_sync_engine_sync_finish     (CrmSyncEngine        *self,
                                                GAsyncResult         *result,
                                                GError              **error);

guint          crm_sync_engine_count_local_only (CrmSyncEngine       *self);
gboolean       crm_sync_engine_upload_local    (CrmSyncEngine        *self,
                                                GError              **error);

void           crm_sync_engine_set_automatic   (CrmSyncEngine        *self,
                                                gboolean              automatic);
gboolean       crm_sync_engine_get_automatic   (CrmSyncEngine        *self);
void           crm_sync_engine_set_interval    (CrmSyncEngine        *self,
                                                guint                 seconds);
guint          crm_sync_engine_get_interval    (CrmSyncEngine        *self);
void           crm_sync_engine_network_changed (CrmSyncEngine        *self,
                                                gboolean              available);

G_END_DECLS
