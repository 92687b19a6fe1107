/* crm-sync-engine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CrmSyncEngine runs the client side of docs/sync-protocol.md for one
 * CrmStore, on the main context, with libsoup's asynchronous API (the
 * store's own work per page or answer is one short transaction).
 *
 * A round: push the outbox in batches (at most 100 mutations / 1 MiB;
 * 413 halves the batch), each answer applied in one transaction; then pull
 * pages until has_more is false, each page validated whole by
 * libcrm-protocol and applied with its cursor in one transaction; then,
 * if the user edited meanwhile, another round (at most three in a row).
 * Replies are read up to CRM_PROTOCOL_MAX_REPLY_BYTES; a reply that cannot
 * be read applies nothing and keeps the cursor.
 *
 * Failures become one CRM_SYNC_ERROR with a sentence the user can act on
 * (:last-error) and a state: offline (no connection), needs-attention
 * (server fault, unreadable reply; retried), paused (401: log in again,
 * 403 disabled, 426 update; not retried until the user acts). The outbox
 * is kept in every case.
 *
 * Automatic mode syncs on an interval, soon after local edits, and when
 * GNetworkMonitor says the network is back; after transient failures it
 * backs off exponentially with jitter, never sooner than Retry-After.
 */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "crm-protocol.h"
#include "crm-store-sync.h"
#include "crm-sync-backoff.h"
#include "crm-sync-engine-private.h"
#include "crm-sync-pull.h"

#define MAX_ROUNDS          3
#define USER_AGENT          "Leads/" PACKAGE_VERSION
#define READ_CHUNK          (64 * 1024)
#define EDIT_DELAY_S        5
#define NETWORK_DELAY_S     2

struct _CrmSyncEngine
{
  GObject          parent_instance;

  CrmStore        *store;
  CrmTokenStore   *tokens;
  SoupSession     *session;

  CrmSyncState     state;
  guint            pending_count;
  gint64           last_sync;
  char            *last_error;
  gboolean         needs_login;
  guint64          progress;

  gboolean         automatic;
  guint            interval;
  guint            timer_id;
  guint            timer_seconds;    /* what timer_id was scheduled for */
  guint            ms_per_second;    /* 1000; less on a test clock */
  GRand           *rand;             /* the backoff's jitter */
  guint            rounds;           /* rounds started (tests) */
  guint            failures;
  gint64           retry_after;      /* seconds the server asked to wait, 0: none */
  GNetworkMonitor *monitor;

  GCancellable    *startup;          /* the token lookup of a bound database at start */
  GTask           *running;          /* the round in progress */
  GPtrArray       *waiters;          /* more sync_async callers for it */
  gboolean         again;            /* asked for while running */
};

G_DEFINE_FINAL_TYPE (CrmSyncEngine, crm_sync_engine, G_TYPE_OBJECT)
G_DEFINE_QUARK (crm-sync-error-quark, crm_sync_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TOKEN_STORE,
  PROP_STATE,
  PROP_PENDING_COUNT,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  PROP_NEEDS_LOGIN,
  PROP_PROGRESS,
  PROP_SERVER_URL,
  PROP_USER_LOGIN,
  PROP_USER_NAME,
  PROP_USER_MODULES,
  PROP_READ_ONLY,
  PROP_ADMIN,
  PROP_AUTOMATIC,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule (CrmSyncEngine *self, guint seconds);
static void unschedule (CrmSyncEngine *self);

GType
crm_sync_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { CRM_SYNC_STATE_DISABLED, "CRM_SYNC_STATE_DISABLED", "disabled" },
        { CRM_SYNC_STATE_SYNCED, "CRM_SYNC_STATE_SYNCED", "synced" },
        { CRM_SYNC_STATE_SYNCING, "CRM_SYNC_STATE_SYNCING", "syncing" },
        { CRM_SYNC_STATE_OFFLINE, "CRM_SYNC_STATE_OFFLINE", "offline" },
        { CRM_SYNC_STATE_NEEDS_ATTENTION, "CRM_SYNC_STATE_NEEDS_ATTENTION", "needs-attention" },
        { CRM_SYNC_STATE_PAUSED, "CRM_SYNC_STATE_PAUSED", "paused" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("CrmSyncState"), values));
    }

  return type;
}

gboolean
crm_sync_error_is_transient (const GError *error)
{
  return error != NULL && error->domain == CRM_SYNC_ERROR &&
         (error->code == CRM_SYNC_ERROR_OFFLINE || error->code == CRM_SYNC_ERROR_BUSY ||
          error->code == CRM_SYNC_ERROR_SERVER || error->code == CRM_SYNC_ERROR_MALFORMED);
}

/* ----------------------------------------------------------------- state */

