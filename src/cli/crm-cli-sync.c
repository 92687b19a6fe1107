/* crm-cli-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * leadsctl login, sync, logout and status: the app's sync engine
 * (CrmSyncEngine) for scripts and tests.
 *
 * The token lives in the Secret Service, or, with --token-file FILE at
 * login, in that file (mode 0600); the database remembers the file's
 * path (never the token) so that later commands find it. Each command
 * runs the engine's asynchronous call in a main loop of its own. A sync
 * that fails ends with one line "leadsctl: <sentence>" and exit status 1;
 * it can always be run again (mutations are idempotent on the server).
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "crm-cli-private.h"
#include "crm-store-sync.h"
#include "crm-sync-conflict.h"
#include "crm-sync-engine.h"

#define TOKEN_FILE_META "sync_token_file"

typedef struct {
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static CrmTokenStore *
token_store_for (CrmStore   *store,
                 const char *token_file)
{
  g_autofree char *remembered = NULL;

  if (token_file != NULL)
    return crm_token_store_new_file (token_file);

  remembered = crm_store_sync_dup_setting (store, TOKEN_FILE_META);
  if (remembered != NULL && *remembered != '\0')
    return crm_token_store_new_file (remembered);

  return crm_token_store_new_secret ();
}

static CrmSyncEngine *
engine_for (CrmCli      *cli,
            const char  *token_file,
            GError     **error)
{
  g_autoptr(CrmTokenStore) tokens = NULL;
  CrmStore *store = _crm_cli_open_store (cli, error);

  if (store == NULL)
    return NULL;

  tokens = token_store_for (store, token_file);
  return crm_sync_engine_new (store, tokens);
}

/* The commands but login take --token-file (and @extra). */
static gboolean
parse_options (CrmCli              *cli,
               char              ***args,
               const char          *command,
               const char          *parameters,
               const char          *summary,
               const GOptionEntry  *extra,
               char               **token_file,
               GError             **error)
{
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  GOptionEntry token_entry = {
    "token-file", 0, 0, G_OPTION_ARG_FILENAME, token_file, N_("Read the login token from this file"), N_("FILE")
  };

  g_array_append_val (entries, token_entry);
  for (guint i = 0; extra != NULL && extra[i].long_name != NULL; i++)
    g_array_append_val (entries, extra[i]);

  return _crm_cli_parse_options (cli, args, command, parameters, summary,
                                 (const GOptionEntry *) entries->data, 0, error);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;
  gboolean (*finish) (CrmSyncEngine *, GAsyncResult *, GError **) = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == crm_sync_engine_login_async)
    finish = crm_sync_engine_login_finish;
  else if (g_task_get_source_tag (G_TASK (result)) == crm_sync_engine_logout_async)
    finish = crm_sync_engine_logout_finish;
  else
    finish = crm_sync_engine_sync_finish;

  wait->ok = finish (CRM_SYNC_ENGINE (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Runs until the engine's call is done. */
static gboolean
wait_for (Wait    *wait,
          GError **error)
{
  g_main_loop_run (wait->loop);
  g_main_loop_unref (wait->loop);
  if (!wait->ok)
    {
      g_propagate_error (error, wait->error);
      return FALSE;
    }
  return TRUE;
}

/* One line from stdin, without echo when it is a terminal. */
static char *
read_password (GError **error)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char line[1024];
  char *result;

  if (tty)
    {
      fputs (_("Password: "), stderr);
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  result = fgets (line, sizeof line, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      fputc ('\n', stderr);
    }

  if (result == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("password: give the password on standard input"));
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  result = g_strdup (line);
  memset (line, 0, sizeof line);
  return result;
}

/* ------------------------------------------------------------------ login */

gboolean
_crm_cli_login (CrmCli   *cli,
                char   ***args,
                GError  **error)
{
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *password = NULL;
  gboolean upload = FALSE;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The team server, e.g. https://leads.example.com"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Your login on the server"), N_("LOGIN") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      N_("Keep the login token in this file (readable only by you) instead of the Secret Service"), N_("FILE") },
    { "upload-local", 0, 0, G_OPTION_ARG_NONE, &upload,
      N_("Also send the leads and contacts made here before the first login"), NULL },
    { NULL }
  };
  g_autoptr(CrmSyncEngine) engine = NULL;
  Wait wait = { NULL, FALSE, NULL };
  guint local_only;

  if (!_crm_cli_parse_options (cli, args, "login", "--server URL --user LOGIN [--token-file FILE]",
                               _("Logs in to a team server; the password is read from standard input."),
                               entries, 0, error))
    return FALSE;
  if (server == NULL || user == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   server == NULL ? _("server: give --server URL") : _("user: give --user LOGIN"));
      return FALSE;
    }
  if ((password = read_password (error)) == NULL)
    return FALSE;

  if ((engine = engine_for (cli, token_file, error)) == NULL)
    return FALSE;

  wait.loop = g_main_loop_new (NULL, FALSE);
  crm_sync_engine_login_async (engine, server, user, password, NULL, on_done, &wait);
  memset (password, 0, strlen (password));
  if (!wait_for (&wait, error))
    return FALSE;

  if (token_file != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (token_file);
      g_autofree char *absolute = g_file_get_path (file);

      if (!crm_store_sync_set_setting (crm_sync_engine_get_store (engine), TOKEN_FILE_META, absolute, error))
        return FALSE;
    }
  else if (!crm_store_sync_set_setting (crm_sync_engine_get_store (engine), TOKEN_FILE_META, NULL, error))
    return FALSE;

  local_only = crm_sync_engine_count_local_only (engine);
  if (upload && local_only > 0)
    {
      if (!crm_sync_engine_upload_local (engine, error))
        return FALSE;
    }
  else if (local_only > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", local_only);

      /* TRANSLATORS: %s is a number of leads and contacts */
      g_printerr (_("Note: %s leads and contacts were made here before this login and are not on the server; "
                    "send them with “leadsctl login --upload-local …”.\n"), n);
    }

  return TRUE;
}

