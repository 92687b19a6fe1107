/* crm-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP side of leads-server. The SoupServer runs on the main loop and
 * does no database work: a handler copies what it needs from the request
 * (method, path, bearer token, body, peer address), pauses the message
 * and hands a GTask to a worker thread; the worker authenticates,
 * validates with libcrm-protocol and calls the store; the completion,
 * back on the main loop, writes the answer and unpauses the message.
 * A push is only authenticated and parsed by the worker: the completion
 * queues it for the store's writer thread (crm_server_store_push_async()),
 * whose group commit answers it, so no worker thread waits for a commit.
 *
 * Failed logins are counted per login and per peer address on the main
 * loop (no locking); from the fifth failure of a login (the twentieth of
 * an address) within 15 minutes a login is answered 429 with Retry-After
 * (30 s, doubling, at most 15 minutes).
 *
 * Shutdown (SIGTERM): new requests are answered 503; requests already
 * handed to a worker finish, their answers are written, then "drained"
 * is notified and the caller closes the store.
 */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-protocol.h"
#include "crm-server.h"

#define FAILURE_WINDOW   (15 * 60 * G_USEC_PER_SEC)
#define FAILURES_ALLOWED 4     /* per login */
#define FAILURES_ALLOWED_ADDRESS 19  /* per address: several people behind one NAT */
#define LOCK_FIRST       30
#define LOCK_MAX         (15 * 60)
#define LISTEN_BACKLOG   256   /* connections waiting to be accepted */

struct _CrmServer
{
  GObject          parent_instance;

  CrmServerStore  *store;
  SoupServer      *soup;
  GHashTable      *failures;     /* "login:x" / "addr:y" -> Failures */
  guint            in_flight;
  gint64           max_body;     /* bytes a request body may have */
  gboolean         shutting_down;
  gboolean         drained;
};

G_DEFINE_FINAL_TYPE (CrmServer, crm_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DRAINED,
  PROP_MAX_BODY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  guint   count;
  gint64  first;
  gint64  locked_until;
} Failures;

typedef struct {
  CrmServer          *server;
  SoupServerMessage  *msg;
  char               *method;
  char               *path;
  char               *token;
  GBytes             *body;
  char               *address;

  /* the answer */
  guint               status;
  char               *response;    /* NULL: no body (204) */
  int                 retry_after; /* seconds, -1: none */

  /* a login attempt, for the failure counters */
  char               *login;
  gboolean            login_failed;

  /* a push, parsed and authorised by the worker, for the writer thread */
  CrmServerUser      *push_user;
  char               *push_client_id;
  GPtrArray          *push_mutations;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->server);
  g_clear_object (&request->msg);
  g_free (request->method);
  g_free (request->path);
  g_free (request->token);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->address);
  g_free (request->response);
  g_free (request->login);
  crm_server_user_free (request->push_user);
  g_free (request->push_client_id);
  g_clear_pointer (&request->push_mutations, g_ptr_array_unref);
  g_free (request);
}

static void
answer_error (Request      *request,
              const GError *error)
{
  g_free (request->response);
  request->response = crm_protocol_envelope_from_error (error, &request->status);
  if (error->domain != CRM_PROTOCOL_ERROR)
    g_warning ("%s %s: %s", request->method, request->path, error->message);
}

static void
answer_code (Request          *request,
             CrmProtocolError  code,
             const char       *message)
{
  g_autoptr(GError) error = g_error_new_literal (CRM_PROTOCOL_ERROR, code, message);

  answer_error (request, error);
}

static void
answer_json (Request    *request,
             guint       status,
             JsonObject *object)
{
  request->status = status;
  g_free (request->response);
  request->response = crm_protocol_object_to_string (object);
}

/* ------------------------------------------------------------ the routes */

static void
route_info (Request *request)
{
  g_autoptr(JsonObject) info = json_object_new ();
  JsonObject *limits = json_object_new ();

  json_object_set_string_member (info, "server", "leads-server");
  json_object_set_string_member (info, "version", PACKAGE_VERSION);
  json_object_set_int_member (info, "protocol", CRM_PROTOCOL_VERSION);
  json_object_set_int_member (info, "schema", 1);
  json_object_set_string_member (info, "epoch", crm_server_store_get_epoch (request->server->store));
  json_object_set_int_member (limits, "push_mutations", CRM_PROTOCOL_MAX_PUSH_MUTATIONS);
  json_object_set_int_member (limits, "push_bytes", CRM_PROTOCOL_MAX_PUSH_BYTES);
  json_object_set_int_member (limits, "pull_rows", CRM_PROTOCOL_DEFAULT_PULL_ROWS);
  json_object_set_int_member (limits, "body_bytes", request->server->max_body);
  json_object_set_object_member (info, "limits", limits);
  answer_json (request, 200, info);
}

