/* crm-store-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's side of offline-first sync (docs/sync-protocol.md; the
 * whole picture is in docs/architecture.md, "Sync").
 *
 * - Binding: the first login binds the database to a server (sync_meta).
 *   From then on every write path appends its mutation to sync_outbox in
 *   the SAME transaction as the change, so a change is never saved without
 *   its mutation nor the other way round. Before binding nothing is
 *   queued; crm_store_sync_upload_local() queues the create mutations of
 *   what was made locally, and each lead's whole history, when the user
 *   agrees to upload it.
 * - Mutation ids are dense and increasing: max (outbox, acknowledged) + 1.
 * - A push answer is applied in one transaction: processed mutations leave
 *   the outbox; the fields the server did not take are set back to what
 *   the edit started from (or to the server state that arrived meanwhile,
 *   kept in sync_shadow); rejections are kept as local conflicts.
 * - A pulled page is validated as a whole, then applied together with the
 *   new cursor in one transaction. A put applies only when its rev is newer;
 *   a record with pending local edits keeps them on top: the server's
 *   state waits in sync_shadow until they are acknowledged.
 * - evict and reset mark records as not there (deleted, rev 0) instead of
 *   removing them, so contact reports and history stay consistent, and a
 *   later put of the same record applies again.
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-protocol.h"
#include "crm-store-private.h"
#include "crm-store-sync.h"
#include "crm-sync-conflict.h"

/* ---------------------------------------------------------------- helpers */

gint64
_crm_store_wire_time (gint64 local_seconds)
{
  return local_seconds * G_USEC_PER_SEC;
}

static const char *
checked_table (const char *table)
{
  static const char *tables[] = { "lead", "contact", "activity", "lead_event" };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (tables[i], table))
      return tables[i];

  g_return_val_if_reached ("lead");
}

char *
_crm_store_uuid_of (CrmStore   *self,
                    const char *table,
                    gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT uuid FROM %s WHERE id = ?", checked_table (table));
  sqlite3_stmt *stmt = _crm_store_prepare (self, sql, NULL);
  char *uuid = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    uuid = g_strdup (_crm_store_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return uuid;
}

gint64
_crm_store_id_of (CrmStore   *self,
                  const char *table,
                  const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE uuid = ?", checked_table (table));
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (uuid == NULL || *uuid == '\0')
    return 0;

  stmt = _crm_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

static gint64
query_int (CrmStore   *self,
           const char *sql,
           const char *text)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self, sql, NULL);
  gint64 value = 0;

  if (stmt == NULL)
    return 0;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

static char *
meta_text (CrmStore   *self,
           const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM sync_meta WHERE id = 1", column);
  sqlite3_stmt *stmt = _crm_store_prepare (self, sql, NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (_crm_store_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

static void
add_text_or_null (JsonObject *object,
                  const char *name,
                  const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonNode *
node_for (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* ---------------------------------------------------------------- binding */

void
_crm_store_sync_load (CrmStore *self)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "SELECT server_url IS NOT NULL, read_only, admin FROM sync_meta WHERE id = 1", NULL);

  self->sync_bound = self->sync_read_only = self->sync_admin = FALSE;
  if (stmt == NULL)
    return;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      self->sync_bound = sqlite3_column_int (stmt, 0) != 0;
      self->sync_read_only = sqlite3_column_int (stmt, 1) != 0;
      self->sync_admin = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);
}

/* Every write path asks first: a read-only user's edits are refused here,
 * before anything is written or queued. */
gboolean
_crm_store_sync_writable (CrmStore  *self,
                          GError   **error)
{
  if (self->sync_bound && self->sync_read_only)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY,
                   _("Your account on the team server is read-only: changes cannot be saved"));
      return FALSE;
    }

  return TRUE;
}

gboolean
_crm_store_sync_key_values_writable (CrmStore  *self,
                                     GError   **error)
{
  if (!_crm_store_sync_writable (self, error))
    return FALSE;

  if (self->sync_bound && !self->sync_admin)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY,
                   _("The lists (phases, statuses, …) come from the team server: only an administrator can change them"));
      return FALSE;
    }

  return TRUE;
}

/**
 * crm_store_sync_bind:
 * @server_url: the server, as the user typed it
 * @modules: (array zero-terminated=1): the modules enabled for the user
 *
 * Binds the database to a server (first login) or updates the user's
 * name and rights (later logins). From the first binding on, every change
 * is queued in the outbox. A database bound to one server or user is not
 * bound to another: that would send one user's changes as another's.
 */
gboolean
crm_store_sync_bind (CrmStore            *self,
                     const char          *server_url,
                     const char          *login,
                     const char          *user_name,
                     const char * const  *modules,
                     gboolean             read_only,
                     gboolean             admin,
                     GError             **error)
{
  g_autofree char *old_url = NULL;
  g_autofree char *old_login = NULL;
  g_autofree char *module_text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (server_url != NULL && login != NULL, FALSE);

  old_url = meta_text (self, "server_url");
  old_login = meta_text (self, "login");
  if (old_url != NULL && (g_strcmp0 (old_url, server_url) != 0 || g_strcmp0 (old_login, login) != 0))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("This database belongs to %s on %s; use another database for %s on %s"),
                   old_login, old_url, login, server_url);
      return FALSE;
    }

  module_text = modules != NULL ? g_strjoinv (",", (char **) modules) : g_strdup ("");

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self,
    "UPDATE sync_meta SET server_url = ?, login = ?, user_name = ?, modules = ?, read_only = ?, admin = ? "
    "WHERE id = 1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, server_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, login, -1, SQLITE_TRANSIENT);
  _crm_store_bind_text (stmt, 3, user_name);
  sqlite3_bind_text (stmt, 4, module_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, read_only ? 1 : 0);
  sqlite3_bind_int (stmt, 6, admin ? 1 : 0);
  if (!_crm_store_step_done (self, stmt, error) ||
      !_crm_store_commit (self, error))
    goto fail;

  _crm_store_sync_load (self);
  if (user_name != NULL && *user_name != '\0')
    crm_store_set_author (self, user_name);
  return TRUE;

fail:
  _crm_store_rollback (self);
  return FALSE;
}

gboolean
crm_store_sync_is_bound (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return self->sync_bound;
}

const char *
crm_store_sync_get_client_id (CrmStore *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  id = meta_text (self, "client_id");
  return g_intern_string (id);
}

char *
crm_store_sync_dup_server_url (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  return meta_text (self, "server_url");
}

char *
crm_store_sync_dup_login (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  return meta_text (self, "login");
}

char *
crm_store_sync_dup_user_name (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  return meta_text (self, "user_name");
}

char **
crm_store_sync_dup_modules (CrmStore *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  text = meta_text (self, "modules");
  if (text == NULL || *text == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, ",", -1);
}

gboolean
crm_store_sync_get_read_only (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  return self->sync_read_only;
}

gboolean
crm_store_sync_get_admin (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  return self->sync_admin;
}

char *
crm_store_sync_dup_cursor (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  return meta_text (self, "cursor");
}

gint64
crm_store_sync_get_last_mutation_id (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), 0);
  return query_int (self, "SELECT last_mutation_id FROM sync_meta WHERE id = 1", NULL);
}

gint64
crm_store_sync_get_last_sync (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), 0);
  return query_int (self, "SELECT last_sync FROM sync_meta WHERE id = 1", NULL);
}

/**
 * crm_store_sync_set_last_sync:
 * @when: µs since 1970 of the end of a successful round
 */
gboolean
crm_store_sync_set_last_sync (CrmStore  *self,
                              gint64     when,
                              GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  stmt = _crm_store_prepare (self, "UPDATE sync_meta SET last_sync = ? WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, when);
  return _crm_store_step_done (self, stmt, error);
}

/**
 * crm_store_sync_dup_setting:
 * @key: a name of the caller's choice (leadsctl keeps the token file's path)
 *
 * A small setting of the sync client kept in the database (never a secret).
 */
char *
crm_store_sync_dup_setting (CrmStore   *self,
                            const char *key)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  name = g_strconcat ("sync.", key, NULL);
  return _crm_store_get_meta (self, name);
}

/**
 * crm_store_sync_set_setting:
 * @value: (nullable): %NULL removes the setting
 */
gboolean
crm_store_sync_set_setting (CrmStore    *self,
                            const char  *key,
                            const char  *value,
                            GError     **error)
{
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  name = g_strconcat ("sync.", key, NULL);
  if (value != NULL)
    return _crm_store_set_meta (self, name, value, error);

  stmt = _crm_store_prepare (self, "DELETE FROM meta WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return _crm_store_step_done (self, stmt, error);
}

/* ----------------------------------------------------------------- records */

JsonNode *
_crm_store_key_value_record (CrmStore   *self,
                             const char *kind,
                             const char *key)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "SELECT label, position, active, probability, status_class, stale_days, rev "
    "FROM key_value WHERE kind = ? AND key = ?", NULL);
  JsonObject *object = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      object = json_object_new ();
      json_object_set_string_member (object, "kind", kind);
      json_object_set_string_member (object, "key", key);
      json_object_set_string_member (object, "label", _crm_store_column_text (stmt, 0));
      json_object_set_int_member (object, "position", sqlite3_column_int (stmt, 1));
      json_object_set_boolean_member (object, "active", sqlite3_column_int (stmt, 2) != 0);
      if (sqlite3_column_type (stmt, 3) == SQLITE_NULL)
        json_object_set_null_member (object, "probability");
      else
        json_object_set_int_member (object, "probability", sqlite3_column_int (stmt, 3));
      json_object_set_int_member (object, "status_class", sqlite3_column_int (stmt, 4));
      json_object_set_int_member (object, "stale_days", sqlite3_column_int (stmt, 5));
      json_object_set_int_member (object, "rev", sqlite3_column_int64 (stmt, 6));
    }
  sqlite3_reset (stmt);

  return object != NULL ? node_for (object) : NULL;
}

