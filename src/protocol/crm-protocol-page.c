/* crm-protocol-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pull page is validated as a whole before a client applies any of it:
 * every row's type, op, seq (strictly increasing, not past the cursor)
 * and record. A page that fails anywhere is refused with the first
 * problem, named by its path ("rows[12].data.fields.probability").
 */
#define G_LOG_DOMAIN "crm-protocol"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-protocol-error.h"
#include "crm-protocol-page.h"

/* "<epoch>.<seq>": the server's epoch UUID and a non-negative seq. */
char *
crm_protocol_cursor_format (const char *epoch,
                            gint64      seq)
{
  return g_strdup_printf ("%s.%lld", epoch, (long long) seq);
}

gboolean
crm_protocol_cursor_parse (const char  *cursor,
                           char       **epoch,
                           gint64      *seq,
                           GError     **error)
{
  const char *dot = cursor != NULL ? strchr (cursor, '.') : NULL;
  g_autofree char *head = NULL;
  guint64 n = 0;

  if (dot != NULL)
    head = g_strndup (cursor, dot - cursor);
  if (dot == NULL || !crm_protocol_uuid_is_valid (head) ||
      strlen (dot + 1) > 19 ||
      !g_ascii_string_to_unsigned (dot + 1, 10, 0, G_MAXINT64, &n, NULL))
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("cursor: “%.80s” is not a cursor"), cursor ? cursor : "");
      return FALSE;
    }

  if (epoch != NULL)
    *epoch = g_steal_pointer (&head);
  if (seq != NULL)
    *seq = (gint64) n;
  return TRUE;
}

char *
crm_protocol_pull_request_build (const char *client_id,
                                 const char *cursor,
                                 guint       limit)
{
  g_autoptr(JsonObject) root = json_object_new ();

  json_object_set_string_member (root, "client_id", client_id);
  if (cursor != NULL)
    json_object_set_string_member (root, "cursor", cursor);
  else
    json_object_set_null_member (root, "cursor");
  json_object_set_int_member (root, "limit", limit);
  return crm_protocol_object_to_string (root);
}

/**
 * crm_protocol_pull_request_parse:
 * @cursor: (out) (nullable): NULL for "from the start"
 * @limit: (out): rows per page; CRM_PROTOCOL_DEFAULT_PULL_ROWS when absent
 */
gboolean
crm_protocol_pull_request_parse (const char  *body,
                                 gsize        length,
                                 char       **client_id,
                                 char       **cursor,
                                 guint       *limit,
                                 GError     **error)
{
  g_autoptr(JsonObject) root = crm_protocol_parse_object (body, length, error);
  const char *id, *text = NULL;
  gint64 n = CRM_PROTOCOL_DEFAULT_PULL_ROWS;

  if (root == NULL ||
      !crm_protocol_get_uuid (root, "client_id", NULL, FALSE, &id, error))
    return FALSE;
  if (json_object_has_member (root, "cursor") &&
      (!crm_protocol_get_string (root, "cursor", NULL, TRUE, 128, &text, error) ||
       (text != NULL && !crm_protocol_cursor_parse (text, NULL, NULL, error))))
    return FALSE;
  if (json_object_has_member (root, "limit") &&
      !crm_protocol_get_int (root, "limit", NULL, 1, CRM_PROTOCOL_MAX_PULL_ROWS, &n, error))
    return FALSE;

  *client_id = g_strdup (id);
  *cursor = g_strdup (text);
  *limit = (guint) n;
  return TRUE;
}

/* The member that names a record of @type in an evict row. */
const char *
crm_protocol_row_key_member (CrmRecordType type)
{
  switch (type)
    {
    case CRM_RECORD_KEY_VALUE: return "key";
    case CRM_RECORD_USER:      return "login";
    case CRM_RECORD_LEAD:
    case CRM_RECORD_CONTACT:
    case CRM_RECORD_ACTIVITY:
    case CRM_RECORD_EVENT:
    case CRM_RECORD_CONFLICT:
    case CRM_RECORD_N_TYPES:
    default:                   return "uuid";
    }
}

static void
row_free (CrmProtocolRow *row)
{
  if (row->data != NULL)
    json_object_unref (row->data);
  g_free (row);
}

void
crm_protocol_page_free (CrmProtocolPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->rows, g_ptr_array_unref);
  g_free (page->cursor);
  g_free (page->epoch);
  g_free (page);
}