static void
set_state (CrmSyncEngine *self,
           CrmSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (CrmSyncEngine *self,
                const char    *text)
{
  if (g_strcmp0 (self->last_error, text) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_needs_login (CrmSyncEngine *self,
                 gboolean       needs_login)
{
  if (self->needs_login == needs_login)
    return;
  self->needs_login = needs_login;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_LOGIN]);
}

static void
set_progress (CrmSyncEngine *self,
              guint64        progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
update_pending (CrmSyncEngine *self)
{
  guint pending = crm_store_sync_count_pending (self->store);

  if (pending == self->pending_count)
    return;
  self->pending_count = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
}

/* The user's name and rights changed (a login): everything about them. */
static void
notify_user (CrmSyncEngine *self)
{
  static const guint props[] = {
    PROP_SERVER_URL, PROP_USER_LOGIN, PROP_USER_NAME, PROP_USER_MODULES, PROP_READ_ONLY, PROP_ADMIN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[props[i]]);
}

/* ------------------------------------------------------------------ errors */

/* A failed request as one sentence the user can act on. */
static GError *
request_error (CrmSyncEngine *self,
               const char    *server_url,
               guint          status,
               GBytes        *body,
               const GError  *transport)
{
  g_autofree char *server = server_url != NULL ? g_strdup (server_url) : crm_store_sync_dup_server_url (self->store);
  g_autoptr(GError) envelope = NULL;
  gsize length = 0;
  const char *data;

  if (transport != NULL)
    {
      if (g_error_matches (transport, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED, _("The sync was cancelled"));
      if (transport->domain == G_TLS_ERROR)
        return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS,
                            _("The server %s cannot prove that it is the right server (%s): ask your administrator about its certificate; nothing was sent"),
                            server, transport->message);
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE,
                          _("Cannot reach the server %s (%s); your changes are kept and sent when it can be reached"),
                          server, transport->message);
    }

  data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  crm_protocol_envelope_parse (status, data, length, &envelope);

  switch (envelope->code)
    {
    case CRM_PROTOCOL_ERROR_UNAUTHORIZED:
    case CRM_PROTOCOL_ERROR_CLIENT_MISMATCH:
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_AUTH,
                          _("The server %s no longer accepts your login (%s): log in again; your changes are kept"),
                          server, envelope->message);
    case CRM_PROTOCOL_ERROR_BAD_CREDENTIALS:
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_BAD_CREDENTIALS,
                          _("The login or the password is wrong"));
    case CRM_PROTOCOL_ERROR_DISABLED:
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_DISABLED,
                          _("Your account on %s is deactivated (%s): ask an administrator; your changes are kept"),
                          server, envelope->message);
    case CRM_PROTOCOL_ERROR_FORBIDDEN:
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_FORBIDDEN,
                          _("The server %s refuses: %s"), server, envelope->message);
    case CRM_PROTOCOL_ERROR_UPGRADE_REQUIRED:
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_UPGRADE,
                          _("The server %s needs a newer version of Leads: update the app; your changes are kept"),
                          server);
    case CRM_PROTOCOL_ERROR_RATE_LIMITED:
    case CRM_PROTOCOL_ERROR_UNAVAILABLE:
      if (self->retry_after > 0)
        {
          int minutes = (int) ((self->retry_after + 59) / 60);

          return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_BUSY,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "The server %s asks to wait %d minute (%s)",
                                           "The server %s asks to wait %d minutes (%s)", minutes),
                              server, minutes, envelope->message);
        }
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_BUSY,
                          _("The server %s asks to wait (%s); Leads tries again later"), server, envelope->message);
    default:
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER,
                          /* TRANSLATORS: %s are the server's address and its error (which names the HTTP status) */
                          _("The server %s had a problem (%s); your changes are kept and Leads tries again later"),
                          server, envelope->message);
    }
}

static GError *
malformed_error (CrmSyncEngine *self,
                 const GError  *cause)
{
  g_autofree char *server = crm_store_sync_dup_server_url (self->store);

  return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_MALFORMED,
                      _("The server %s sent a reply that could not be read (%s); nothing of it was applied and Leads tries again later"),
                      server, cause->message);
}

static GError *
not_logged_in_error (CrmSyncEngine *self)
{
  g_autofree char *server = crm_store_sync_dup_server_url (self->store);

  return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_NOT_LOGGED_IN,
                      _("Not logged in to %s: log in to send your changes"), server);
}

/* A login or logout decides needs-login; the lookup at start no longer does. */
static void
cancel_startup (CrmSyncEngine *self)
{
  g_cancellable_cancel (self->startup);
  g_clear_object (&self->startup);
}

static GError *
local_error (const GError *cause)
{
  return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_LOCAL,
                      _("The local database refused the sync (%s); nothing of it was applied"), cause->message);
}

/* ------------------------------------------------------------ HTTP calls */

typedef struct {
  SoupMessage *message;
  GByteArray  *body;
  guint        status;
  gint64       retry_after;
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->message);
  g_clear_pointer (&call->body, g_byte_array_unref);
  g_free (call);
}

static void call_read (GTask *task, GInputStream *stream);

static void
on_call_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  Call *call = g_task_get_task_data (task);

  if (chunk == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close (G_INPUT_STREAM (source), NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!crm_protocol_reply_size_check (call->body->len + g_bytes_get_size (chunk), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_byte_array_append (call->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  call_read (g_steal_pointer (&task), G_INPUT_STREAM (source));
}

static void
call_read (GTask        *task,
           GInputStream *stream)
{
  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_call_read, task);
}

static void
on_call_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  Call *call = g_task_get_task_data (task);
  const char *retry;

  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  call->status = soup_message_get_status (call->message);
  retry = soup_message_headers_get_one (soup_message_get_response_headers (call->message), "Retry-After");
  if (retry != NULL)
    call->retry_after = CLAMP (g_ascii_strtoll (retry, NULL, 10), 0, CRM_SYNC_MAX_BACKOFF_S);

  call_read (g_steal_pointer (&task), stream);
}

/* POST @body to @path of @server (NULL: the bound one) with a bearer
 * @token; the task's data is the Call with status and the whole body
 * (bounded) once it completes. */
static void
call_start (CrmSyncEngine       *self,
            const char          *server,
            const char          *path,
            const char          *token,
            const char          *body,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *bound = server == NULL ? crm_store_sync_dup_server_url (self->store) : NULL;
  g_autofree char *uri = g_strconcat (server != NULL ? server : bound != NULL ? bound : "", path, NULL);
  Call *call = g_new0 (Call, 1);

  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call->body = g_byte_array_new ();
  call->message = soup_message_new ("POST", uri);
  if (call->message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not an address"), uri);
      return;
    }
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (call->message), "Authorization", bearer);
    }
  {
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

    soup_message_set_request_body_from_bytes (call->message, "application/json", bytes);
  }

  soup_session_send_async (self->session, call->message, G_PRIORITY_DEFAULT, cancellable,
                           on_call_sent, g_steal_pointer (&task));
}

