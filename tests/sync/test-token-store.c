/* test-token-store.c: the login token in a real keyring, asynchronously
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Secret Service here is a real gnome-keyring-daemon on a private
 * D-Bus session bus this test starts (dbus-daemon --session), with a
 * keyring in a temporary folder unlocked by a password on its stdin. The
 * token store's asynchronous API (libsecret's secret_password_store/
 * lookup/clear with callbacks) stores, finds and clears a token; the sync
 * engine logs in, syncs and logs out through it against the real
 * leads-server; and the real leadsctl does the same through the same code,
 * its token visible to the test in the keyring. Without any Secret
 * Service, the check and `leadsctl login` say so and name --token-file,
 * before anything is sent.
 *
 * Skipped, with the reason, only when dbus-daemon or gnome-keyring-daemon
 * cannot be started.
 *
 *   test-token-store LEADS_SERVER LEADSCTL
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "crm-sync-engine.h"
#include "crm-test-server.h"

#define PASSWORD "correct horse battery"
#define WAIT_MS  60000

static const char *server_binary;
static const char *leadsctl_binary;
static char *tmp_dir;
static GSubprocess *bus_daemon;
static GSubprocess *keyring_daemon;
static const char *skip_reason;
static gboolean keyring_tried;
static gboolean keyring_exited;

/* ---------------------------------------------------------------- helpers */


#define WAIT(result) g_assert_true (crm_test_wait_until (crm_test_have_result, &(result), WAIT_MS))

static gboolean
secrets_owned (gpointer data)
{
  GDBusConnection *bus = data;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned || keyring_exited;
}

static void
on_keyring_exited (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  keyring_exited = TRUE;
}

/* A private session bus with gnome-keyring-daemon on it; NULL or the
 * reason why not. */
