/* crm-sync-pull.h: pull pages fetched and parsed ahead on a thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "crm-protocol-page.h"

G_BEGIN_DECLS

typedef struct _CrmSyncPull CrmSyncPull;

/* What one request of the pull came back with: a page, or why not. */
typedef struct {
  CrmProtocolPage *page;         /* the page, validated whole; or NULL */
  GError          *transport;    /* no answer (connection, TLS, cancelled) */
  GError          *malformed;    /* an answer that cannot be read */
  guint            status;       /* HTTP status of an answer that is not 200 */
  GBytes          *body;         /* and its body */
  gint64           retry_after;  /* seconds, from Retry-After, or 0 */
} CrmSyncPullItem;

void          crm_sync_pull_item_free   (CrmSyncPullItem     *item);

CrmSyncPull  *crm_sync_pull_start       (const char          *uri,
                                         const char          *user_agent,
                                         const char          *token,
                                         const char          *client_id,
                                         const char          *cursor,
                                         GCancellable        *cancellable);
void          crm_sync_pull_next_async  (CrmSyncPull         *self,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
CrmSyncPullItem *crm_sync_pull_next_finish (CrmSyncPull      *self,
                                            GAsyncResult     *result);
void          crm_sync_pull_stop        (CrmSyncPull         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSyncPullItem, crm_sync_pull_item_free)

G_END_DECLS
