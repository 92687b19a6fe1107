/* crm-sync-pull.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pull of one sync round, fetched and parsed ahead of the store.
 *
 * A page's cursor is only known once the page before it is parsed, so a
 * pull is a chain: server makes page → client reads and parses it → asks
 * for the next. Applying a page to the store (the engine, on the main
 * context) needs none of that. So a thread of its own, with its own
 * SoupSession used with libsoup's blocking calls, walks the chain and keeps
 * up to AHEAD parsed pages ready, while the main context applies the one
 * before: on two cores the server, the parsing and the applying overlap
 * (docs/benchmarks.md, "Initial sync").
 *
 * The thread stops after a page without has_more, a reset, the first
 * failure (handed over as the last item), or crm_sync_pull_stop(). Pages
 * it fetched that are never taken are dropped: nothing is applied here,
 * and the cursor only moves when the engine applies a page.
 */

#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "crm-protocol.h"
#include "crm-sync-pull.h"

#define AHEAD       2
#define READ_CHUNK  (64 * 1024)
#define MAX_WAIT_S  (24 * 3600)

struct _CrmSyncPull {
  gint          ref_count;
  GMutex        lock;
  GCond         cond;
  GQueue        items;        /* CrmSyncPullItem *, in order */
  GTask        *waiting;      /* a crm_sync_pull_next_async() without an item yet */
  gboolean      stopped;      /* the engine gave up the pull */
  GCancellable *cancellable;  /* cancels the thread's request */
  GCancellable *outer;        /* the round's, which cancels it too */
  gulong        outer_id;

  /* read by the thread only */
  char         *uri;
  char         *user_agent;
  char         *token;
  char         *client_id;
  char         *cursor;
};

void
crm_sync_pull_item_free (CrmSyncPullItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->page, crm_protocol_page_free);
  g_clear_error (&item->transport);
  g_clear_error (&item->malformed);
  g_clear_pointer (&item->body, g_bytes_unref);
  g_free (item);
}

static void
pull_unref (CrmSyncPull *self)
{
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_queue_clear_full (&self->items, (GDestroyNotify) crm_sync_pull_item_free);
  g_assert (self->waiting == NULL);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->outer);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->uri);
  g_free (self->user_agent);
  g_free (self->token);
  g_free (self->client_id);
  g_free (self->cursor);
  g_free (self);
}

/* Hands @item to a waiting crm_sync_pull_next_async(), or queues it.
 * Returns FALSE when the pull was stopped (the item is dropped). */
static gboolean
deliver (CrmSyncPull     *self,
         CrmSyncPullItem *item)
{
  g_autoptr(GTask) task = NULL;

  g_mutex_lock (&self->lock);
  if (self->stopped)
    {
      g_mutex_unlock (&self->lock);
      crm_sync_pull_item_free (item);
      return FALSE;
    }
  if (self->waiting != NULL)
    task = g_steal_pointer (&self->waiting);
  else
    g_queue_push_tail (&self->items, g_steal_pointer (&item));
  g_mutex_unlock (&self->lock);

  /* GTask calls back in the context the task was made in */
  if (task != NULL)
    g_task_return_pointer (task, item, (GDestroyNotify) crm_sync_pull_item_free);
  return TRUE;
}