static const char *
start_keyring (void)
{
  const char *bus_argv[] = { "dbus-daemon", "--session", "--nofork", "--print-address=1", NULL };
  const char *keyring_argv[] = { "gnome-keyring-daemon", "--foreground", "--components=secrets", "--unlock", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *address = NULL;
  g_autofree char *home = g_build_filename (tmp_dir, "home", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *runtime = g_build_filename (tmp_dir, "runtime", NULL);
  GOutputStream *in;

  g_assert_cmpint (g_mkdir_with_parents (data, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);

  bus_daemon = crm_test_spawn (bus_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (bus_daemon == NULL)
    return "dbus-daemon cannot start";
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus_daemon));
  address = g_data_input_stream_read_line (out, NULL, NULL, NULL);
  if (address == NULL || *address == '\0')
    return "dbus-daemon printed no address";
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  keyring_daemon = crm_test_spawn (keyring_argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (keyring_daemon == NULL)
    return "gnome-keyring-daemon cannot start (is gnome-keyring installed?)";
  g_subprocess_wait_async (keyring_daemon, NULL, on_keyring_exited, NULL);
  /* --unlock: the new login keyring's password, on stdin */
  in = g_subprocess_get_stdin_pipe (keyring_daemon);
  g_output_stream_write_all (in, "keyring password", 16, NULL, NULL, NULL);
  g_output_stream_close (in, NULL, NULL);

  bus = g_dbus_connection_new_for_address_sync (address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  if (bus == NULL)
    return "the private session bus does not answer";
  if (!crm_test_wait_until (secrets_owned, bus, WAIT_MS) || keyring_exited)
    return "gnome-keyring-daemon did not take org.freedesktop.secrets on the private bus";
  return NULL;
}

/* The keyring, started by the first test that needs it (after the
 * headless one); FALSE (the test skipped, with the reason) when it
 * cannot run here. */
static gboolean
have_keyring (void)
{
  if (!keyring_tried)
    {
      keyring_tried = TRUE;
      skip_reason = start_keyring ();
    }
  if (skip_reason != NULL)
    g_test_skip (skip_reason);
  return skip_reason == NULL;
}

static void
stop (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_force_exit (*process);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

/* Runs leadsctl; returns its exit status, stdout and stderr. */
static int
leadsctl (const char  *db,
          const char  *input,
          char       **out,
          char       **err,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) leadsctl_binary);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static char *
load (CrmTokenStore *tokens,
      const char    *server,
      const char    *login)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  crm_token_store_load_async (tokens, server, login, NULL, crm_test_on_result, &result);
  WAIT (result);
  token = crm_token_store_load_finish (tokens, result, &error);
  g_assert_no_error (error);
  return token;
}

/* ------------------------------------------------------------------ tests */

/* Before the keyring runs: no Secret Service at all. */
static void
test_no_secret_service (void)
{
  g_autoptr(CrmTokenStore) tokens = crm_token_store_new_secret ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (tmp_dir, "headless.db", NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", crm_test_free_port ());
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);

  crm_token_store_check_async (tokens, NULL, crm_test_on_result, &result);
  WAIT (result);
  g_assert_false (crm_token_store_check_finish (tokens, result, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NO_SECRET_SERVICE);
  g_assert_nonnull (strstr (error->message, "--token-file"));

  /* leadsctl says so before it sends the password: the server address
   * has nobody listening, and that is not what it complains about */
  g_assert_cmpint (leadsctl (db, PASSWORD "\n", &out, &err, "login", "--server", url, "--user", "anna", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "No Secret Service"));
  g_assert_nonnull (strstr (err, "--token-file"));
  g_assert_null (strstr (err, "Cannot reach"));
}

/* Store, look up and clear through the asynchronous API. */
static void
test_keyring_token (void)
{
  g_autoptr(CrmTokenStore) tokens = crm_token_store_new_secret ();
  g_autoptr(GAsyncResult) checked = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  g_autofree char *again = NULL;
  g_autofree char *gone = NULL;

  if (!have_keyring ())
    return;

  crm_token_store_check_async (tokens, NULL, crm_test_on_result, &checked);
  WAIT (checked);
  g_assert_true (crm_token_store_check_finish (tokens, checked, &error));
  g_assert_no_error (error);

  crm_token_store_save_async (tokens, "https://leads.example", "anna", "token-of-anna", NULL, crm_test_on_result, &saved);
  /* asynchronous: nothing has happened yet when the call returns */
  g_assert_null (saved);
  WAIT (saved);
  g_assert_true (crm_token_store_save_finish (tokens, saved, &error));
  g_assert_no_error (error);

  token = load (tokens, "https://leads.example", "anna");
  g_assert_cmpstr (token, ==, "token-of-anna");
  other = load (tokens, "https://leads.example", "bob");
  g_assert_null (other);
  /* leadsctl's synchronous load: the same code on its own main context */
  again = crm_token_store_load (tokens, "https://leads.example", "anna", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, "token-of-anna");

  crm_token_store_clear_async (tokens, "https://leads.example", "anna", NULL, crm_test_on_result, &cleared);
  WAIT (cleared);
  g_assert_true (crm_token_store_clear_finish (tokens, cleared, &error));
  g_assert_no_error (error);
  gone = load (tokens, "https://leads.example", "anna");
  g_assert_null (gone);
}

/* The app's path: the engine logs in (token into the keyring), syncs
 * with it and logs out (token gone), against the real server. */
static void
test_keyring_engine (void)
{
  g_autoptr(CrmTestServer) server = NULL;
  g_autoptr(CrmTokenStore) tokens = crm_token_store_new_secret ();
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmSyncEngine) engine = NULL;
  g_autoptr(CrmSyncEngine) reopened = NULL;
  g_autoptr(GAsyncResult) logged_in = NULL;
  g_autoptr(GAsyncResult) synced = NULL;
  g_autoptr(GAsyncResult) logged_out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (tmp_dir, "app.db", NULL);
  g_autofree char *token = NULL;
  g_autofree char *gone = NULL;

  if (!have_keyring ())
    return;

  server = crm_test_server_new (server_binary, tmp_dir);
  crm_test_server_add_user (server, "anna", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_start (server);
  store = crm_store_open (db, &error);
  g_assert_no_error (error);
  engine = crm_sync_engine_new (store, tokens);

  crm_sync_engine_login_async (engine, server->url, "anna", PASSWORD, NULL, crm_test_on_result, &logged_in);
  WAIT (logged_in);
  g_assert_true (crm_sync_engine_login_finish (engine, logged_in, &error));
  g_assert_no_error (error);
  token = load (tokens, server->url, "anna");
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 22);   /* ≥ 128 bits */

  crm_sync_engine_sync_async (engine, NULL, crm_test_on_result, &synced);
  WAIT (synced);
  g_assert_true (crm_sync_engine_sync_finish (engine, synced, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_sync_engine_get_state (engine), ==, CRM_SYNC_STATE_SYNCED);

  crm_sync_engine_logout_async (engine, NULL, crm_test_on_result, &logged_out);
  WAIT (logged_out);
  g_assert_true (crm_sync_engine_logout_finish (engine, logged_out, &error));
  g_assert_no_error (error);
  gone = load (tokens, server->url, "anna");
  g_assert_null (gone);

  /* a bound database without a token: the lookup at start (which does
   * not block the constructor) pauses sync and asks for a login */
  reopened = crm_sync_engine_new (store, tokens);
  g_assert_false (crm_sync_engine_get_needs_login (reopened));
  g_assert_true (crm_test_wait_until ((CrmTestCondition) crm_sync_engine_get_needs_login, reopened, WAIT_MS));
  g_assert_cmpint (crm_sync_engine_get_state (reopened), ==, CRM_SYNC_STATE_PAUSED);
}

/* leadsctl without --token-file keeps its token in the keyring. */
static void
test_keyring_leadsctl (void)
{
  g_autoptr(CrmTestServer) server = NULL;
  g_autoptr(CrmTokenStore) tokens = crm_token_store_new_secret ();
  g_autofree char *db = g_build_filename (tmp_dir, "cli.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;
  g_autofree char *gone = NULL;

  if (!have_keyring ())
    return;

  server = crm_test_server_new (server_binary, tmp_dir);
  crm_test_server_add_user (server, "ben", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_start (server);

  g_assert_cmpint (leadsctl (db, PASSWORD "\n", &out, &err, "login", "--server", server->url, "--user", "ben", NULL), ==, 0);
  token = load (tokens, server->url, "ben");
  g_assert_nonnull (token);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (leadsctl (db, NULL, &out, &err, "status", "--format", "json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"logged_in\" : true"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (leadsctl (db, NULL, &out, &err, "sync", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (leadsctl (db, NULL, &out, &err, "logout", NULL), ==, 0);
  gone = load (tokens, server->url, "ben");
  g_assert_null (gone);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (argc < 3)
    g_error ("usage: test-token-store LEADS_SERVER LEADSCTL");
  server_binary = argv[1];
  leadsctl_binary = argv[2];
  tmp_dir = g_dir_make_tmp ("leads-token-store-XXXXXX", &error);
  g_assert_no_error (error);

  /* in this order: without a Secret Service first, then the keyring */
  g_test_add_func ("/sync/token/1-no-secret-service", test_no_secret_service);
  g_test_add_func ("/sync/token/2-keyring", test_keyring_token);
  g_test_add_func ("/sync/token/3-keyring-engine", test_keyring_engine);
  g_test_add_func ("/sync/token/4-keyring-leadsctl", test_keyring_leadsctl);

  status = g_test_run ();
  stop (&keyring_daemon);
  stop (&bus_daemon);
  return status;
}
