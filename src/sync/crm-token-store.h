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
CrmTokenStore *crm_token_store_new_file     (const char     *path);
const char    *crm_token_store_get_path     (CrmTokenStore  *self);
gboolean       crm_token_store_check        (CrmTokenStore  *self,
                                             GError        **error);
gboolean       crm_token_store_save         (CrmTokenStore  *self,
                                             const char     *server_url,
                                             const char     *login,
                                             const char     *token,
                                             GError        **error);
char          *crm_token_store_load         (CrmTokenStore  *self,
                                             const char     *server_url,
                                             const char     *login,
                                             GError        **error);
gboolean       crm_token_store_clear        (CrmTokenStore  *self,
                                             const char     *server_url,
                                             const char     *login,
                                             GError        **error);

G_END_DECLS
