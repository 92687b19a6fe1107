/* crm-server-store.h: leads-server's SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRM_TYPE_SERVER_STORE (crm_server_store_get_type ())

G_DECLARE_FINAL_TYPE (CrmServerStore, crm_server_store, CRM, SERVER_STORE, GObject)

typedef enum {
  CRM_SERVER_MODULE_LEADS    = 1 << 0,
  CRM_SERVER_MODULE_CONTACTS = 1 << 1,
} CrmServerModules;

typedef struct {
  gint64            id;
  char             *login;
  char             *name;
  gboolean          admin;
  gboolean          read_only;
  gboolean          active;
  CrmServerModules  modules;
  gint64            rights_seq;
} CrmServerUser;

/* A change of a user; NULL / -1 leave a member as it is. */
typedef struct {
  const char *name;
  const char *password;
  const char *modules;   /* "leads,contacts", "leads", "" */
  int         admin;
  int         read_only;
  int         active;
} CrmServerUserChange;

#define CRM_SERVER_USER_CHANGE_INIT { NULL, NULL, NULL, -1, -1, -1 }

void             crm_server_user_free             (CrmServerUser    *user);
JsonObject      *crm_server_user_to_json          (const CrmServerUser *user);
gboolean         crm_server_modules_parse         (const char       *text,
                                                   CrmServerModules *modules,
                                                   GError          **error);

CrmServerStore  *crm_server_store_open            (const char       *dir,
                                                   GError          **error);
void             crm_server_store_close           (CrmServerStore   *self);
const char      *crm_server_store_get_epoch       (CrmServerStore   *self);
void             crm_server_store_set_token_ttl   (CrmServerStore   *self,
                                                   gint64            seconds);

/* Users (the CLI and the admin API) */
gboolean         crm_server_store_user_add        (CrmServerStore   *self,
                                                   const char       *login,
                                                   const CrmServerUserChange *change,
                                                   GError          **error);
gboolean         crm_server_store_user_update     (CrmServerStore   *self,
                                                   const char       *login,
                                                   const CrmServerUserChange *change,
                                                   GError          **error);
GPtrArray       *crm_server_store_user_list       (CrmServerStore   *self,
                                                   GError          **error);

/* Authentication */
CrmServerUser   *crm_server_store_login           (CrmServerStore   *self,
                                                   const char       *login,
                                                   const char       *password,
                                                   const char       *client_id,
                                                   const char       *device,
                                                   char            **token,
                                                   gint64           *expires_at,
                                                   GError          **error);
CrmServerUser   *crm_server_store_authenticate    (CrmServerStore   *self,
                                                   const char       *token,
                                                   GError          **error);
gboolean         crm_server_store_logout          (CrmServerStore   *self,
                                                   const char       *token,
                                                   GError          **error);

/* Sync (crm-server-sync.c) */
void             crm_server_store_push_async      (CrmServerStore   *self,
                                                   CrmServerUser    *user,
                                                   const char       *client_id,
                                                   GPtrArray        *mutations,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
char            *crm_server_store_push_finish     (CrmServerStore   *self,
                                                   GAsyncResult     *result,
                                                   gint64           *last_mutation_id,
                                                   GError          **error);
char            *crm_server_store_pull            (CrmServerStore   *self,
                                                   const CrmServerUser *user,
                                                   const char       *client_id,
                                                   const char       *cursor,
                                                   guint             limit,
                                                   GError          **error);
gboolean         crm_server_store_purge           (CrmServerStore   *self,
                                                   int               days,
                                                   gint64           *n_purged,
                                                   GError          **error);
char            *crm_server_store_key_values      (CrmServerStore   *self,
                                                   GError          **error);
gboolean         crm_server_store_key_value_put   (CrmServerStore   *self,
                                                   const CrmServerUser *user,
                                                   JsonObject       *key_value,
                                                   GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmServerUser, crm_server_user_free)

G_END_DECLS
