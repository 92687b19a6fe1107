/* test-sync-auto.c: automatic sync against a real leads-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync engine (no GTK) on a real database, logged in to the real
 * leads-server on loopback, in automatic mode on a test clock (an engine
 * "second" is a few milliseconds) with seeded jitter
 * (crm-sync-engine-private.h). Server faults are real 502 answers from the
 * fault proxy (tests/sync/fault-proxy.py, scripted) in front of the
 * server, or the server stopped.
 *
 * Nothing asserts how long anything took: the tests wait (with a deadline
 * that only keeps a broken run from hanging) for rounds to happen and
 * assert their order and number, and that each delay the engine scheduled
 * is the one crm_sync_backoff_delay() gives for the same seed, the
 * interval, or the delay after an edit or a network change.
 *
 *   test-sync-auto LEADS_SERVER FAULT_PROXY_PY
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>

#include "crm-store-sync.h"
#include "crm-sync-backoff.h"
#include "crm-sync-engine-private.h"
#include "crm-test-server.h"

#define PASSWORD      "correct horse battery"
#define WAIT_MS       60000
#define MS_PER_SECOND 10      /* the engine's test clock */
#define SEED          20261128

static const char *server_binary;
static const char *fault_proxy;

typedef struct {
  char          *dir;
  CrmTestServer *server;
  GSubprocess   *proxy;
  char          *proxy_url;
  GDataInputStream *proxy_out;
  CrmStore      *store;
  CrmSyncEngine *engine;
  GArray        *states;     /* every CrmSyncState the engine went through */
  GRand         *replica;    /* the engine's jitter, drawn again */
} Fixture;

/* ---------------------------------------------------------------- helpers */


static void
on_state (CrmSyncEngine *engine,
          GParamSpec    *pspec,
          Fixture       *fx)
{
  CrmSyncState state = crm_sync_engine_get_state (engine);

  g_array_append_val (fx->states, state);
}

/* Proxy lines are read and dropped so that it never blocks on a full pipe. */
static void
on_proxy_line (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  if (line != NULL)
    g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL,
                                         on_proxy_line, NULL);
}

/* The fault proxy in front of the server, without random faults. */
static void
start_proxy (Fixture *fx)
{
  g_autofree char *upstream = g_strdup_printf ("127.0.0.1:%u", fx->server->port);
  const char *argv[] = { "python3", fault_proxy, "--upstream", upstream, "--seed", "1", "--faults", "", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;

  fx->proxy = crm_test_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  fx->proxy_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->proxy));
  /* "fault-proxy: listening on HOST:PORT seed N" */
  line = g_data_input_stream_read_line (fx->proxy_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "fault-proxy: listening on "));
  words = g_strsplit (line, " ", -1);
  fx->proxy_url = g_strconcat ("http://", words[3], NULL);
  g_data_input_stream_read_line_async (fx->proxy_out, G_PRIORITY_DEFAULT, NULL, on_proxy_line, NULL);
}

/* The proxy's next @count requests to @path get @action. */
static void
script_proxy (Fixture    *fx,
              const char *path,
              const char *action,
              guint       count)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (fx->proxy_url, "/__proxy/script", NULL);
  g_autofree char *body = g_strdup_printf ("[{\"path\": \"%s\", \"action\": \"%s\", \"count\": %u}]",
                                           path, action, count);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", uri);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 204);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *token_path = NULL;
  g_autoptr(CrmTokenStore) tokens = NULL;

  fx->dir = g_dir_make_tmp ("leads-sync-auto-XXXXXX", &error);
  g_assert_no_error (error);
  fx->server = crm_test_server_new (server_binary, fx->dir);
  crm_test_server_add_user (fx->server, "anna", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_start (fx->server);

  db = g_build_filename (fx->dir, "client.db", NULL);
  token_path = g_build_filename (fx->dir, "client.token", NULL);
  tokens = crm_token_store_new_file (token_path);
  fx->store = crm_store_open (db, &error);
  g_assert_no_error (error);
  crm_store_set_author (fx->store, "Anna");
  fx->engine = crm_sync_engine_new (fx->store, tokens);
  _crm_sync_engine_set_test_clock (fx->engine, MS_PER_SECOND, SEED);
  fx->replica = g_rand_new_with_seed (SEED);
  fx->states = g_array_new (FALSE, FALSE, sizeof (CrmSyncState));
  g_signal_connect (fx->engine, "notify::state", G_CALLBACK (on_state), fx);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (fx->engine != NULL)
    crm_sync_engine_set_automatic (fx->engine, FALSE);
  g_clear_object (&fx->engine);
  g_clear_object (&fx->store);
  if (fx->proxy != NULL)
    {
      g_subprocess_force_exit (fx->proxy);
      g_subprocess_wait (fx->proxy, NULL, NULL);
    }
  g_clear_object (&fx->proxy_out);
  g_clear_object (&fx->proxy);
  g_free (fx->proxy_url);
  g_clear_pointer (&fx->server, crm_test_server_free);
  g_array_unref (fx->states);
  g_rand_free (fx->replica);
  g_free (fx->dir);
}