JsonNode *
_crm_store_contact_record (CrmStore *self,
                           gint64    id)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "SELECT c.uuid, c.kind, c.name, co.uuid, c.notes, c.addresses, c.phones, c.emails, "
    "       c.created_at, c.updated_at, c.deleted "
    "FROM contact c LEFT JOIN contact co ON co.id = c.company_id WHERE c.id = ?", NULL);
  JsonObject *object = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *company = _crm_store_column_text (stmt, 3);

      object = json_object_new ();
      json_object_set_string_member (object, "uuid", _crm_store_column_text (stmt, 0));
      json_object_set_boolean_member (object, "deleted", sqlite3_column_int (stmt, 10) != 0);
      json_object_set_string_member (object, "kind", _crm_store_column_text (stmt, 1));
      json_object_set_string_member (object, "name", _crm_store_column_text (stmt, 2));
      json_object_set_string_member (object, "company", company != NULL ? company : "");
      json_object_set_string_member (object, "notes", _crm_store_column_text (stmt, 4));
      json_object_set_string_member (object, "addresses", _crm_store_column_text (stmt, 5));
      json_object_set_string_member (object, "phones", _crm_store_column_text (stmt, 6));
      json_object_set_string_member (object, "emails", _crm_store_column_text (stmt, 7));
      json_object_set_int_member (object, "created_at", _crm_store_wire_time (sqlite3_column_int64 (stmt, 8)));
      json_object_set_int_member (object, "updated_at", _crm_store_wire_time (sqlite3_column_int64 (stmt, 9)));
    }
  sqlite3_reset (stmt);

  return object != NULL ? node_for (object) : NULL;
}

JsonNode *
_crm_store_activity_record (CrmStore *self,
                            gint64    id)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "SELECT a.uuid, l.uuid, c.uuid, a.kind, a.at, a.subject, a.text, a.author, a.probability, a.phase, "
    "       a.created_at "
    "FROM activity a LEFT JOIN lead l ON l.id = a.lead_id LEFT JOIN contact c ON c.id = a.contact_id "
    "WHERE a.id = ?", NULL);
  JsonObject *object = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *lead = _crm_store_column_text (stmt, 1);
      const char *contact = _crm_store_column_text (stmt, 2);

      object = json_object_new ();
      json_object_set_string_member (object, "uuid", _crm_store_column_text (stmt, 0));
      json_object_set_string_member (object, "lead", lead != NULL ? lead : "");
      json_object_set_string_member (object, "contact", contact != NULL ? contact : "");
      json_object_set_string_member (object, "kind", _crm_store_column_text (stmt, 3));
      json_object_set_int_member (object, "at", _crm_store_wire_time (sqlite3_column_int64 (stmt, 4)));
      json_object_set_string_member (object, "subject", _crm_store_column_text (stmt, 5));
      json_object_set_string_member (object, "text", _crm_store_column_text (stmt, 6));
      json_object_set_string_member (object, "author", _crm_store_column_text (stmt, 7));
      if (sqlite3_column_type (stmt, 8) == SQLITE_NULL)
        json_object_set_null_member (object, "probability");
      else
        json_object_set_int_member (object, "probability", sqlite3_column_int (stmt, 8));
      add_text_or_null (object, "phase", _crm_store_column_text (stmt, 9));
      json_object_set_int_member (object, "created_at", _crm_store_wire_time (sqlite3_column_int64 (stmt, 10)));
    }
  sqlite3_reset (stmt);

  return object != NULL ? node_for (object) : NULL;
}

/**
 * _crm_store_events_of:
 * @column: "lead_id", "activity_id" or "history"
 *
 * The events of a lead (those no contact report caused: a report carries
 * its own), of a contact report, or ("history") every event of a lead in
 * the order they happened, in the wire form. Events
 * written before the database had sync (or generated) get their UUID here.
 */
JsonArray *
_crm_store_events_of (CrmStore   *self,
                      const char *column,
                      gint64      id)
{
  gboolean history = g_str_equal (column, "history");
  g_autofree char *fill = NULL;
  g_autofree char *sql = NULL;
  JsonArray *events = json_array_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (history || g_str_equal (column, "lead_id") || g_str_equal (column, "activity_id"), events);
  if (history)
    column = "lead_id";

  fill = g_strdup_printf (
    "UPDATE lead_event SET uuid = lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || "
    "  substr (hex (randomblob (2)), 2) || '-' || substr ('89ab', 1 + (abs (random ()) %% 4), 1) || "
    "  substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))) "
    "WHERE %s = ? AND uuid IS NULL", column);
  stmt = _crm_store_prepare (self, fill, NULL);
  if (stmt == NULL)
    return events;
  sqlite3_bind_int64 (stmt, 1, id);
  _crm_store_step_done (self, stmt, NULL);

  sql = g_strdup_printf (
    "SELECT e.uuid, l.uuid, e.at, e.author, e.field, e.old_value, e.new_value, a.uuid "
    "FROM lead_event e JOIN lead l ON l.id = e.lead_id LEFT JOIN activity a ON a.id = e.activity_id "
    "WHERE e.%s = ? %s ORDER BY %s", column,
    g_str_equal (column, "lead_id") && !history ? "AND e.activity_id IS NULL" : "",
    history ? "e.at, e.id" : "e.id");
  stmt = _crm_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return events;
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *event = json_object_new ();
      const char *field = _crm_store_column_text (stmt, 4);
      const char *old_value = _crm_store_column_text (stmt, 5);
      const char *new_value = _crm_store_column_text (stmt, 6);
      const char *wire_field = field;
      g_autofree char *old_wire = NULL;
      g_autofree char *new_wire = NULL;

      if (old_value != NULL)
        _crm_store_lead_wire_field (self, field, old_value, &wire_field, &old_wire);
      if (new_value != NULL)
        _crm_store_lead_wire_field (self, field, new_value, &wire_field, &new_wire);

      json_object_set_string_member (event, "uuid", _crm_store_column_text (stmt, 0));
      json_object_set_string_member (event, "lead", _crm_store_column_text (stmt, 1));
      json_object_set_int_member (event, "at", _crm_store_wire_time (sqlite3_column_int64 (stmt, 2)));
      json_object_set_string_member (event, "author", _crm_store_column_text (stmt, 3));
      json_object_set_string_member (event, "field", wire_field);
      add_text_or_null (event, "old", old_wire);
      add_text_or_null (event, "new", new_wire);
      add_text_or_null (event, "activity", _crm_store_column_text (stmt, 7));
      json_array_add_object_element (events, event);
    }
  sqlite3_reset (stmt);

  return events;
}

/* ------------------------------------------------------------------ outbox */

static gboolean
set_record_state (CrmStore    *self,
                  const char  *record_type,
                  const char  *uuid,
                  GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (g_strcmp0 (record_type, "lead") != 0 && g_strcmp0 (record_type, "contact") != 0)
    return TRUE;

  /* pending while in the outbox, then conflict while one is open, else synced */
  sql = g_strdup_printf ("UPDATE %s SET sync_state = CASE "
                         "  WHEN EXISTS (SELECT 1 FROM sync_outbox o WHERE o.record_uuid = ?1) THEN 1 "
                         "  WHEN EXISTS (SELECT 1 FROM sync_conflict c WHERE c.record_uuid = ?1 AND c.resolved = 0) THEN 3 "
                         "  ELSE 2 END WHERE uuid = ?1", checked_table (record_type));
  stmt = _crm_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  return _crm_store_step_done (self, stmt, error);
}

/**
 * _crm_store_outbox_add:
 * @args: the mutation's args (docs/sync-protocol.md)
 *
 * Queues a mutation; must run inside the transaction of the change it
 * describes. Does nothing while the database is not bound to a server.
 */
gboolean
_crm_store_outbox_add (CrmStore    *self,
                       const char  *name,
                       const char  *record_type,
                       const char  *record_uuid,
                       JsonNode    *args,
                       GError     **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_assert (!sqlite3_get_autocommit (self->db));

  if (!self->sync_bound)
    return TRUE;

  text = json_to_string (args, FALSE);
  stmt = _crm_store_prepare (self,
    "INSERT INTO sync_outbox (id, name, args, created_at, record_type, record_uuid) "
    "VALUES (max (coalesce ((SELECT max (id) FROM sync_outbox), 0), "
    "             (SELECT last_mutation_id FROM sync_meta WHERE id = 1)) + 1, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  _crm_store_bind_text (stmt, 4, record_type);
  _crm_store_bind_text (stmt, 5, record_uuid);
  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  return record_uuid == NULL || set_record_state (self, record_type, record_uuid, error);
}

guint
crm_store_sync_count_pending (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  return (guint) query_int (self, "SELECT count(*) FROM sync_outbox", NULL);
}

/**
 * crm_store_sync_count_local_only:
 *
 * Leads and contacts that were made here and never sent: what a first
 * login offers to upload.
 */
guint
crm_store_sync_count_local_only (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  return (guint) query_int (self,
    "SELECT (SELECT count(*) FROM lead WHERE sync_state = 0 AND deleted = 0) + "
    "       (SELECT count(*) FROM contact WHERE sync_state = 0 AND deleted = 0)", NULL);
}

/* A rough size of a record on the wire, to keep mutations small. */
static gsize
wire_size (JsonObject *record)
{
  g_autoptr(GList) members = json_object_get_members (record);
  gsize size = 2;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (record, l->data);

      size += strlen (l->data) + 24;
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        size += strlen (json_node_get_string (node)) * 2;   /* escapes, at worst \uXXXX for some */
    }
  return size;
}

