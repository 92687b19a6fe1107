/* crm-test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real leads-server on a free loopback port with its own --data
 * folder, its users made with its own CLI, started and stopped (SIGTERM)
 * by the C tests (tests/sync/test-sync-auto.c, tests/ui/test-sync-ui.c).
 * Waiting iterates the default main context until a condition holds; the
 * deadline only keeps a broken run from hanging, nothing asserts a time.
 */
#define G_LOG_DOMAIN "crm-test"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "crm-test-server.h"

#define START_MS 60000

guint16
crm_test_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Runs @argv with @input on stdin; returns its stdout, fails the test when
 * it fails. */
char *
crm_test_run (const char * const *argv,
              const char         *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s %s failed: %s", argv[0], argv[1], err);
  return g_steal_pointer (&out);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
crm_test_wait_until (CrmTestCondition condition,
                     gpointer         data,
                     guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  guint tick = g_timeout_add (10, wake_up, NULL);
  gboolean holds;

  while (!(holds = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return holds;
}

/* An async call's callback that keeps its result in *@result_pointer (a
 * GAsyncResult *, NULL before), and the condition that it has come. */
void
crm_test_on_result (GObject      *source,
                    GAsyncResult *result,
                    gpointer      result_pointer)
{
  *(GAsyncResult **) result_pointer = g_object_ref (result);
}

gboolean
crm_test_have_result (gpointer result_pointer)
{
  return *(GAsyncResult **) result_pointer != NULL;
}

CrmTestServer *
crm_test_server_new (const char *binary,
                     const char *dir)
{
  CrmTestServer *server = g_new0 (CrmTestServer, 1);

  server->binary = g_strdup (binary);
  server->data = g_build_filename (dir, "server", NULL);
  g_assert_cmpint (g_mkdir_with_parents (server->data, 0700), ==, 0);
  server->port = crm_test_free_port ();
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  return server;
}

void
crm_test_server_add_user (CrmTestServer *server,
                          const char    *login,
                          const char    *password,
                          const char    *modules,
                          gboolean       read_only)
{
  const char *argv[] = { server->binary, "--data", server->data, "user", "add", login, "--name", login,
                         "--modules", modules, read_only ? "--read-only" : NULL, NULL };
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  g_autofree char *out = crm_test_run (argv, input);
}

static gboolean
answers (gpointer data)
{
  CrmTestServer *server = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, NULL);
  return connection != NULL;
}

static void
end_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * crm_test_spawn:
 *
 * Starts a helper process of a test (a server, a proxy, a daemon) that
 * ends with the test, also when an assertion aborts it: else it keeps the
 * test's output open and meson waits for it until its timeout.
 */
GSubprocess *
crm_test_spawn (const char * const  *argv,
                GSubprocessFlags     flags,
                GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, end_with_parent, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

void
crm_test_server_start (CrmTestServer *server)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  const char *argv[] = { server->binary, "--data", server->data, "--listen", listen, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (server->process);
  server->process = crm_test_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_test_wait_until (answers, server, START_MS));
}

void
crm_test_server_stop (CrmTestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);
}

void
crm_test_server_free (CrmTestServer *server)
{
  crm_test_server_stop (server);
  g_free (server->binary);
  g_free (server->data);
  g_free (server->url);
  g_free (server);
}