static void
login (Fixture    *fx,
       const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  crm_sync_engine_login_async (fx->engine, url, "anna", PASSWORD, NULL, crm_test_on_result, &result);
  g_assert_true (crm_test_wait_until (crm_test_have_result, &result, WAIT_MS));
  g_assert_true (crm_sync_engine_login_finish (fx->engine, result, &error));
  g_assert_no_error (error);
  g_array_set_size (fx->states, 0);
}

typedef struct {
  Fixture *fx;
  guint    rounds;
} RoundsDone;

/* @rounds rounds have started and the last one has ended */
static gboolean
rounds_done (gpointer data)
{
  RoundsDone *wait = data;

  return _crm_sync_engine_get_rounds (wait->fx->engine) >= wait->rounds &&
         crm_sync_engine_get_state (wait->fx->engine) != CRM_SYNC_STATE_SYNCING;
}

static void
wait_rounds (Fixture *fx,
             guint    rounds)
{
  RoundsDone wait = { fx, rounds };

  g_assert_true (crm_test_wait_until (rounds_done, &wait, WAIT_MS));
  g_assert_cmpuint (_crm_sync_engine_get_rounds (fx->engine), ==, rounds);
}

static void
assert_states (Fixture            *fx,
               const CrmSyncState *expected,
               guint               n)
{
  g_assert_cmpmem (fx->states->data, fx->states->len * sizeof (CrmSyncState), expected, n * sizeof (CrmSyncState));
}

static void
create_lead (Fixture    *fx,
             const char *title)
{
  g_autoptr(GError) error = NULL;
  CrmFieldValue values[] = { { "title", title }, { "probability", "20" } };

  g_assert_cmpint (crm_store_create_lead (fx->store, values, G_N_ELEMENTS (values), &error), >, 0);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ tests */

/* The pure schedule: within [base / 2, base] with the base doubling from 5 s
 * up to 15 min, never before Retry-After, the same for the same seed, and
 * spread (jitter) across draws. */
static void
test_backoff_schedule (void)
{
  for (guint32 seed = 1; seed <= 40; seed++)
    {
      g_autoptr(GRand) a = g_rand_new_with_seed (seed);
      g_autoptr(GRand) b = g_rand_new_with_seed (seed);

      for (guint failures = 0; failures < 16; failures++)
        {
          guint base = MIN (5u << MIN (failures, 10u), 900u);
          guint retry_after = (seed % 3 == 0) ? 7 : (seed % 3 == 1) ? 0 : 5000;
          guint delay = crm_sync_backoff_delay (failures, retry_after, a);

          g_assert_cmpuint (delay, ==, crm_sync_backoff_delay (failures, retry_after, b));
          g_assert_cmpuint (delay, >=, MIN (retry_after, 900u));
          g_assert_cmpuint (delay, <=, MAX (base, MIN (retry_after, 900u)));
          if (retry_after == 0)
            g_assert_cmpuint (delay, >=, base / 2);
        }
    }

  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
    guint low = G_MAXUINT, high = 0;

    for (guint i = 0; i < 200; i++)
      {
        guint delay = crm_sync_backoff_delay (3, 0, rand);

        low = MIN (low, delay);
        high = MAX (high, delay);
      }
    g_assert_cmpuint (low, ==, 20);
    g_assert_cmpuint (high, ==, 40);
    g_assert_cmpuint (crm_sync_backoff_delay (30, 0, rand), >=, 450);
    g_assert_cmpuint (crm_sync_backoff_delay (30, 0, rand), <=, 900);
  }
}