#define HISTORY_CHUNK_BYTES (256 * 1024)

static gboolean
queue_history_chunk (CrmStore    *self,
                     const char  *uuid,
                     JsonArray  **activities,
                     JsonArray  **events,
                     GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *args;

  if (json_array_get_length (*activities) == 0 && json_array_get_length (*events) == 0)
    return TRUE;

  args = json_object_new ();
  json_object_set_string_member (args, "uuid", uuid);
  json_object_set_array_member (args, "activities", g_steal_pointer (activities));
  json_object_set_array_member (args, "events", g_steal_pointer (events));
  node = node_for (args);
  *activities = json_array_new ();
  *events = json_array_new ();

  return _crm_store_outbox_add (self, "lead.history", "lead", uuid, node, error);
}

/* The past of a local-only lead (every contact report and every logged
 * change, with its time and author) as lead.history mutations after its
 * lead.create: in the order it happened, a report before the changes it
 * caused, in chunks the protocol takes (at most 100 reports and 100
 * events, about 256 KiB). */
static gboolean
queue_lead_history (CrmStore    *self,
                    gint64       lead_id,
                    const char  *uuid,
                    GError     **error)
{
  g_autoptr(JsonArray) all_events = _crm_store_events_of (self, "history", lead_id);
  g_autoptr(GArray) report_ids = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) report_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonArray) activities = json_array_new ();
  g_autoptr(JsonArray) events = json_array_new ();
  guint n_events = json_array_get_length (all_events);
  guint a = 0, e = 0;
  gsize bytes = 0;

  report_ids = _crm_store_query_ids (self, "SELECT id FROM activity WHERE lead_id = ?1 AND deleted = 0 ORDER BY at, id",
                                     lead_id, error);
  if (report_ids == NULL)
    return FALSE;
  for (guint i = 0; i < report_ids->len; i++)
    {
      JsonNode *record = _crm_store_activity_record (self, g_array_index (report_ids, gint64, i));

      if (record == NULL)
        continue;
      g_ptr_array_add (reports, record);
      g_hash_table_insert (report_index, (gpointer) json_object_get_string_member (json_node_get_object (record), "uuid"),
                           GUINT_TO_POINTER (reports->len));
    }

  while (a < reports->len || e < n_events)
    {
      JsonObject *report = a < reports->len ? json_node_get_object (reports->pdata[a]) : NULL;
      JsonObject *event = e < n_events ? json_array_get_object_element (all_events, e) : NULL;
      gboolean take_report = event == NULL;
      JsonObject *item;
      gsize size;

      if (report != NULL && event != NULL)
        {
          /* by time, and an event never before the report that caused it */
          const char *cause = json_object_get_null_member (event, "activity")
                              ? NULL : json_object_get_string_member (event, "activity");
          guint cause_number = cause != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (report_index, cause)) : 0;

          take_report = json_object_get_int_member (report, "at") <= json_object_get_int_member (event, "at") ||
                        cause_number > a;
        }
      item = take_report ? report : event;
      size = wire_size (item);

      if (bytes + size > HISTORY_CHUNK_BYTES ||
          json_array_get_length (take_report ? activities : events) ==
            (take_report ? CRM_PROTOCOL_MAX_ACTIVITIES : CRM_PROTOCOL_MAX_EVENTS))
        {
          if (!queue_history_chunk (self, uuid, &activities, &events, error))
            return FALSE;
          bytes = 0;
        }
      json_array_add_object_element (take_report ? activities : events, json_object_ref (item));
      bytes += size;
      if (take_report)
        a++;
      else
        e++;
    }

  return queue_history_chunk (self, uuid, &activities, &events, error);
}

/**
 * crm_store_sync_upload_local:
 *
 * Queues what was made here before the first login, in one transaction:
 * every local-only contact (contact.create), and every local-only lead
 * (lead.create) followed by its whole past (lead.history: its contact
 * reports and logged changes, with their times and authors). The
 * database must be bound. What was queued is no longer local-only, so a
 * second call queues nothing again.
 */
gboolean
crm_store_sync_upload_local (CrmStore  *self,
                             GError   **error)
{
  static const char *queries[] = {
    /* companies before people, contacts before leads */
    "SELECT id FROM contact WHERE sync_state = 0 AND deleted = 0 ORDER BY kind = 'person', id",
    "SELECT id FROM lead WHERE sync_state = 0 AND deleted = 0 ORDER BY id",
  };
  GArray *ids[G_N_ELEMENTS (queries)] = { NULL, };
  gboolean ok = FALSE;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!self->sync_bound)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Log in to a team server before uploading local data"));
      return FALSE;
    }
  if (!_crm_store_sync_writable (self, error))
    return FALSE;

  if (!_crm_store_begin (self, error))
    return FALSE;

  /* all ids first: queueing changes what is local-only */
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    if ((ids[q] = _crm_store_query_ids (self, queries[q], 0, error)) == NULL)
      goto out;

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      for (guint i = 0; i < ids[q]->len; i++)
        {
          gint64 id = g_array_index (ids[q], gint64, i);
          g_autoptr(JsonNode) record = q == 0 ? _crm_store_contact_record (self, id) : _crm_store_lead_record (self, id);
          g_autofree char *uuid = NULL;

          if (record == NULL)
            continue;
          uuid = g_strdup (json_object_get_string_member (json_node_get_object (record), "uuid"));
          if (!_crm_store_outbox_add (self, q == 0 ? "contact.create" : "lead.create", q == 0 ? "contact" : "lead",
                                      uuid, record, error) ||
              (q == 1 && !queue_lead_history (self, id, uuid, error)))
            goto out;
        }
    }
  ok = _crm_store_commit (self, error);

out:
  if (!ok)
    _crm_store_rollback (self);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    g_clear_pointer (&ids[q], g_array_unref);
  if (ok)
    g_signal_emit (self, _crm_store_signals[SIGNAL_LEADS_CHANGED], 0);
  return ok;
}

/**
 * crm_store_sync_peek_batch:
 * @max_mutations: at most this many
 * @max_bytes: at most about this many bytes of args (at least one mutation)
 *
 * Returns: (transfer full) (element-type CrmProtocolMutation): the oldest
 *   mutations of the outbox, in order; empty when there are none
 */
GPtrArray *
crm_store_sync_peek_batch (CrmStore *self,
                           guint     max_mutations,
                           gsize     max_bytes)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_protocol_mutation_free);
  sqlite3_stmt *stmt;
  gsize bytes = 0;

  g_return_val_if_fail (CRM_IS_STORE (self), batch);

  stmt = _crm_store_prepare (self, "SELECT id, name, created_at, args FROM sync_outbox ORDER BY id LIMIT ?", NULL);
  if (stmt == NULL)
    return batch;
  sqlite3_bind_int (stmt, 1, MAX (max_mutations, 1));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) args = parse_object (_crm_store_column_text (stmt, 3));
      gsize size = sqlite3_column_bytes (stmt, 3) + 64;

      if (batch->len > 0 && bytes + size > max_bytes)
        break;
      if (args == NULL)
        break;   /* the CHECK constraint keeps it valid JSON; an object it always is */
      g_ptr_array_add (batch, crm_protocol_mutation_new (sqlite3_column_int64 (stmt, 0),
                                                         _crm_store_column_text (stmt, 1),
                                                         sqlite3_column_int64 (stmt, 2), args));
      bytes += size;
    }
  sqlite3_reset (stmt);

  return batch;
}

/* ------------------------------------------------------- applying records */

typedef struct {
  GHashTable *leads;      /* local lead ids changed (gint64 *) */
  GHashTable *kinds;      /* key value kinds changed */
  gboolean    contacts;   /* a contact changed */
  gint64      acked;      /* mutations up to here are known to the server */
} Applied;

static void
applied_init (Applied *applied,
              gint64   acked)
{
  applied->leads = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  applied->kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  applied->contacts = FALSE;
  applied->acked = acked;
}

static void
applied_clear (Applied *applied)
{
  g_clear_pointer (&applied->leads, g_hash_table_unref);
  g_clear_pointer (&applied->kinds, g_hash_table_unref);
}

static void
applied_lead (Applied *applied,
              gint64   id)
{
  if (id > 0)
    g_hash_table_add (applied->leads, g_memdup2 (&id, sizeof id));
}

/* Tells everyone after the transaction: the live leads, the views, the
 * key value caches. Many leads at once are one leads-changed. */
