/* crm-store-contacts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Contacts: companies and people. A lead keeps its contact's name in
 * `contact_name` for sorting and search; renaming a contact updates it
 * in the same transaction.
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-store-private.h"

#define CONTACT_COLUMNS \
  "c.id, c.uuid, c.kind, c.name, c.company_id, co.name, c.notes, c.addresses, c.phones, c.emails, " \
  "(SELECT count(*) FROM lead l WHERE l.contact_id = c.id AND l.deleted = 0), " \
  "(SELECT max (a.at) FROM activity a WHERE a.contact_id = c.id)"

static char **
split_lines (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        g_strv_builder_add (builder, lines[i]);
    }

  return g_strv_builder_end (builder);
}

static CrmContact *
contact_from_row (sqlite3_stmt *stmt)
{
  CrmContact *contact = crm_contact_new ();
  g_auto(GStrv) addresses = split_lines (_crm_store_column_text (stmt, 7));
  g_auto(GStrv) phones = split_lines (_crm_store_column_text (stmt, 8));
  g_auto(GStrv) emails = split_lines (_crm_store_column_text (stmt, 9));

  g_object_set (contact,
                "id", sqlite3_column_int64 (stmt, 0),
                "uuid", _crm_store_column_text (stmt, 1),
                "kind", _crm_store_column_text (stmt, 2),
                "name", _crm_store_column_text (stmt, 3),
                "company-id", sqlite3_column_int64 (stmt, 4),
                "company-name", _crm_store_column_text (stmt, 5),
                "notes", _crm_store_column_text (stmt, 6),
                "addresses", addresses,
                "phones", phones,
                "emails", emails,
                "n-leads", sqlite3_column_int (stmt, 10),
                "last-activity", sqlite3_column_int64 (stmt, 11),
                NULL);

  return contact;
}

static gboolean
check_name (const char  *name,
            char       **out_clean,
            GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (name ? name : ""));

  if (*clean == '\0')
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED, _("name: a name is required"));
      return FALSE;
    }
  if (!g_utf8_validate (clean, -1, NULL) || g_utf8_strlen (clean, -1) > 300)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("name: at most 300 characters of valid text"));
      return FALSE;
    }

  *out_clean = g_steal_pointer (&clean);
  return TRUE;
}

static gboolean
check_company (CrmStore  *self,
               gint64     company_id,
               gint64     contact_id,
               GError   **error)
{
  g_autoptr(CrmContact) company = NULL;

  if (company_id == 0)
    return TRUE;

  company = crm_store_get_contact (self, company_id, NULL);
  if (company == NULL || !crm_contact_is_company (company) || company_id == contact_id)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("company: there is no company with the id %lld"), (long long) company_id);
      return FALSE;
    }

  return TRUE;
}

static gboolean
valid_email (const char *address)
{
  const char *at = strchr (address, '@');

  return at != NULL && at != address && strchr (at + 1, '.') != NULL &&
         strchr (at + 1, '@') == NULL && strpbrk (address, " \t<>,;") == NULL &&
         at[strlen (at) - 1] != '.';
}

/* contact.update: the fields that changed, each with the value it was
 * edited from; @before is the record before the change (same transaction). */
static gboolean
queue_contact_update (CrmStore  *self,
                      JsonNode  *before,
                      GError   **error)
{
  static const char *names[] = { "name", "company", "notes", "addresses", "phones", "emails" };
  JsonObject *old = json_node_get_object (before);
  const char *uuid = json_object_get_string_member (old, "uuid");
  gint64 id = _crm_store_id_of (self, "contact", uuid);
  g_autoptr(JsonNode) after = _crm_store_contact_record (self, id);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  sqlite3_stmt *stmt;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *a = json_object_get_string_member (old, names[i]);
      const char *b = json_object_get_string_member (json_node_get_object (after), names[i]);
      JsonObject *pair;

      if (g_strcmp0 (a, b) == 0)
        continue;
      pair = json_object_new ();
      json_object_set_string_member (pair, "value", b);
      json_object_set_string_member (pair, "base", a);
      json_object_set_object_member (fields, names[i], pair);
    }
  if (json_object_get_size (fields) == 0)
    return TRUE;

  stmt = _crm_store_prepare (self, "SELECT rev FROM contact WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  json_object_set_string_member (args, "uuid", uuid);
  json_object_set_int_member (args, "base_rev", sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0);
  sqlite3_reset (stmt);
  json_object_set_object_member (args, "fields", g_steal_pointer (&fields));
  json_node_set_object (node, args);

  return _crm_store_outbox_add (self, "contact.update", "contact", uuid, node, error);
}