/* The whole body of @stream, bounded like every reply the client reads. */
static GBytes *
read_body (GInputStream  *stream,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();

  for (;;)
    {
      g_autoptr(GBytes) chunk = g_input_stream_read_bytes (stream, READ_CHUNK, cancellable, error);

      if (chunk == NULL)
        return NULL;
      if (g_bytes_get_size (chunk) == 0)
        break;
      if (!crm_protocol_reply_size_check (body->len + g_bytes_get_size (chunk), error))
        return NULL;
      g_byte_array_append (body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

/* One request: the page at self->cursor, or why not. */
static CrmSyncPullItem *
fetch (CrmSyncPull *self,
       SoupSession *session)
{
  char *request = crm_protocol_pull_request_build (self->client_id, self->cursor,
                                                   CRM_PROTOCOL_CLIENT_PULL_ROWS);
  g_autoptr(GBytes) bytes = g_bytes_new_take (request, strlen (request));
  g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", self->uri);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  CrmSyncPullItem *item = g_new0 (CrmSyncPullItem, 1);
  const char *retry;
  gsize length;
  const char *data;

  if (message == NULL)
    {
      item->transport = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                     _("“%s” is not an address"), self->uri);
      return item;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);

  stream = soup_session_send (session, message, self->cancellable, &item->transport);
  if (stream == NULL)
    return item;

  retry = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  if (retry != NULL)
    item->retry_after = CLAMP (g_ascii_strtoll (retry, NULL, 10), 0, MAX_WAIT_S);

  item->body = read_body (stream, self->cancellable, &error);
  g_input_stream_close (stream, NULL, NULL);
  if (item->body == NULL)
    {
      if (error->domain == CRM_PROTOCOL_ERROR)
        item->malformed = g_steal_pointer (&error);
      else
        item->transport = g_steal_pointer (&error);
      return item;
    }

  item->status = soup_message_get_status (message);
  if (item->status != SOUP_STATUS_OK)
    return item;

  data = g_bytes_get_data (item->body, &length);
  item->page = crm_protocol_page_parse (data, length, &item->malformed);
  g_clear_pointer (&item->body, g_bytes_unref);
  return item;
}

static gpointer
pull_thread (gpointer data)
{
  CrmSyncPull *self = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;

  /* the session belongs to this thread and its context */
  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("user-agent", self->user_agent, "timeout", 60,
                                           "idle-timeout", 60, NULL);

  for (;;)
    {
      CrmSyncPullItem *item;
      gboolean more;

      g_mutex_lock (&self->lock);
      while (!self->stopped && g_queue_get_length (&self->items) >= AHEAD)
        g_cond_wait (&self->cond, &self->lock);
      more = !self->stopped;
      g_mutex_unlock (&self->lock);
      if (!more)
        break;

      item = fetch (self, session);
      more = item->page != NULL && item->page->has_more && !item->page->reset;
      if (more)
        {
          g_free (self->cursor);
          self->cursor = g_strdup (item->page->cursor);
        }
      if (!deliver (self, item) || !more)
        break;
    }

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  pull_unref (self);
  return NULL;
}

static void
on_cancelled (GCancellable *outer,
              CrmSyncPull  *self)
{
  g_cancellable_cancel (self->cancellable);
}

/**
 * crm_sync_pull_start:
 * @uri: the pull endpoint of the server
 * @cursor: (nullable): where the pull starts; NULL: from the beginning
 * @cancellable: (nullable): the round's; cancels the request on its way
 *
 * Starts fetching. Take the pages in order with crm_sync_pull_next_async();
 * end with crm_sync_pull_stop() (also after the last page).
 */
CrmSyncPull *
crm_sync_pull_start (const char *uri,
                     const char *user_agent,
                     const char *token,
                     const char *client_id,
                     const char   *cursor,
                     GCancellable *cancellable)
{
  CrmSyncPull *self = g_new0 (CrmSyncPull, 1);
  GThread *thread;

  self->ref_count = 2;   /* the engine's and the thread's */
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->items);
  self->cancellable = g_cancellable_new ();
  self->uri = g_strdup (uri);
  self->user_agent = g_strdup (user_agent);
  self->token = g_strdup (token);
  self->client_id = g_strdup (client_id);
  self->cursor = g_strdup (cursor);
  if (cancellable != NULL)
    {
      self->outer = g_object_ref (cancellable);
      self->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
    }

  thread = g_thread_new ("crm-sync-pull", pull_thread, self);
  g_thread_unref (thread);
  return self;
}

/**
 * crm_sync_pull_next_async:
 *
 * The next item of the pull, in order. Call again only after the
 * previous call finished, and not after an item without a page or with a
 * page that has no has_more (the thread has ended).
 */
void
crm_sync_pull_next_async (CrmSyncPull         *self,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  CrmSyncPullItem *item;

  g_task_set_source_tag (task, crm_sync_pull_next_async);

  g_mutex_lock (&self->lock);
  g_assert (self->waiting == NULL);
  item = g_queue_pop_head (&self->items);
  if (item == NULL)
    self->waiting = g_object_ref (task);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  if (item != NULL)
    g_task_return_pointer (task, item, (GDestroyNotify) crm_sync_pull_item_free);
}

/**
 * crm_sync_pull_next_finish:
 *
 * Returns: (transfer full): the item (never NULL)
 */
CrmSyncPullItem *
crm_sync_pull_next_finish (CrmSyncPull  *self,
                           GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

/**
 * crm_sync_pull_stop:
 *
 * Ends the pull (its request on the way is cancelled, pages fetched ahead
 * are dropped) and gives up the caller's reference. No call may be
 * waiting.
 */
void
crm_sync_pull_stop (CrmSyncPull *self)
{
  if (self == NULL)
    return;

  g_mutex_lock (&self->lock);
  g_assert (self->waiting == NULL);
  self->stopped = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);
  if (self->outer != NULL)
    g_cancellable_disconnect (self->outer, self->outer_id);
  pull_unref (self);
}