static void
applied_notify (CrmStore *self,
                Applied  *applied)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (applied->kinds) > 0)
    {
      _crm_store_reload_key_values (self);
      g_hash_table_iter_init (&iter, applied->kinds);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_signal_emit (self, _crm_store_signals[SIGNAL_KEY_VALUES_CHANGED], 0, (const char *) key);
    }

  if (applied->contacts)
    g_signal_emit (self, _crm_store_signals[SIGNAL_CONTACTS_CHANGED], 0, (gint64) 0);

  if (g_hash_table_size (applied->leads) > 100)
    {
      g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                 g_hash_table_size (applied->leads));

      g_hash_table_iter_init (&iter, applied->leads);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_array_append_val (ids, *(gint64 *) key);
      g_hash_table_iter_init (&iter, self->live_leads);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        _crm_store_refresh_lead (self, *(gint64 *) key);
      /* the statistics know which leads: no summary rebuild per page */
      _crm_store_stats_note_many (self, (const gint64 *) ids->data, ids->len);
      g_signal_emit (self, _crm_store_signals[SIGNAL_LEADS_CHANGED], 0);
      return;
    }

  g_hash_table_iter_init (&iter, applied->leads);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    _crm_store_lead_notify (self, *(gint64 *) key);
}

/* Ends the transaction of a page or a push answer: commits (or, when
 * @ok is FALSE, rolls back) and then tells everyone. */
static gboolean
applied_finish (CrmStore  *self,
                Applied   *applied,
                gboolean   ok,
                GError   **error)
{
  if (!ok)
    _crm_store_rollback (self);
  else if ((ok = _crm_store_commit (self, error)))
    applied_notify (self, applied);

  applied_clear (applied);
  return ok;
}

/* The search index of the leads a page changed, written in two
 * statements instead of one per row (see migrations/005-deferred-fts.sql:
 * FTS5 flushes at every statement savepoint). The triggers were quiet
 * since defer_index (); this brings lead_fts back to what they would have
 * written and turns them on again, inside the same transaction. */
static gboolean
defer_index (CrmStore  *self,
             GError   **error)
{
  return _crm_store_exec (self, "UPDATE store_flags SET fts_deferred = 1", error);
}

static gboolean
index_deferred (CrmStore  *self,
                Applied   *applied,
                GError   **error)
{
  g_autoptr(GString) ids = g_string_new ("[");
  GHashTableIter iter;
  gpointer key;
  sqlite3_stmt *stmt;

  g_hash_table_iter_init (&iter, applied->leads);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 1 ? "," : "", *(gint64 *) key);
  g_string_append_c (ids, ']');

  if (g_hash_table_size (applied->leads) > 0)
    {
      stmt = _crm_store_prepare (self,
        "DELETE FROM lead_fts WHERE rowid IN (SELECT value FROM json_each (?))", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, ids->str, ids->len, SQLITE_STATIC);
      if (!_crm_store_step_done (self, stmt, error))
        return FALSE;

      /* the same row as the lead_fts_insert trigger makes */
      stmt = _crm_store_prepare (self,
        "INSERT INTO lead_fts (rowid, title, contact, description, reports) "
        "SELECT l.id, l.title, l.contact_name, l.description, "
        "       coalesce ((SELECT group_concat (subject || ' ' || text, ' ') "
        "                  FROM activity WHERE lead_id = l.id), '') "
        "FROM lead l WHERE l.id IN (SELECT value FROM json_each (?))", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, ids->str, ids->len, SQLITE_STATIC);
      if (!_crm_store_step_done (self, stmt, error))
        return FALSE;
    }

  return _crm_store_exec (self, "UPDATE store_flags SET fts_deferred = 0", error);
}

/* The text in the first column of every row of @sql, or NULL on error. */
static GPtrArray *
first_column (CrmStore    *self,
              const char  *sql,
              GError     **error)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = _crm_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (texts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("the sync"));
      return NULL;
    }

  return g_steal_pointer (&texts);
}

/* The lead indexes that only the list and its sorting use: neither sync
 * itself (uuid, contact) nor a query naming its index (INDEXED BY). */
#define SUSPENDABLE_INDEXES \
  "SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list ('lead') il ON il.name = m.name " \
  "WHERE m.type = 'index' AND il.\"unique\" = 0 AND m.sql IS NOT NULL " \
  "  AND m.name NOT IN ('lead_contact', 'lead_stats', 'lead_search')"

/* A pull from the start that brings more than a page: the sort indexes
 * go aside until its last page (migrations/005-bulk-apply.sql). Their
 * definitions are kept in the same transaction, so nothing is lost if
 * the pull stops half-way. */
static gboolean
suspend_indexes (CrmStore  *self,
                 GError   **error)
{
  g_autoptr(GPtrArray) names = NULL;

  if (!_crm_store_exec (self, "INSERT OR IGNORE INTO suspended_index (name, sql) " SUSPENDABLE_INDEXES, error) ||
      (names = first_column (self, SUSPENDABLE_INDEXES, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"", (const char *) names->pdata[i]);

      if (!_crm_store_exec (self, sql, error))
        return FALSE;
    }

  g_debug ("Initial sync: %u sort indexes set aside", names->len);
  return TRUE;
}

/**
 * _crm_store_restore_indexes:
 *
 * Builds the indexes suspend_indexes() set aside, in the current
 * transaction (or its own one when there is none: the store opening
 * after a pull that stopped half-way). Nothing to do is one lookup.
 */
gboolean
_crm_store_restore_indexes (CrmStore  *self,
                            GError   **error)
{
  g_autoptr(GPtrArray) definitions = first_column (self, "SELECT sql FROM suspended_index ORDER BY name", error);
  gboolean own = sqlite3_get_autocommit (self->db) != 0;

  if (definitions == NULL)
    return FALSE;
  if (definitions->len == 0)
    return TRUE;

  if (own && !_crm_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < definitions->len; i++)
    if (!_crm_store_exec (self, definitions->pdata[i], error))
      goto fail;
  if (!_crm_store_exec (self, "DELETE FROM suspended_index", error))
    goto fail;
  if (own && !_crm_store_commit (self, error))
    return FALSE;

  g_debug ("%u sort indexes built again", definitions->len);
  return TRUE;

fail:
  if (own)
    _crm_store_rollback (self);
  return FALSE;
}

/* Local edits of the record the server does not know of yet. */
static gboolean
has_pending (CrmStore   *self,
             const char *uuid,
             gint64      acked)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE record_uuid = ? AND id > ?)", NULL);
  gboolean pending = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, acked);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    pending = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  return pending;
}

static gboolean
keep_shadow (CrmStore    *self,
             const char  *type,
             JsonObject  *data,
             gint64       rev,
             GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  json_node_set_object (node, data);
  text = json_to_string (node, FALSE);

  stmt = _crm_store_prepare (self,
    "INSERT INTO sync_shadow (record_type, record_uuid, rev, data) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (record_type, record_uuid) DO UPDATE SET rev = excluded.rev, data = excluded.data "
    "WHERE excluded.rev > sync_shadow.rev", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json_object_get_string_member (data, "uuid"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, rev);
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
  return _crm_store_step_done (self, stmt, error);
}

static gboolean
put_contact (CrmStore    *self,
             JsonObject  *data,
             gint64       rev,
             Applied     *applied,
             GError     **error)
{
  const char *company = json_object_get_string_member_with_default (data, "company", "");
  const char *uuid = json_object_get_string_member (data, "uuid");
  gint64 company_id = 0;
  sqlite3_stmt *stmt;

  if (*company != '\0' && (company_id = _crm_store_contact_for_uuid (self, company, "company", error)) == 0)
    return FALSE;

  stmt = _crm_store_prepare (self,
    "INSERT INTO contact (uuid, kind, name, company_id, notes, addresses, phones, emails, created_at, "
    "                     updated_at, rev, deleted, sync_state) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
    "        CASE WHEN EXISTS (SELECT 1 FROM sync_conflict c WHERE c.record_uuid = ?1 AND c.resolved = 0) "
    "             THEN 3 ELSE 2 END) "
    "ON CONFLICT (uuid) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
    "  company_id = excluded.company_id, notes = excluded.notes, addresses = excluded.addresses, "
    "  phones = excluded.phones, emails = excluded.emails, created_at = excluded.created_at, "
    "  updated_at = excluded.updated_at, rev = excluded.rev, deleted = excluded.deleted, "
    "  sync_state = excluded.sync_state", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, json_object_get_string_member (data, "kind"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json_object_get_string_member (data, "name"), -1, SQLITE_TRANSIENT);
  if (company_id > 0)
    sqlite3_bind_int64 (stmt, 4, company_id);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, json_object_get_string_member_with_default (data, "notes", ""), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, json_object_get_string_member_with_default (data, "addresses", ""), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, json_object_get_string_member_with_default (data, "phones", ""), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, json_object_get_string_member_with_default (data, "emails", ""), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, json_object_get_int_member_with_default (data, "created_at", 0) / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 10, json_object_get_int_member_with_default (data, "updated_at", 0) / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 11, rev);
  sqlite3_bind_int (stmt, 12, json_object_get_boolean_member_with_default (data, "deleted", FALSE) ? 1 : 0);
  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  /* the name leads show and sort by */
  stmt = _crm_store_prepare (self,
    "UPDATE lead SET contact_name = ?1 WHERE contact_id = (SELECT id FROM contact WHERE uuid = ?2) "
    "AND contact_name != ?1 RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (data, "name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    applied_lead (applied, sqlite3_column_int64 (stmt, 0));
  sqlite3_reset (stmt);

  applied->contacts = TRUE;
  return TRUE;
}

/* The put of a lead or contact: only when its rev is newer; while local
 * edits are pending it waits in sync_shadow. */
static gboolean
apply_record_put (CrmStore    *self,
                  const char  *type,
                  JsonObject  *data,
                  Applied     *applied,
                  GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rev FROM %s WHERE uuid = ?", type);
  const char *uuid = json_object_get_string_member (data, "uuid");
  gint64 rev = json_object_get_int_member (data, "rev");
  sqlite3_stmt *stmt = _crm_store_prepare (self, sql, error);
  gint64 local_rev = -1;
  gint64 id = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    local_rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (local_rev >= rev)
    return TRUE;

  if (has_pending (self, uuid, applied->acked))
    return keep_shadow (self, type, data, rev, error);

  if (g_str_equal (type, "contact"))
    return put_contact (self, data, rev, applied, error);

  if (!_crm_store_lead_put (self, data, rev, &id, error))
    return FALSE;
  applied_lead (applied, id);
  return TRUE;
}

/* A record left the user's view: hidden like a deleted one, with rev 0
 * so that it comes back whole if it is sent again. */
static gboolean
evict_record (CrmStore    *self,
              const char  *type,
              const char  *uuid,
              Applied     *applied,
              GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET deleted = 1, rev = 0 WHERE uuid = ? RETURNING id",
                                          checked_table (type));
  sqlite3_stmt *stmt = _crm_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (g_str_equal (type, "lead"))
        applied_lead (applied, sqlite3_column_int64 (stmt, 0));
      else if (g_str_equal (type, "contact"))
        applied->contacts = TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("the sync"));
      return FALSE;
    }

  return TRUE;
}