/* ------------------------------------------------------------------- sync */

gboolean
_crm_cli_sync (CrmCli   *cli,
               char   ***args,
               GError  **error)
{
  g_autofree char *token_file = NULL;
  g_autoptr(CrmSyncEngine) engine = NULL;
  Wait wait = { NULL, FALSE, NULL };

  if (!parse_options (cli, args, "sync", "",
                      _("Sends the local changes to the team server and fetches everyone else’s."),
                      NULL, &token_file, error) ||
      (engine = engine_for (cli, token_file, error)) == NULL)
    return FALSE;

  wait.loop = g_main_loop_new (NULL, FALSE);
  crm_sync_engine_sync_async (engine, NULL, on_done, &wait);
  return wait_for (&wait, error);
}

/* ----------------------------------------------------------------- logout */

gboolean
_crm_cli_logout (CrmCli   *cli,
                 char   ***args,
                 GError  **error)
{
  g_autofree char *token_file = NULL;
  g_autoptr(CrmSyncEngine) engine = NULL;
  Wait wait = { NULL, FALSE, NULL };
  guint pending;

  if (!parse_options (cli, args, "logout", "",
                      _("Logs out of the team server; unsynced changes stay and are sent after the next login."),
                      NULL, &token_file, error) ||
      (engine = engine_for (cli, token_file, error)) == NULL)
    return FALSE;

  pending = crm_sync_engine_get_pending_count (engine);
  if (pending > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", pending);

      /* TRANSLATORS: %s is a number of changes */
      g_printerr (_("Warning: %s changes are not on the server yet; they stay here and are sent after the next login.\n"), n);
    }

  wait.loop = g_main_loop_new (NULL, FALSE);
  crm_sync_engine_logout_async (engine, NULL, on_done, &wait);
  return wait_for (&wait, error);
}

/* ----------------------------------------------------------------- status */

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * _crm_cli_add_conflicts:
 * @conflicts: #CrmSyncConflict items
 *
 * The member "conflicts" of `status` and `conflicts`: an array of
 * conflict objects (docs/leadsctl.md).
 */