static Call *
call_finish (CrmSyncEngine  *self,
             GAsyncResult   *result,
             GError        **error)
{
  GTask *task = G_TASK (result);

  if (!g_task_propagate_boolean (task, error))
    return NULL;
  return g_task_get_task_data (task);
}

/* ------------------------------------------------------------------ round */

typedef struct {
  char   *token;
  char   *client_id;
  char   *cursor;
  guint   batch;       /* mutations per push; halves on 413 */
  guint   sent;        /* mutations in the push in flight */
  gint64  first_id;    /* the first of them */
  char   *first_name;  /* and its name */
  guint   rounds;
  CrmSyncPull *pull;   /* the pages of this round's pull, fetched ahead */
} Round;

static void
round_free (Round *round)
{
  g_free (round->token);
  g_free (round->client_id);
  g_free (round->cursor);
  g_clear_pointer (&round->pull, crm_sync_pull_stop);
  g_free (round->first_name);
  g_free (round);
}

static void push_step (GTask *task);

static void
round_done (CrmSyncEngine *self,
            GTask         *task,
            GError        *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);
  gboolean again = self->again;
  guint delay = 0;

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->again = FALSE;
  g_clear_object (&self->running);
  update_pending (self);
  set_progress (self, 0);

  if (error == NULL)
    {
      self->failures = 0;
      self->retry_after = 0;
      self->last_sync = g_get_real_time ();
      crm_store_sync_set_last_sync (self->store, self->last_sync, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      set_last_error (self, NULL);
      set_state (self, CRM_SYNC_STATE_SYNCED);
      if (self->automatic)
        delay = again ? 1 : self->interval;
    }
  else
    {
      set_last_error (self, error->message);
      switch (error->code)
        {
        case CRM_SYNC_ERROR_OFFLINE:
          set_state (self, CRM_SYNC_STATE_OFFLINE);
          break;
        case CRM_SYNC_ERROR_AUTH:
        case CRM_SYNC_ERROR_NOT_LOGGED_IN:
          set_needs_login (self, TRUE);
          set_state (self, CRM_SYNC_STATE_PAUSED);
          break;
        case CRM_SYNC_ERROR_DISABLED:
        case CRM_SYNC_ERROR_UPGRADE:
          set_state (self, CRM_SYNC_STATE_PAUSED);
          break;
        case CRM_SYNC_ERROR_CANCELLED:
          set_state (self, CRM_SYNC_STATE_NEEDS_ATTENTION);
          break;
        default:
          set_state (self, CRM_SYNC_STATE_NEEDS_ATTENTION);
        }

      /* exponential backoff with jitter, never before Retry-After */
      if (self->automatic && crm_sync_error_is_transient (error))
        delay = crm_sync_backoff_delay (self->failures++, (guint) self->retry_after, self->rand);
    }

  if (delay > 0)
    schedule (self, delay);

  for (guint i = 0; i < waiters->len; i++)
    {
      if (error != NULL)
        g_task_return_error (waiters->pdata[i], g_error_copy (error));
      else
        g_task_return_boolean (waiters->pdata[i], TRUE);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
round_fail (GTask  *task,
            GError *error)
{
  Round *round = g_task_get_task_data (task);

  g_clear_pointer (&round->pull, crm_sync_pull_stop);
  round_done (g_task_get_source_object (task), task, error);
  g_object_unref (task);
}

static void pull_step (GTask *task);

static void
on_page_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  CrmSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autoptr(CrmSyncPullItem) item = crm_sync_pull_next_finish (round->pull, result);
  g_autoptr(GError) error = NULL;
  CrmProtocolPage *page = item->page;
  gboolean reset = FALSE;

  self->retry_after = item->retry_after;
  if (item->transport != NULL)
    {
      round_fail (task, request_error (self, NULL, 0, NULL, item->transport));
      return;
    }
  if (item->malformed != NULL)
    {
      round_fail (task, malformed_error (self, item->malformed));
      return;
    }
  if (item->status != SOUP_STATUS_OK)
    {
      round_fail (task, request_error (self, NULL, item->status, item->body, NULL));
      return;
    }
  if (page->reset && round->cursor == NULL)
    {
      /* a reset of a pull from the start would never end */
      g_autoptr(GError) cause = g_error_new_literal (CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                                                     "reset: the pull started from the beginning already");

      round_fail (task, malformed_error (self, cause));
      return;
    }
  if (!crm_store_sync_apply_page (self->store, page, &reset, &error))
    {
      round_fail (task, local_error (error));
      return;
    }

  set_progress (self, self->progress + page->rows->len);
  g_free (round->cursor);
  round->cursor = reset ? NULL : g_strdup (page->cursor);

  if (reset || !page->has_more)
    g_clear_pointer (&round->pull, crm_sync_pull_stop);
  if (reset || page->has_more)
    {
      pull_step (task);
      return;
    }

  /* the user edited meanwhile: another round */
  update_pending (self);
  if (self->pending_count > 0 && ++round->rounds < MAX_ROUNDS)
    {
      self->rounds++;
      push_step (task);
      return;
    }

  round_done (self, task, NULL);
  g_object_unref (task);
}

/* The pages come from a CrmSyncPull, which fetches and parses them on a
 * thread of its own while the one before is applied here. */
static void
pull_step (GTask *task)
{
  CrmSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);

  if (round->pull == NULL)
    {
      g_autofree char *server = crm_store_sync_dup_server_url (self->store);
      g_autofree char *uri = g_strconcat (server != NULL ? server : "", "/api/v1/sync/pull", NULL);

      round->pull = crm_sync_pull_start (uri, USER_AGENT, round->token, round->client_id, round->cursor,
                                         g_task_get_cancellable (task));
    }
  crm_sync_pull_next_async (round->pull, on_page_ready, task);
}