/* Three rounds meet a server fault (502): each next round waits what the
 * backoff gives for the same seed, failure after failure; the fourth
 * succeeds and the interval takes over. */
static void
test_backoff_after_fault (Fixture       *fx,
                          gconstpointer  data)
{
  static const CrmSyncState expected[] = {
    CRM_SYNC_STATE_SYNCING, CRM_SYNC_STATE_NEEDS_ATTENTION,
    CRM_SYNC_STATE_SYNCING, CRM_SYNC_STATE_NEEDS_ATTENTION,
    CRM_SYNC_STATE_SYNCING, CRM_SYNC_STATE_NEEDS_ATTENTION,
    CRM_SYNC_STATE_SYNCING, CRM_SYNC_STATE_SYNCED,
  };

  start_proxy (fx);
  login (fx, fx->proxy_url);
  script_proxy (fx, "/api/v1/sync/pull", "error", 3);
  crm_sync_engine_set_interval (fx->engine, 10);
  crm_sync_engine_set_automatic (fx->engine, TRUE);

  for (guint i = 0; i < 3; i++)
    {
      wait_rounds (fx, i + 1);
      g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_NEEDS_ATTENTION);
      g_assert_nonnull (strstr (crm_sync_engine_get_last_error (fx->engine), "injected server error"));
      g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==,
                        crm_sync_backoff_delay (i, 0, fx->replica));
    }
  wait_rounds (fx, 4);
  g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 10);
  assert_states (fx, expected, G_N_ELEMENTS (expected));
}

/* On the interval: round after round, each followed by the interval. */
static void
test_interval (Fixture       *fx,
               gconstpointer  data)
{
  login (fx, fx->server->url);
  crm_sync_engine_set_interval (fx->engine, 10);
  crm_sync_engine_set_automatic (fx->engine, TRUE);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 1);

  for (guint i = 1; i <= 3; i++)
    {
      wait_rounds (fx, i);
      g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_SYNCED);
      g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 10);
    }
  g_assert_cmpuint (fx->states->len, ==, 6);

  crm_sync_engine_set_automatic (fx->engine, FALSE);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 0);
}

/* The server cannot be reached: backoff. "Network gone" changes nothing;
 * "network back" starts the backoff over and brings a round in 2 s, which
 * succeeds (the server is up again). */
static void
test_network_back (Fixture       *fx,
                   gconstpointer  data)
{
  guint before;

  login (fx, fx->server->url);
  crm_test_server_stop (fx->server);
  crm_sync_engine_set_interval (fx->engine, 3600);
  crm_sync_engine_set_automatic (fx->engine, TRUE);

  wait_rounds (fx, 1);
  g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, crm_sync_backoff_delay (0, 0, fx->replica));
  wait_rounds (fx, 2);
  g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_OFFLINE);
  before = _crm_sync_engine_get_scheduled (fx->engine);
  g_assert_cmpuint (before, ==, crm_sync_backoff_delay (1, 0, fx->replica));
  g_assert_cmpuint (before, >, 2);

  crm_sync_engine_network_changed (fx->engine, FALSE);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, before);

  crm_test_server_start (fx->server);
  crm_sync_engine_network_changed (fx->engine, TRUE);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 2);
  wait_rounds (fx, 3);
  g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 3600);

  /* synced: the network coming back again needs no round */
  crm_sync_engine_network_changed (fx->engine, TRUE);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 3600);
  g_assert_cmpuint (_crm_sync_engine_get_rounds (fx->engine), ==, 3);
}

/* The first page a round applies: the user edits right then, while the
 * round is still running. */
