/* crm-token-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token a login gives lives in the Secret Service (libsecret's
 * password API, which inside Flatpak goes through the Secret portal),
 * keyed by server and login; never in the database or in GSettings.
 *
 * File mode exists for headless machines and tests, and only when asked
 * for (leadsctl login --token-file FILE): a JSON object
 * {"<server>\n<login>": "<token>"} in a file only the user can read
 * (0600, replaced atomically). The password itself is never kept.
 *
 * Every operation is asynchronous (GTask): the Secret Service is a D-Bus
 * round trip that may even wait for the user to unlock the keyring, so
 * the app never calls it on the main thread synchronously; libsecret's
 * secret_password_store/lookup/clear with callbacks. The file is small
 * and is read and written in place. The synchronous load, for leadsctl's
 * status, runs the same asynchronous code on a private main context.
 *
 * libsecret ≥ 0.20 routes this password API through its backend: inside
 * a Flatpak sandbox that is an encrypted file keyed by the Secret portal
 * (org.freedesktop.portal.Secret), so the manifest needs no
 * --talk-name=org.freedesktop.secrets. Whether a keyring is reachable is
 * therefore asked through the same API (a lookup that matches nothing),
 * never through SecretService directly, which would bypass the portal.
 */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "crm-sync-error.h"
#include "crm-token-store.h"

struct _CrmTokenStore
{
  GObject  parent_instance;

  char    *path;   /* NULL: the Secret Service */
};

G_DEFINE_FINAL_TYPE (CrmTokenStore, crm_token_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.leadsdesk.Leads.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static void
no_secret_service (GError      **error,
                   const GError *cause)
{
  g_set_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NO_SECRET_SERVICE,
               _("No Secret Service (keyring) is reachable to keep the login token (%s); "
                 "on a machine without one, keep it in a file only you can read with --token-file FILE"),
               cause != NULL ? cause->message : _("no session bus"));
}

/* ------------------------------------------------------------ file mode */

static char *
file_key (const char *server_url,
          const char *login)
{
  return g_strconcat (server_url, "\n", login, NULL);
}

