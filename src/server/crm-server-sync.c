/* crm-server-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Push and pull (docs/sync-protocol.md). Push: one writer thread takes
 * every request waiting in its queue and runs them in one BEGIN IMMEDIATE
 * transaction (group commit), each request in a savepoint of its own;
 * a mutation is stored together with its result and the client's
 * advanced last_mutation_id, so a retried mutation is answered from the stored
 * result and applied exactly once; the commit (synchronous=FULL) comes
 * before any answer. Updates merge per field
 * against the base value the client edited from; a field somebody else
 * changed since stays and the other value goes into a conflict record.
 * Every change moves the row's entry in `changes` to the next seq; pull
 * reads `changes` in seq order inside one read transaction, so a page and
 * its last_mutation_id are one snapshot.
 */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-lead.h"
#include "crm-protocol.h"
#include "crm-server-store-private.h"

#define PAGE_BYTES (2 * 1024 * 1024)

/* ------------------------------------------------------- records as JSON */

/* Per record type: how to read one row, and the JSON type of each column
 * (s string, S string or null, i integer, I integer or null, b boolean,
 * f a lead field, under "fields"). */
typedef struct {
  const char *sql;
  const char *spec;
} RecordRead;

static const char *
lead_select_sql (void)
{
  static gsize once;
  static char *sql;

  if (g_once_init_enter (&once))
    {
      guint n = 0;
      const char * const *names = crm_protocol_lead_field_names (&n);
      GString *s = g_string_new ("SELECT uuid, rev, deleted, created_at, updated_at");

      for (guint i = 0; i < n; i++)
        g_string_append_printf (s, ", \"%s\"", names[i]);
      g_string_append (s, " FROM lead WHERE uuid = ?");
      sql = g_string_free (s, FALSE);
      g_once_init_leave (&once, 1);
    }
  return sql;
}

static const char *
lead_insert_sql (void)
{
  static gsize once;
  static char *sql;

  if (g_once_init_enter (&once))
    {
      guint n = 0;
      const char * const *names = crm_protocol_lead_field_names (&n);
      GString *s = g_string_new ("INSERT INTO lead (uuid, rev, deleted, created_at, updated_at, created_by");

      for (guint i = 0; i < n; i++)
        g_string_append_printf (s, ", \"%s\"", names[i]);
      g_string_append (s, ") VALUES (?, 1, 0, ?, ?, ?");
      for (guint i = 0; i < n; i++)
        g_string_append (s, ", ?");
      g_string_append (s, ")");
      sql = g_string_free (s, FALSE);
      g_once_init_leave (&once, 1);
    }
  return sql;
}

static RecordRead
record_read (CrmRecordType type)
{
  switch (type)
    {
    case CRM_RECORD_LEAD:
      return (RecordRead) { lead_select_sql (), "sibii" };
    case CRM_RECORD_CONTACT:
      return (RecordRead) { "SELECT uuid, rev, deleted, kind, name, company, notes, addresses, phones, emails, "
                            "created_at, updated_at FROM contact WHERE uuid = ?", "sibsssssssii" };
    case CRM_RECORD_ACTIVITY:
      return (RecordRead) { "SELECT uuid, rev, lead, contact, kind, at, subject, text, author, probability, phase, "
                            "created_at FROM activity WHERE uuid = ?", "sisssisssISi" };
    case CRM_RECORD_EVENT:
      return (RecordRead) { "SELECT uuid, lead, at, author, field, old, new, activity FROM event WHERE uuid = ?",
                            "ssissSSS" };
    case CRM_RECORD_KEY_VALUE:
      return (RecordRead) { "SELECT kind, key, label, position, active, probability, status_class, stale_days, rev "
                            "FROM key_value WHERE kind = ? AND key = ?", "sssibIiii" };
    case CRM_RECORD_USER:
      return (RecordRead) { "SELECT login, name, active, rev FROM users WHERE login = ?", "ssbi" };
    case CRM_RECORD_CONFLICT:
      return (RecordRead) { "SELECT uuid, rev, record_type, record, field, base, kept, rejected, kept_by, "
                            "rejected_by, at, kind, reason, resolved, resolution FROM conflict WHERE uuid = ?",
                            "sisssSSSssisSbS" };
    case CRM_RECORD_N_TYPES:
    default:
      g_return_val_if_reached (((RecordRead) { NULL, NULL }));
    }
}

/**
 * record_fetch:
 * @key: the record's key: its UUID, a login, or "kind:key" for key values
 *
 * Returns: (nullable): the record as the protocol shows it
 */
