/* sync-bench.c: leads-sync-bench, the speed of sync against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a real leads-server on a free loopback port with a fresh data
 * folder (its own binary, given with --server), creates its users through
 * the server's CLI and measures, per scenario:
 *
 *   push      N clients pushing at once: each logs in with its own client
 *             id and pushes batches of mutations (contact reports and lead
 *             updates on its own lead) as fast as the answers come back.
 *             Mutations per second over the wall time, and the latency of
 *             each push request (p50, p99, max).
 *   client    with --leadsctl: a server holding --leads leads (uploaded by
 *             pushes of 100 lead.create mutations, timed too); the first
 *             sync of a new leadsctl client (the real client engine in the
 *             real binary: login, then sync, timed) against curl fetching
 *             the same pull pages (the same requests, one curl process, one
 *             connection); a sync round with nothing to do, repeated
 *             (median); then --backlog offline edits (leadsctl lead set,
 *             made while the server is unreachable) drained by one sync.
 *
 *   leads-sync-bench --server PATH/leads-server [--leadsctl PATH/leadsctl]
 *                    [--scenario push|client|all] [--clients 50] [--pushes 40]
 *                    [--batch 10] [--leads 100000] [--backlog 10000] [--keep DIR]
 *
 * Figures go to stdout as a table. The exit status is 1 when a target of
 * the issue is missed, so a missed target is never silent.
 */
#define G_LOG_DOMAIN "leads-sync-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "crm-protocol.h"
#include "crm-store.h"
#include "crm-sync-engine.h"
#include "crm-token-store.h"
#include "crm-uuid.h"

#define PASSWORD "bench password 2026"

/* Targets from the issue */
#define TARGET_PUSH_RATE      2000.0   /* mutations/s */
#define TARGET_PUSH_P99_MS     100.0
#define TARGET_NOOP_MS          20.0
#define TARGET_CURL_RATIO        0.5

static char *opt_server = NULL;
static char *opt_scenario = NULL;
static char *opt_keep = NULL;
static int opt_clients = 50;
static int opt_pushes = 40;
static int opt_batch = 10;
static char *opt_leadsctl = NULL;
static int opt_leads = 100000;
static int opt_backlog = 10000;

static GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "The leads-server binary", "PATH" },
  { "scenario", 0, 0, G_OPTION_ARG_STRING, &opt_scenario, "push, client or all (default)", "S" },
  { "clients", 0, 0, G_OPTION_ARG_INT, &opt_clients, "push: clients at once (default 50)", "N" },
  { "pushes", 0, 0, G_OPTION_ARG_INT, &opt_pushes, "push: pushes per client (default 40)", "N" },
  { "batch", 0, 0, G_OPTION_ARG_INT, &opt_batch, "push: mutations per push (default 10)", "N" },
  { "leadsctl", 0, 0, G_OPTION_ARG_FILENAME, &opt_leadsctl, "client: the leadsctl binary", "PATH" },
  { "leads", 0, 0, G_OPTION_ARG_INT, &opt_leads, "client: leads on the server (default 100000)", "N" },
  { "backlog", 0, 0, G_OPTION_ARG_INT, &opt_backlog, "client: offline edits to drain (default 10000)", "N" },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &opt_keep, "Work in DIR and keep it (default: a temporary folder, removed)", "DIR" },
  { NULL }
};

static gboolean missed = FALSE;

/* ------------------------------------------------------------ utilities */

static void
report (const char *what,
        double      value,
        const char *unit,
        const char *target_text,
        gboolean    met)
{
  g_print ("| %-44s | %12.1f %-6s | %-14s | %s |\n", what, value, unit,
           target_text ? target_text : "", target_text == NULL ? "" : met ? "met" : "MISSED");
  if (target_text != NULL && !met)
    missed = TRUE;
}

/* ids as the app makes them (version 7, in the order they are made) */
static char *
uuid_new (void)
{
  return crm_uuid_new ();
}