static void
on_push_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gint64 last_mutation_id = 0;
  Call *call;

  if ((call = call_finish (self, result, &error)) == NULL)
    {
      round_fail (task, request_error (self, NULL, 0, NULL, error));
      return;
    }
  self->retry_after = call->retry_after;
  g_debug ("push: %u mutations from %lld: HTTP %u", round->sent, (long long) round->first_id, call->status);

  if (call->status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    {
      if (round->sent > 1)
        {
          round->batch = round->sent / 2;
          g_debug ("push: too large; the batch halves to %u", round->batch);
          push_step (task);
          return;
        }
      /* one mutation alone is too large: retrying cannot help, and
       * nothing after it may go first */
      g_autofree char *server = crm_store_sync_dup_server_url (self->store);

      round_fail (task, g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_TOO_LARGE,
                                     _("The change %lld (%s) is too large for the server %s even on its own; "
                                       "it stays queued and holds back the changes after it: shorten it, or ask the administrator to raise the server's --max-body"),
                                     (long long) round->first_id, round->first_name, server));
      return;
    }
  if (call->status != SOUP_STATUS_OK)
    {
      g_autoptr(GBytes) body = g_bytes_new (call->body->data, call->body->len);

      {
        round_fail (task, request_error (self, NULL, call->status, body, NULL));
        return;
      }
    }

  if (!crm_protocol_push_response_parse ((const char *) call->body->data, call->body->len,
                                         &results, &last_mutation_id, &error))
    {
      round_fail (task, malformed_error (self, error));
      return;
    }
  if (!crm_store_sync_apply_push_answer (self->store, results, last_mutation_id, &error))
    {
      round_fail (task, local_error (error));
      return;
    }

  update_pending (self);
  push_step (task);
}

static void
push_step (GTask *task)
{
  CrmSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autoptr(GPtrArray) batch = crm_store_sync_peek_batch (self->store, round->batch,
                                                          CRM_PROTOCOL_MAX_PUSH_BYTES - 4096);
  g_autofree char *body = NULL;

  if (batch->len == 0)
    {
      pull_step (task);
      return;
    }

  body = crm_protocol_push_request_build (round->client_id, batch);
  round->sent = batch->len;
  round->first_id = ((CrmProtocolMutation *) batch->pdata[0])->id;
  g_free (round->first_name);
  round->first_name = g_strdup (((CrmProtocolMutation *) batch->pdata[0])->name);
  call_start (self, NULL, "/api/v1/sync/push", round->token, body,
              g_task_get_cancellable (task), on_push_done, task);
}

/* ------------------------------------------------------------ scheduling */

static void
on_scheduled_sync_done (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  /* the state and :last-error say how it went */
  crm_sync_engine_sync_finish (CRM_SYNC_ENGINE (source), result, NULL);
}

static gboolean
on_timer (gpointer user_data)
{
  CrmSyncEngine *self = user_data;

  self->timer_id = 0;
  self->timer_seconds = 0;
  if (self->automatic && self->state != CRM_SYNC_STATE_PAUSED && self->state != CRM_SYNC_STATE_DISABLED)
    crm_sync_engine_sync_async (self, NULL, on_scheduled_sync_done, NULL);

  return G_SOURCE_REMOVE;
}

/* The next automatic round in @seconds, unless one comes sooner. */
static void
schedule (CrmSyncEngine *self,
          guint          seconds)
{
  if (!self->automatic || self->state == CRM_SYNC_STATE_PAUSED || self->state == CRM_SYNC_STATE_DISABLED)
    return;

  seconds = MAX (seconds, 1u);
  if (self->timer_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (NULL, self->timer_id);
      gint64 due = g_get_monotonic_time () + (gint64) seconds * self->ms_per_second * G_TIME_SPAN_MILLISECOND;

      if (source != NULL && g_source_get_ready_time (source) <= due)
        return;
      g_source_remove (self->timer_id);
    }
  self->timer_seconds = seconds;
  if (self->ms_per_second == 1000)
    self->timer_id = g_timeout_add_seconds (seconds, on_timer, self);
  else
    self->timer_id = g_timeout_add (seconds * self->ms_per_second, on_timer, self);
}

static void
unschedule (CrmSyncEngine *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_seconds = 0;
}

/**
 * crm_sync_engine_network_changed:
 * @available: whether the network is there now
 *
 * What GNetworkMonitor's #GNetworkMonitor::network-changed does in
 * automatic mode (the app's monitor is wired to it; tests call it): when
 * the network comes back after a failed round, the backoff starts over and
 * a round follows in %NETWORK_DELAY_S seconds.
 */