static JsonObject *
read_file (CrmTokenStore  *self,
           GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;

  if (!g_file_get_contents (self->path, &text, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return json_object_new ();
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_LOCAL,
                   _("The token file “%s” is damaged; remove it and log in again"), self->path);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static gboolean
write_file (CrmTokenStore  *self,
            JsonObject     *tokens,
            GError        **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);

  json_node_set_object (node, tokens);
  text = json_to_string (node, TRUE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* written to a temporary file with mode 0600, then renamed: the token
   * is never readable by others, not even for a moment */
  return g_file_set_contents_full (self->path, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   0600, error);
}

/* -------------------------------------------------------------- GObject */

static void
crm_token_store_finalize (GObject *object)
{
  CrmTokenStore *self = (CrmTokenStore *)object;

  g_free (self->path);

  G_OBJECT_CLASS (crm_token_store_parent_class)->finalize (object);
}

static void
crm_token_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmTokenStore *self = CRM_TOKEN_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_token_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmTokenStore *self = CRM_TOKEN_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_token_store_class_init (CrmTokenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_token_store_finalize;
  object_class->get_property = crm_token_store_get_property;
  object_class->set_property = crm_token_store_set_property;

  /**
   * CrmTokenStore:path:
   *
   * The token file, or %NULL for the Secret Service.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_token_store_init (CrmTokenStore *self)
{
}

/* ---------------------------------------------------------------- public */

CrmTokenStore *
crm_token_store_new_secret (void)
{
  return g_object_new (CRM_TYPE_TOKEN_STORE, NULL);
}

/**
 * crm_token_store_new_file:
 * @path: a file only the user can read (created with mode 0600)
 */
CrmTokenStore *
crm_token_store_new_file (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (CRM_TYPE_TOKEN_STORE, "path", path, NULL);
}

const char *
crm_token_store_get_path (CrmTokenStore *self)
{
  g_return_val_if_fail (CRM_IS_TOKEN_STORE (self), NULL);

  return self->path;
}

/* The Secret Service's answer as the task's result (an error says that
 * no keyring is reachable). */
static void
on_secret_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) cause = NULL;
  g_autoptr(GError) error = NULL;
  gpointer tag = g_task_get_source_tag (task);

  if (tag == crm_token_store_save_async)
    secret_password_store_finish (result, &cause);
  else if (tag == crm_token_store_clear_async)
    secret_password_clear_finish (result, &cause);
  else
    {
      char *token = secret_password_lookup_finish (result, &cause);

      if (cause == NULL)
        {
          if (tag == crm_token_store_check_async)
            {
              /* the answer is that a keyring answered, not the token */
              secret_password_free (token);
              g_task_return_boolean (task, TRUE);
            }
          else
            g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
          return;
        }
    }

  if (cause != NULL)
    {
      no_secret_service (&error, cause);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
finish_boolean (CrmTokenStore  *self,
                GAsyncResult   *result,
                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* File mode: keep @token for @server_url and @login, or forget it (%NULL). */
static gboolean
file_update (CrmTokenStore  *self,
             const char     *server_url,
             const char     *login,
             const char     *token,
             GError        **error)
{
  g_autoptr(JsonObject) tokens = read_file (self, error);
  g_autofree char *key = file_key (server_url, login);

  if (tokens == NULL)
    return FALSE;
  if (token != NULL)
    json_object_set_string_member (tokens, key, token);
  else if (json_object_has_member (tokens, key))
    json_object_remove_member (tokens, key);
  else
    return TRUE;
  return write_file (self, tokens, error);
}

static GTask *
task_new (CrmTokenStore       *self,
          gpointer             tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  return task;
}

/**
 * crm_token_store_check_async:
 *
 * Can a token be kept? For the Secret Service: is one reachable (asked
 * before a password is sent, so a login never ends with nowhere to put
 * its token). An error is %CRM_SYNC_ERROR_NO_SECRET_SERVICE with a
 * sentence that names --token-file.
 */
void
crm_token_store_check_async (CrmTokenStore       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_TOKEN_STORE (self));

  task = task_new (self, crm_token_store_check_async, cancellable, callback, user_data);
  if (self->path != NULL)
    {
      g_autoptr(JsonObject) tokens = read_file (self, &error);

      if (tokens == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  /* a lookup that matches nothing: through the backend libsecret uses
   * for passwords (the Secret portal inside Flatpak) */
  secret_password_lookup (token_schema (), cancellable, on_secret_done, g_steal_pointer (&task),
                          "server", "", NULL);
}

gboolean
crm_token_store_check_finish (CrmTokenStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return finish_boolean (self, result, error);
}

void
crm_token_store_save_async (CrmTokenStore       *self,
                            const char          *server_url,
                            const char          *login,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (CRM_IS_TOKEN_STORE (self));

  task = task_new (self, crm_token_store_save_async, cancellable, callback, user_data);
  if (self->path != NULL)
    {
      if (!file_update (self, server_url, login, token, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  /* TRANSLATORS: the name of the keyring entry: login and server */
  label = g_strdup_printf (_("Leads: %s on %s"), login, server_url);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         on_secret_done, g_steal_pointer (&task),
                         "server", server_url, "login", login, NULL);
}

gboolean
crm_token_store_save_finish (CrmTokenStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return finish_boolean (self, result, error);
}

void
crm_token_store_load_async (CrmTokenStore       *self,
                            const char          *server_url,
                            const char          *login,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_TOKEN_STORE (self));

  task = task_new (self, crm_token_store_load_async, cancellable, callback, user_data);
  if (self->path != NULL)
    {
      g_autoptr(JsonObject) tokens = read_file (self, &error);
      g_autofree char *key = file_key (server_url, login);

      if (tokens == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_strdup (json_object_get_string_member_with_default (tokens, key, NULL)),
                               g_free);
      return;
    }

  secret_password_lookup (token_schema (), cancellable, on_secret_done, g_steal_pointer (&task),
                          "server", server_url, "login", login, NULL);
}

/**
 * crm_token_store_load_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL (with @error
 *   unset) when there is none; free it with g_free()
 */
char *
crm_token_store_load_finish (CrmTokenStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  char *token;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  token = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  if (token != NULL && self->path == NULL)
    {
      /* libsecret's copy is wiped when freed: hand out a plain copy */
      char *copy = g_strdup (token);

      secret_password_free (token);
      return copy;
    }
  return token;
}

void
crm_token_store_clear_async (CrmTokenStore       *self,
                             const char          *server_url,
                             const char          *login,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_TOKEN_STORE (self));

  task = task_new (self, crm_token_store_clear_async, cancellable, callback, user_data);
  if (self->path != NULL)
    {
      if (!file_update (self, server_url, login, NULL, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  secret_password_clear (token_schema (), cancellable, on_secret_done, g_steal_pointer (&task),
                         "server", server_url, "login", login, NULL);
}

gboolean
crm_token_store_clear_finish (CrmTokenStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return finish_boolean (self, result, error);
}

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/**
 * crm_token_store_load:
 *
 * crm_token_store_load_async() waited for on a private main context (for
 * leadsctl; the app never blocks on the keyring).
 *
 * Returns: (transfer full) (nullable): the token, or %NULL (with @error
 *   unset) when there is none
 */
char *
crm_token_store_load (CrmTokenStore  *self,
                      const char     *server_url,
                      const char     *login,
                      GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (CRM_IS_TOKEN_STORE (self), NULL);

  g_main_context_push_thread_default (context);
  crm_token_store_load_async (self, server_url, login, NULL, on_sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return crm_token_store_load_finish (self, result, error);
}