/* ----------------------------------------------------------------- public */

gint64
crm_store_create_contact (CrmStore    *self,
                          const char  *kind,
                          const char  *name,
                          gint64       company_id,
                          GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = _crm_store_new_uuid ();
  sqlite3_stmt *stmt;
  gint64 now = _crm_store_now ();
  gint64 id;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  if (!_crm_store_sync_writable (self, error))
    return 0;

  if (g_strcmp0 (kind, "company") != 0 && g_strcmp0 (kind, "person") != 0)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("kind: a contact is a “company” or a “person”"));
      return 0;
    }
  if (!check_name (name, &clean, error))
    return 0;
  if (g_str_equal (kind, "company") && company_id != 0)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("company: only a person can belong to a company"));
      return 0;
    }
  if (!check_company (self, company_id, 0, error))
    return 0;

  if (!_crm_store_begin (self, error))
    return 0;

  stmt = _crm_store_prepare (self,
    "INSERT INTO contact (uuid, kind, name, company_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_STATIC);
  if (company_id != 0)
    sqlite3_bind_int64 (stmt, 4, company_id);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  id = sqlite3_last_insert_rowid (self->db);
  if (self->sync_bound)
    {
      g_autoptr(JsonNode) record = _crm_store_contact_record (self, id);

      if (!_crm_store_outbox_add (self, "contact.create", "contact", uuid, record, error))
        goto fail;
    }
  if (!_crm_store_commit (self, error))
    return 0;

  g_signal_emit (self, _crm_store_signals[SIGNAL_CONTACTS_CHANGED], 0, id);
  return id;

fail:
  _crm_store_rollback (self);
  return 0;
}

