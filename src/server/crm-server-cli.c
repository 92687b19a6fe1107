/* crm-server-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   leads-server --data DIR [--listen 127.0.0.1:8480] [--tls-cert F --tls-key F]
 *   leads-server --data DIR user add LOGIN --name "…" [--admin] [--modules leads,contacts] [--read-only]
 *   leads-server --data DIR user list
 *   leads-server --data DIR user set LOGIN [--name …] [--admin|--no-admin] [--read-only|--read-write]
 *                                          [--modules …] [--enable]
 *   leads-server --data DIR user disable LOGIN
 *   leads-server --data DIR user passwd LOGIN
 *   leads-server --data DIR purge --days N
 *
 * Passwords come from the first line of standard input. The user
 * commands use the same store functions as the admin API.
 */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "crm-server-cli.h"
#include "crm-protocol.h"
#include "crm-server.h"

typedef struct {
  char     *data;
  char     *listen;
  char     *tls_cert;
  char     *tls_key;
  int       token_ttl;
  gint64    max_body;
  char     *name;
  char     *modules;
  gboolean  admin;
  gboolean  no_admin;
  gboolean  read_only;
  gboolean  read_write;
  gboolean  enable;
  int       days;
} Options;

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("leads-server: %s\n", message);
  return 1;
}

static char *
read_password (GError **error)
{
  char line[1100];
  size_t n;

  if (fgets (line, sizeof line, stdin) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("give the password on standard input"));
      return NULL;
    }
  n = strlen (line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
  return g_strdup (line);
}

static int
user_command (CrmServerStore  *store,
              Options         *options,
              int              argc,
              char           **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  CrmServerUserChange change = CRM_SERVER_USER_CHANGE_INIT;
  const char *command = argc > 0 ? argv[0] : NULL;
  const char *login = argc > 1 ? argv[1] : NULL;
  gboolean ok;

  if (g_strcmp0 (command, "list") == 0)
    {
      g_autoptr(GPtrArray) users = crm_server_store_user_list (store, &error);

      if (users == NULL)
        return fail ("%s", error->message);
      g_print ("login\tname\tadmin\tread_only\tmodules\tactive\n");
      for (guint i = 0; i < users->len; i++)
        {
          CrmServerUser *user = g_ptr_array_index (users, i);

          g_print ("%s\t%s\t%s\t%s\t%s%s%s\t%s\n", user->login, user->name,
                   user->admin ? "yes" : "no", user->read_only ? "yes" : "no",
                   (user->modules & CRM_SERVER_MODULE_LEADS) ? "leads" : "",
                   (user->modules & CRM_SERVER_MODULE_LEADS) && (user->modules & CRM_SERVER_MODULE_CONTACTS) ? "," : "",
                   (user->modules & CRM_SERVER_MODULE_CONTACTS) ? "contacts" : "",
                   user->active ? "yes" : "no");
        }
      return 0;
    }

  if (command == NULL || login == NULL || argc > 2)
    return fail ("%s", _("usage: user add|set|disable|passwd LOGIN [options], user list"));

  change.name = options->name;
  change.modules = options->modules;
  if (options->admin || options->no_admin)
    change.admin = options->admin;
  if (options->read_only || options->read_write)
    change.read_only = options->read_only;

  if (g_str_equal (command, "add") || g_str_equal (command, "passwd"))
    {
      if ((password = read_password (&error)) == NULL)
        return fail ("%s", error->message);
      change.password = password;
    }

  if (g_str_equal (command, "add"))
    ok = crm_server_store_user_add (store, login, &change, &error);
  else if (g_str_equal (command, "set"))
    {
      if (options->enable)
        change.active = TRUE;
      ok = crm_server_store_user_update (store, login, &change, &error);
    }
  else if (g_str_equal (command, "disable"))
    {
      CrmServerUserChange disable = CRM_SERVER_USER_CHANGE_INIT;

      disable.active = FALSE;
      ok = crm_server_store_user_update (store, login, &disable, &error);
    }
  else if (g_str_equal (command, "passwd"))
    {
      CrmServerUserChange passwd = CRM_SERVER_USER_CHANGE_INIT;

      passwd.password = password;
      ok = crm_server_store_user_update (store, login, &passwd, &error);
    }
  else
    return fail (_("“%s” is not a user command; use add, list, set, disable or passwd"), command);

  if (!ok)
    return fail ("%s", error->message);
  return 0;
}

static gboolean
on_signal (gpointer user_data)
{
  CrmServer *server = user_data;

  g_message ("shutting down: finishing requests in progress");
  crm_server_begin_shutdown (server);
  return G_SOURCE_CONTINUE;
}

static void
on_drained (CrmServer  *server,
            GParamSpec *pspec,
            GMainLoop  *loop)
{
  if (crm_server_get_drained (server))
    g_main_loop_quit (loop);
}