/* Runs ARGV to its end; its stdin gets STDIN_TEXT. Output into *OUT. */
static gboolean
run (const char * const *argv,
     const char         *stdin_text,
     char              **out,
     GError            **error)
{
  g_autoptr(GSubprocess) p = NULL;
  g_autofree char *err_text = NULL;

  p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                         G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (p == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (p, stdin_text, NULL, out, &err_text, error))
    return FALSE;
  if (!g_subprocess_get_successful (p))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s", argv[0],
                   err_text != NULL ? g_strstrip (err_text) : "");
      return FALSE;
    }
  return TRUE;
}

/* CPU time (user + system) a process used so far, in ms; -1 if unknown. */
static double
stat_cpu_ms (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      (after = strrchr (text, ')')) == NULL)
    return -1;
  /* after ") ": state is field 3; utime and stime are fields 14 and 15 */
  fields = g_strsplit (after + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 /
         sysconf (_SC_CLK_TCK);
}

static double
process_cpu_ms (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);

  return pid != NULL ? stat_cpu_ms (path) : -1;
}

/* The CPU time of the process's thread called @name, -1 when none. */
static double
thread_cpu_ms (const char *pid,
               const char *name)
{
  g_autofree char *tasks = g_strdup_printf ("/proc/%s/task", pid);
  g_autoptr(GDir) dir = pid != NULL ? g_dir_open (tasks, 0, NULL) : NULL;
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename (tasks, tid, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (comm_path, &comm, NULL, NULL) && g_str_equal (g_strstrip (comm), name))
        {
          g_autofree char *stat_path = g_build_filename (tasks, tid, "stat", NULL);

          return stat_cpu_ms (stat_path);
        }
    }
  return -1;
}

/* Removes a folder this run made, with everything in it. */
static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        remove_tree (child);
    }
  g_file_delete (file, NULL, NULL);
}

/* --------------------------------------------------------------- server */

typedef struct {
  GSubprocess *process;
  const char  *data;      /* the data folder (not owned) */
  char        *url;
  char         listen[64];  /* "127.0.0.1:0" at first, then the port it got */
} Server;

static void
server_user_add (Server     *server,
                 const char *login)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { opt_server, "--data", server->data, "user", "add", login,
                         "--name", login, "--modules", "leads,contacts", NULL };

  if (!run (argv, PASSWORD "\n", NULL, &error))
    g_error ("user add %s: %s", login, error->message);
}

static void
server_start (Server *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = { opt_server, "--data", server->data, "--listen", server->listen, NULL };

  if (server->listen[0] == '\0')
    g_strlcpy (server->listen, "127.0.0.1:0", sizeof server->listen);

  server->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (server->process == NULL)
    g_error ("starting %s: %s", opt_server, error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  /* "leads-server: listening on http://127.0.0.1:PORT/" */
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "leads-server: listening on "))
    g_error ("leads-server did not start: %s", error ? error->message : line ? line : "no output");
  server->url = g_strdup (line + strlen ("leads-server: listening on "));
  if (g_str_has_suffix (server->url, "/"))
    server->url[strlen (server->url) - 1] = '\0';
  /* a restart comes back on the same port: clients know this URL */
  g_snprintf (server->listen, sizeof server->listen, "127.0.0.1:%s", strrchr (server->url, ':') + 1);
}

static void
server_stop (Server *server)
{
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  g_clear_pointer (&server->url, g_free);
}

/* ----------------------------------------------------------------- HTTP */

static SoupSession *
session_new (void)
{
  return g_object_new (SOUP_TYPE_SESSION, "max-conns", 256, "max-conns-per-host", 256,
                       "timeout", 600, NULL);
}

static SoupMessage *
message_new (const char *url,
             const char *path,
             const char *token,
             const char *body)
{
  g_autofree char *uri = g_strconcat (url, path, NULL);
  SoupMessage *msg = soup_message_new ("POST", uri);

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_message_set_request_body_from_bytes (msg, "application/json",
                                            g_bytes_new_take (g_strdup (body), strlen (body)));
  return msg;
}