void
crm_sync_engine_network_changed (CrmSyncEngine *self,
                                 gboolean       available)
{
  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));

  if (available && (self->state == CRM_SYNC_STATE_OFFLINE || self->state == CRM_SYNC_STATE_NEEDS_ATTENTION))
    {
      self->failures = 0;
      schedule (self, NETWORK_DELAY_S);
    }
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    CrmSyncEngine   *self)
{
  crm_sync_engine_network_changed (self, available);
}

/* A local edit (or a page applied): the count, and soon a round to send
 * it; a running round sends it itself (it goes on while edits come). */
static void
on_store_changed (CrmSyncEngine *self)
{
  update_pending (self);
  if (self->running == NULL && self->pending_count > 0 && self->failures == 0)
    schedule (self, EDIT_DELAY_S);
}

/* ---------------------------------------------------------------- GObject */

static void
crm_sync_engine_dispose (GObject *object)
{
  CrmSyncEngine *self = (CrmSyncEngine *)object;

  unschedule (self);
  cancel_startup (self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->tokens);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (crm_sync_engine_parent_class)->dispose (object);
}

static void
crm_sync_engine_finalize (GObject *object)
{
  CrmSyncEngine *self = (CrmSyncEngine *)object;

  g_free (self->last_error);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_rand_free (self->rand);

  G_OBJECT_CLASS (crm_sync_engine_parent_class)->finalize (object);
}

/* The lookup at start: without a token, sync pauses until a login. */
static void
on_startup_token (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  /* not a reference: a keyring that takes long to answer (an unlock
   * prompt) must not keep a dropped engine alive; dispose cancels the
   * lookup, and a cancelled task finishes CANCELLED (GTask checks its
   * cancellable), so @self is only touched while it lives */
  CrmSyncEngine *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reason = NULL;
  g_autofree char *token = crm_token_store_load_finish (CRM_TOKEN_STORE (source), result, &error);

  if (token != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    return;
  g_clear_object (&self->startup);
  reason = error != NULL ? g_steal_pointer (&error) : not_logged_in_error (self);
  set_needs_login (self, TRUE);
  set_last_error (self, reason->message);
  if (self->running == NULL)
    set_state (self, CRM_SYNC_STATE_PAUSED);
}

static void
crm_sync_engine_constructed (GObject *object)
{
  CrmSyncEngine *self = (CrmSyncEngine *)object;

  G_OBJECT_CLASS (crm_sync_engine_parent_class)->constructed (object);

  g_assert (CRM_IS_STORE (self->store));
  if (self->tokens == NULL)
    self->tokens = crm_token_store_new_secret ();

  self->pending_count = crm_store_sync_count_pending (self->store);
  self->last_sync = crm_store_sync_get_last_sync (self->store);
  if (!crm_store_sync_is_bound (self->store))
    self->state = CRM_SYNC_STATE_DISABLED;
  else
    {
      g_autofree char *server = crm_store_sync_dup_server_url (self->store);
      g_autofree char *login = crm_store_sync_dup_login (self->store);

      /* logged in until the keyring says otherwise (it may take a while
       * to answer, and the app does not wait for it); no problem is known
       * yet: changes waiting to be sent are not one (the indicator says
       * how many) */
      self->state = CRM_SYNC_STATE_SYNCED;
      self->startup = g_cancellable_new ();
      crm_token_store_load_async (self->tokens, server, login, self->startup, on_startup_token, self);
    }

  g_signal_connect_swapped (self->store, "lead-changed", G_CALLBACK (on_store_changed), self);
  g_signal_connect_swapped (self->store, "leads-changed", G_CALLBACK (on_store_changed), self);
  g_signal_connect_swapped (self->store, "contacts-changed", G_CALLBACK (on_store_changed), self);
}

static void
crm_sync_engine_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_TOKEN_STORE: g_value_set_object (value, self->tokens); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PENDING_COUNT: g_value_set_uint (value, self->pending_count); break;
    case PROP_LAST_SYNC: g_value_set_int64 (value, self->last_sync); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    case PROP_NEEDS_LOGIN: g_value_set_boolean (value, self->needs_login); break;
    case PROP_PROGRESS: g_value_set_uint64 (value, self->progress); break;
    case PROP_SERVER_URL: g_value_take_string (value, crm_store_sync_dup_server_url (self->store)); break;
    case PROP_USER_LOGIN: g_value_take_string (value, crm_store_sync_dup_login (self->store)); break;
    case PROP_USER_NAME: g_value_take_string (value, crm_store_sync_dup_user_name (self->store)); break;
    case PROP_USER_MODULES: g_value_take_boxed (value, crm_store_sync_dup_modules (self->store)); break;
    case PROP_READ_ONLY: g_value_set_boolean (value, crm_store_sync_get_read_only (self->store)); break;
    case PROP_ADMIN: g_value_set_boolean (value, crm_store_sync_get_admin (self->store)); break;
    case PROP_AUTOMATIC: g_value_set_boolean (value, self->automatic); break;
    case PROP_INTERVAL: g_value_set_uint (value, self->interval); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_engine_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_TOKEN_STORE: self->tokens = g_value_dup_object (value); break;
    case PROP_AUTOMATIC: crm_sync_engine_set_automatic (self, g_value_get_boolean (value)); break;
    case PROP_INTERVAL: crm_sync_engine_set_interval (self, g_value_get_uint (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_engine_class_init (CrmSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = crm_sync_engine_dispose;
  object_class->finalize = crm_sync_engine_finalize;
  object_class->constructed = crm_sync_engine_constructed;
  object_class->get_property = crm_sync_engine_get_property;
  object_class->set_property = crm_sync_engine_set_property;

  /** CrmSyncEngine:store: the local database it syncs */
  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE, construct);
  /** CrmSyncEngine:token-store: where the login token lives */
  properties[PROP_TOKEN_STORE] = g_param_spec_object ("token-store", NULL, NULL, CRM_TYPE_TOKEN_STORE, construct);
  /** CrmSyncEngine:state: a #CrmSyncState, for the header indicator */
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CRM_TYPE_SYNC_STATE,
                                              CRM_SYNC_STATE_DISABLED, ro);
  /** CrmSyncEngine:pending-count: local changes not yet acknowledged */
  properties[PROP_PENDING_COUNT] = g_param_spec_uint ("pending-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /** CrmSyncEngine:last-sync: µs since 1970 of the last successful round, 0: never */
  properties[PROP_LAST_SYNC] = g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /** CrmSyncEngine:last-error: what went wrong, as a sentence the user can act on; %NULL when fine */
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  /** CrmSyncEngine:needs-login: the token is missing or refused: offer to log in */
  properties[PROP_NEEDS_LOGIN] = g_param_spec_boolean ("needs-login", NULL, NULL, FALSE, ro);
  /** CrmSyncEngine:progress: rows pulled so far in this round (long first pulls) */
  properties[PROP_PROGRESS] = g_param_spec_uint64 ("progress", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /** CrmSyncEngine:server-url: the bound server, %NULL when local */
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, ro);
  /** CrmSyncEngine:user-login: the bound user's login */
  properties[PROP_USER_LOGIN] = g_param_spec_string ("user-login", NULL, NULL, NULL, ro);
  /** CrmSyncEngine:user-name: the bound user's name */
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, ro);
  /** CrmSyncEngine:user-modules: the modules enabled for the user ("leads", "contacts") */
  properties[PROP_USER_MODULES] = g_param_spec_boxed ("user-modules", NULL, NULL, G_TYPE_STRV, ro);
  /** CrmSyncEngine:read-only: the user may not change anything */
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, ro);
  /** CrmSyncEngine:admin: the user may change key values */
  properties[PROP_ADMIN] = g_param_spec_boolean ("admin", NULL, NULL, FALSE, ro);
  /** CrmSyncEngine:automatic: sync on the interval, after edits and when the network returns */
  properties[PROP_AUTOMATIC] = g_param_spec_boolean ("automatic", NULL, NULL, FALSE, rw);
  /** CrmSyncEngine:interval: seconds between automatic rounds */
  properties[PROP_INTERVAL] = g_param_spec_uint ("interval", NULL, NULL, 10, 24 * 3600, 300, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_sync_engine_init (CrmSyncEngine *self)
{
  self->interval = 300;
  self->ms_per_second = 1000;
  self->rand = g_rand_new ();
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->session = soup_session_new_with_options ("user-agent", USER_AGENT, "timeout", 60, "idle-timeout", 60, NULL);
}

/* ----------------------------------------------------------------- public */

/**
 * crm_sync_engine_new:
 * @tokens: (nullable): where tokens live; %NULL for the Secret Service
 */
CrmSyncEngine *
crm_sync_engine_new (CrmStore      *store,
                     CrmTokenStore *tokens)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_SYNC_ENGINE, "store", store, "token-store", tokens, NULL);
}