static JsonObject *
parse_body (Request  *request,
            GError  **error)
{
  gsize length = 0;
  const char *data = request->body ? g_bytes_get_data (request->body, &length) : NULL;

  return crm_protocol_parse_object (data, length, error);
}

static void
route_login (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = parse_body (request, &error);
  g_autoptr(CrmServerUser) user = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *token = NULL;
  const char *login, *password, *client_id, *device = "";
  gint64 expires_at = 0;

  if (body == NULL ||
      !crm_protocol_get_string (body, "login", NULL, FALSE, CRM_PROTOCOL_MAX_KEY, &login, &error) ||
      !crm_protocol_get_string (body, "password", NULL, FALSE, 1024, &password, &error) ||
      !crm_protocol_get_uuid (body, "client_id", NULL, FALSE, &client_id, &error) ||
      (json_object_has_member (body, "device") &&
       !crm_protocol_get_string (body, "device", NULL, FALSE, CRM_PROTOCOL_MAX_NAME, &device, &error)))
    {
      answer_error (request, error);
      return;
    }

  user = crm_server_store_login (request->server->store, login, password, client_id, device,
                                 &token, &expires_at, &error);
  if (user == NULL)
    {
      request->login_failed = g_error_matches (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_BAD_CREDENTIALS);
      answer_error (request, error);
      return;
    }

  answer = json_object_new ();
  json_object_set_string_member (answer, "token", token);
  json_object_set_int_member (answer, "expires_at", expires_at);
  json_object_set_object_member (answer, "user", crm_server_user_to_json (user));
  answer_json (request, 200, answer);
}

/* Admins only; a write also needs an account that may write. */
static gboolean
require_admin (Request             *request,
               const CrmServerUser *user)
{
  if (!user->admin)
    answer_code (request, CRM_PROTOCOL_ERROR_FORBIDDEN, _("Only administrators may do this"));
  else if (user->read_only && !g_str_equal (request->method, "GET"))
    answer_code (request, CRM_PROTOCOL_ERROR_FORBIDDEN, _("This account may only read"));
  else
    return TRUE;
  return FALSE;
}

static gboolean
require_module (Request             *request,
                const CrmServerUser *user)
{
  if (user->modules != 0)
    return TRUE;
  answer_code (request, CRM_PROTOCOL_ERROR_FORBIDDEN, _("No module is enabled for this account"));
  return FALSE;
}

/* Parses a push; the writer thread applies it once the worker is done
 * (push_written()). FALSE when the request is answered already. */
static gboolean
route_push (Request *request)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = request->body ? g_bytes_get_data (request->body, &length) : NULL;

  if (!crm_protocol_push_request_parse (data, length, &request->push_client_id, &request->push_mutations, &error))
    {
      answer_error (request, error);
      return FALSE;
    }
  return TRUE;
}

static void
route_pull (Request             *request,
            const CrmServerUser *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *cursor = NULL;
  gsize length = 0;
  const char *data = request->body ? g_bytes_get_data (request->body, &length) : NULL;
  guint limit = 0;
  char *answer;

  if (!crm_protocol_pull_request_parse (data, length, &client_id, &cursor, &limit, &error) ||
      (answer = crm_server_store_pull (request->server->store, user, client_id, cursor, limit, &error)) == NULL)
    {
      answer_error (request, error);
      return;
    }
  request->status = 200;
  request->response = answer;
}

static void
route_users_list (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = crm_server_store_user_list (request->server->store, &error);
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonArray *array = json_array_new ();

  json_object_set_array_member (answer, "users", array);
  if (users == NULL)
    {
      answer_error (request, error);
      return;
    }
  for (guint i = 0; i < users->len; i++)
    json_array_add_object_element (array, crm_server_user_to_json (g_ptr_array_index (users, i)));
  answer_json (request, 200, answer);
}

/* {"name", "password", "admin", "read_only", "modules": [...], "active"},
 * each optional; @modules_text keeps the joined modules alive. */