/* A blocking POST for the set-up steps; the answer must be 2xx. */
static JsonObject *
post_sync (SoupSession *session,
           const char  *url,
           const char  *path,
           const char  *token,
           const char  *body,
           gsize       *out_bytes)
{
  g_autoptr(SoupMessage) msg = message_new (url, path, token, body);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data;

  if (reply == NULL)
    g_error ("%s: %s", path, error->message);
  data = g_bytes_get_data (reply, &size);
  if (out_bytes != NULL)
    *out_bytes = size;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    g_error ("%s: %u %.*s", path, soup_message_get_status (msg), (int) MIN (size, 500), data);
  if (size == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, data, size, &error))
    g_error ("%s: %s", path, error->message);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
login (SoupSession *session,
       const char  *url,
       const char  *user,
       const char  *client_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "login");
  json_builder_add_string_value (b, user);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, PASSWORD);
  json_builder_set_member_name (b, "client_id");
  json_builder_add_string_value (b, client_id);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, "leads-sync-bench");
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  body = crm_protocol_to_string (node);
  answer = post_sync (session, url, "/api/v1/auth/login", NULL, body, NULL);
  return g_strdup (json_object_get_string_member (answer, "token"));
}

/* ------------------------------------------------------------ mutations */

static JsonObject *
event_new (const char *lead,
           gint64      at,
           const char *author,
           const char *field,
           const char *old_value,
           const char *new_value)
{
  JsonObject *e = json_object_new ();
  g_autofree char *uuid = uuid_new ();

  json_object_set_string_member (e, "uuid", uuid);
  json_object_set_string_member (e, "lead", lead);
  json_object_set_int_member (e, "at", at);
  json_object_set_string_member (e, "author", author);
  json_object_set_string_member (e, "field", field);
  if (old_value != NULL)
    json_object_set_string_member (e, "old", old_value);
  else
    json_object_set_null_member (e, "old");
  if (new_value != NULL)
    json_object_set_string_member (e, "new", new_value);
  else
    json_object_set_null_member (e, "new");
  json_object_set_null_member (e, "activity");
  return e;
}

static CrmProtocolMutation *
lead_create_new (gint64      id,
                 const char *uuid,
                 const char *title,
                 const char *author)
{
  static const char *defaults[][2] = {
    { "contact", "" }, { "volume_minor", "125000" }, { "currency", "EUR" },
    { "probability", "10" }, { "status", "open" }, { "phase", "lead" }, { "type", "" },
    { "unit", "" }, { "close_month", "2027-03" }, { "source", "" },
    { "description", "A lead made by leads-sync-bench for the initial sync" },
    { "lost_reason", "" }, { "next_follow_up", "" },
  };
  gint64 now = g_get_real_time ();
  JsonObject *args = json_object_new ();
  JsonObject *fields = json_object_new ();
  JsonArray *events = json_array_new ();

  json_object_set_string_member (args, "uuid", uuid);
  json_object_set_boolean_member (args, "deleted", FALSE);
  json_object_set_string_member (fields, "title", title);
  json_object_set_string_member (fields, "owner", author);
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    json_object_set_string_member (fields, defaults[i][0], defaults[i][1]);
  json_object_set_object_member (args, "fields", fields);
  json_object_set_int_member (args, "created_at", now);
  json_object_set_int_member (args, "updated_at", now);
  json_array_add_object_element (events, event_new (uuid, now, author, "created", NULL, title));
  json_object_set_array_member (args, "events", events);
  return crm_protocol_mutation_new (id, "lead.create", now, args);
}