CrmStore *
crm_sync_engine_get_store (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

CrmSyncState
crm_sync_engine_get_state (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), CRM_SYNC_STATE_DISABLED);
  return self->state;
}

guint
crm_sync_engine_get_pending_count (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), 0);
  return self->pending_count;
}

gint64
crm_sync_engine_get_last_sync (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), 0);
  return self->last_sync;
}

const char *
crm_sync_engine_get_last_error (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}

gboolean
crm_sync_engine_get_needs_login (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), FALSE);
  return self->needs_login;
}

guint64
crm_sync_engine_get_progress (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), 0);
  return self->progress;
}

char *
crm_sync_engine_dup_server_url (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), NULL);
  return crm_store_sync_dup_server_url (self->store);
}

/* ------------------------------------------------------------------ login */

typedef struct {
  char     *server;
  char     *login;
  char     *body;       /* the request, with the password: wiped when freed */
  char     *name;       /* the answer, kept while the token is saved */
  GStrv     modules;
  gboolean  read_only;
  gboolean  admin;
} Login;

static void
login_free (Login *login)
{
  g_free (login->server);
  g_free (login->login);
  if (login->body != NULL)
    memset (login->body, 0, strlen (login->body));
  g_free (login->body);
  g_free (login->name);
  g_strfreev (login->modules);
  g_free (login);
}