static void
on_progress_edit (CrmSyncEngine *engine,
                  GParamSpec    *pspec,
                  Fixture       *fx)
{
  if (crm_sync_engine_get_progress (engine) == 0)
    return;
  g_signal_handlers_disconnect_by_func (engine, on_progress_edit, fx);
  g_assert_cmpint (crm_sync_engine_get_state (engine), ==, CRM_SYNC_STATE_SYNCING);
  create_lead (fx, "Edited during a round");
}

/* An edit made while a round runs (after its push, during its pull) brings
 * another round in the same sync; an edit while idle brings a round in
 * 5 s (not the hour of the interval). */
static void
test_edits (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* the first pull after a login brings the server's key values: a page */
  login (fx, fx->server->url);
  g_signal_connect (fx->engine, "notify::progress", G_CALLBACK (on_progress_edit), fx);
  crm_sync_engine_sync_async (fx->engine, NULL, crm_test_on_result, &result);
  g_assert_true (crm_test_wait_until (crm_test_have_result, &result, WAIT_MS));
  g_assert_true (crm_sync_engine_sync_finish (fx->engine, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_crm_sync_engine_get_rounds (fx->engine), ==, 2);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 0);
  g_assert_cmpuint (crm_store_sync_count_pending (fx->store), ==, 0);

  crm_sync_engine_set_interval (fx->engine, 3600);
  crm_sync_engine_set_automatic (fx->engine, TRUE);
  wait_rounds (fx, 3);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 3600);

  create_lead (fx, "Edited while idle");
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 1);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 5);
  wait_rounds (fx, 4);
  g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 0);
  g_assert_cmpuint (_crm_sync_engine_get_scheduled (fx->engine), ==, 3600);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* An app started on a database with edits waiting to be sent is not in
 * trouble: the engine starts "synced" (no problem known) with the
 * pending count, not "needs attention", before and after the keyring (here
 * the token file) answers. */
static void
test_start_with_pending (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_path = g_build_filename (fx->dir, "client.token", NULL);
  g_autoptr(CrmTokenStore) tokens = crm_token_store_new_file (token_path);
  g_autoptr(CrmSyncEngine) again = NULL;

  login (fx, fx->server->url);
  g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_SYNCED);
  crm_sync_engine_sync_async (fx->engine, NULL, crm_test_on_result, &result);
  g_assert_true (crm_test_wait_until (crm_test_have_result, &result, WAIT_MS));
  g_assert_true (crm_sync_engine_sync_finish (fx->engine, result, &error));
  g_assert_no_error (error);
  create_lead (fx, "Made before the app closed");
  g_clear_object (&fx->engine);

  /* the app starts again */
  again = crm_sync_engine_new (fx->store, tokens);
  g_assert_cmpint (crm_sync_engine_get_state (again), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (again), ==, 1);
  /* the token file is read on a thread: give it time to answer */
  g_assert_false (crm_test_wait_until (never, NULL, 500));
  g_assert_false (crm_sync_engine_get_needs_login (again));
  g_assert_cmpint (crm_sync_engine_get_state (again), ==, CRM_SYNC_STATE_SYNCED);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (argc < 3)
    g_error ("usage: test-sync-auto LEADS_SERVER FAULT_PROXY_PY");
  server_binary = argv[1];
  fault_proxy = argv[2];

  g_test_add_func ("/sync/auto/backoff-schedule", test_backoff_schedule);
  g_test_add ("/sync/auto/backoff-after-fault", Fixture, NULL, fixture_set_up, test_backoff_after_fault, fixture_tear_down);
  g_test_add ("/sync/auto/interval", Fixture, NULL, fixture_set_up, test_interval, fixture_tear_down);
  g_test_add ("/sync/auto/network-back", Fixture, NULL, fixture_set_up, test_network_back, fixture_tear_down);
  g_test_add ("/sync/auto/edits", Fixture, NULL, fixture_set_up, test_edits, fixture_tear_down);
  g_test_add ("/sync/auto/start-with-pending", Fixture, NULL, fixture_set_up, test_start_with_pending,
              fixture_tear_down);

  return g_test_run ();
}
