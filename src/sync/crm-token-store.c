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

/**
 * crm_token_store_check:
 *
 * Can a token be kept? For the Secret Service: is one reachable (asked
 * before a password is sent, so a login never ends with nowhere to put
 * its token).
 */
gboolean
crm_token_store_check (CrmTokenStore  *self,
                       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretService) service = NULL;

  g_return_val_if_fail (CRM_IS_TOKEN_STORE (self), FALSE);

  if (self->path != NULL)
    {
      g_autoptr(JsonObject) tokens = read_file (self, error);

      return tokens != NULL;
    }

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &local_error);
  if (service == NULL)
    {
      no_secret_service (error, local_error);
      return FALSE;
    }

  return TRUE;
}

gboolean
crm_token_store_save (CrmTokenStore  *self,
                      const char     *server_url,
                      const char     *login,
                      const char     *token,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CRM_IS_TOKEN_STORE (self), FALSE);

  if (self->path != NULL)
    {
      g_autoptr(JsonObject) tokens = read_file (self, error);
      g_autofree char *key = file_key (server_url, login);

      if (tokens == NULL)
        return FALSE;
      json_object_set_string_member (tokens, key, token);
      return write_file (self, tokens, error);
    }

  /* TRANSLATORS: the name of the keyring entry: login and server */
  label = g_strdup_printf (_("Leads: %s on %s"), login, server_url);
  if (!secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, NULL,
                                   &local_error, "server", server_url, "login", login, NULL))
    {
      no_secret_service (error, local_error);
      return FALSE;
    }

  return TRUE;
}

/**
 * crm_token_store_load:
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
  g_autoptr(GError) local_error = NULL;
  char *token;

  g_return_val_if_fail (CRM_IS_TOKEN_STORE (self), NULL);

  if (self->path != NULL)
    {
      g_autoptr(JsonObject) tokens = read_file (self, error);
      g_autofree char *key = file_key (server_url, login);

      if (tokens == NULL || !json_object_has_member (tokens, key))
        return NULL;
      return g_strdup (json_object_get_string_member (tokens, key));
    }

  token = secret_password_lookup_sync (token_schema (), NULL, &local_error,
                                       "server", server_url, "login", login, NULL);
  if (local_error != NULL)
    no_secret_service (error, local_error);

  return token;
}

gboolean
crm_token_store_clear (CrmTokenStore  *self,
                       const char     *server_url,
                       const char     *login,
                       GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CRM_IS_TOKEN_STORE (self), FALSE);

  if (self->path != NULL)
    {
      g_autoptr(JsonObject) tokens = read_file (self, error);
      g_autofree char *key = file_key (server_url, login);

      if (tokens == NULL)
        return FALSE;
      if (!json_object_has_member (tokens, key))
        return TRUE;
      json_object_remove_member (tokens, key);
      return write_file (self, tokens, error);
    }

  secret_password_clear_sync (token_schema (), NULL, &local_error,
                              "server", server_url, "login", login, NULL);
  if (local_error != NULL)
    {
      no_secret_service (error, local_error);
      return FALSE;
    }

  return TRUE;
}