static void
on_token_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CrmSyncEngine *self = g_task_get_source_object (task);
  Login *login = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!crm_token_store_save_finish (CRM_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!crm_store_sync_bind (self->store, login->server, login->login, login->name,
                            (const char * const *) login->modules, login->read_only, login->admin, &error))
    {
      g_task_return_error (task, local_error (error));
      return;
    }

  cancel_startup (self);
  set_needs_login (self, FALSE);
  set_last_error (self, NULL);
  self->failures = 0;
  notify_user (self);
  update_pending (self);
  set_state (self, CRM_SYNC_STATE_SYNCED);
  schedule (self, 1);
  g_task_return_boolean (task, TRUE);
}

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) modules = g_ptr_array_new ();
  const char *token, *name;
  gboolean admin, read_only;
  JsonObject *user;
  JsonArray *list;
  Call *call;

  if ((call = call_finish (self, result, &error)) == NULL)
    {
      g_autoptr(GError) sync_error = request_error (self, login->server, 0, NULL, error);

      {
        g_task_return_error (task, g_steal_pointer (&sync_error));
        return;
      }
    }
  if (call->status != SOUP_STATUS_OK)
    {
      g_autoptr(GBytes) body = g_bytes_new (call->body->data, call->body->len);

      self->retry_after = call->retry_after;
      {
        g_task_return_error (task, request_error (self, login->server, call->status, body, NULL));
        return;
      }
    }

  if ((answer = crm_protocol_parse_object ((const char *) call->body->data, call->body->len, &error)) == NULL ||
      !crm_protocol_get_string (answer, "token", NULL, FALSE, 256, &token, &error) ||
      (user = crm_protocol_get_object (answer, "user", NULL, &error)) == NULL ||
      !crm_protocol_get_string (user, "name", "user", FALSE, 2000, &name, &error) ||
      !crm_protocol_get_bool (user, "admin", "user", &admin, &error) ||
      !crm_protocol_get_bool (user, "read_only", "user", &read_only, &error) ||
      (list = crm_protocol_get_array (user, "modules", "user", 16, &error)) == NULL)
    {
      g_task_return_error (task, malformed_error (self, error));
      return;
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (modules, (gpointer) json_node_get_string (node));
    }
  g_ptr_array_add (modules, NULL);

  /* the database is bound only once the token is kept */
  login->name = g_strdup (name);
  login->modules = g_strdupv ((char **) modules->pdata);
  login->read_only = read_only;
  login->admin = admin;
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    crm_token_store_save_async (self->tokens, login->server, login->login, token,
                                cancellable, on_token_saved, g_steal_pointer (&task));
  }
}

/* A keyring is reachable: now the password may go out. */
static void
on_login_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CrmSyncEngine *self = g_task_get_source_object (task);
  Login *login = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!crm_token_store_check_finish (CRM_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    call_start (self, login->server, "/api/v1/auth/login", NULL, login->body,
                cancellable, on_login_done, g_steal_pointer (&task));
  }
}

/**
 * crm_sync_engine_login_async:
 * @server_url: http:// or https:// address of leads-server
 * @password: sent once, never kept
 *
 * Logs in, keeps the token in the token store and binds the database to
 * the server and user (from now on every change is queued). Where the
 * token cannot be kept (no Secret Service), nothing is sent.
 */
void
crm_sync_engine_login_async (CrmSyncEngine       *self,
                             const char          *server_url,
                             const char          *login,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(JsonObject) request = json_object_new ();
  g_autofree char *bound_server = NULL;
  g_autofree char *bound_login = NULL;
  g_autofree char *server = NULL;
  Login *data;

  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_engine_login_async);

  server = g_strdup (server_url != NULL ? server_url : "");
  while (*server != '\0' && server[strlen (server) - 1] == '/')
    server[strlen (server) - 1] = '\0';
  uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                      _("server: “%s” is not an http:// or https:// address"), server_url ? server_url : "");
      return;
    }
  if (login == NULL || *login == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("user: a login is required"));
      return;
    }
  if (password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("password: a password is required"));
      return;
    }

  bound_server = crm_store_sync_dup_server_url (self->store);
  bound_login = crm_store_sync_dup_login (self->store);
  if (bound_server != NULL && (g_strcmp0 (bound_server, server) != 0 || g_strcmp0 (bound_login, login) != 0))
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_LOCAL,
                                      _("This database belongs to %s on %s; use another database for %s on %s"),
                                      bound_login, bound_server, login, server);
      return;
    }
  data = g_new0 (Login, 1);
  data->server = g_strdup (server);
  data->login = g_strdup (login);
  g_task_set_task_data (task, data, (GDestroyNotify) login_free);

  json_object_set_string_member (request, "login", login);
  json_object_set_string_member (request, "password", password);
  json_object_set_string_member (request, "client_id", crm_store_sync_get_client_id (self->store));
  json_object_set_string_member (request, "device", g_get_host_name ());
  data->body = crm_protocol_object_to_string (request);

  crm_token_store_check_async (self->tokens, cancellable, on_login_checked, g_steal_pointer (&task));
}

gboolean
crm_sync_engine_login_finish (CrmSyncEngine  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ----------------------------------------------------------------- logout */

static void on_logout_cleared (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_logout_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr(GTask) task = user_data;
  g_autofree char *server = crm_store_sync_dup_server_url (self->store);
  g_autofree char *login = crm_store_sync_dup_login (self->store);

  /* the token is forgotten here whatever the server said: a token the
   * server could not revoke now expires unused */
  call_finish (self, result, NULL);
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    crm_token_store_clear_async (self->tokens, server, login, cancellable,
                                 on_logout_cleared, g_steal_pointer (&task));
  }
}

static void
on_logout_cleared (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CrmSyncEngine *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!crm_token_store_clear_finish (CRM_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cancel_startup (self);
  unschedule (self);
  set_needs_login (self, TRUE);
  set_last_error (self, NULL);
  set_state (self, CRM_SYNC_STATE_PAUSED);
  g_task_return_boolean (task, TRUE);
}

static void
on_logout_token (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CrmSyncEngine *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = crm_token_store_load_finish (CRM_TOKEN_STORE (source), result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (token == NULL)
    {
      g_autofree char *server = crm_store_sync_dup_server_url (self->store);

      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NOT_LOGGED_IN,
                               _("Not logged in to %s"), server);
      return;
    }

  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    call_start (self, NULL, "/api/v1/auth/logout", token, "{}", cancellable,
                on_logout_done, g_steal_pointer (&task));
  }
}