static gboolean
parse_user_change (JsonObject           *body,
                   CrmServerUserChange  *change,
                   char                **modules_text,
                   GError              **error)
{
  static const char *flags[] = { "admin", "read_only", "active" };
  int *targets[] = { &change->admin, &change->read_only, &change->active };

  if (json_object_has_member (body, "name") &&
      !crm_protocol_get_string (body, "name", NULL, FALSE, CRM_PROTOCOL_MAX_NAME * 4, &change->name, error))
    return FALSE;
  if (json_object_has_member (body, "password") &&
      !crm_protocol_get_string (body, "password", NULL, FALSE, 1024, &change->password, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      gboolean value;

      if (!json_object_has_member (body, flags[i]))
        continue;
      if (!crm_protocol_get_bool (body, flags[i], NULL, &value, error))
        return FALSE;
      *targets[i] = value;
    }
  if (json_object_has_member (body, "modules"))
    {
      JsonArray *modules = crm_protocol_get_array (body, "modules", NULL, 8, error);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;

      if (modules == NULL)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (modules); i++)
        {
          JsonNode *node = json_array_get_element (modules, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_WRONG_TYPE,
                           _("%s: expected %s"), "modules", "strings");
              return FALSE;
            }
          g_strv_builder_add (builder, json_node_get_string (node));
        }
      names = g_strv_builder_end (builder);
      *modules_text = g_strjoinv (",", names);
      change->modules = *modules_text;
    }
  return TRUE;
}

static void
route_users_write (Request    *request,
                   const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = parse_body (request, &error);
  g_autofree char *modules = NULL;
  CrmServerUserChange change = CRM_SERVER_USER_CHANGE_INIT;
  const char *new_login = login;
  gboolean ok;

  if (body == NULL || !parse_user_change (body, &change, &modules, &error) ||
      (login == NULL && !crm_protocol_get_string (body, "login", NULL, FALSE, CRM_PROTOCOL_MAX_KEY, &new_login, &error)))
    {
      answer_error (request, error);
      return;
    }
  ok = login == NULL
       ? crm_server_store_user_add (request->server->store, new_login, &change, &error)
       : crm_server_store_user_update (request->server->store, login, &change, &error);
  if (!ok)
    {
      answer_error (request, error);
      return;
    }
  request->status = login == NULL ? 201 : 200;
  request->response = g_strdup ("{}");
}

static void
route_key_value_put (Request    *request,
                     const CrmServerUser *user,
                     const char *kind,
                     const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = parse_body (request, &error);

  if (body != NULL)
    {
      json_object_set_string_member (body, "kind", kind);
      json_object_set_string_member (body, "key", key);
    }
  if (body == NULL ||
      !crm_protocol_record_validate (CRM_RECORD_KEY_VALUE, body, CRM_RECORD_CHECK_NEW, NULL, &error) ||
      !crm_server_store_key_value_put (request->server->store, user, body, &error))
    {
      answer_error (request, error);
      return;
    }
  request->status = 200;
  request->response = g_strdup ("{}");
}

static void
route_authenticated (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmServerUser) user = NULL;
  g_auto(GStrv) parts = NULL;
  const char *m = request->method;
  gboolean push = g_str_equal (request->path, "/api/v1/sync/push") && g_str_equal (m, "POST");
  guint n;

  /* a deactivated account gets 403 disabled on every endpoint, push
   * included: its client keeps the pending edits (see TOKEN_SUSPENDED) */
  user = crm_server_store_authenticate (request->server->store, request->token, &error);

  if (user == NULL)
    {
      answer_error (request, error);
      return;
    }
  parts = g_strsplit (request->path + strlen ("/api/v1/"), "/", 0);
  n = g_strv_length (parts);

  if (n == 2 && g_str_equal (parts[0], "auth") && g_str_equal (parts[1], "logout") && g_str_equal (m, "POST"))
    {
      if (!crm_server_store_logout (request->server->store, request->token, &error))
        answer_error (request, error);
      else
        request->status = 204;
    }
  else if (n == 1 && g_str_equal (parts[0], "me") && g_str_equal (m, "GET"))
    {
      g_autoptr(JsonObject) me = crm_server_user_to_json (user);

      answer_json (request, 200, me);
    }
  else if (push)
    {
      if (require_module (request, user) && route_push (request))
        request->push_user = g_steal_pointer (&user);
    }
  else if (n == 2 && g_str_equal (parts[0], "sync") && g_str_equal (parts[1], "pull") && g_str_equal (m, "POST"))
    {
      if (require_module (request, user))
        route_pull (request, user);
    }
  else if (n == 1 && g_str_equal (parts[0], "users") && g_str_equal (m, "GET"))
    {
      if (require_admin (request, user))
        route_users_list (request);
    }
  else if (n == 1 && g_str_equal (parts[0], "users") && g_str_equal (m, "POST"))
    {
      if (require_admin (request, user))
        route_users_write (request, NULL);
    }
  else if (n == 2 && g_str_equal (parts[0], "users") && g_str_equal (m, "PATCH"))
    {
      if (require_admin (request, user))
        route_users_write (request, parts[1]);
    }
  else if (n == 1 && g_str_equal (parts[0], "key-values") && g_str_equal (m, "GET"))
    {
      char *answer = crm_server_store_key_values (request->server->store, &error);

      if (answer == NULL)
        answer_error (request, error);
      request->status = 200;
      request->response = answer;
    }
  else if (n == 3 && g_str_equal (parts[0], "key-values") && g_str_equal (m, "PUT"))
    {
      if (require_admin (request, user))
        route_key_value_put (request, user, parts[1], parts[2]);
    }
  else
    answer_code (request, CRM_PROTOCOL_ERROR_NOT_FOUND, _("No such endpoint"));
}