static JsonObject *
record_fetch (CrmServerDb    *db,
              CrmRecordType   type,
              const char     *key,
              GError        **error)
{
  RecordRead read = record_read (type);
  sqlite3_stmt *stmt = _crm_server_db_prepare (db, read.sql, error);
  JsonObject *record = NULL;
  JsonObject *fields = NULL;
  int n_columns;

  if (stmt == NULL)
    return NULL;
  if (type == CRM_RECORD_KEY_VALUE)
    {
      const char *colon = strchr (key, ':');

      if (colon == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, key, colon - key, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, colon + 1, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }

  record = json_object_new ();
  n_columns = sqlite3_column_count (stmt);
  for (int i = 0; i < n_columns; i++)
    {
      const char *name = sqlite3_column_name (stmt, i);
      char kind = i < (int) strlen (read.spec) ? read.spec[i] : 'f';
      gboolean null = sqlite3_column_type (stmt, i) == SQLITE_NULL;

      switch (kind)
        {
        case 'f':
          if (fields == NULL)
            {
              fields = json_object_new ();
              json_object_set_object_member (record, "fields", fields);
            }
          json_object_set_string_member (fields, name, null ? "" : (const char *) sqlite3_column_text (stmt, i));
          break;
        case 's':
          json_object_set_string_member (record, name, null ? "" : (const char *) sqlite3_column_text (stmt, i));
          break;
        case 'S':
          if (null)
            json_object_set_null_member (record, name);
          else
            json_object_set_string_member (record, name, (const char *) sqlite3_column_text (stmt, i));
          break;
        case 'I':
          if (null)
            {
              json_object_set_null_member (record, name);
              break;
            }
          G_GNUC_FALLTHROUGH;
        case 'i':
          json_object_set_int_member (record, name, sqlite3_column_int64 (stmt, i));
          break;
        case 'b':
          json_object_set_boolean_member (record, name, sqlite3_column_int (stmt, i) != 0);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  sqlite3_reset (stmt);
  return record;
}

/* ------------------------------------------------------------------ push */

typedef struct {
  CrmServerDb          *db;
  const CrmServerUser  *user;
  CrmProtocolMutation  *mutation;
  CrmProtocolResult    *result;
  GPtrArray            *conflicts;  /* field names not applied */
  GHashTable           *applied;    /* field names applied */
  gint64                now;
  gboolean              history;    /* lead.history: events as they happened */
} Apply;

static void
reject (Apply      *apply,
        const char *reason,
        const char *message)
{
  apply->result->outcome = CRM_PROTOCOL_OUTCOME_REJECTED;
  g_free (apply->result->reason);
  apply->result->reason = g_strdup (reason);
  g_free (apply->result->message);
  apply->result->message = g_strdup (message);
}

static gboolean
has_module (const CrmServerUser *user,
            CrmServerModules     modules)
{
  return (user->modules & modules) != 0;
}

/* Rights for a mutation; FALSE (and the result rejected) when missing. */
static gboolean
check_rights (Apply *apply)
{
  const char *name = apply->mutation->name;
  CrmServerModules needed = CRM_SERVER_MODULE_LEADS;

  if (g_str_has_prefix (name, "contact."))
    needed = CRM_SERVER_MODULE_LEADS | CRM_SERVER_MODULE_CONTACTS;
  else if (g_str_equal (name, "activity.create") &&
           g_strcmp0 (json_object_get_string_member_with_default (apply->mutation->args, "lead", ""), "") == 0)
    needed = CRM_SERVER_MODULE_LEADS | CRM_SERVER_MODULE_CONTACTS;

  if (!apply->user->active)
    reject (apply, "account_disabled",
            _("This account is deactivated: once an administrator enables it again, log in and send the change again"));
  else if (apply->user->read_only)
    reject (apply, "forbidden", _("This account may only read"));
  else if (g_str_equal (name, "key_value.put") && !apply->user->admin)
    reject (apply, "forbidden", _("Only administrators change key values"));
  else if (!g_str_equal (name, "key_value.put") && !has_module (apply->user, needed))
    reject (apply, "forbidden", _("The module is not enabled for this account"));
  else
    return TRUE;
  return FALSE;
}

static gboolean
key_value_exists (CrmServerDb *db,
                  const char  *kind,
                  const char  *key)
{
  return _crm_server_db_query_int (db, "SELECT 1 FROM key_value WHERE kind = ? AND key = ?", kind, key, 0) == 1;
}

static gboolean
contact_exists (CrmServerDb *db,
                const char  *uuid)
{
  return _crm_server_db_query_int (db, "SELECT 1 FROM contact WHERE uuid = ?", uuid, NULL, 0) == 1;
}

/* Key values and contacts a lead field refers to must exist on the server.
 * Returns the message of the first problem, or NULL. */
static char *
check_lead_references (CrmServerDb *db,
                       const char  *name,
                       const char  *value)
{
  const CrmLeadField *field = crm_lead_field_lookup (name);

  if (g_str_equal (name, "contact"))
    return *value != '\0' && !contact_exists (db, value)
           ? g_strdup_printf (_("contact: no contact %s on the server"), value) : NULL;
  if (field == NULL || field->kind != CRM_FIELD_KIND_KEY_VALUE)
    return NULL;
  if (*value == '\0')
    return g_str_equal (name, "status") || g_str_equal (name, "phase")
           ? g_strdup_printf (_("%s: required"), name) : NULL;
  return key_value_exists (db, field->key_kind, value)
         ? NULL : g_strdup_printf (_("%s: “%s” is not a key of %s"), name, value, field->key_kind);
}

/* Who last wrote a field: its last changer, else the record's creator. */
static char *
field_author (CrmServerDb *db,
              const char  *record,
              const char  *field)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db,
    "SELECT coalesce ((SELECT login FROM field_author WHERE record = ?1 AND field = ?2), "
    "                 (SELECT created_by FROM lead WHERE uuid = ?1), "
    "                 (SELECT created_by FROM contact WHERE uuid = ?1), '')", NULL);
  char *login = NULL;

  if (stmt == NULL)
    return g_strdup ("");
  sqlite3_bind_text (stmt, 1, record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return login ? login : g_strdup ("");
}

static gboolean
set_field_author (Apply       *apply,
                  const char  *record,
                  const char  *field,
                  GError     **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (apply->db,
    "INSERT INTO field_author (record, field, login) VALUES (?, ?, ?) "
    "ON CONFLICT (record, field) DO UPDATE SET login = excluded.login", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, apply->user->login, -1, SQLITE_STATIC);
  return _crm_server_db_step_done (apply->db, stmt, error);
}

static gboolean
write_conflict (Apply       *apply,
                const char  *record_type,
                const char  *record,
                const char  *field,
                const char  *base,
                const char  *kept,
                const char  *rejected,
                const char  *kind,
                const char  *reason,
                GError     **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *kept_by = field_author (apply->db, record, field);
  sqlite3_stmt *stmt = _crm_server_db_prepare (apply->db,
    "INSERT INTO conflict (uuid, record_type, record, field, base, kept, rejected, kept_by, rejected_by, at, kind, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, base, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, kept, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, rejected, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, kept_by, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, apply->user->login, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, apply->now);
  sqlite3_bind_text (stmt, 11, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, reason, -1, SQLITE_STATIC);
  if (!_crm_server_db_step_done (apply->db, stmt, error))
    return FALSE;

  g_ptr_array_add (apply->conflicts, g_strdup (field));
  return _crm_server_touch (apply->db, "conflict", uuid, error) != 0;
}

/* The author the server writes: the account's login, except for the
 * history a lead's uploader sends (lead.history), which keeps its own. */
static const char *
author_of (Apply      *apply,
           JsonObject *record)
{
  const char *author = json_object_get_string_member_with_default (record, "author", "");

  return apply->history && *author != '\0' ? author : apply->user->login;
}

/* Stores the events sent with a mutation: those of applied fields, and
 * those that are not about a field (created, deleted, report); for
 * lead.history all of them, with the author they were written by. An
 * event stored before (same UUID) is left alone. */
static gboolean
store_events (Apply       *apply,
              JsonObject  *args,
              GError     **error)
{
  JsonArray *events = json_object_has_member (args, "events") ? json_object_get_array_member (args, "events") : NULL;
  guint n_names = 0;
  const char * const *names = crm_protocol_lead_field_names (&n_names);

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *field = json_object_get_string_member (event, "field");
      const char *activity = json_object_get_null_member (event, "activity")
                             ? NULL : json_object_get_string_member (event, "activity");
      gboolean is_field = FALSE;
      sqlite3_stmt *stmt;

      if (g_str_equal (field, "contact_id"))
        field = "contact";
      for (guint j = 0; j < n_names; j++)
        is_field |= g_str_equal (names[j], field);
      if (is_field && !apply->history && !g_hash_table_contains (apply->applied, field))
        continue;

      stmt = _crm_server_db_prepare (apply->db,
        "INSERT INTO event (uuid, lead, at, author, field, old, new, activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (uuid) DO NOTHING", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, json_object_get_string_member (event, "uuid"), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, json_object_get_string_member (event, "lead"), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, json_object_get_int_member (event, "at"));
      sqlite3_bind_text (stmt, 4, author_of (apply, event), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, json_object_get_string_member (event, "field"), -1, SQLITE_STATIC);
      if (!json_object_get_null_member (event, "old"))
        sqlite3_bind_text (stmt, 6, json_object_get_string_member (event, "old"), -1, SQLITE_STATIC);
      if (!json_object_get_null_member (event, "new"))
        sqlite3_bind_text (stmt, 7, json_object_get_string_member (event, "new"), -1, SQLITE_STATIC);
      if (activity != NULL)
        sqlite3_bind_text (stmt, 8, activity, -1, SQLITE_STATIC);
      if (!_crm_server_db_step_done (apply->db, stmt, error))
        return FALSE;
      if (sqlite3_changes (apply->db->db) > 0 &&
          _crm_server_touch (apply->db, "event", json_object_get_string_member (event, "uuid"), error) == 0)
        return FALSE;
    }
  return TRUE;
}

static const char *
lead_update_sql (const char *field)
{
  static gsize once;
  static GHashTable *sql;

  if (g_once_init_enter (&once))
    {
      guint n = 0;
      const char * const *names = crm_protocol_lead_field_names (&n);

      sql = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < n; i++)
        g_hash_table_insert (sql, (gpointer) names[i],
                             g_strdup_printf ("UPDATE lead SET \"%s\" = ? WHERE uuid = ?", names[i]));
      g_once_init_leave (&once, 1);
    }
  return g_hash_table_lookup (sql, field);
}

static const char *
contact_update_sql (const char *field)
{
  static const char * const sql[][2] = {
    { "name", "UPDATE contact SET name = ? WHERE uuid = ?" },
    { "company", "UPDATE contact SET company = ? WHERE uuid = ?" },
    { "notes", "UPDATE contact SET notes = ? WHERE uuid = ?" },
    { "addresses", "UPDATE contact SET addresses = ? WHERE uuid = ?" },
    { "phones", "UPDATE contact SET phones = ? WHERE uuid = ?" },
    { "emails", "UPDATE contact SET emails = ? WHERE uuid = ?" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    if (g_str_equal (sql[i][0], field))
      return sql[i][1];
  return NULL;
}

static void
set_outcome_from_merge (Apply *apply,
                        guint  n_fields)
{
  if (apply->conflicts->len == 0)
    apply->result->outcome = CRM_PROTOCOL_OUTCOME_APPLIED;
  else if (apply->conflicts->len < n_fields)
    apply->result->outcome = CRM_PROTOCOL_OUTCOME_PARTIAL;
  else
    apply->result->outcome = CRM_PROTOCOL_OUTCOME_CONFLICT;
}

/**
 * merge_fields:
 * @record_type: "lead" or "contact"
 * @current: the record as stored
 * @fields: {"<field>": {"value", "base"}}
 *
 * Per field: applied when the stored value still equals the base (nobody
 * changed it since the client read it) or already equals the value;
 * otherwise the stored value stays and a conflict is written. Bumps rev
 * and touches the record when anything changed.
 */
static gboolean
merge_fields (Apply        *apply,
              const char   *record_type,
              JsonObject   *current,
              JsonObject   *fields,
              GError      **error)
{
  g_autoptr(GList) names = json_object_get_members (fields);
  gboolean is_lead = g_str_equal (record_type, "lead");
  JsonObject *values = is_lead ? json_object_get_object_member (current, "fields") : current;
  const char *uuid = json_object_get_string_member (current, "uuid");
  gboolean changed = FALSE;
  sqlite3_stmt *stmt;

  /* references first: a bad key rejects the whole mutation */
  for (GList *l = names; is_lead && l != NULL; l = l->next)
    {
      JsonObject *change = json_object_get_object_member (fields, l->data);
      g_autofree char *problem = check_lead_references (apply->db, l->data,
                                                        json_object_get_string_member (change, "value"));

      if (problem != NULL)
        {
          reject (apply, "validation", problem);
          return TRUE;
        }
    }

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonObject *change = json_object_get_object_member (fields, name);
      const char *value = json_object_get_string_member (change, "value");
      const char *base = json_object_get_null_member (change, "base") ? NULL : json_object_get_string_member (change, "base");
      const char *stored = json_object_get_string_member_with_default (values, name, "");

      if (g_strcmp0 (stored, value) == 0)
        {
          g_hash_table_add (apply->applied, g_strdup (name));
          continue;
        }
      if (g_strcmp0 (stored, base) != 0)
        {
          if (!write_conflict (apply, record_type, uuid, name, base, stored, value, "field", NULL, error))
            return FALSE;
          continue;
        }

      stmt = _crm_server_db_prepare (apply->db, is_lead ? lead_update_sql (name) : contact_update_sql (name), error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
      if (!_crm_server_db_step_done (apply->db, stmt, error) ||
          !set_field_author (apply, uuid, name, error))
        return FALSE;
      g_hash_table_add (apply->applied, g_strdup (name));
      changed = TRUE;
    }

  apply->result->rev = json_object_get_int_member (current, "rev");
  if (changed)
    {
      stmt = _crm_server_db_prepare (apply->db, is_lead
        ? "UPDATE lead SET rev = rev + 1, updated_at = ? WHERE uuid = ?"
        : "UPDATE contact SET rev = rev + 1, updated_at = ? WHERE uuid = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, apply->now);
      sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
      if (!_crm_server_db_step_done (apply->db, stmt, error) ||
          _crm_server_touch (apply->db, record_type, uuid, error) == 0)
        return FALSE;
      apply->result->rev++;
    }
  set_outcome_from_merge (apply, g_list_length (names));
  return TRUE;
}

/* Edits that lose to a delete are kept in conflicts of kind "deleted". */
static gboolean
keep_deleted (Apply       *apply,
              const char  *uuid,
              JsonObject  *current,
              JsonObject  *fields,
              GError     **error)
{
  g_autoptr(GList) names = json_object_get_members (fields);
  JsonObject *values = json_object_get_object_member (current, "fields");

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *change = json_object_get_object_member (fields, l->data);

      if (!write_conflict (apply, "lead", uuid, l->data,
                           json_object_get_null_member (change, "base") ? NULL : json_object_get_string_member (change, "base"),
                           json_object_get_string_member_with_default (values, l->data, ""),
                           json_object_get_string_member (change, "value"), "deleted", "deleted", error))
        return FALSE;
    }
  reject (apply, "deleted", _("The lead was deleted; the change is kept as a conflict"));
  apply->result->rev = json_object_get_int_member (current, "rev");
  return TRUE;
}

static gboolean
apply_lead_create (Apply   *apply,
                   GError **error)
{
  JsonObject *args = apply->mutation->args;
  JsonObject *fields = json_object_get_object_member (args, "fields");
  const char *uuid = json_object_get_string_member (args, "uuid");
  gint64 existing = _crm_server_db_query_int (apply->db, "SELECT rev FROM lead WHERE uuid = ?", uuid, NULL, -1);
  guint n = 0;
  const char * const *names = crm_protocol_lead_field_names (&n);
  sqlite3_stmt *stmt;

  if (existing >= 0)
    {
      apply->result->duplicate = TRUE;
      apply->result->rev = existing;
      return TRUE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *problem = check_lead_references (apply->db, names[i], json_object_get_string_member (fields, names[i]));

      if (problem != NULL)
        {
          reject (apply, "validation", problem);
          return TRUE;
        }
    }

  stmt = _crm_server_db_prepare (apply->db, lead_insert_sql (), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, json_object_get_int_member (args, "created_at"));
  sqlite3_bind_int64 (stmt, 3, apply->now);
  sqlite3_bind_text (stmt, 4, apply->user->login, -1, SQLITE_STATIC);
  for (guint i = 0; i < n; i++)
    sqlite3_bind_text (stmt, 5 + i, json_object_get_string_member (fields, names[i]), -1, SQLITE_STATIC);
  if (!_crm_server_db_step_done (apply->db, stmt, error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    g_hash_table_add (apply->applied, g_strdup (names[i]));
  apply->result->rev = 1;
  return _crm_server_touch (apply->db, "lead", uuid, error) != 0 && store_events (apply, args, error);
}

static gboolean
apply_lead_update (Apply       *apply,
                   const char  *uuid,
                   JsonObject  *update,
                   GError     **error)
{
  g_autoptr(JsonObject) current = record_fetch (apply->db, CRM_RECORD_LEAD, uuid, error);
  JsonObject *fields = json_object_get_object_member (update, "fields");

  if (current == NULL)
    {
      reject (apply, "not_found", _("No such lead on the server"));
      return error == NULL || *error == NULL;
    }
  if (json_object_get_boolean_member (current, "deleted"))
    return keep_deleted (apply, uuid, current, fields, error);
  return merge_fields (apply, "lead", current, fields, error);
}

static gboolean
apply_lead_delete (Apply    *apply,
                   gboolean  deleted,
                   GError  **error)
{
  JsonObject *args = apply->mutation->args;
  const char *uuid = json_object_get_string_member (args, "uuid");
  g_autoptr(JsonObject) current = record_fetch (apply->db, CRM_RECORD_LEAD, uuid, error);
  sqlite3_stmt *stmt;

  if (current == NULL)
    {
      reject (apply, "not_found", _("No such lead on the server"));
      return TRUE;
    }
  apply->result->rev = json_object_get_int_member (current, "rev");
  if (json_object_get_boolean_member (current, "deleted") == deleted)
    return TRUE;

  stmt = _crm_server_db_prepare (apply->db, "UPDATE lead SET deleted = ?, rev = rev + 1, updated_at = ? WHERE uuid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, deleted);
  sqlite3_bind_int64 (stmt, 2, apply->now);
  sqlite3_bind_text (stmt, 3, uuid, -1, SQLITE_STATIC);
  if (!_crm_server_db_step_done (apply->db, stmt, error) ||
      _crm_server_touch (apply->db, "lead", uuid, error) == 0)
    return FALSE;
  apply->result->rev++;
  return store_events (apply, args, error);
}

static gboolean
apply_contact_create (Apply   *apply,
                      GError **error)
{
  JsonObject *args = apply->mutation->args;
  const char *uuid = json_object_get_string_member (args, "uuid");
  const char *company = json_object_get_string_member (args, "company");
  g_autoptr(JsonObject) existing = record_fetch (apply->db, CRM_RECORD_CONTACT, uuid, error);
  sqlite3_stmt *stmt;

  if (existing != NULL)
    {
      apply->result->duplicate = TRUE;
      apply->result->rev = json_object_get_int_member (existing, "rev");
      return TRUE;
    }
  if (*company != '\0' && !contact_exists (apply->db, company))
    {
      g_autofree char *message = g_strdup_printf (_("company: no contact %s on the server"), company);

      reject (apply, "validation", message);
      return TRUE;
    }
  stmt = _crm_server_db_prepare (apply->db,
    "INSERT INTO contact (uuid, rev, kind, name, company, notes, addresses, phones, emails, created_at, updated_at, "
    "created_by) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json_object_get_string_member (args, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json_object_get_string_member (args, "name"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, company, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, json_object_get_string_member (args, "notes"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, json_object_get_string_member (args, "addresses"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, json_object_get_string_member (args, "phones"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, json_object_get_string_member (args, "emails"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, json_object_get_int_member (args, "created_at"));
  sqlite3_bind_int64 (stmt, 10, apply->now);
  sqlite3_bind_text (stmt, 11, apply->user->login, -1, SQLITE_STATIC);
  apply->result->rev = 1;
  return _crm_server_db_step_done (apply->db, stmt, error) &&
         _crm_server_touch (apply->db, "contact", uuid, error) != 0;
}

static gboolean
apply_contact_update (Apply   *apply,
                      GError **error)
{
  JsonObject *args = apply->mutation->args;
  const char *uuid = json_object_get_string_member (args, "uuid");
  g_autoptr(JsonObject) current = record_fetch (apply->db, CRM_RECORD_CONTACT, uuid, error);
  JsonObject *fields = json_object_get_object_member (args, "fields");
  JsonObject *company = json_object_has_member (fields, "company") ? json_object_get_object_member (fields, "company") : NULL;

  if (current == NULL)
    {
      reject (apply, "not_found", _("No such contact on the server"));
      return TRUE;
    }
  if (company != NULL && *json_object_get_string_member (company, "value") != '\0' &&
      !contact_exists (apply->db, json_object_get_string_member (company, "value")))
    {
      reject (apply, "validation", _("company: no such contact on the server"));
      return TRUE;
    }
  return merge_fields (apply, "contact", current, fields, error);
}

/* Writes a report (an activity record); one stored before (same UUID) is
 * left alone. */
static gboolean
insert_activity (Apply       *apply,
                 JsonObject  *args,
                 GError     **error)
{
  const char *uuid = json_object_get_string_member (args, "uuid");
  sqlite3_stmt *stmt = _crm_server_db_prepare (apply->db,
    "INSERT INTO activity (uuid, lead, contact, kind, at, subject, text, author, probability, phase, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json_object_get_string_member (args, "lead"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json_object_get_string_member (args, "contact"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, json_object_get_string_member (args, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, json_object_get_int_member (args, "at"));
  sqlite3_bind_text (stmt, 6, json_object_get_string_member (args, "subject"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, json_object_get_string_member (args, "text"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, author_of (apply, args), -1, SQLITE_STATIC);
  if (!json_object_get_null_member (args, "probability"))
    sqlite3_bind_int64 (stmt, 9, json_object_get_int_member (args, "probability"));
  if (!json_object_get_null_member (args, "phase"))
    sqlite3_bind_text (stmt, 10, json_object_get_string_member (args, "phase"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 11, json_object_get_int_member (args, "created_at"));
  if (!_crm_server_db_step_done (apply->db, stmt, error))
    return FALSE;

  return sqlite3_changes (apply->db->db) == 0 || _crm_server_touch (apply->db, "activity", uuid, error) != 0;
}

/* A contact report is appended, never in conflict; only its lead_update
 * merges like a lead.update. */
static gboolean
apply_activity_create (Apply   *apply,
                       GError **error)
{
  JsonObject *args = apply->mutation->args;
  const char *uuid = json_object_get_string_member (args, "uuid");
  const char *lead = json_object_get_string_member (args, "lead");
  const char *contact = json_object_get_string_member (args, "contact");
  JsonObject *update = json_object_has_member (args, "lead_update") ? json_object_get_object_member (args, "lead_update") : NULL;
  gint64 existing = _crm_server_db_query_int (apply->db, "SELECT rev FROM activity WHERE uuid = ?", uuid, NULL, -1);
  g_autoptr(JsonObject) lead_record = NULL;

  if (existing >= 0)
    {
      apply->result->duplicate = TRUE;
      apply->result->rev = existing;
      return TRUE;
    }
  if (*lead != '\0')
    {
      /* the whole lead only when the report re-estimates it */
      gint64 deleted = _crm_server_db_query_int (apply->db, "SELECT deleted FROM lead WHERE uuid = ?", lead, NULL, -1);

      if (deleted >= 0 && update != NULL)
        lead_record = record_fetch (apply->db, CRM_RECORD_LEAD, lead, error);
      if (deleted < 0 || (update != NULL && lead_record == NULL))
        {
          reject (apply, "not_found", _("No such lead on the server"));
          return error == NULL || *error == NULL;
        }
      if (deleted > 0)
        {
          g_autofree char *text = g_strconcat (json_object_get_string_member (args, "subject"), "\n",
                                               json_object_get_string_member (args, "text"), NULL);

          if (!write_conflict (apply, "lead", lead, "report", NULL, NULL, text, "deleted", "deleted", error))
            return FALSE;
          reject (apply, "deleted", _("The lead was deleted; the report is kept as a conflict"));
          return TRUE;
        }
    }
  if (*contact != '\0' && !contact_exists (apply->db, contact))
    {
      reject (apply, "validation", _("contact: no such contact on the server"));
      return TRUE;
    }

  if (!insert_activity (apply, args, error))
    return FALSE;

  if (update != NULL)
    {
      if (!merge_fields (apply, "lead", lead_record, json_object_get_object_member (update, "fields"), error))
        return FALSE;
      /* a bad key in the re-estimate rejects the report's lead update, not the report */
      if (apply->result->outcome == CRM_PROTOCOL_OUTCOME_REJECTED)
        apply->result->outcome = CRM_PROTOCOL_OUTCOME_PARTIAL;
      else if (apply->result->outcome == CRM_PROTOCOL_OUTCOME_CONFLICT)
        apply->result->outcome = CRM_PROTOCOL_OUTCOME_PARTIAL;
    }
  else
    apply->result->rev = 1;
  return store_events (apply, args, error);
}

/* lead.history: the past of a lead its uploader made before the first
 * login (contact reports and logged changes), stored as it happened:
 * with its own times and authors. Only the account that created the lead
 * on the server sends it; nothing of the lead itself changes. */
static gboolean
apply_lead_history (Apply   *apply,
                    GError **error)
{
  JsonObject *args = apply->mutation->args;
  const char *uuid = json_object_get_string_member (args, "uuid");
  JsonArray *activities = json_object_has_member (args, "activities")
                          ? json_object_get_array_member (args, "activities") : NULL;
  guint n_activities = activities != NULL ? json_array_get_length (activities) : 0;
  g_autoptr(JsonObject) lead = record_fetch (apply->db, CRM_RECORD_LEAD, uuid, error);

  if (lead == NULL)
    {
      reject (apply, "not_found", _("No such lead on the server"));
      return error == NULL || *error == NULL;
    }
  apply->result->rev = json_object_get_int_member (lead, "rev");
  if (_crm_server_db_query_int (apply->db, "SELECT created_by = ?2 FROM lead WHERE uuid = ?1",
                                uuid, apply->user->login, 0) != 1)
    {
      reject (apply, "forbidden", _("Only the account that uploaded a lead sends its earlier history"));
      return TRUE;
    }
  for (guint i = 0; i < n_activities; i++)
    {
      const char *contact = json_object_get_string_member (json_array_get_object_element (activities, i), "contact");

      if (*contact != '\0' && !contact_exists (apply->db, contact))
        {
          reject (apply, "validation", _("contact: no such contact on the server"));
          return TRUE;
        }
    }

  apply->history = TRUE;
  for (guint i = 0; i < n_activities; i++)
    if (!insert_activity (apply, json_array_get_object_element (activities, i), error))
      return FALSE;
  return store_events (apply, args, error);
}

static gboolean
apply_conflict_resolve (Apply   *apply,
                        GError **error)
{
  JsonObject *args = apply->mutation->args;
  const char *uuid = json_object_get_string_member (args, "uuid");
  g_autoptr(JsonObject) conflict = record_fetch (apply->db, CRM_RECORD_CONFLICT, uuid, error);
  sqlite3_stmt *stmt;

  if (conflict == NULL)
    {
      reject (apply, "not_found", _("No such conflict on the server"));
      return error == NULL || *error == NULL;
    }
  if (g_strcmp0 (json_object_get_string_member (conflict, "kept_by"), apply->user->login) != 0 &&
      g_strcmp0 (json_object_get_string_member (conflict, "rejected_by"), apply->user->login) != 0)
    {
      reject (apply, "forbidden", _("Only the people concerned resolve a conflict"));
      return TRUE;
    }
  apply->result->rev = json_object_get_int_member (conflict, "rev");
  if (json_object_get_boolean_member (conflict, "resolved"))
    return TRUE;

  stmt = _crm_server_db_prepare (apply->db,
    "UPDATE conflict SET resolved = 1, resolution = ?, rev = rev + 1 WHERE uuid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (args, "resolution"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
  apply->result->rev++;
  return _crm_server_db_step_done (apply->db, stmt, error) &&
         _crm_server_touch (apply->db, "conflict", uuid, error) != 0;
}

/* Also the admin API's PUT /key-values/<kind>/<key>. */
static gboolean
key_value_write (CrmServerDb  *db,
                 JsonObject   *kv,
                 gint64       *rev,
                 GError      **error)
{
  g_autofree char *key = g_strconcat (json_object_get_string_member (kv, "kind"), ":",
                                      json_object_get_string_member (kv, "key"), NULL);
  sqlite3_stmt *stmt = _crm_server_db_prepare (db,
    "INSERT INTO key_value (kind, key, label, position, active, probability, status_class, stale_days, rev) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1) "
    "ON CONFLICT (kind, key) DO UPDATE SET label = ?3, position = ?4, active = ?5, probability = ?6, "
    "status_class = ?7, stale_days = ?8, rev = rev + 1 RETURNING rev", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (kv, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json_object_get_string_member (kv, "key"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json_object_get_string_member (kv, "label"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, json_object_get_int_member (kv, "position"));
  sqlite3_bind_int (stmt, 5, json_object_get_boolean_member (kv, "active"));
  if (!json_object_get_null_member (kv, "probability"))
    sqlite3_bind_int64 (stmt, 6, json_object_get_int_member (kv, "probability"));
  sqlite3_bind_int64 (stmt, 7, json_object_get_int_member (kv, "status_class"));
  sqlite3_bind_int64 (stmt, 8, json_object_get_int_member (kv, "stale_days"));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _crm_server_db_set_error (db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return _crm_server_touch (db, "key_value", key, error) != 0;
}

static gboolean
apply_mutation (Apply   *apply,
                GError **error)
{
  const char *name = apply->mutation->name;
  JsonObject *args = apply->mutation->args;

  if (!check_rights (apply))
    return TRUE;

  if (g_str_equal (name, "lead.create"))
    return apply_lead_create (apply, error);
  if (g_str_equal (name, "lead.update"))
    return apply_lead_update (apply, json_object_get_string_member (args, "uuid"), args, error) &&
           (apply->result->outcome == CRM_PROTOCOL_OUTCOME_REJECTED || store_events (apply, args, error));
  if (g_str_equal (name, "lead.delete"))
    return apply_lead_delete (apply, TRUE, error);
  if (g_str_equal (name, "lead.undelete"))
    return apply_lead_delete (apply, FALSE, error);
  if (g_str_equal (name, "lead.history"))
    return apply_lead_history (apply, error);
  if (g_str_equal (name, "contact.create"))
    return apply_contact_create (apply, error);
  if (g_str_equal (name, "contact.update"))
    return apply_contact_update (apply, error);
  if (g_str_equal (name, "activity.create"))
    return apply_activity_create (apply, error);
  if (g_str_equal (name, "conflict.resolve"))
    return apply_conflict_resolve (apply, error);
  if (g_str_equal (name, "key_value.put"))
    return key_value_write (apply->db, args, &apply->result->rev, error);

  g_return_val_if_reached (FALSE);
}

static gboolean
client_owner_check (CrmServerDb          *db,
                    const CrmServerUser  *user,
                    const char           *client_id,
                    gboolean              bind,
                    GError              **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db, "SELECT user_id FROM clients WHERE client_id = ?", error);
  gint64 owner = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    owner = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (owner != 0 && owner != user->id)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_CLIENT_MISMATCH,
                   _("This client id belongs to another user; log in with a new client id"));
      return FALSE;
    }
  if (owner == 0 && bind)
    {
      stmt = _crm_server_db_prepare (db, "INSERT INTO clients (client_id, user_id) VALUES (?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, user->id);
      return _crm_server_db_step_done (db, stmt, error);
    }
  return TRUE;
}

static CrmProtocolResult *
stored_result (CrmServerDb  *db,
               const char   *client_id,
               gint64        id,
               GError      **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db,
    "SELECT result FROM results WHERE client_id = ? AND mutation_id = ?", error);
  g_autoptr(JsonObject) object = NULL;
  CrmProtocolResult *result;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      object = crm_protocol_parse_object (text, strlen (text), error);
    }
  sqlite3_reset (stmt);
  if (object == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no stored result for mutation %lld", (long long) id);
      return NULL;
    }
  result = crm_protocol_result_parse (object, "result", error);
  if (result != NULL)
    result->duplicate = TRUE;
  return result;
}

/* Stores the result of a mutation; returns its JSON text (the answer
 * repeats it), NULL on a fault. */
static char *
store_result (CrmServerDb              *db,
              const char               *client_id,
              const CrmProtocolResult  *result,
              GError                  **error)
{
  g_autoptr(JsonObject) object = crm_protocol_result_to_json (result);
  g_autofree char *text = crm_protocol_object_to_string (object);
  sqlite3_stmt *stmt = _crm_server_db_prepare (db,
    "INSERT INTO results (client_id, mutation_id, result) VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, result->id);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  if (!_crm_server_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&text);
}

/* One mutation inside the writer's open transaction (in its request's
 * savepoint: a fault rolls the whole request back, a business outcome
 * such as a rejection writes what it means to write), with @rights (the
 * account as it is now). @last is the
 * client's last processed mutation. Returns the result's JSON text, NULL
 * on a fault, or NULL with *gap set. */
static char *
push_one (CrmServerDb           *db,
          const CrmServerUser   *rights,
          const char            *client_id,
          CrmProtocolMutation   *mutation,
          gint64                *last,
          gboolean              *gap,
          GError               **error)
{
  g_autoptr(CrmProtocolResult) result = NULL;
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) applied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *text;
  Apply apply;

  if (mutation->id <= *last)
    {
      g_autoptr(JsonObject) object = NULL;

      if ((result = stored_result (db, client_id, mutation->id, error)) == NULL)
        return NULL;
      object = crm_protocol_result_to_json (result);
      return crm_protocol_object_to_string (object);
    }
  if (mutation->id > *last + 1)
    {
      *gap = TRUE;
      return NULL;
    }

  result = crm_protocol_result_new (mutation->id, CRM_PROTOCOL_OUTCOME_APPLIED);
  apply = (Apply) { db, rights, mutation, result, conflicts, applied, g_get_real_time (), FALSE };

  if (!apply_mutation (&apply, error))
    return NULL;
  g_ptr_array_add (conflicts, NULL);
  g_strfreev (result->conflicts);
  result->conflicts = (GStrv) g_ptr_array_steal (conflicts, NULL);
  if ((text = store_result (db, client_id, result, error)) == NULL)
    return NULL;

  _crm_server_crash_point ("mid-batch");
  *last = mutation->id;
  return text;
}

/* One push request waiting for the writer thread: the task data of the
 * crm_server_store_push_async() task, which the writer returns. */
typedef struct {
  CrmServerUser        *user;
  char                 *client_id;
  GPtrArray            *mutations;
  GString              *results;    /* the answer's results, as JSON text */
  gint64                last;
  GError               *error;
} PushJob;

static void
push_job_free (PushJob *job)
{
  crm_server_user_free (job->user);
  g_free (job->client_id);
  g_ptr_array_unref (job->mutations);
  g_string_free (job->results, TRUE);
  g_clear_error (&job->error);
  g_free (job);
}

/* The client's last processed mutation, stored once per job. */
static gboolean
store_last (CrmServerDb  *db,
            const char   *client_id,
            gint64        last,
            GError      **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db, "UPDATE clients SET last_mutation_id = ? WHERE client_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, last);
  sqlite3_bind_text (stmt, 2, client_id, -1, SQLITE_STATIC);
  return _crm_server_db_step_done (db, stmt, error);
}

/* The mutations of one request, in order, inside the group's transaction.
 * FALSE on a fault: the caller rolls the job back. A gap ends the job
 * with CRM_PROTOCOL_ERROR_MUTATION_GAP but keeps what came before it.
 * Inside the writer's transaction nobody else changes the account or
 * the client, so both are read once per job. */
static gboolean
push_job_run (CrmServerDb *db,
              PushJob     *job)
{
  g_autoptr(CrmServerUser) fresh = NULL;
  const CrmServerUser *rights = job->user;
  gint64 first;

  if (!client_owner_check (db, job->user, job->client_id, TRUE, &job->error))
    return TRUE;  /* nothing written */

  /* rights as they are now; a push made with a token suspended by
   * deactivation stays refused even when the account was enabled
   * meanwhile (that token is dead then) */
  if (job->user->active && (fresh = _crm_server_user_read (db, "id", NULL, job->user->id, NULL)) != NULL)
    rights = fresh;

  first = job->last = _crm_server_last_mutation_id (db, job->client_id);
  for (guint i = 0; i < job->mutations->len; i++)
    {
      CrmProtocolMutation *mutation = g_ptr_array_index (job->mutations, i);
      g_autofree char *result = NULL;
      gboolean gap = FALSE;

      result = push_one (db, rights, job->client_id, mutation, &job->last, &gap, &job->error);
      if (gap)
        {
          g_set_error (&job->error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MUTATION_GAP,
                       _("Mutation %lld skips ahead; continue from %lld"),
                       (long long) mutation->id, (long long) job->last + 1);
          break;
        }
      if (result == NULL)
        return FALSE;
      if (job->results->len > 0)
        g_string_append_c (job->results, ',');
      g_string_append (job->results, result);
    }
  if (job->last != first)
    {
      g_autoptr(GError) fault = NULL;

      if (!store_last (db, job->client_id, job->last, &fault))
        {
          /* rolled back: neither the gap's "continue from" nor any
           * result may speak of what is not committed */
          g_clear_error (&job->error);
          job->error = g_steal_pointer (&fault);
          job->last = first;
          return FALSE;
        }
    }
  return TRUE;
}

/* Group commit: the requests queued while the last commit ran share one
 * transaction (each in its own savepoint) and one durable COMMIT; nobody
 * is answered before it. */
static void
push_group_run (CrmServerStore *self,
                GPtrArray      *group)
{
  g_autoptr(GError) error = NULL;
  CrmServerDb *db = _crm_server_store_writer_begin (self, &error);
  gboolean ok = db != NULL;

  for (guint i = 0; ok && i < group->len; i++)
    {
      PushJob *job = g_task_get_task_data (g_ptr_array_index (group, i));

      if (!_crm_server_db_run (db, "SAVEPOINT job", &job->error))
        continue;
      if (!push_job_run (db, job))
        {
          _crm_server_db_run (db, "ROLLBACK TO job", NULL);
          g_string_truncate (job->results, 0);
        }
      _crm_server_db_run (db, "RELEASE job", NULL);
    }

  if (ok)
    {
      _crm_server_crash_point ("before-commit");
      ok = _crm_server_store_writer_commit (self, TRUE, &error);
      if (ok)
        _crm_server_crash_point ("after-commit");
    }

  for (guint i = 0; i < group->len; i++)
    {
      PushJob *job = g_task_get_task_data (g_ptr_array_index (group, i));

      /* nothing of the group is committed: every job fails with that,
       * also one that had met a gap (its "continue from" never held) */
      if (!ok)
        {
          g_clear_error (&job->error);
          job->error = g_error_copy (error);
        }
    }
}

/* Answers a job of a committed group (from the writer thread: GTask
 * runs the callback in the caller's main context). */
static void
push_job_return (GTask *task)
{
  PushJob *job = g_task_get_task_data (task);

  if (job->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&job->error));
      return;
    }
  /* the results were serialised when they were stored */
  g_task_return_pointer (task,
                         g_strdup_printf ("{\"results\":[%s],\"last_mutation_id\":%lld}",
                                          job->results->str, (long long) job->last),
                         g_free);
}

#define STOP_JOB ((gpointer) &push_group_run)
#define GROUP_MAX 64

static gpointer
writer_thread (gpointer user_data)
{
  CrmServerStore *self = user_data;
  gboolean stop = FALSE;

  while (!stop)
    {
      g_autoptr(GPtrArray) group = g_ptr_array_new_with_free_func (g_object_unref);
      gpointer job = g_async_queue_pop (self->push_queue);

      if (job == STOP_JOB)
        break;
      g_ptr_array_add (group, job);
      while (group->len < GROUP_MAX && (job = g_async_queue_try_pop (self->push_queue)) != NULL)
        {
          if (job == STOP_JOB)
            {
              stop = TRUE;
              break;
            }
          g_ptr_array_add (group, job);
        }

      push_group_run (self, group);
      for (guint i = 0; i < group->len; i++)
        push_job_return (g_ptr_array_index (group, i));
    }

  /* nothing comes after the stop (push_async refuses once stopped), but
   * a push queued behind it must still be answered, never left hanging */
  for (gpointer job; (job = g_async_queue_try_pop (self->push_queue)) != NULL; )
    if (job != STOP_JOB)
      {
        g_task_return_new_error (job, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The server is shutting down"));
        g_object_unref (job);
      }
  return NULL;
}

/* Ends the writer thread after the queued pushes (crm_server_store_close()). */
void
_crm_server_store_stop_writer (CrmServerStore *self)
{
  GThread *thread;

  g_mutex_lock (&self->push_lock);
  thread = g_steal_pointer (&self->writer_thread);
  self->writer_stopped = TRUE;
  g_mutex_unlock (&self->push_lock);
  if (thread == NULL)
    return;
  g_async_queue_push (self->push_queue, STOP_JOB);
  g_thread_join (thread);
}

/**
 * crm_server_store_push_async:
 * @user: (transfer full): the authenticated user
 * @mutations: (element-type CrmProtocolMutation): validated mutations (kept)
 *
 * Hands the request to the writer thread; @callback runs in the calling
 * thread's main context once the request's group has committed. Nothing
 * waits meanwhile: a worker thread is not held for the commit, so every
 * push waiting for the writer joins the next group.
 */
void
crm_server_store_push_async (CrmServerStore       *self,
                             CrmServerUser        *user,
                             const char           *client_id,
                             GPtrArray            *mutations,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PushJob *job = g_new0 (PushJob, 1);

  g_return_if_fail (CRM_IS_SERVER_STORE (self));

  job->user = user;
  job->client_id = g_strdup (client_id);
  job->mutations = g_ptr_array_ref (mutations);
  job->results = g_string_new (NULL);
  g_task_set_source_tag (task, crm_server_store_push_async);
  g_task_set_task_data (task, job, (GDestroyNotify) push_job_free);

  g_mutex_lock (&self->push_lock);
  if (self->writer_stopped)
    {
      g_mutex_unlock (&self->push_lock);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The server is shutting down"));
      g_object_unref (task);
      return;
    }
  if (self->writer_thread == NULL)
    self->writer_thread = g_thread_new ("leads-writer", writer_thread, self);
  g_async_queue_push (self->push_queue, task);   /* the writer owns the task now */
  g_mutex_unlock (&self->push_lock);
}

/**
 * crm_server_store_push_finish:
 * @last_mutation_id: (out): the client's last processed mutation, also
 *   for CRM_PROTOCOL_ERROR_MUTATION_GAP (where to continue)
 *
 * Returns: the answer body; NULL and @error on a fault or a gap (whose
 * message says where to continue).
 */
char *
crm_server_store_push_finish (CrmServerStore  *self,
                              GAsyncResult    *result,
                              gint64          *last_mutation_id,
                              GError         **error)
{
  PushJob *job = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  *last_mutation_id = job->last;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ pull */

static gboolean
row_visible (const CrmServerUser *user,
             CrmRecordType        type,
             JsonObject          *record)
{
  switch (type)
    {
    case CRM_RECORD_LEAD:
    case CRM_RECORD_ACTIVITY:
    case CRM_RECORD_EVENT:
      return has_module (user, CRM_SERVER_MODULE_LEADS);
    case CRM_RECORD_CONTACT:
      return has_module (user, CRM_SERVER_MODULE_LEADS | CRM_SERVER_MODULE_CONTACTS);
    case CRM_RECORD_CONFLICT:
      return has_module (user, g_strcmp0 (json_object_get_string_member (record, "record_type"), "contact") == 0
                               ? CRM_SERVER_MODULE_LEADS | CRM_SERVER_MODULE_CONTACTS : CRM_SERVER_MODULE_LEADS) &&
             (g_strcmp0 (json_object_get_string_member (record, "kept_by"), user->login) == 0 ||
              g_strcmp0 (json_object_get_string_member (record, "rejected_by"), user->login) == 0);
    case CRM_RECORD_KEY_VALUE:
    case CRM_RECORD_USER:
      return TRUE;
    case CRM_RECORD_N_TYPES:
    default:
      return FALSE;
    }
}

static gint64
client_rights_seen (CrmServerDb *db,
                    const char  *client_id)
{
  return _crm_server_db_query_int (db, "SELECT rights_seen FROM clients WHERE client_id = ?", client_id, NULL, 0);
}

/* A pull from the start: the client now sees what the user's current
 * rights allow; remember which rights those were. */
static gboolean
begin_full_pull (CrmServerStore       *self,
                 const CrmServerUser  *user,
                 const char           *client_id,
                 GError              **error)
{
  CrmServerDb *db = _crm_server_store_writer_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok;

  if (db == NULL)
    return FALSE;
  ok = client_owner_check (db, user, client_id, TRUE, error) &&
       (stmt = _crm_server_db_prepare (db,
          "UPDATE clients SET rights_seen = (SELECT rights_seq FROM users WHERE id = ?) WHERE client_id = ?",
          error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, user->id);
      sqlite3_bind_text (stmt, 2, client_id, -1, SQLITE_STATIC);
      ok = _crm_server_db_step_done (db, stmt, error);
    }
  return _crm_server_store_writer_commit (self, ok, ok ? error : NULL) && ok;
}

static gint64
meta_int (CrmServerDb *db,
          const char  *key)
{
  return _crm_server_db_query_int (db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?", key, NULL, 0);
}

static gboolean
read_page (CrmServerStore       *self,
           CrmServerDb          *db,
           const CrmServerUser  *user,
           gint64                from,
           guint                 limit,
           GString              *rows,
           gint64               *last_seq,
           gboolean             *has_more,
           GError              **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db,
    "SELECT seq, type, key, evicted_at IS NOT NULL FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", error);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) evicted = g_array_new (FALSE, FALSE, sizeof (gboolean));
  gboolean first = TRUE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int (stmt, 2, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      gboolean evict = sqlite3_column_int (stmt, 3);

      g_array_append_val (seqs, seq);
      g_array_append_val (evicted, evict);
      g_ptr_array_add (keys, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (keys, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
    }
  sqlite3_reset (stmt);

  *last_seq = from;
  for (guint i = 0; i < seqs->len && rows->len < PAGE_BYTES; i++)
    {
      CrmRecordType type;
      g_autoptr(JsonObject) record = NULL;
      g_autoptr(JsonObject) row = NULL;
      g_autofree char *text = NULL;

      *last_seq = g_array_index (seqs, gint64, i);
      if (!crm_record_type_from_string (g_ptr_array_index (keys, 2 * i), &type))
        continue;
      if (g_array_index (evicted, gboolean, i))
        {
          /* purged: only the key travels (leads, reports, events) */
          if (!has_module (user, CRM_SERVER_MODULE_LEADS))
            continue;
          record = json_object_new ();
          json_object_set_string_member (record, "uuid", g_ptr_array_index (keys, 2 * i + 1));
        }
      else
        {
          record = record_fetch (db, type, g_ptr_array_index (keys, 2 * i + 1), error);
          if (record == NULL)
            {
              if (error != NULL && *error != NULL)
                return FALSE;
              continue;
            }
          if (!row_visible (user, type, record))
            continue;
        }

      row = json_object_new ();
      json_object_set_string_member (row, "type", crm_record_type_to_string (type));
      json_object_set_string_member (row, "op", g_array_index (evicted, gboolean, i) ? "evict" : "put");
      json_object_set_int_member (row, "seq", *last_seq);
      json_object_set_object_member (row, "data", g_steal_pointer (&record));
      text = crm_protocol_object_to_string (row);
      if (!first)
        g_string_append_c (rows, ',');
      g_string_append (rows, text);
      first = FALSE;
    }

  stmt = _crm_server_db_prepare (db, "SELECT 1 FROM changes WHERE seq > ? LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, *last_seq);
  *has_more = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * crm_server_store_pull:
 * @cursor: (nullable): a validated cursor, NULL for the start
 *
 * One read transaction: the page, the new cursor and the client's
 * last_mutation_id are one snapshot. A cursor of another epoch, older
 * than the tombstone horizon, or of a client that started its download
 * before the user's rights last changed answers reset.
 */
char *
crm_server_store_pull (CrmServerStore       *self,
                       const CrmServerUser  *user,
                       const char           *client_id,
                       const char           *cursor,
                       guint                 limit,
                       GError              **error)
{
  g_autoptr(CrmServerUser) fresh = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GString) body = g_string_new ("{\"rows\":[");
  CrmServerDb *db = _crm_server_store_reader_take (self, error);
  gint64 from = 0, last_seq = 0;
  gboolean reset = FALSE, has_more = FALSE, ok;

  if (db == NULL)
    return NULL;
  if ((cursor == NULL && !begin_full_pull (self, user, client_id, error)) ||
      !_crm_server_db_exec (db, "BEGIN", error))
    {
      _crm_server_store_reader_give (self, db);
      return NULL;
    }

  ok = client_owner_check (db, user, client_id, FALSE, error);
  fresh = _crm_server_user_read (db, "id", NULL, user->id, NULL);
  if (ok && fresh == NULL)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNAUTHORIZED, _("Log in first"));
      ok = FALSE;
    }
  if (ok && cursor != NULL && crm_protocol_cursor_parse (cursor, &epoch, &from, NULL))
    reset = g_strcmp0 (epoch, self->epoch) != 0 || from < meta_int (db, "horizon") ||
            client_rights_seen (db, client_id) < fresh->rights_seq;

  if (ok && reset)
    {
      last_seq = 0;
      has_more = TRUE;
    }
  else if (ok)
    ok = read_page (self, db, fresh, from, limit, body, &last_seq, &has_more, error);

  if (ok)
    {
      next = crm_protocol_cursor_format (self->epoch, last_seq);
      g_string_append_printf (body, "],\"cursor\":\"%s\",\"has_more\":%s,\"last_mutation_id\":%lld,\"reset\":%s}",
                              next, has_more ? "true" : "false",
                              (long long) _crm_server_last_mutation_id (db, client_id),
                              reset ? "true" : "false");
    }
  _crm_server_db_exec (db, "COMMIT", NULL);
  _crm_server_store_reader_give (self, db);

  return ok ? g_string_free (g_steal_pointer (&body), FALSE) : NULL;
}

/* ---------------------------------------------------------------- purge */

/**
 * crm_server_store_purge:
 * @days: tombstones (and evict markers) older than this many days go
 * @n_purged: (out): how many deleted leads were removed
 *
 * Two steps in one transaction. First, evict markers older than @days
 * (left by an earlier purge) are dropped and the tombstone horizon moves
 * past them: a client whose cursor is older may have missed them and is
 * answered reset. Then deleted leads whose deletion is older than @days
 * are removed with their reports, events and field authors; their
 * entries in `changes` become evict markers with a new seq, so every
 * client removes them on its next pull.
 */
gboolean
crm_server_store_purge (CrmServerStore  *self,
                        int              days,
                        gint64          *n_purged,
                        GError         **error)
{
  static const char *deletes[] = {
    "DELETE FROM activity WHERE lead IN (SELECT uuid FROM purge)",
    "DELETE FROM event WHERE lead IN (SELECT uuid FROM purge)",
    "DELETE FROM field_author WHERE record IN (SELECT uuid FROM purge)",
    "DELETE FROM lead WHERE uuid IN (SELECT uuid FROM purge)",
    "DROP TABLE purge",
  };
  gint64 now = g_get_real_time ();
  gint64 cutoff = now - (gint64) days * 24 * 3600 * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) evict = g_ptr_array_new_with_free_func (g_free);
  CrmServerDb *db = _crm_server_store_writer_begin (self, error);
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (db == NULL)
    return FALSE;

  ok = (stmt = _crm_server_db_prepare (db,
          "UPDATE meta SET value = max (CAST(value AS INTEGER), "
          "  coalesce ((SELECT max (seq) FROM changes WHERE evicted_at <= ?1), 0)) WHERE key = 'horizon'",
          error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, cutoff);
      ok = _crm_server_db_step_done (db, stmt, error);
    }
  if (ok && (ok = (stmt = _crm_server_db_prepare (db, "DELETE FROM changes WHERE evicted_at <= ?", error)) != NULL))
    {
      sqlite3_bind_int64 (stmt, 1, cutoff);
      ok = _crm_server_db_step_done (db, stmt, error);
    }

  ok = ok && _crm_server_db_exec (db, "CREATE TEMP TABLE purge (uuid TEXT PRIMARY KEY)", error) &&
       (stmt = _crm_server_db_prepare (db, "INSERT INTO purge SELECT uuid FROM lead WHERE deleted = 1 AND updated_at <= ?",
                                       error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, cutoff);
      ok = _crm_server_db_step_done (db, stmt, error);
      *n_purged = sqlite3_changes (db->db);
    }
  if (ok && (ok = (stmt = _crm_server_db_prepare (db,
        "SELECT type, key FROM changes WHERE (type = 'lead' AND key IN (SELECT uuid FROM purge)) "
        "OR (type = 'activity' AND key IN (SELECT uuid FROM activity WHERE lead IN (SELECT uuid FROM purge))) "
        "OR (type = 'event' AND key IN (SELECT uuid FROM event WHERE lead IN (SELECT uuid FROM purge)))", error)) != NULL))
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_ptr_array_add (evict, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          g_ptr_array_add (evict, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      sqlite3_reset (stmt);
    }
  for (guint i = 0; ok && i < evict->len; i += 2)
    {
      ok = _crm_server_touch (db, g_ptr_array_index (evict, i), g_ptr_array_index (evict, i + 1), error) != 0 &&
           (stmt = _crm_server_db_prepare (db, "UPDATE changes SET evicted_at = ? WHERE type = ? AND key = ?", error)) != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, now);
          sqlite3_bind_text (stmt, 2, g_ptr_array_index (evict, i), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, g_ptr_array_index (evict, i + 1), -1, SQLITE_STATIC);
          ok = _crm_server_db_step_done (db, stmt, error);
        }
    }
  for (guint i = 0; ok && i < G_N_ELEMENTS (deletes); i++)
    ok = _crm_server_db_exec (db, deletes[i], error);
  if (!ok)
    _crm_server_db_exec (db, "DROP TABLE IF EXISTS temp.purge", NULL);
  return _crm_server_store_writer_commit (self, ok, ok ? error : NULL) && ok;
}

/* ------------------------------------------------------------ key values */

char *
crm_server_store_key_values (CrmServerStore  *self,
                             GError         **error)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonArray *array = json_array_new ();
  CrmServerDb *db = _crm_server_store_reader_take (self, error);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  json_object_set_array_member (answer, "key_values", array);
  if (db == NULL)
    return NULL;
  stmt = _crm_server_db_prepare (db, "SELECT kind || ':' || key FROM key_value ORDER BY kind, position, key", error);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (keys, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  for (guint i = 0; stmt != NULL && i < keys->len; i++)
    {
      JsonObject *kv = record_fetch (db, CRM_RECORD_KEY_VALUE, g_ptr_array_index (keys, i), NULL);

      if (kv != NULL)
        json_array_add_object_element (array, kv);
    }
  _crm_server_store_reader_give (self, db);

  return stmt != NULL ? crm_protocol_object_to_string (answer) : NULL;
}

/**
 * crm_server_store_key_value_put:
 * @key_value: a validated key_value record
 *
 * Errors: CRM_PROTOCOL_ERROR_FORBIDDEN unless @user is an admin who may
 * write.
 */
gboolean
crm_server_store_key_value_put (CrmServerStore       *self,
                                const CrmServerUser  *user,
                                JsonObject           *key_value,
                                GError              **error)
{
  CrmServerDb *db;
  gint64 rev = 0;
  gboolean ok;

  if (!user->admin || user->read_only)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_FORBIDDEN, _("Only administrators change key values"));
      return FALSE;
    }
  if ((db = _crm_server_store_writer_begin (self, error)) == NULL)
    return FALSE;
  ok = key_value_write (db, key_value, &rev, error);
  return _crm_server_store_writer_commit (self, ok, ok ? error : NULL) && ok;
}