/**
 * crm_sync_engine_logout_async:
 *
 * Revokes the token on the server (when it can be reached) and forgets
 * it. The database stays bound and keeps its outbox: the unsynced
 * changes go out after the next login.
 */
void
crm_sync_engine_logout_async (CrmSyncEngine       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;

  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_engine_logout_async);

  server = crm_store_sync_dup_server_url (self->store);
  login = crm_store_sync_dup_login (self->store);
  if (server == NULL)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NOT_LOGGED_IN,
                                      _("This database is not connected to a team server"));
      return;
    }
  crm_token_store_load_async (self->tokens, server, login, cancellable, on_logout_token,
                              g_steal_pointer (&task));
}

gboolean
crm_sync_engine_logout_finish (CrmSyncEngine  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------- sync */

static void
on_round_token (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  round->token = crm_token_store_load_finish (CRM_TOKEN_STORE (source), result, &error);
  if (error != NULL && error->domain == CRM_SYNC_ERROR)
    round_fail (task, g_steal_pointer (&error));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    round_fail (task, g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED, _("The sync was cancelled")));
  else if (error != NULL)
    /* the keyring or the token file (GIO, GFile errors): one of ours, so
     * that the round's end maps it by its meaning, not by a foreign code */
    round_fail (task, g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_NOT_LOGGED_IN,
                                   _("The login token cannot be read (%s): log in again"), error->message));
  else if (round->token == NULL)
    round_fail (task, not_logged_in_error (g_task_get_source_object (task)));
  else
    push_step (task);
}

/**
 * crm_sync_engine_sync_async:
 *
 * One sync round (see the top of this file). While a round runs, callers
 * share it, and another round follows if the user edited meanwhile.
 */
void
crm_sync_engine_sync_async (CrmSyncEngine       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  Round *round;

  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_engine_sync_async);

  if (self->running != NULL)
    {
      self->again = TRUE;
      g_ptr_array_add (self->waiters, g_steal_pointer (&task));
      return;
    }

  server = crm_store_sync_dup_server_url (self->store);
  login = crm_store_sync_dup_login (self->store);
  if (server == NULL)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NOT_LOGGED_IN,
                                      _("This database is not connected to a team server: log in first"));
      return;
    }

  round = g_new0 (Round, 1);
  round->batch = CRM_PROTOCOL_MAX_PUSH_MUTATIONS;
  round->client_id = g_strdup (crm_store_sync_get_client_id (self->store));
  round->cursor = crm_store_sync_dup_cursor (self->store);
  g_task_set_task_data (task, round, (GDestroyNotify) round_free);

  self->running = g_object_ref (task);
  unschedule (self);
  set_progress (self, 0);
  set_state (self, CRM_SYNC_STATE_SYNCING);

  self->rounds++;
  crm_token_store_load_async (self->tokens, server, login, cancellable, on_round_token,
                              g_steal_pointer (&task));
}

gboolean
crm_sync_engine_sync_finish (CrmSyncEngine  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* -------------------------------------------------------- local uploads */

/**
 * crm_sync_engine_count_local_only:
 *
 * What a first login offers to upload: leads and contacts made before the
 * database was connected to the server.
 */
guint
crm_sync_engine_count_local_only (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), 0);
  return crm_store_sync_count_local_only (self->store);
}

/**
 * crm_sync_engine_upload_local:
 *
 * Queues the local-only data for the next round (the user agreed).
 */
gboolean
crm_sync_engine_upload_local (CrmSyncEngine  *self,
                              GError        **error)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), FALSE);

  if (!crm_store_sync_upload_local (self->store, error))
    return FALSE;
  update_pending (self);
  schedule (self, 1);
  return TRUE;
}

/* -------------------------------------------------------------- automatic */

void
crm_sync_engine_set_automatic (CrmSyncEngine *self,
                               gboolean       automatic)
{
  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));

  automatic = !!automatic;
  if (self->automatic == automatic)
    return;
  self->automatic = automatic;

  if (automatic)
    {
      self->monitor = g_object_ref (g_network_monitor_get_default ());
      g_signal_connect (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self);
      schedule (self, 1);
    }
  else
    {
      unschedule (self);
      if (self->monitor != NULL)
        g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_clear_object (&self->monitor);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOMATIC]);
}

gboolean
crm_sync_engine_get_automatic (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), FALSE);
  return self->automatic;
}

void
crm_sync_engine_set_interval (CrmSyncEngine *self,
                              guint          seconds)
{
  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));

  seconds = CLAMP (seconds, 10u, 24u * 3600u);
  if (self->interval == seconds)
    return;
  self->interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
crm_sync_engine_get_interval (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), 0);
  return self->interval;
}

/* ------------------------------------------------------------ test hooks */

/* Automatic mode's "seconds" become @ms_per_second milliseconds, and the
 * jitter comes from a generator seeded with @seed. */
void
_crm_sync_engine_set_test_clock (CrmSyncEngine *self,
                                 guint          ms_per_second,
                                 guint32        seed)
{
  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));

  self->ms_per_second = MAX (ms_per_second, 1u);
  g_rand_set_seed (self->rand, seed);
}

/* Seconds (on the engine's clock) the pending automatic round was
 * scheduled for; 0: none is. */
guint
_crm_sync_engine_get_scheduled (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), 0);
  return self->timer_id != 0 ? self->timer_seconds : 0;
}

/* Rounds started so far, the extra ones for edits made meanwhile included. */
guint
_crm_sync_engine_get_rounds (CrmSyncEngine *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (self), 0);
  return self->rounds;
}