static void
handle_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Request *request = task_data;

  if (g_str_equal (request->path, "/api/v1/info") && g_str_equal (request->method, "GET"))
    route_info (request);
  else if (g_str_equal (request->path, "/api/v1/auth/login") && g_str_equal (request->method, "POST"))
    route_login (request);
  else
    route_authenticated (request);

  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------- login limits */

static Failures *
failures_lookup (CrmServer  *self,
                 const char *prefix,
                 const char *key,
                 gboolean    create)
{
  g_autofree char *id = g_strconcat (prefix, key ? key : "", NULL);
  Failures *failures = g_hash_table_lookup (self->failures, id);

  if (failures == NULL && create)
    {
      failures = g_new0 (Failures, 1);
      g_hash_table_insert (self->failures, g_steal_pointer (&id), failures);
    }
  return failures;
}

/* Seconds to wait before another login may be tried, 0 when free. */
static int
login_wait (CrmServer  *self,
            const char *login,
            const char *address)
{
  gint64 now = g_get_real_time ();
  Failures *lists[] = { failures_lookup (self, "login:", login, FALSE),
                        failures_lookup (self, "addr:", address, FALSE) };
  gint64 until = 0;

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (lists[i] != NULL)
      until = MAX (until, lists[i]->locked_until);
  return until > now ? (int) ((until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}

static void
login_record (CrmServer  *self,
              const char *login,
              const char *address,
              gboolean    failed)
{
  gint64 now = g_get_real_time ();
  Failures *lists[] = { failures_lookup (self, "login:", login, failed),
                        failures_lookup (self, "addr:", address, failed) };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      Failures *f = lists[i];

      if (f == NULL)
        continue;
      if (!failed)
        {
          /* a success clears its login, not the address (one good
           * account must not unlock guessing at others) */
          if (i == 0)
            f->count = 0;
          continue;
        }
      if (now - f->first > FAILURE_WINDOW)
        {
          f->count = 0;
          f->first = now;
        }
      f->count++;
      if (f->count > (i == 0 ? FAILURES_ALLOWED : FAILURES_ALLOWED_ADDRESS))
        {
          guint shift = MIN (f->count - (i == 0 ? FAILURES_ALLOWED : FAILURES_ALLOWED_ADDRESS) - 1, 10);

          f->locked_until = now + (gint64) MIN (LOCK_MAX, LOCK_FIRST << shift) * G_USEC_PER_SEC;
        }
    }
}

/* ------------------------------------------------------------- messages */

static void
send_answer (SoupServerMessage *msg,
             guint              status,
             char              *body,
             int                retry_after)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  if (retry_after >= 0)
    {
      g_autofree char *value = g_strdup_printf ("%d", retry_after);

      soup_message_headers_replace (headers, "Retry-After", value);
    }
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
send_code (SoupServerMessage *msg,
           CrmProtocolError   code,
           const char        *message,
           int                retry_after)
{
  send_answer (msg, crm_protocol_error_http_status (code), crm_protocol_envelope_build (code, message), retry_after);
}

static void
check_drained (CrmServer *self)
{
  if (self->shutting_down && self->in_flight == 0 && !self->drained)
    {
      self->drained = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAINED]);
    }
}