void
_crm_cli_add_conflicts (JsonBuilder *builder,
                        GListModel  *conflicts)
{
  json_builder_set_member_name (builder, "conflicts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (conflicts); i++)
    {
      g_autoptr(CrmSyncConflict) conflict = g_list_model_get_item (conflicts, i);
      g_autofree char *at = _crm_cli_format_iso_time (crm_sync_conflict_get_at (conflict) / G_USEC_PER_SEC);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "uuid", crm_sync_conflict_get_uuid (conflict));
      add_string_or_null (builder, "kind", crm_sync_conflict_get_kind (conflict));
      add_string_or_null (builder, "record_type", crm_sync_conflict_get_record_type (conflict));
      add_string_or_null (builder, "record", crm_sync_conflict_get_record_uuid (conflict));
      json_builder_set_member_name (builder, "lead_id");
      json_builder_add_int_value (builder, crm_sync_conflict_get_lead_id (conflict));
      add_string_or_null (builder, "title", crm_sync_conflict_get_title (conflict));
      add_string_or_null (builder, "field", crm_sync_conflict_get_field (conflict));
      add_string_or_null (builder, "base", crm_sync_conflict_get_base (conflict));
      add_string_or_null (builder, "kept", crm_sync_conflict_get_kept (conflict));
      add_string_or_null (builder, "yours", crm_sync_conflict_get_yours (conflict));
      add_string_or_null (builder, "kept_by", crm_sync_conflict_get_kept_by (conflict));
      add_string_or_null (builder, "yours_by", crm_sync_conflict_get_yours_by (conflict));
      add_string_or_null (builder, "at", at);
      add_string_or_null (builder, "reason", crm_sync_conflict_get_reason (conflict));
      add_string_or_null (builder, "message", crm_sync_conflict_get_message (conflict));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

gboolean
_crm_cli_status (CrmCli   *cli,
                 char   ***args,
                 GError  **error)
{
  g_autofree char *format_text = NULL;
  g_autofree char *token_file = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, N_("Output format: text or json"), N_("FORMAT") },
    { NULL }
  };
  g_autoptr(CrmSyncEngine) engine = NULL;
  g_autoptr(GListModel) conflicts = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autofree char *name = NULL;
  g_autofree char *last_sync = NULL;
  g_auto(GStrv) modules = NULL;
  CrmCliFormat format = CRM_CLI_FORMAT_TEXT;
  CrmStore *store;
  gboolean logged_in = FALSE;
  gint64 last;

  if (!parse_options (cli, args, "status", "[--format json]",
                      _("Shows the team server, the number of unsynced changes, the last sync and the open conflicts."),
                      entries, &token_file, error))
    return FALSE;
  if (format_text != NULL &&
      !_crm_cli_parse_format (format_text, (1 << CRM_CLI_FORMAT_TEXT) | (1 << CRM_CLI_FORMAT_JSON), &format, error))
    return FALSE;
  if ((engine = engine_for (cli, token_file, error)) == NULL)
    return FALSE;

  store = crm_sync_engine_get_store (engine);
  server = crm_store_sync_dup_server_url (store);
  login = crm_store_sync_dup_login (store);
  name = crm_store_sync_dup_user_name (store);
  modules = crm_store_sync_dup_modules (store);
  last = crm_store_sync_get_last_sync (store);
  last_sync = last > 0 ? _crm_cli_format_iso_time (last / G_USEC_PER_SEC) : NULL;
  if (server != NULL)
    {
      g_autoptr(CrmTokenStore) tokens = NULL;
      g_autofree char *token = NULL;

      /* the engine looks its token up without waiting; status waits */
      g_object_get (engine, "token-store", &tokens, NULL);
      token = crm_token_store_load (tokens, server, login, NULL);
      logged_in = token != NULL;
    }
  conflicts = crm_store_sync_list_conflicts (store, FALSE);

  if (format == CRM_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_string_or_null (builder, "server", server);
      add_string_or_null (builder, "login", login);
      add_string_or_null (builder, "name", name);
      json_builder_set_member_name (builder, "logged_in");
      json_builder_add_boolean_value (builder, logged_in);
      json_builder_set_member_name (builder, "read_only");
      json_builder_add_boolean_value (builder, crm_store_sync_get_read_only (store));
      json_builder_set_member_name (builder, "admin");
      json_builder_add_boolean_value (builder, crm_store_sync_get_admin (store));
      json_builder_set_member_name (builder, "modules");
      json_builder_begin_array (builder);
      for (guint i = 0; modules[i] != NULL; i++)
        json_builder_add_string_value (builder, modules[i]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, crm_store_sync_get_client_id (store));
      json_builder_set_member_name (builder, "pending");
      json_builder_add_int_value (builder, crm_sync_engine_get_pending_count (engine));
      json_builder_set_member_name (builder, "last_mutation_id");
      json_builder_add_int_value (builder, crm_store_sync_get_last_mutation_id (store));
      add_string_or_null (builder, "last_sync", last_sync);
      _crm_cli_add_conflicts (builder, conflicts);
      json_builder_end_object (builder);
      _crm_cli_print_json (builder);
      return TRUE;
    }

  if (server == NULL)
    {
      _crm_cli_print (_("Not connected to a team server.\n"));
      return TRUE;
    }

  {
    g_autoptr(GString) out = g_string_new (NULL);
    g_autofree char *pending = g_strdup_printf ("%u", crm_sync_engine_get_pending_count (engine));

    g_string_append_printf (out, _("Server: %s\n"), server);
    g_string_append_printf (out, _("User: %s (%s)%s\n"), name ? name : "", login,
                            logged_in ? "" : _(", logged out"));
    g_string_append_printf (out, _("Unsynced changes: %s\n"), pending);
    g_string_append_printf (out, _("Last sync: %s\n"), last_sync != NULL ? last_sync : _("never"));
    for (guint i = 0; i < g_list_model_get_n_items (conflicts); i++)
      {
        g_autoptr(CrmSyncConflict) conflict = g_list_model_get_item (conflicts, i);

        /* TRANSLATORS: a conflict: record title, field, value kept, value not applied */
        g_string_append_printf (out, _("Conflict: %s, %s: kept “%s”, yours “%s”\n"),
                                crm_sync_conflict_get_title (conflict),
                                crm_sync_conflict_get_field (conflict),
                                crm_sync_conflict_get_kept (conflict) ? crm_sync_conflict_get_kept (conflict) : "",
                                crm_sync_conflict_get_yours (conflict) ? crm_sync_conflict_get_yours (conflict) : "");
      }
    _crm_cli_print (out->str);
  }

  return TRUE;
}