/* A lead the server refers to before it sent the lead: a hidden stand-in
 * (rev 0) that the lead's own put fills in. */
static gint64
lead_for_uuid (CrmStore    *self,
               const char  *uuid,
               GError     **error)
{
  gint64 id = _crm_store_id_of (self, "lead", uuid);
  sqlite3_stmt *stmt;

  if (id > 0)
    return id;

  stmt = _crm_store_prepare (self,
    "INSERT INTO lead (uuid, title, currency, probability, status, phase, created_at, updated_at, "
    "                  rev, deleted, sync_state) "
    "VALUES (?, '…', 'EUR', 0, 'open', '', 0, 0, 0, 1, 2)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (!_crm_store_step_done (self, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
put_activity (CrmStore    *self,
              JsonObject  *data,
              Applied     *applied,
              GError     **error)
{
  const char *lead = json_object_get_string_member (data, "lead");
  const char *contact = json_object_get_string_member_with_default (data, "contact", "");
  gint64 lead_id = 0;
  gint64 contact_id;
  sqlite3_stmt *stmt;

  /* contact reports are append-only: one that is here stays as it is */
  if (_crm_store_id_of (self, "activity", json_object_get_string_member (data, "uuid")) > 0)
    return TRUE;

  if (*lead != '\0' && (lead_id = lead_for_uuid (self, lead, error)) == 0)
    return FALSE;
  contact_id = _crm_store_id_of (self, "contact", contact);

  stmt = _crm_store_prepare (self,
    "INSERT INTO activity (uuid, lead_id, contact_id, kind, at, subject, text, author, probability, phase, "
    "                      created_at, rev) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (data, "uuid"), -1, SQLITE_TRANSIENT);
  if (lead_id > 0)
    sqlite3_bind_int64 (stmt, 2, lead_id);
  else
    sqlite3_bind_null (stmt, 2);
  if (contact_id > 0)
    sqlite3_bind_int64 (stmt, 3, contact_id);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, json_object_get_string_member (data, "kind"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, json_object_get_int_member (data, "at") / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 6, json_object_get_string_member_with_default (data, "subject", ""), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, json_object_get_string_member_with_default (data, "text", ""), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, json_object_get_string_member_with_default (data, "author", ""), -1, SQLITE_TRANSIENT);
  if (json_object_has_member (data, "probability") && !json_object_get_null_member (data, "probability"))
    sqlite3_bind_int64 (stmt, 9, CLAMP (json_object_get_int_member (data, "probability"), 0, 100));
  else
    sqlite3_bind_null (stmt, 9);
  if (json_object_has_member (data, "phase") && !json_object_get_null_member (data, "phase"))
    sqlite3_bind_text (stmt, 10, json_object_get_string_member (data, "phase"), -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 10);
  sqlite3_bind_int64 (stmt, 11, json_object_get_int_member_with_default (data, "created_at", 0) / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 12, json_object_get_int_member_with_default (data, "rev", 1));
  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  if (lead_id > 0)
    {
      stmt = _crm_store_prepare (self,
        "UPDATE lead SET last_activity = max (coalesce (last_activity, 0), ?) WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, json_object_get_int_member (data, "at") / G_USEC_PER_SEC);
      sqlite3_bind_int64 (stmt, 2, lead_id);
      if (!_crm_store_step_done (self, stmt, error))
        return FALSE;
      applied_lead (applied, lead_id);
    }

  return TRUE;
}

/* A wire value of an event -> the local form (contacts by local id). */
static char *
local_event_value (CrmStore    *self,
                   JsonObject  *data,
                   const char  *member)
{
  const char *field = json_object_get_string_member (data, "field");
  const char *value;

  if (!json_object_has_member (data, member) || json_object_get_null_member (data, member))
    return NULL;
  value = json_object_get_string_member (data, member);

  if (g_str_equal (field, "contact") && *value != '\0')
    {
      gint64 id = _crm_store_id_of (self, "contact", value);

      return id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, id) : g_strdup ("");
    }

  return g_strdup (value);
}

static gboolean
put_event (CrmStore    *self,
           JsonObject  *data,
           Applied     *applied,
           GError     **error)
{
  const char *field = json_object_get_string_member (data, "field");
  g_autofree char *old_value = NULL;
  g_autofree char *new_value = NULL;
  const char *activity = NULL;
  gint64 lead_id, activity_id = 0;
  sqlite3_stmt *stmt;

  if (_crm_store_id_of (self, "lead_event", json_object_get_string_member (data, "uuid")) > 0)
    return TRUE;

  lead_id = lead_for_uuid (self, json_object_get_string_member (data, "lead"), error);
  if (lead_id == 0)
    return FALSE;
  if (json_object_has_member (data, "activity") && !json_object_get_null_member (data, "activity"))
    activity = json_object_get_string_member (data, "activity");
  activity_id = _crm_store_id_of (self, "activity", activity);

  old_value = local_event_value (self, data, "old");
  new_value = local_event_value (self, data, "new");

  stmt = _crm_store_prepare (self,
    "INSERT INTO lead_event (uuid, lead_id, at, author, field, old_value, new_value, activity_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (data, "uuid"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, lead_id);
  sqlite3_bind_int64 (stmt, 3, json_object_get_int_member (data, "at") / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 4, json_object_get_string_member_with_default (data, "author", ""), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, g_str_equal (field, "contact") ? "contact_id" : field, -1, SQLITE_TRANSIENT);
  _crm_store_bind_text (stmt, 6, old_value);
  _crm_store_bind_text (stmt, 7, new_value);
  if (activity_id > 0)
    sqlite3_bind_int64 (stmt, 8, activity_id);
  else
    sqlite3_bind_null (stmt, 8);
  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  applied_lead (applied, lead_id);
  return TRUE;
}

static gboolean
put_key_value (CrmStore    *self,
               JsonObject  *data,
               Applied     *applied,
               GError     **error)
{
  const char *kind = json_object_get_string_member (data, "kind");
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "INSERT INTO key_value (kind, key, label, position, active, probability, status_class, stale_days, rev) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (kind, key) DO UPDATE SET label = excluded.label, position = excluded.position, "
    "  active = excluded.active, probability = excluded.probability, "
    "  status_class = excluded.status_class, stale_days = excluded.stale_days, rev = excluded.rev "
    "WHERE excluded.rev > key_value.rev", error);
  gint64 probability = -1;

  if (stmt == NULL)
    return FALSE;
  if (json_object_has_member (data, "probability") && !json_object_get_null_member (data, "probability"))
    probability = json_object_get_int_member (data, "probability");

  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, json_object_get_string_member (data, "key"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json_object_get_string_member (data, "label"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, json_object_get_int_member (data, "position"));
  sqlite3_bind_int (stmt, 5, json_object_get_boolean_member (data, "active") ? 1 : 0);
  if (probability >= 0 && probability <= 100)
    sqlite3_bind_int64 (stmt, 6, probability);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_int64 (stmt, 7, CLAMP (json_object_get_int_member_with_default (data, "status_class", 0), 0, 2));
  sqlite3_bind_int64 (stmt, 8, json_object_get_int_member_with_default (data, "stale_days", 0));
  sqlite3_bind_int64 (stmt, 9, json_object_get_int_member (data, "rev"));
  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) > 0)
    g_hash_table_add (applied->kinds, g_strdup (kind));
  return TRUE;
}

static gboolean
put_user (CrmStore    *self,
          JsonObject  *data,
          GError     **error)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "INSERT INTO sync_user (login, name, active) VALUES (?, ?, ?) "
    "ON CONFLICT (login) DO UPDATE SET name = excluded.name, active = excluded.active", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (data, "login"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, json_object_get_string_member (data, "name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, json_object_get_boolean_member_with_default (data, "active", TRUE) ? 1 : 0);
  return _crm_store_step_done (self, stmt, error);
}

static const char *
text_or_null (JsonObject *data,
              const char *member)
{
  if (!json_object_has_member (data, member) || json_object_get_null_member (data, member))
    return NULL;
  return json_object_get_string_member (data, member);
}

static gboolean
put_conflict (CrmStore    *self,
              JsonObject  *data,
              Applied     *applied,
              GError     **error)
{
  const char *record = json_object_get_string_member (data, "record");
  const char *record_type = json_object_get_string_member (data, "record_type");
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "INSERT INTO sync_conflict (uuid, record_type, record_uuid, field, base, kept, rejected, kept_by, "
    "                           rejected_by, at, kind, reason, resolved, resolution) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, coalesce (?, ''), coalesce (?, ''), ?, ?, coalesce (?, ''), ?, ?) "
    "ON CONFLICT (uuid) DO UPDATE SET resolved = excluded.resolved, resolution = excluded.resolution", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (data, "uuid"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, record_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, record, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, json_object_get_string_member_with_default (data, "field", ""), -1, SQLITE_TRANSIENT);
  _crm_store_bind_text (stmt, 5, text_or_null (data, "base"));
  _crm_store_bind_text (stmt, 6, text_or_null (data, "kept"));
  _crm_store_bind_text (stmt, 7, text_or_null (data, "rejected"));
  _crm_store_bind_text (stmt, 8, text_or_null (data, "kept_by"));
  _crm_store_bind_text (stmt, 9, text_or_null (data, "rejected_by"));
  sqlite3_bind_int64 (stmt, 10, json_object_get_int_member (data, "at"));
  sqlite3_bind_text (stmt, 11, json_object_get_string_member (data, "kind"), -1, SQLITE_TRANSIENT);
  _crm_store_bind_text (stmt, 12, text_or_null (data, "reason"));
  sqlite3_bind_int (stmt, 13, json_object_get_boolean_member_with_default (data, "resolved", FALSE) ? 1 : 0);
  _crm_store_bind_text (stmt, 14, text_or_null (data, "resolution"));
  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  if (!set_record_state (self, record_type, record, error))
    return FALSE;
  if (g_str_equal (record_type, "lead"))
    applied_lead (applied, _crm_store_id_of (self, "lead", record));
  return TRUE;
}

static gboolean
apply_row (CrmStore        *self,
           CrmProtocolRow  *row,
           Applied         *applied,
           GError         **error)
{
  const char *type = crm_record_type_to_string (row->type);
  gboolean put = !row->evict;
  JsonObject *data = row->data;
  sqlite3_stmt *stmt;

  if (g_str_equal (type, "lead") || g_str_equal (type, "contact"))
    return put ? apply_record_put (self, type, data, applied, error)
               : evict_record (self, type, json_object_get_string_member (data, "uuid"), applied, error);
  if (g_str_equal (type, "activity"))
    return put ? put_activity (self, data, applied, error)
               : evict_record (self, "activity", json_object_get_string_member (data, "uuid"), applied, error);
  if (g_str_equal (type, "event"))
    {
      if (put)
        return put_event (self, data, applied, error);
      stmt = _crm_store_prepare (self, "DELETE FROM lead_event WHERE uuid = ?", error);
    }
  else if (g_str_equal (type, "key_value"))
    {
      if (put)
        return put_key_value (self, data, applied, error);
      /* a key value cannot vanish while leads use it: deactivated instead */
      stmt = _crm_store_prepare (self, "UPDATE key_value SET active = 0 WHERE kind = ? AND key = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, json_object_get_string_member (data, "kind"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, json_object_get_string_member (data, "key"), -1, SQLITE_TRANSIENT);
      g_hash_table_add (applied->kinds, g_strdup (json_object_get_string_member (data, "kind")));
      return _crm_store_step_done (self, stmt, error);
    }
  else if (g_str_equal (type, "user"))
    {
      if (put)
        return put_user (self, data, error);
      stmt = _crm_store_prepare (self, "DELETE FROM sync_user WHERE login = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, json_object_get_string_member (data, "login"), -1, SQLITE_TRANSIENT);
      return _crm_store_step_done (self, stmt, error);
    }
  else
    {
      if (put)
        return put_conflict (self, data, applied, error);
      stmt = _crm_store_prepare (self, "DELETE FROM sync_conflict WHERE uuid = ? AND local = 0", error);
    }

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (data, "uuid"), -1, SQLITE_TRANSIENT);
  return _crm_store_step_done (self, stmt, error);
}

/* Rows a record depends on go first: a page may hold a report before
 * the later state of its lead (rows come in seq order). */
static int
type_rank (CrmProtocolRow *row)
{
  static const CrmRecordType order[] = {
    CRM_RECORD_KEY_VALUE, CRM_RECORD_USER, CRM_RECORD_CONTACT, CRM_RECORD_LEAD,
    CRM_RECORD_ACTIVITY, CRM_RECORD_EVENT, CRM_RECORD_CONFLICT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (order[i] == row->type)
      return i;
  return G_N_ELEMENTS (order);
}

/**
 * crm_store_sync_apply_page:
 * @page: the answer of POST /api/v1/sync/pull, validated as a whole by
 *   crm_protocol_page_parse()
 * @out_reset: (out): the server asked for a reset (done already: pull
 *   again from the start)
 *
 * Applies the page together with its cursor in one transaction. On any
 * error nothing is applied and the cursor stays.
 */
gboolean
crm_store_sync_apply_page (CrmStore         *self,
                           CrmProtocolPage  *page,
                           gboolean         *out_reset,
                           GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *cursor = NULL;
  Applied applied;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (out_reset != NULL)
    *out_reset = FALSE;

  if (page->reset)
    {
      if (out_reset != NULL)
        *out_reset = TRUE;
      return crm_store_sync_reset (self, error);
    }

  cursor = crm_store_sync_dup_cursor (self);
  if (page->rows->len == 0 && g_strcmp0 (cursor, page->cursor) == 0)
    {
      /* a round with nothing new writes nothing (but ends an initial
       * sync whose last page came back empty) */
      return page->has_more || _crm_store_restore_indexes (self, error);
    }

  for (guint i = 0; i < page->rows->len; i++)
    g_ptr_array_add (rows, page->rows->pdata[i]);
  for (guint i = 1; i < rows->len; i++)   /* stable insertion sort by type */
    for (guint j = i; j > 0 && type_rank (rows->pdata[j - 1]) > type_rank (rows->pdata[j]); j--)
      {
        gpointer tmp = rows->pdata[j];

        rows->pdata[j] = rows->pdata[j - 1];
        rows->pdata[j - 1] = tmp;
      }

  if (!_crm_store_begin (self, error))
    return FALSE;

  applied_init (&applied, page->last_mutation_id);
  if (!defer_index (self, error))
    goto fail;
  if (page->has_more && cursor == NULL && !suspend_indexes (self, error))
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    if (!apply_row (self, rows->pdata[i], &applied, error))
      goto fail;
  if (!index_deferred (self, &applied, error))
    goto fail;
  if (!page->has_more && !_crm_store_restore_indexes (self, error))
    goto fail;

  if (g_hash_table_contains (applied.kinds, "phase") && !_crm_store_update_phase_ranks (self, error))
    goto fail;

  stmt = _crm_store_prepare (self, "UPDATE sync_meta SET cursor = ? WHERE id = 1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, page->cursor, -1, SQLITE_TRANSIENT);
  return applied_finish (self, &applied, _crm_store_step_done (self, stmt, error), error);

fail:
  return applied_finish (self, &applied, FALSE, error);
}

/**
 * crm_store_sync_reset:
 *
 * Drops the server's data (the server asked for it: new epoch, cursor too
 * old, rights changed), keeps the outbox and what has pending edits, and
 * sets the cursor back to the start. Records are hidden and their rev set
 * to 0, so the pull from the start brings back exactly what the user may
 * see now.
 */
gboolean
crm_store_sync_reset (CrmStore  *self,
                      GError   **error)
{
  static const char *statements[] = {
    "UPDATE lead SET deleted = 1, rev = 0 WHERE sync_state IN (2, 3) "
    "  AND uuid NOT IN (SELECT record_uuid FROM sync_outbox WHERE record_uuid IS NOT NULL)",
    "UPDATE contact SET deleted = 1, rev = 0 WHERE sync_state IN (2, 3) "
    "  AND uuid NOT IN (SELECT record_uuid FROM sync_outbox WHERE record_uuid IS NOT NULL)",
    "UPDATE key_value SET rev = 0",
    "DELETE FROM sync_conflict WHERE local = 0",
    "DELETE FROM sync_user",
    "DELETE FROM sync_shadow",
    "UPDATE sync_meta SET cursor = NULL WHERE id = 1",
  };

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    if (!_crm_store_exec (self, statements[i], error))
      {
        _crm_store_rollback (self);
        return FALSE;
      }
  if (!_crm_store_commit (self, error))
    return FALSE;

  g_hash_table_remove_all (self->live_leads);
  g_signal_emit (self, _crm_store_signals[SIGNAL_LEADS_CHANGED], 0);
  g_signal_emit (self, _crm_store_signals[SIGNAL_CONTACTS_CHANGED], 0, (gint64) 0);
  return TRUE;
}

/* ------------------------------------------------------------ push answer */

/* The fields of a lead.update (or of an activity's lead_update). */
static JsonObject *
mutation_fields (const char *name,
                 JsonObject *args)
{
  if (g_str_equal (name, "lead.update") || g_str_equal (name, "contact.update"))
    return json_object_has_member (args, "fields") ? json_object_get_object_member (args, "fields") : NULL;
  if (g_str_equal (name, "activity.create") && json_object_has_member (args, "lead_update"))
    return json_object_get_object_member (json_object_get_object_member (args, "lead_update"), "fields");
  return NULL;
}

/* Does a mutation after @id change @field of the record? Then that newer
 * edit decides the field, not the base of the older one. */
static gboolean
later_edit_of (CrmStore   *self,
               gint64      id,
               const char *uuid,
               const char *field)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "SELECT name, args FROM sync_outbox WHERE record_uuid = ? AND id > ?", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id);
  while (!found && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) args = parse_object (_crm_store_column_text (stmt, 1));
      JsonObject *fields = args != NULL ? mutation_fields (_crm_store_column_text (stmt, 0), args) : NULL;

      found = fields != NULL && json_object_has_member (fields, field);
    }
  sqlite3_reset (stmt);

  return found;
}

static gboolean
add_local_conflict (CrmStore    *self,
                    const char  *record_type,
                    const char  *record_uuid,
                    const char  *field,
                    const char  *base,
                    const char  *value,
                    const char  *reason,
                    const char  *message,
                    const char  *mutation,
                    GError     **error)
{
  g_autofree char *uuid = _crm_store_new_uuid ();
  g_autofree char *login = meta_text (self, "user_name");
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "INSERT INTO sync_conflict (uuid, record_type, record_uuid, field, base, kept, rejected, kept_by, "
    "                           rejected_by, at, kind, reason, message, local, mutation) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, 'rejected', ?, ?, 1, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, record_uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_TRANSIENT);
  _crm_store_bind_text (stmt, 5, base);
  _crm_store_bind_text (stmt, 6, base);
  _crm_store_bind_text (stmt, 7, value);
  sqlite3_bind_text (stmt, 8, login != NULL ? login : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, g_get_real_time ());
  sqlite3_bind_text (stmt, 10, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, message != NULL ? message : "", -1, SQLITE_TRANSIENT);
  _crm_store_bind_text (stmt, 12, mutation);
  return _crm_store_step_done (self, stmt, error);
}

/* Takes back, locally, the fields of mutation @id the server did not
 * apply (@only: just these; NULL: all), and the history rows about them. */
static gboolean
revert_fields (CrmStore     *self,
               gint64        id,
               const char   *name,
               const char   *record_type,
               const char   *uuid,
               JsonObject   *args,
               const char * const *only,
               const char   *reason,
               const char   *message,
               const char   *mutation,
               Applied      *applied,
               GError      **error)
{
  JsonObject *fields = mutation_fields (name, args);
  g_autoptr(JsonObject) back = json_object_new ();       /* fields set back */
  g_autoptr(JsonObject) not_taken = json_object_new ();  /* fields the server did not take */
  g_autoptr(GList) names = NULL;

  if (fields == NULL)
    return TRUE;

  names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonObject *pair = json_object_get_object_member (fields, field);
      gboolean listed = only == NULL;

      if (only != NULL && g_strv_contains (only, field))
        listed = TRUE;
      if (!listed || pair == NULL)
        continue;

      if (reason != NULL &&
          !add_local_conflict (self, record_type, uuid, field,
                               json_object_get_string_member_with_default (pair, "base", ""),
                               json_object_get_string_member_with_default (pair, "value", ""),
                               reason, message, mutation, error))
        return FALSE;

      json_object_set_boolean_member (not_taken, field, TRUE);
      if (!later_edit_of (self, id, uuid, field))
        json_object_set_string_member (back, field, json_object_get_string_member_with_default (pair, "base", ""));
    }

  if (json_object_get_size (not_taken) == 0)
    return TRUE;

  if (g_str_equal (record_type, "lead"))
    {
      gint64 lead_id = _crm_store_id_of (self, "lead", uuid);
      JsonArray *events = json_object_has_member (args, "events") ? json_object_get_array_member (args, "events") : NULL;
      sqlite3_stmt *stmt;

      if (lead_id == 0)
        return TRUE;
      if (json_object_get_size (back) > 0 &&
          !_crm_store_lead_set_wire_fields (self, lead_id, back, error))
        return FALSE;
      applied_lead (applied, lead_id);

      /* the history keeps only what happened: none of the edit's events
       * of the fields not taken, also when a later edit of the same
       * field keeps its value for now */
      stmt = _crm_store_prepare (self, "DELETE FROM lead_event WHERE uuid = ?", error);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
        {
          JsonObject *event = json_array_get_object_element (events, i);

          if (event == NULL || !json_object_has_member (not_taken, json_object_get_string_member_with_default (event, "field", "")))
            continue;
          sqlite3_bind_text (stmt, 1, json_object_get_string_member (event, "uuid"), -1, SQLITE_TRANSIENT);
          if (!_crm_store_step_done (self, stmt, error))
            return FALSE;
        }
    }
  else if (g_str_equal (record_type, "contact"))
    {
      static const char *columns[] = { "name", "notes", "addresses", "phones", "emails" };

      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        {
          g_autofree char *sql = NULL;
          sqlite3_stmt *stmt;

          if (!json_object_has_member (back, columns[i]))
            continue;
          sql = g_strdup_printf ("UPDATE contact SET %s = ? WHERE uuid = ?", columns[i]);
          stmt = _crm_store_prepare (self, sql, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, json_object_get_string_member (back, columns[i]), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
          if (!_crm_store_step_done (self, stmt, error))
            return FALSE;
        }
      applied->contacts = TRUE;
    }

  return TRUE;
}

static gboolean
process_result (CrmStore           *self,
                CrmProtocolResult  *result,
                GHashTable         *touched,
                Applied            *applied,
                GError            **error)
{
  gint64 id = result->id;
  const char *reason = result->reason != NULL ? result->reason : "";
  const char *message = result->message != NULL ? result->message : "";
  g_autofree char *name = NULL;
  g_autofree char *args_text = NULL;
  g_autofree char *record_type = NULL;
  g_autofree char *record_uuid = NULL;
  g_autoptr(JsonObject) args = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _crm_store_prepare (self, "SELECT name, args, record_type, record_uuid FROM sync_outbox WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      name = g_strdup (_crm_store_column_text (stmt, 0));
      args_text = g_strdup (_crm_store_column_text (stmt, 1));
      record_type = g_strdup (_crm_store_column_text (stmt, 2));
      record_uuid = g_strdup (_crm_store_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (!found)
    return TRUE;   /* processed before (an answer that came twice) */

  args = parse_object (args_text);
  if (args != NULL && record_uuid != NULL)
    {
      if (result->outcome == CRM_PROTOCOL_OUTCOME_PARTIAL || result->outcome == CRM_PROTOCOL_OUTCOME_CONFLICT)
        {
          /* the server keeps the first committed value and records a
           * conflict that comes with the next pull */
          if (!revert_fields (self, id, name, record_type, record_uuid, args,
                              (const char * const *) result->conflicts,
                              NULL, NULL, NULL, applied, error))
            return FALSE;
        }
      else if (result->outcome == CRM_PROTOCOL_OUTCOME_REJECTED)
        {
          /* an edit of a deleted record is kept in the server's conflict;
           * any other rejection is kept here, for the user to see */
          const char *keep = g_str_equal (reason, "deleted") ? NULL : reason;
          gboolean has_fields = mutation_fields (name, args) != NULL;

          if (!revert_fields (self, id, name, record_type, record_uuid, args, NULL,
                              keep, message, args_text, applied, error))
            return FALSE;
          if (keep != NULL && !has_fields &&
              !add_local_conflict (self, record_type, record_uuid, "", NULL, NULL, keep, message, args_text, error))
            return FALSE;
          if (g_str_equal (name, "lead.delete") || g_str_equal (name, "lead.undelete"))
            {
              stmt = _crm_store_prepare (self, "UPDATE lead SET deleted = ? WHERE uuid = ? RETURNING id", error);
              if (stmt == NULL)
                return FALSE;
              sqlite3_bind_int (stmt, 1, g_str_equal (name, "lead.delete") ? 0 : 1);
              sqlite3_bind_text (stmt, 2, record_uuid, -1, SQLITE_TRANSIENT);
              while (sqlite3_step (stmt) == SQLITE_ROW)
                applied_lead (applied, sqlite3_column_int64 (stmt, 0));
              sqlite3_reset (stmt);
            }
        }
    }

  stmt = _crm_store_prepare (self, "DELETE FROM sync_outbox WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  if (record_uuid != NULL)
    g_hash_table_replace (touched, g_strdup (record_uuid), g_strdup (record_type));
  return TRUE;
}

/* A record without pending edits takes the server state kept meanwhile. */
static gboolean
settle_record (CrmStore    *self,
               const char  *uuid,
               const char  *record_type,
               Applied     *applied,
               GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(JsonObject) shadow = NULL;
  gint64 rev = 0;

  if (has_pending (self, uuid, 0))
    return TRUE;

  stmt = _crm_store_prepare (self, "SELECT rev, data FROM sync_shadow WHERE record_type = ? AND record_uuid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      rev = sqlite3_column_int64 (stmt, 0);
      shadow = parse_object (_crm_store_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (shadow != NULL)
    {
      if (!apply_record_put (self, record_type, shadow, applied, error))
        return FALSE;
      stmt = _crm_store_prepare (self, "DELETE FROM sync_shadow WHERE record_type = ? AND record_uuid = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, record_type, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
      if (!_crm_store_step_done (self, stmt, error))
        return FALSE;
    }
  (void) rev;

  if (!set_record_state (self, record_type, uuid, error))
    return FALSE;
  if (g_strcmp0 (record_type, "lead") == 0)
    applied_lead (applied, _crm_store_id_of (self, "lead", uuid));
  return TRUE;
}

/**
 * crm_store_sync_apply_push_answer:
 * @results: (element-type CrmProtocolResult): the results of a push, as
 *   crm_protocol_push_response_parse() gives them
 * @last_mutation_id: the server's last applied mutation of this client
 *
 * In one transaction: the processed mutations leave the outbox, what the
 * server did not take is taken back here (and rejections are kept as
 * local conflicts), the acknowledged mutation id advances.
 */
gboolean
crm_store_sync_apply_push_answer (CrmStore    *self,
                                  GPtrArray   *results,
                                  gint64       last_mutation_id,
                                  GError     **error)
{
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;
  Applied applied;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  applied_init (&applied, 0);

  for (guint i = 0; i < results->len; i++)
    if (!process_result (self, results->pdata[i], touched, &applied, error))
      goto fail;

  stmt = _crm_store_prepare (self,
    "UPDATE sync_meta SET last_mutation_id = max (last_mutation_id, ?) WHERE id = 1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, last_mutation_id);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!settle_record (self, key, value, &applied, error))
      goto fail;

  return applied_finish (self, &applied, TRUE, error);

fail:
  return applied_finish (self, &applied, FALSE, error);
}

/* --------------------------------------------------------------- conflicts */

#define CONFLICT_COLUMNS \
  "c.uuid, c.kind, c.record_type, c.record_uuid, coalesce (l.id, 0), " \
  "coalesce (l.title, co.name, ''), c.field, c.base, c.kept, c.rejected, c.kept_by, c.rejected_by, " \
  "c.at, c.reason, c.message, c.resolved, c.resolution, c.local "

static CrmSyncConflict *
conflict_from_row (sqlite3_stmt *stmt)
{
  return g_object_new (CRM_TYPE_SYNC_CONFLICT,
                       "uuid", _crm_store_column_text (stmt, 0),
                       "kind", _crm_store_column_text (stmt, 1),
                       "record-type", _crm_store_column_text (stmt, 2),
                       "record-uuid", _crm_store_column_text (stmt, 3),
                       "lead-id", sqlite3_column_int64 (stmt, 4),
                       "title", _crm_store_column_text (stmt, 5),
                       "field", _crm_store_column_text (stmt, 6),
                       "base", _crm_store_column_text (stmt, 7),
                       "kept", _crm_store_column_text (stmt, 8),
                       "yours", _crm_store_column_text (stmt, 9),
                       "kept-by", _crm_store_column_text (stmt, 10),
                       "yours-by", _crm_store_column_text (stmt, 11),
                       "at", sqlite3_column_int64 (stmt, 12),
                       "reason", _crm_store_column_text (stmt, 13),
                       "message", _crm_store_column_text (stmt, 14),
                       "resolved", sqlite3_column_int (stmt, 15) != 0,
                       "resolution", _crm_store_column_text (stmt, 16),
                       NULL);
}

/**
 * crm_store_sync_list_conflicts:
 *
 * Returns: (transfer full): #CrmSyncConflict items, newest first
 */
GListModel *
crm_store_sync_list_conflicts (CrmStore *self,
                               gboolean  include_resolved)
{
  g_autoptr(GListStore) store = g_list_store_new (CRM_TYPE_SYNC_CONFLICT);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  stmt = _crm_store_prepare (self,
    "SELECT " CONFLICT_COLUMNS " FROM sync_conflict c "
    "LEFT JOIN lead l ON c.record_type = 'lead' AND l.uuid = c.record_uuid "
    "LEFT JOIN contact co ON c.record_type = 'contact' AND co.uuid = c.record_uuid "
    "WHERE ?1 OR c.resolved = 0 ORDER BY c.at DESC, c.id DESC", NULL);
  if (stmt == NULL)
    return G_LIST_MODEL (g_steal_pointer (&store));
  sqlite3_bind_int (stmt, 1, include_resolved ? 1 : 0);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(CrmSyncConflict) conflict = conflict_from_row (stmt);

      g_list_store_append (store, conflict);
    }
  sqlite3_reset (stmt);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

guint
crm_store_sync_count_conflicts (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  return (guint) query_int (self, "SELECT count(*) FROM sync_conflict WHERE resolved = 0", NULL);
}

/* The local form of a wire value of a lead field (contacts by local id). */
static char *
local_value_of (CrmStore    *self,
                const char  *field,
                const char  *value,
                const char **out_field,
                GError     **error)
{
  if (g_strcmp0 (field, "contact") == 0)
    {
      gint64 id = _crm_store_id_of (self, "contact", value);

      *out_field = "contact_id";
      if (id == 0 && value != NULL && *value != '\0')
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("contact: there is no contact “%s”"), value);
          return NULL;
        }
      return id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, id) : g_strdup ("");
    }

  *out_field = field;
  return g_strdup (value != NULL ? value : "");
}

/**
 * crm_store_sync_resolve_conflict:
 * @how: keep the kept value, send mine again, or send @value
 * @value: (nullable): for %CRM_CONFLICT_EDIT, the new value (wire form)
 *
 * Resolves a conflict or rejection. Taking mine or a new value is an
 * ordinary edit of the lead (validated, logged, queued); the resolution
 * itself is queued as conflict.resolve for conflicts the server made.
 */
gboolean
crm_store_sync_resolve_conflict (CrmStore               *self,
                                 const char             *uuid,
                                 CrmConflictResolution   how,
                                 const char             *value,
                                 GError                **error)
{
  g_autoptr(GListModel) all = NULL;
  g_autoptr(CrmSyncConflict) conflict = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  gboolean local = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!_crm_store_sync_writable (self, error))
    return FALSE;

  all = crm_store_sync_list_conflicts (self, FALSE);
  for (guint i = 0; i < g_list_model_get_n_items (all) && conflict == NULL; i++)
    {
      g_autoptr(CrmSyncConflict) item = g_list_model_get_item (all, i);

      if (g_strcmp0 (crm_sync_conflict_get_uuid (item), uuid) == 0)
        conflict = g_steal_pointer (&item);
    }
  if (conflict == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no open conflict “%s”"), uuid ? uuid : "");
      return FALSE;
    }
  local = query_int (self, "SELECT local FROM sync_conflict WHERE uuid = ?", uuid) != 0;

  if (how != CRM_CONFLICT_KEEP)
    {
      const char *field = crm_sync_conflict_get_field (conflict);
      const char *wanted = how == CRM_CONFLICT_EDIT ? value : crm_sync_conflict_get_yours (conflict);
      gint64 lead_id = crm_sync_conflict_get_lead_id (conflict);
      g_autofree char *local_value = NULL;
      CrmFieldValue change;

      /* a lead field (a report kept from a deleted lead is not one) */
      if (lead_id == 0 || wanted == NULL ||
          crm_lead_field_lookup (g_strcmp0 (field, "contact") == 0 ? "contact_id" : field) == NULL)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("This issue has no single value to send again: change the record itself instead"));
          return FALSE;
        }
      local_value = local_value_of (self, field, wanted, &change.field, error);
      if (local_value == NULL)
        return FALSE;
      change.value = local_value;
      /* the lead comes back only for a value the update will take */
      if (g_str_equal (crm_sync_conflict_get_kind (conflict), "deleted") &&
          query_int (self, "SELECT deleted FROM lead WHERE uuid = ?", crm_sync_conflict_get_record_uuid (conflict)) != 0 &&
          (!_crm_store_lead_check_values (self, &change, 1, error) ||
           !crm_store_undelete_lead (self, lead_id, error)))
        return FALSE;
      if (!crm_store_update_lead (self, lead_id, &change, 1, error))
        return FALSE;
    }

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self, "UPDATE sync_conflict SET resolved = 1, resolution = ? WHERE uuid = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, how == CRM_CONFLICT_KEEP ? "keep" : "mine", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  if (!local)
    {
      json_object_set_string_member (args, "uuid", uuid);
      json_object_set_string_member (args, "resolution", how == CRM_CONFLICT_KEEP ? "keep" : "mine");
      node = node_for (g_steal_pointer (&args));
      if (!_crm_store_outbox_add (self, "conflict.resolve", NULL, NULL, node, error))
        goto fail;
    }
  if (!set_record_state (self, crm_sync_conflict_get_record_type (conflict),
                         crm_sync_conflict_get_record_uuid (conflict), error))
    goto fail;
  if (!_crm_store_commit (self, error))
    return FALSE;

  if (crm_sync_conflict_get_lead_id (conflict) > 0)
    _crm_store_lead_notify (self, crm_sync_conflict_get_lead_id (conflict));
  return TRUE;

fail:
  _crm_store_rollback (self);
  return FALSE;
}