static CrmProtocolMutation *
report_new (gint64      id,
            const char *lead,
            const char *author,
            guint       n)
{
  gint64 now = g_get_real_time ();
  JsonObject *args = json_object_new ();
  g_autofree char *uuid = uuid_new ();
  g_autofree char *subject = g_strdup_printf ("Call %u", n);

  json_object_set_string_member (args, "uuid", uuid);
  json_object_set_string_member (args, "lead", lead);
  json_object_set_string_member (args, "contact", "");
  json_object_set_string_member (args, "kind", "call");
  json_object_set_int_member (args, "at", now);
  json_object_set_string_member (args, "subject", subject);
  json_object_set_string_member (args, "text", "Talked about the offer; they want a demo next week.");
  json_object_set_string_member (args, "author", author);
  json_object_set_null_member (args, "probability");
  json_object_set_null_member (args, "phase");
  json_object_set_int_member (args, "created_at", now);
  json_object_set_array_member (args, "events", json_array_new ());
  return crm_protocol_mutation_new (id, "activity.create", now, args);
}

/* A lead.update of the owner (a logged field) from OLD to NEW. */
static CrmProtocolMutation *
owner_update_new (gint64      id,
                  const char *lead,
                  const char *author,
                  const char *old_value,
                  const char *new_value)
{
  gint64 now = g_get_real_time ();
  JsonObject *args = json_object_new ();
  JsonObject *fields = json_object_new ();
  JsonObject *change = json_object_new ();
  JsonArray *events = json_array_new ();

  json_object_set_string_member (args, "uuid", lead);
  json_object_set_int_member (args, "base_rev", 0);
  json_object_set_string_member (change, "value", new_value);
  json_object_set_string_member (change, "base", old_value);
  json_object_set_object_member (fields, "owner", change);
  json_object_set_object_member (args, "fields", fields);
  json_array_add_object_element (events, event_new (lead, now, author, "owner", old_value, new_value));
  json_object_set_array_member (args, "events", events);
  return crm_protocol_mutation_new (id, "lead.update", now, args);
}

/* ------------------------------------------------------------- push */

typedef struct _PushBench PushBench;

typedef struct {
  PushBench *bench;
  char      *client_id;
  char      *token;
  char      *lead;
  char      *login;
  char      *owner;       /* the lead's owner as this client last set it */
  gint64     next_id;
  int        pushes_left;
  guint      made;
  gint64     sent_at;
} PushClient;

struct _PushBench {
  SoupSession *session;
  const char  *url;
  GMainLoop   *loop;
  GArray      *latencies;   /* ms */
  guint        running;
  guint        mutations;
  guint        failures;
};

static void push_next (PushClient *c);

static void
push_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PushClient *c = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  double ms = bench_ms_since (c->sent_at);
  g_autoptr(GPtrArray) results = NULL;
  gint64 last = 0;

  g_array_append_val (c->bench->latencies, ms);
  if (reply == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK ||
      !crm_protocol_push_response_parse (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                         &results, &last, &error))
    {
      g_printerr ("push failed: %s: %u %.*s\n", c->login,
                  soup_message_get_status (msg), reply ? (int) MIN (g_bytes_get_size (reply), 300) : 0,
                  reply ? (const char *) g_bytes_get_data (reply, NULL) : "");
      if (error != NULL)
        g_printerr ("  %s\n", error->message);
      c->bench->failures++;
    }
  else
    {
      for (guint i = 0; i < results->len; i++)
        {
          CrmProtocolResult *r = g_ptr_array_index (results, i);

          if (r->outcome != CRM_PROTOCOL_OUTCOME_APPLIED || r->duplicate)
            {
              g_printerr ("mutation %lld: %s %s\n", (long long) r->id,
                          crm_protocol_outcome_to_string (r->outcome), r->message ? r->message : "");
              c->bench->failures++;
            }
        }
      c->bench->mutations += results->len;
    }
  g_object_unref (msg);
  push_next (c);
}