gboolean
crm_store_update_contact (CrmStore    *self,
                          gint64       id,
                          const char  *name,
                          gint64       company_id,
                          const char  *addresses,
                          const char  *phones,
                          const char  *emails,
                          const char  *notes,
                          GError     **error)
{
  g_autoptr(CrmContact) current = NULL;
  g_autofree char *clean = NULL;
  g_auto(GStrv) email_list = NULL;
  g_autofree char *email_text = NULL;
  g_autoptr(JsonNode) before = NULL;
  sqlite3_stmt *stmt;
  GArray *lead_ids;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!_crm_store_sync_writable (self, error))
    return FALSE;

  current = crm_store_get_contact (self, id, error);
  if (current == NULL)
    return FALSE;
  if (!check_name (name, &clean, error))
    return FALSE;
  if (company_id != 0 && crm_contact_is_company (current))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("company: only a person can belong to a company"));
      return FALSE;
    }
  if (!check_company (self, company_id, id, error))
    return FALSE;

  email_list = split_lines (emails);
  for (guint i = 0; email_list[i] != NULL; i++)
    if (!valid_email (email_list[i]))
      {
        g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                     _("emails: “%s” is not an e-mail address"), email_list[i]);
        return FALSE;
      }
  email_text = g_strjoinv ("\n", email_list);

  if (!_crm_store_begin (self, error))
    return FALSE;
  before = self->sync_bound ? _crm_store_contact_record (self, id) : NULL;

  stmt = _crm_store_prepare (self,
    "UPDATE contact SET name = ?, company_id = ?, addresses = ?, phones = ?, emails = ?, notes = ?, "
    "updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_STATIC);
  if (company_id != 0)
    sqlite3_bind_int64 (stmt, 2, company_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, addresses ? addresses : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, phones ? phones : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, email_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, notes ? notes : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, _crm_store_now ());
  sqlite3_bind_int64 (stmt, 8, id);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  stmt = _crm_store_prepare (self, "UPDATE lead SET contact_name = ? WHERE contact_id = ? AND contact_name != ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_STATIC);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  if (self->sync_bound && before != NULL && !queue_contact_update (self, before, error))
    goto fail;

  if (!_crm_store_commit (self, error))
    return FALSE;

  g_signal_emit (self, _crm_store_signals[SIGNAL_CONTACTS_CHANGED], 0, id);

  /* leads showing the old name */
  if (g_strcmp0 (clean, crm_contact_get_name (current)) != 0)
    {
      CrmLeadFilter filter = { 0 };

      filter.contact_id = id;
      lead_ids = crm_store_query_lead_ids (self, &filter, 0, NULL, NULL);
      for (guint i = 0; lead_ids != NULL && i < lead_ids->len; i++)
        {
          _crm_store_refresh_lead (self, g_array_index (lead_ids, gint64, i));
          g_signal_emit (self, _crm_store_signals[SIGNAL_LEAD_CHANGED], 0, g_array_index (lead_ids, gint64, i));
        }
      if (lead_ids != NULL)
        g_array_unref (lead_ids);
    }

  return TRUE;

fail:
  _crm_store_rollback (self);
  return FALSE;
}

CrmContact *
crm_store_get_contact (CrmStore  *self,
                       gint64     id,
                       GError   **error)
{
  sqlite3_stmt *stmt;
  CrmContact *contact = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  stmt = _crm_store_prepare (self,
    "SELECT " CONTACT_COLUMNS " FROM contact c LEFT JOIN contact co ON co.id = c.company_id "
    "WHERE c.id = ? AND c.deleted = 0", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    contact = contact_from_row (stmt);
  sqlite3_reset (stmt);

  if (contact == NULL)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                 _("There is no contact with the id %lld"), (long long) id);

  return contact;
}

/* The id of the contact with exactly this name (ignoring case), or 0. */
gint64
crm_store_find_contact (CrmStore   *self,
                        const char *name)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  stmt = _crm_store_prepare (self,
    "SELECT id FROM contact WHERE name = ? COLLATE NOCASE AND deleted = 0 ORDER BY kind, id LIMIT 1", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

/**
 * crm_store_list_contacts:
 * @search: (nullable): a part of the name, the company or an e-mail address
 * @limit: at most this many, 0 for all
 */
GListModel *
crm_store_list_contacts (CrmStore   *self,
                         const char *search,
                         guint       limit)
{
  g_autoptr(GListStore) store = g_list_store_new (CRM_TYPE_CONTACT);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  stmt = _crm_store_prepare (self,
    "SELECT " CONTACT_COLUMNS " FROM contact c LEFT JOIN contact co ON co.id = c.company_id "
    "WHERE c.deleted = 0 AND (?1 IS NULL OR c.name LIKE ?1 OR co.name LIKE ?1 OR c.emails LIKE ?1) "
    "ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?2", NULL);
  if (stmt == NULL)
    return G_LIST_MODEL (g_steal_pointer (&store));

  if (search != NULL && *search != '\0')
    {
      GString *escaped = g_string_new ("%");

      for (const char *p = search; *p; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (escaped, '\\');
          g_string_append_c (escaped, *p);
        }
      g_string_append_c (escaped, '%');
      pattern = g_string_free (escaped, FALSE);
    }

  _crm_store_bind_text (stmt, 1, pattern);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(CrmContact) contact = contact_from_row (stmt);

      g_list_store_append (store, contact);
    }
  sqlite3_reset (stmt);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* The leads of a contact, for a company also those of its people. */
GListModel *
crm_store_list_contact_leads (CrmStore *self,
                              gint64    contact_id)
{
  g_autoptr(GListStore) store = g_list_store_new (CRM_TYPE_LEAD);
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  ids = _crm_store_query_ids (self,
    "SELECT id FROM lead WHERE deleted = 0 AND contact_id IN "
    "(SELECT id FROM contact WHERE id = ?1 OR company_id = ?1) ORDER BY updated_at DESC, id DESC", contact_id, NULL);
  if (ids == NULL)
    return G_LIST_MODEL (g_steal_pointer (&store));

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CrmLead) lead = crm_store_get_lead (self, g_array_index (ids, gint64, i), NULL);

      if (lead != NULL)
        g_list_store_append (store, lead);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}