static int
serve (CrmServerStore *store,
       Options        *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmServer) server = crm_server_new (store);

  if (options->max_body > 0)
    g_object_set (server, "max-body", options->max_body, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GSList *uris;

  if (!crm_server_listen (server, options->listen ? options->listen : "127.0.0.1:8480",
                          options->tls_cert, options->tls_key, &error))
    return fail ("%s", error->message);

  uris = crm_server_get_uris (server);
  for (GSList *l = uris; l != NULL; l = l->next)
    {
      g_autofree char *text = g_uri_to_string (l->data);

      /* tests read the port from this line */
      g_print ("leads-server: listening on %s\n", text);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fflush (stdout);

  g_unix_signal_add (SIGTERM, on_signal, server);
  g_unix_signal_add (SIGINT, on_signal, server);
  g_signal_connect (server, "notify::drained", G_CALLBACK (on_drained), loop);
  g_main_loop_run (loop);

  g_clear_object (&server);
  crm_server_store_close (store);
  g_message ("stopped; the database is closed");
  return 0;
}

int
crm_server_main (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmServerStore) store = NULL;
  Options options = { 0 };
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &options.data, N_("Data folder (required)"), "DIR" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options.listen, N_("Address and port (127.0.0.1:8480)"), "HOST:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_cert, N_("TLS certificate (PEM)"), "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_key, N_("TLS private key (PEM)"), "FILE" },
    { "max-body", 0, 0, G_OPTION_ARG_INT64, &options.max_body, N_("Largest request body in bytes (4194304)"), "BYTES" },
    { "token-ttl", 0, 0, G_OPTION_ARG_INT, &options.token_ttl, N_("Seconds a login stays valid (30 days)"), "SECONDS" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &options.name, N_("user add/set: the full name"), "NAME" },
    { "modules", 0, 0, G_OPTION_ARG_STRING, &options.modules, N_("user add/set: leads,contacts"), "LIST" },
    { "admin", 0, 0, G_OPTION_ARG_NONE, &options.admin, N_("user add/set: an administrator"), NULL },
    { "no-admin", 0, 0, G_OPTION_ARG_NONE, &options.no_admin, N_("user set: not an administrator"), NULL },
    { "read-only", 0, 0, G_OPTION_ARG_NONE, &options.read_only, N_("user add/set: may only read"), NULL },
    { "read-write", 0, 0, G_OPTION_ARG_NONE, &options.read_write, N_("user set: may write"), NULL },
    { "enable", 0, 0, G_OPTION_ARG_NONE, &options.enable, N_("user set: activate again"), NULL },
    { "days", 0, 0, G_OPTION_ARG_INT, &options.days, N_("purge: tombstones older than this many days (90)"), "DAYS" },
    { NULL }
  };
  int status;

  options.days = G_MININT;  /* not given */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new (_("[user add|list|set|disable|passwd LOGIN | purge] — the Leads team server"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fail ("%s", error->message);
      return 2;
    }
  if (options.data == NULL)
    {
      fail ("%s", _("--data DIR is required"));
      return 2;
    }
  if (options.max_body != 0 &&
      (options.max_body < CRM_SERVER_MIN_BODY_BYTES || options.max_body > CRM_PROTOCOL_MAX_BODY_BYTES))
    {
      fail (_("--max-body: %lld is not a number of bytes from %d to %d"),
            (long long) options.max_body, CRM_SERVER_MIN_BODY_BYTES, CRM_PROTOCOL_MAX_BODY_BYTES);
      return 2;
    }
  if (options.admin && options.no_admin)
    return fail ("%s", _("--admin and --no-admin contradict each other"));
  if (options.read_only && options.read_write)
    return fail ("%s", _("--read-only and --read-write contradict each other"));

  store = crm_server_store_open (options.data, &error);
  if (store == NULL)
    return fail ("%s", error->message);
  if (options.token_ttl > 0)
    crm_server_store_set_token_ttl (store, options.token_ttl);

  if (argc >= 2 && g_str_equal (argv[1], "user"))
    status = user_command (store, &options, argc - 2, argv + 2);
  else if (argc == 2 && g_str_equal (argv[1], "purge"))
    {
      gint64 n = 0;

      if (options.days < 0 && options.days != G_MININT)
        status = fail ("%s", _("--days: not a number of days"));
      else if (!crm_server_store_purge (store, options.days == G_MININT ? 90 : options.days, &n, &error))
        status = fail ("%s", error->message);
      else
        {
          g_print (_("%lld deleted leads purged\n"), (long long) n);
          status = 0;
        }
    }
  else if (argc >= 2)
    {
      fail (_("“%s” is not a command; use user or purge"), argv[1]);
      status = 2;
    }
  else
    status = serve (store, &options);

  g_free (options.data);
  g_free (options.listen);
  g_free (options.tls_cert);
  g_free (options.tls_key);
  g_free (options.name);
  g_free (options.modules);
  return status;
}