static void
push_next (PushClient *c)
{
  g_autoptr(GPtrArray) batch = NULL;
  g_autofree char *body = NULL;
  SoupMessage *msg;

  if (c->pushes_left-- <= 0)
    {
      if (--c->bench->running == 0)
        g_main_loop_quit (c->bench->loop);
      return;
    }
  batch = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_protocol_mutation_free);
  for (int i = 0; i < opt_batch; i++)
    {
      if (c->made % 2 == 0)
        g_ptr_array_add (batch, report_new (c->next_id++, c->lead, c->login, c->made));
      else
        {
          g_autofree char *owner = g_strdup_printf ("%s %u", c->login, c->made);

          g_ptr_array_add (batch, owner_update_new (c->next_id++, c->lead, c->login, c->owner, owner));
          g_free (c->owner);
          c->owner = g_steal_pointer (&owner);
        }
      c->made++;
    }
  body = crm_protocol_push_request_build (c->client_id, batch);
  msg = message_new (c->bench->url, "/api/v1/sync/push", c->token, body);
  c->sent_at = g_get_monotonic_time ();
  soup_session_send_and_read_async (c->bench->session, msg, G_PRIORITY_DEFAULT, NULL, push_done, c);
}

static void
scenario_push (const char *work)
{
  g_autofree char *data = g_build_filename (work, "push-server", NULL);
  Server server = { .data = data };
  PushBench bench = { 0 };
  PushClient *clients = g_new0 (PushClient, opt_clients);
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 start;
  double wall_ms, rate, p99, cpu_start, server_cpu, writer_start, writer_cpu, own_start, own_cpu;

  g_print ("\n## push: %d clients at once, %d pushes of %d mutations each\n\n",
           opt_clients, opt_pushes, opt_batch);
  g_mkdir_with_parents (data, 0700);
  for (int i = 0; i < opt_clients; i++)
    {
      g_autofree char *user = g_strdup_printf ("seller%02d", i);

      server_user_add (&server, user);
    }
  server_start (&server);

  /* Set-up, not timed: log in, and one lead per client */
  for (int i = 0; i < opt_clients; i++)
    {
      PushClient *c = &clients[i];
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_protocol_mutation_free);
      g_autofree char *body = NULL;
      g_autofree char *title = NULL;
      g_autoptr(JsonObject) answer = NULL;

      c->bench = &bench;
      c->login = g_strdup_printf ("seller%02d", i);
      c->client_id = uuid_new ();
      c->token = login (session, server.url, c->login, c->client_id);
      c->lead = uuid_new ();
      c->owner = g_strdup (c->login);
      c->next_id = 1;
      c->pushes_left = opt_pushes;
      title = g_strdup_printf ("Lead of %s", c->login);
      g_ptr_array_add (batch, lead_create_new (c->next_id++, c->lead, title, c->login));
      body = crm_protocol_push_request_build (c->client_id, batch);
      answer = post_sync (session, server.url, "/api/v1/sync/push", c->token, body, NULL);
    }

  /* The measured phase on fresh connections: the set-up ones have been
   * idle while the others logged in, and the server may have closed them. */
  g_clear_object (&session);
  session = session_new ();
  bench.session = session;
  bench.url = server.url;
  bench.loop = loop;
  bench.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  bench.running = opt_clients;
  cpu_start = process_cpu_ms (g_subprocess_get_identifier (server.process));
  writer_start = thread_cpu_ms (g_subprocess_get_identifier (server.process), "leads-writer");
  own_start = process_cpu_ms ("self");
  start = g_get_monotonic_time ();
  for (int i = 0; i < opt_clients; i++)
    push_next (&clients[i]);
  g_main_loop_run (loop);
  wall_ms = bench_ms_since (start);
  server_cpu = process_cpu_ms (g_subprocess_get_identifier (server.process)) - cpu_start;
  writer_cpu = thread_cpu_ms (g_subprocess_get_identifier (server.process), "leads-writer") - writer_start;
  own_cpu = process_cpu_ms ("self") - own_start;

  rate = bench.mutations / (wall_ms / 1000.0);
  p99 = bench_percentile (bench.latencies, 99);
  g_print ("| %-44s | %19s | %-14s | %s |\n|---|---|---|---|\n", "step", "measured", "target", "");
  report ("mutations applied", bench.mutations, "", NULL, TRUE);
  report ("wall time", wall_ms, "ms", NULL, TRUE);
  report ("mutations per second", rate, "/s", ">= 2000 /s", rate >= TARGET_PUSH_RATE);
  report ("push latency p50", bench_percentile (bench.latencies, 50), "ms", NULL, TRUE);
  report ("push latency p99", p99, "ms", "<= 100 ms", p99 <= TARGET_PUSH_P99_MS);
  report ("push latency max", bench_percentile (bench.latencies, 100), "ms", NULL, TRUE);
  report ("failed pushes or mutations", bench.failures, "", "0", bench.failures == 0);
  report ("server CPU time per mutation", 1000.0 * server_cpu / MAX (bench.mutations, 1), "us", NULL, TRUE);
  report ("  of it in the writer thread", 1000.0 * writer_cpu / MAX (bench.mutations, 1), "us", NULL, TRUE);
  report ("server CPU time / wall time", 100.0 * server_cpu / wall_ms, "%", NULL, TRUE);
  report ("this benchmark's own CPU time per mutation", 1000.0 * own_cpu / MAX (bench.mutations, 1), "us", NULL, TRUE);

  for (int i = 0; i < opt_clients; i++)
    {
      g_free (clients[i].client_id);
      g_free (clients[i].token);
      g_free (clients[i].lead);
      g_free (clients[i].login);
      g_free (clients[i].owner);
    }
  g_free (clients);
  g_array_unref (bench.latencies);
  server_stop (&server);
}