static gboolean
parse_row (JsonArray        *rows,
           guint             index,
           const char       *path,
           CrmProtocolRow  **out,
           GError          **error)
{
  g_autofree char *data_path = g_strconcat (path, ".data", NULL);
  JsonObject *object, *data;
  const char *type, *op, *key;
  CrmProtocolRow *row;
  CrmRecordType record_type;
  gint64 seq;

  if ((object = crm_protocol_array_get_object (rows, index, path, error)) == NULL ||
      !crm_protocol_get_string (object, "type", path, FALSE, 32, &type, error) ||
      !crm_protocol_get_string (object, "op", path, FALSE, 16, &op, error) ||
      !crm_protocol_get_int (object, "seq", path, 1, G_MAXINT64, &seq, error) ||
      (data = crm_protocol_get_object (object, "data", path, error)) == NULL)
    return FALSE;
  if (!crm_record_type_from_string (type, &record_type))
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("%s.type: “%.40s” is not a record type"), path, type);
      return FALSE;
    }
  if (g_strcmp0 (op, "put") != 0 && g_strcmp0 (op, "evict") != 0)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("%s.op: “%.40s” is not one of %s"), path, op, "|put|evict|");
      return FALSE;
    }

  if (g_str_equal (op, "put"))
    {
      if (!crm_protocol_record_validate (record_type, data, CRM_RECORD_CHECK_DEFAULT, data_path, error))
        return FALSE;
    }
  else if (g_str_equal (crm_protocol_row_key_member (record_type), "uuid")
           ? !crm_protocol_get_uuid (data, "uuid", data_path, FALSE, &key, error)
           : !crm_protocol_get_string (data, crm_protocol_row_key_member (record_type), data_path,
                                       FALSE, CRM_PROTOCOL_MAX_KEY, &key, error))
    return FALSE;

  row = g_new0 (CrmProtocolRow, 1);
  row->type = record_type;
  row->evict = g_str_equal (op, "evict");
  row->seq = seq;
  row->data = json_object_ref (data);
  *out = row;
  return TRUE;
}

/**
 * crm_protocol_reply_size_check:
 * @length: the bytes of a reply read so far (or that would be, with the
 *   next chunk)
 *
 * Every reply a client reads is bounded; the one place that says so.
 *
 * Returns: FALSE and CRM_PROTOCOL_ERROR_TOO_LONG above
 *   CRM_PROTOCOL_MAX_REPLY_BYTES
 */
gboolean
crm_protocol_reply_size_check (gsize    length,
                               GError **error)
{
  if (length <= CRM_PROTOCOL_MAX_REPLY_BYTES)
    return TRUE;
  g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_TOO_LONG,
               _("The reply is larger than %d bytes"), CRM_PROTOCOL_MAX_REPLY_BYTES);
  return FALSE;
}

/**
 * crm_protocol_page_parse:
 *
 * Returns: (transfer full) (nullable): the page, every row validated and
 *   normalized; NULL and @error when any part of it is not valid.
 */
CrmProtocolPage *
crm_protocol_page_parse (const char  *body,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(CrmProtocolPage) page = NULL;
  JsonArray *rows;
  const char *cursor;
  gint64 last_seq = 0;

  if (!crm_protocol_reply_size_check (length, error))
    return NULL;
  root = crm_protocol_parse_object (body, length, error);
  if (root == NULL)
    return NULL;

  page = g_new0 (CrmProtocolPage, 1);
  page->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  if ((rows = crm_protocol_get_array (root, "rows", NULL, CRM_PROTOCOL_MAX_PULL_ROWS, error)) == NULL ||
      !crm_protocol_get_string (root, "cursor", NULL, FALSE, 128, &cursor, error) ||
      !crm_protocol_cursor_parse (cursor, &page->epoch, &page->seq, error) ||
      !crm_protocol_get_bool (root, "has_more", NULL, &page->has_more, error) ||
      !crm_protocol_get_int (root, "last_mutation_id", NULL, 0, G_MAXINT64, &page->last_mutation_id, error) ||
      !crm_protocol_get_bool (root, "reset", NULL, &page->reset, error))
    return NULL;
  page->cursor = g_strdup (cursor);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("rows[%u]", i);
      CrmProtocolRow *row = NULL;

      if (!parse_row (rows, i, path, &row, error))
        return NULL;
      g_ptr_array_add (page->rows, row);
      if (row->seq <= last_seq || row->seq > page->seq)
        {
          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                       _("%s.seq: %lld is out of order"), path, (long long) row->seq);
          return NULL;
        }
      last_seq = row->seq;
    }

  return g_steal_pointer (&page);
}