static void
message_finished (SoupServerMessage *msg,
                  CrmServer         *self)
{
  g_signal_handlers_disconnect_by_func (msg, message_finished, self);
  self->in_flight--;
  check_drained (self);
}

/* Writes the answer the worker (or the writer) made, and lets it go. */
static void
request_answer (CrmServer *self,
                Request   *request)
{
  if (request->login != NULL)
    {
      login_record (self, request->login, request->address, request->login_failed);
      if (request->login_failed && login_wait (self, request->login, request->address) > 0)
        {
          g_clear_pointer (&request->response, g_free);
          request->status = 429;
          request->response = crm_protocol_envelope_build (CRM_PROTOCOL_ERROR_RATE_LIMITED,
                                                           _("Too many failed logins; wait and try again"));
          request->retry_after = login_wait (self, request->login, request->address);
        }
    }

  send_answer (request->msg, request->status ? request->status : 500,
               g_steal_pointer (&request->response), request->retry_after);
  soup_server_message_unpause (request->msg);
}

/* A body over :max-body gets 413 too_large (the client halves its push
 * batch); TRUE when @msg was answered. */
static gboolean
refuse_large (CrmServer         *self,
              SoupServerMessage *msg,
              gint64             length)
{
  g_autofree char *text = NULL;

  if (length <= self->max_body)
    return FALSE;
  text = g_strdup_printf (_("The body has %lld bytes; this server accepts at most %lld"),
                          (long long) length, (long long) self->max_body);
  send_code (msg, CRM_PROTOCOL_ERROR_TOO_LARGE, text, -1);
  return TRUE;
}

static void
push_written (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* the request's task */
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 last = 0;
  char *answer = crm_server_store_push_finish (CRM_SERVER_STORE (object), result, &last, &error);

  if (answer == NULL && g_error_matches (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MUTATION_GAP))
    {
      /* the envelope says where to continue */
      g_autoptr(JsonObject) envelope = json_object_new ();
      JsonObject *inner = json_object_new ();

      json_object_set_string_member (inner, "code", crm_protocol_error_code (error->code));
      json_object_set_string_member (inner, "message", error->message);
      json_object_set_int_member (inner, "last_mutation_id", last);
      json_object_set_object_member (envelope, "error", inner);
      answer_json (request, 409, envelope);
    }
  else if (answer == NULL)
    answer_error (request, error);
  else
    {
      request->status = 200;
      request->response = answer;
    }
  request_answer (request->server, request);
}

static void
handled (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CrmServer *self = CRM_SERVER (object);
  Request *request = g_task_get_task_data (G_TASK (result));

  if (request->push_user != NULL)
    {
      /* the worker is free again; the writer answers when its group has
       * committed */
      crm_server_store_push_async (self->store, g_steal_pointer (&request->push_user),
                                   request->push_client_id, request->push_mutations,
                                   NULL, push_written, g_object_ref (result));
      return;
    }
  request_answer (self, request);
}

static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CrmServer *self = CRM_SERVER (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    refuse_large (self, msg, soup_message_headers_get_content_length (headers));
}

static void
handler (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  CrmServer *self = CRM_SERVER (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Request *request;
  int wait;

  if (self->shutting_down)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      send_code (msg, CRM_PROTOCOL_ERROR_UNAVAILABLE, _("The server is shutting down"), 5);
      return;
    }

  bytes = soup_message_body_flatten (body);
  if (refuse_large (self, msg, (gint64) g_bytes_get_size (bytes)))
    return;

  request = g_new0 (Request, 1);
  request->server = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->body = g_steal_pointer (&bytes);
  request->address = g_strdup (soup_server_message_get_remote_host (msg));
  request->retry_after = -1;
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    request->token = g_strstrip (g_strdup (authorization + 7));

  if (g_str_equal (path, "/api/v1/auth/login") && g_str_equal (request->method, "POST"))
    {
      g_autoptr(JsonObject) object = NULL;
      gsize length = 0;
      const char *data = g_bytes_get_data (request->body, &length);

      object = crm_protocol_parse_object (data, length, NULL);
      request->login = g_strdup (object ? json_object_get_string_member_with_default (object, "login", "") : "");
      if ((wait = login_wait (self, request->login, request->address)) > 0)
        {
          send_code (msg, CRM_PROTOCOL_ERROR_RATE_LIMITED, _("Too many failed logins; wait and try again"), wait);
          request_free (request);
          return;
        }
    }

  self->in_flight++;
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished), self);
  soup_server_message_pause (msg);

  task = g_task_new (self, NULL, handled, NULL);
  g_task_set_source_tag (task, handler);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  g_task_run_in_thread (task, handle_in_thread);
}