/* ---------------------------------------------------------------- client */

/* Runs leadsctl with ARGS on DB; returns the wall time in ms. */
static double
leadsctl_timed (const char  *db,
                const char  *stdin_text,
                char       **out,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  gint64 start;

  g_ptr_array_add (argv, opt_leadsctl);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  if (!run ((const char * const *) argv->pdata, stdin_text, out, &error))
    g_error ("%s", error->message);
  return bench_ms_since (start);
}

static void
on_round_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* One sync round of @engine, waited for in the default main context. */
static gboolean
engine_round (CrmSyncEngine  *engine,
              GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  crm_sync_engine_sync_async (engine, NULL, on_round_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return crm_sync_engine_sync_finish (engine, result, error);
}

static void
scenario_client (const char *work)
{
  g_autofree char *data = g_build_filename (work, "client-server", NULL);
  g_autofree char *db = g_build_filename (work, "client.db", NULL);
  g_autofree char *token_file = g_build_filename (work, "client.token", NULL);
  g_autofree char *curl_config = g_build_filename (work, "pull.curl", NULL);
  Server server = { .data = data };
  g_autoptr(SoupSession) session = session_new ();
  g_autofree char *client_id = uuid_new ();
  g_autofree char *token = NULL;
  g_autoptr(GString) curl = g_string_new (NULL);
  g_autoptr(GArray) noop = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) noop_process = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *cursor = NULL;
  g_autofree char *out = NULL;
  gint64 next_id = 1, start;
  guint64 bytes = 0;
  guint pages = 0;
  double upload_ms, sync_ms, login_ms, curl_ms, backlog_ms, ratio;

  g_print ("\n## client: %d leads, initial sync, no-change rounds, %d offline edits\n\n",
           opt_leads, opt_backlog);
  g_mkdir_with_parents (data, 0700);
  server_user_add (&server, "anna");
  server_start (&server);
  token = login (session, server.url, "anna", client_id);

  /* The leads, uploaded 100 to a push */
  start = g_get_monotonic_time ();
  for (int done = 0; done < opt_leads; )
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_protocol_mutation_free);
      g_autofree char *body = NULL;
      g_autoptr(JsonObject) answer = NULL;

      for (int i = 0; i < 100 && done < opt_leads; i++, done++)
        {
          g_autofree char *uuid = uuid_new ();
          g_autofree char *title = g_strdup_printf ("Lead %d of the initial sync", done);

          g_ptr_array_add (batch, lead_create_new (next_id++, uuid, title, "anna"));
        }
      body = crm_protocol_push_request_build (client_id, batch);
      answer = post_sync (session, server.url, "/api/v1/sync/push", token, body, NULL);
    }
  upload_ms = bench_ms_since (start);

  /* The pull pages as a client asks for them, for curl */
  for (gboolean more = TRUE; more; pages++)
    {
      g_autofree char *body = crm_protocol_pull_request_build (client_id, cursor, CRM_PROTOCOL_CLIENT_PULL_ROWS);
      g_autoptr(JsonObject) page = NULL;
      gsize size = 0;
      g_autofree char *escaped = g_strescape (body, NULL);

      page = post_sync (session, server.url, "/api/v1/sync/pull", token, body, &size);
      g_string_append_printf (curl, "%surl = \"%s/api/v1/sync/pull\"\nrequest = POST\n"
                              "header = \"Authorization: Bearer %s\"\n"
                              "header = \"Content-Type: application/json\"\n"
                              "data = \"%s\"\noutput = /dev/null\nsilent\nshow-error\nfail\n"
                              "write-out = \"%%{size_download}\\n\"\n",
                              pages > 0 ? "next\n" : "", server.url, token, escaped);
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (page, "cursor"));
      more = json_object_get_boolean_member (page, "has_more");
    }
  if (!g_file_set_contents (curl_config, curl->str, -1, NULL))
    g_error ("cannot write %s", curl_config);

  /* The client: login, then the first sync */
  login_ms = leadsctl_timed (db, PASSWORD "\n", NULL, "login", "--server", server.url, "--user", "anna",
                             "--token-file", token_file, NULL);
  sync_ms = leadsctl_timed (db, NULL, NULL, "sync", "--token-file", token_file, NULL);
  leadsctl_timed (db, NULL, &out, "lead", "list", "--format", "csv", NULL);
  {
    guint lines = 0;

    for (const char *c = out; *c != '\0'; c++)
      lines += *c == '\n';
    if (lines < (guint) opt_leads + 1)
      g_error ("the client has %u leads after its first sync, not %d", lines - 1, opt_leads);
  }

  /* curl: the same requests, one process, one connection */
  {
    const char *argv[] = { "curl", "-K", curl_config, NULL };
    g_autofree char *sizes = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) error = NULL;

    start = g_get_monotonic_time ();
    if (!run (argv, NULL, &sizes, &error))
      g_error ("curl: %s", error->message);
    curl_ms = bench_ms_since (start);
    lines = g_strsplit (sizes, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      bytes += g_ascii_strtoull (lines[i], NULL, 10);
  }

  /* A round with nothing to do, as the app makes it: the engine in this
   * process on an open database (one round first, not counted, to open the
   * connection to the server), and, for comparison, a whole `leadsctl
   * sync` process each time (start, open, round, close). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrmStore) store = crm_store_open (db, &error);
    g_autoptr(CrmTokenStore) tokens = crm_token_store_new_file (token_file);
    g_autoptr(CrmSyncEngine) engine = NULL;

    if (store == NULL)
      g_error ("%s", error->message);
    engine = crm_sync_engine_new (store, tokens);
    for (int i = 0; i <= 20; i++)
      {
        double ms;

        start = g_get_monotonic_time ();
        if (!engine_round (engine, &error))
          g_error ("no-change round: %s", error->message);
        ms = bench_ms_since (start);
        if (i > 0)
          g_array_append_val (noop, ms);
      }
  }
  for (int i = 0; i < 20; i++)
    {
      double ms = leadsctl_timed (db, NULL, NULL, "sync", "--token-file", token_file, NULL);

      g_array_append_val (noop_process, ms);
    }

  ratio = (bytes / sync_ms) / (bytes / curl_ms);
  g_print ("| %-44s | %19s | %-14s | %s |\n|---|---|---|---|\n", "step", "measured", "target", "");
  report ("upload of the leads (pushes of 100)", upload_ms, "ms", NULL, TRUE);
  report ("  leads per second", opt_leads / (upload_ms / 1000.0), "/s", NULL, TRUE);
  report ("pull pages / bytes (MB)", pages, "", NULL, TRUE);
  report ("  bytes of all pages", bytes / 1e6, "MB", NULL, TRUE);
  report ("leadsctl login", login_ms, "ms", NULL, TRUE);
  report ("leadsctl sync, first (initial sync)", sync_ms, "ms", NULL, TRUE);
  report ("  rate", bytes / 1e6 / (sync_ms / 1000.0), "MB/s", NULL, TRUE);
  report ("curl, the same pull requests", curl_ms, "ms", NULL, TRUE);
  report ("  rate", bytes / 1e6 / (curl_ms / 1000.0), "MB/s", NULL, TRUE);
  report ("initial sync rate / curl rate", 100.0 * ratio, "%", ">= 50 %", ratio >= TARGET_CURL_RATIO);
  report ("no-change round in the engine, median of 20", bench_median (noop), "ms", "<= 20 ms",
          bench_median (noop) <= TARGET_NOOP_MS);
  report ("  max", bench_percentile (noop, 100), "ms", NULL, TRUE);
  report ("the same as a whole leadsctl sync process", bench_median (noop_process), "ms", NULL, TRUE);
  report ("  max", bench_percentile (noop_process, 100), "ms", NULL, TRUE);

  /* The backlog: edits made while the server is away */
  server_stop (&server);
  {
    /* through the store, as the app makes edits: each one a mutation */
    g_autoptr(GError) error = NULL;
    g_autoptr(CrmStore) store = crm_store_open (db, &error);

    if (store == NULL)
      g_error ("%s", error->message);
    crm_store_set_author (store, "anna");
    for (int i = 0; i < opt_backlog; i++)
      {
        g_autofree char *owner = g_strdup_printf ("Owner %d", i);
        CrmFieldValue value = { "owner", owner };

        if (!crm_store_update_lead (store, 1 + i % MAX (opt_leads, 1), &value, 1, &error))
          g_error ("offline edit %d: %s", i, error->message);
      }
  }
  server_start (&server);
  backlog_ms = leadsctl_timed (db, NULL, NULL, "sync", "--token-file", token_file, NULL);

  report ("backlog of offline edits drained", backlog_ms, "ms", NULL, TRUE);
  report ("  edits per second", opt_backlog / (backlog_ms / 1000.0), "/s", NULL, TRUE);
  server_stop (&server);
}

