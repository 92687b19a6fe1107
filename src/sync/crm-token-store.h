/* crm-token-store.h: where the sync engine keeps the login token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRM_TYPE_TOKEN_STORE (crm_token_store_get_type ())

G_DECLARE_FINAL_TYPE (CrmTokenStore, crm_token_store, CRM, TOKEN_STORE, GObject)

CrmTokenStore *crm_token_store_new_secret   (void);
CrmTokenStore *crm_token_store_new_file     (const char           *path);
const char    *crm_token_store_get_path     (CrmTokenStore        *self);

void           crm_token_store_check_async  (CrmTokenStore        *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       crm_token_store_check_finish (CrmTokenStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           crm_token_store_save_async   (CrmTokenStore        *self,
                                             const char           *server_url,
                                             const char           *login,
                                             const char           *token,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       crm_token_store_save_finish  (CrmTokenStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           crm_token_store_load_async   (CrmTokenStore        *self,
                                             const char           *server_url,
                                             const char           *login,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
char          *crm_token_store_load_finish  (CrmTokenStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           crm_token_store_clear_async  (CrmTokenStore        *self,
                                             const char           *server_url,
                                             const char           *login,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       crm_token_store_clear_finish (CrmTokenStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);

char          *crm_token_store_load         (CrmTokenStore        *self,
                                             const char           *server_url,
                                             const char           *login,
                                             GError              **error);

G_END_DECLS