/* ------------------------------------------------------------------ type */

static void
crm_server_dispose (GObject *object)
{
  CrmServer *self = CRM_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->failures, g_hash_table_unref);

  G_OBJECT_CLASS (crm_server_parent_class)->dispose (object);
}

static void
crm_server_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CrmServer *self = CRM_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DRAINED:
      g_value_set_boolean (value, self->drained);
      break;
    case PROP_MAX_BODY:
      g_value_set_int64 (value, self->max_body);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_server_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CrmServer *self = CRM_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_MAX_BODY:
      self->max_body = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_server_class_init (CrmServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_server_dispose;
  object_class->get_property = crm_server_get_property;
  object_class->set_property = crm_server_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_SERVER_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAINED] =
    g_param_spec_boolean ("drained", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CrmServer:max-body:
   *
   * The largest request body in bytes (--max-body); larger ones get 413.
   */
  properties[PROP_MAX_BODY] =
    g_param_spec_int64 ("max-body", NULL, NULL, CRM_SERVER_MIN_BODY_BYTES, CRM_PROTOCOL_MAX_BODY_BYTES,
                        CRM_PROTOCOL_MAX_BODY_BYTES,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_server_init (CrmServer *self)
{
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

CrmServer *
crm_server_new (CrmServerStore *store)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORE (store), NULL);
  return g_object_new (CRM_TYPE_SERVER, "store", store, NULL);
}

/**
 * crm_server_listen:
 * @address: "HOST:PORT" ("127.0.0.1:8480", "[::1]:8480"); port 0 picks a
 *   free port (see crm_server_get_uris())
 * @tls_cert: (nullable): PEM certificate file; with @tls_key: HTTPS
 */
gboolean
crm_server_listen (CrmServer   *self,
                   const char  *address,
                   const char  *tls_cert,
                   const char  *tls_key,
                   GError     **error)
{
  const char *colon = strrchr (address, ':');
  g_autofree char *host = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) listener = NULL;
  guint64 port = 0;
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (CRM_IS_SERVER (self), FALSE);

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--listen: “%s” is not HOST:PORT"), address);
      return FALSE;
    }
  host = g_strndup (address, colon - address);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = inner;
    }
  socket_address = g_inet_socket_address_new_from_string (host, (guint) port);
  if (socket_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--listen: “%s” is not an IP address"), host);
      return FALSE;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--tls-cert and --tls-key go together"));
      return FALSE;
    }

  self->soup = soup_server_new ("server-header", "leads-server/" PACKAGE_VERSION, NULL);
  if (tls_cert != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, error);

      if (certificate == NULL)
        return FALSE;
      g_object_set (self->soup, "tls-certificate", certificate, NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  soup_server_add_early_handler (self->soup, "/api/v1", early_handler, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1", handler, self, NULL);

  /* Our own socket for a listen backlog that takes a whole team
   * connecting at once: with GSocket's default of 10, 50 clients that
   * connect together overflow the accept queue, wait a second for the
   * SYN to be sent again, and some see their connection reset
   * (docs/benchmarks.md, "Sync"). */
  listener = g_socket_new (g_socket_address_get_family (socket_address), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, socket_address, TRUE, error) || !g_socket_listen (listener, error))
    return FALSE;

  return soup_server_listen_socket (self->soup, listener, options, error);
}

/**
 * crm_server_get_uris:
 *
 * Returns: (transfer full) (element-type GUri): where the server listens
 */
GSList *
crm_server_get_uris (CrmServer *self)
{
  g_return_val_if_fail (CRM_IS_SERVER (self), NULL);
  return self->soup ? soup_server_get_uris (self->soup) : NULL;
}

/* Stops taking requests; "drained" turns TRUE when the last answer is out. */
void
crm_server_begin_shutdown (CrmServer *self)
{
  g_return_if_fail (CRM_IS_SERVER (self));

  self->shutting_down = TRUE;
  check_drained (self);
}

gboolean
crm_server_get_drained (CrmServer *self)
{
  g_return_val_if_fail (CRM_IS_SERVER (self), FALSE);
  return self->drained;
}