/* ------------------------------------------------------------------ main */

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the speed of sync against a real leads-server");
  g_autoptr(GError) error = NULL;
  g_autofree char *work = NULL;
  const char *scenario;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("leads-sync-bench: %s\n", error->message);
      return 2;
    }
  if (opt_server == NULL)
    {
      g_printerr ("leads-sync-bench: --server: required\n");
      return 2;
    }
  scenario = opt_scenario != NULL ? opt_scenario : "all";

  if (opt_keep != NULL)
    {
      work = g_strdup (opt_keep);
      g_mkdir_with_parents (work, 0700);
    }
  else if ((work = g_dir_make_tmp ("leads-sync-bench-XXXXXX", &error)) == NULL)
    g_error ("%s", error->message);

  if (g_str_equal (scenario, "push") || g_str_equal (scenario, "all"))
    scenario_push (work);

  if (g_str_equal (scenario, "client") || (g_str_equal (scenario, "all") && opt_leadsctl != NULL))
    {
      if (opt_leadsctl == NULL)
        {
          g_printerr ("leads-sync-bench: --leadsctl: required for the client scenario\n");
          return 2;
        }
      scenario_client (work);
    }

  if (opt_keep == NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (work);

      remove_tree (folder);
    }

  return missed ? 1 : 0;
}
