/* crm-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CrmStore is the only door to the local SQLite cache.
 *
 * - One connection (`db`) on the main thread does every write, each in a
 *   BEGIN IMMEDIATE transaction that also writes the closed-loop log, so
 *   nothing is ever half-saved. Statements are prepared once and cached.
 * - A second connection (`reader`) serves list queries and sums from
 *   worker threads (WAL lets it read while the main thread writes).
 * - Leads handed out are shared live objects: after a change the store
 *   refreshes the one instance in place, so the list row, the detail page
 *   and the charts all see the change through property notifications.
 *
 * This file: opening, migrations, statements, transactions, key values.
 * crm-store-leads.c: leads, contact reports, history.
 * crm-store-contacts.c: contacts.  crm-store-query.c: filtered queries.
 * crm-store-generate.c: sample and generated data.
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "crm-core-error.h"
#include "crm-currency.h"
#include "crm-sqlite.h"
#include "crm-uuid.h"
#include "crm-store-private.h"
#include "crm-store-resources.h"

G_DEFINE_FINAL_TYPE (CrmStore, crm_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (crm-store-error-quark, crm_store_error)

guint _crm_store_signals[N_SIGNALS];

/* ---------------------------------------------------------------- helpers */

void
_crm_store_set_error (GError     **error,
                      sqlite3     *db,
                      int          rc,
                      const char  *what)
{
  int code;
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DISK_FULL,
                   _("The disk is full: %s could not be saved. Free some space and try again."), what);
      return;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = CRM_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = CRM_STORE_ERROR_BUSY;
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      code = CRM_STORE_ERROR_READ_ONLY;
      break;
    case SQLITE_CONSTRAINT:
      code = CRM_STORE_ERROR_INVALID;
      break;
    default:
      code = CRM_STORE_ERROR_FAILED;
    }

  g_set_error (error, CRM_STORE_ERROR, code, "%s: %s", what, message);
}

gint64
_crm_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

char *
_crm_store_new_uuid (void)
{
  return crm_uuid_new ();
}

void
_crm_store_bind_text (sqlite3_stmt *stmt,
                      int           index,
                      const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

const char *
_crm_store_column_text (sqlite3_stmt *stmt,
                        int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

sqlite3_stmt *
_crm_store_prepare (CrmStore    *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt = crm_sqlite_prepare_cached (self->db, self->statements, sql,
                                                  _crm_store_set_error, error);

  if (stmt == NULL)
    g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));

  return stmt;
}

gboolean
_crm_store_exec (CrmStore    *self,
                 const char  *sql,
                 GError     **error)
{
  return crm_sqlite_exec (self->db, sql, _crm_store_set_error, error);
}

/**
 * _crm_store_query_ids:
 * @sql: a query of one integer column, with at most one parameter
 * @param: bound to ?1 when @sql has it
 *
 * Returns: (transfer full) (element-type gint64): the column's values in
 *   the query's order, or %NULL on error
 */
GArray *
_crm_store_query_ids (CrmStore    *self,
                      const char  *sql,
                      gint64       param,
                      GError     **error)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self, sql, error);
  GArray *ids;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, param);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      /* a part of the ids is no answer: callers act on all of them */
      _crm_store_set_error (error, self->db, rc, _("Reading the database"));
      sqlite3_reset (stmt);
      g_array_unref (ids);
      return NULL;
    }
  sqlite3_reset (stmt);

  return ids;
}

/* phase_rank keeps sorting by phase an index scan: the position of the
 * lead's phase, 0 for a phase that is not a key value (yet), e.g. a
 * stand-in lead that sync made before the lead itself arrived. */
gboolean
_crm_store_update_phase_ranks (CrmStore  *self,
                               GError   **error)
{
  return _crm_store_exec (self,
    "UPDATE lead SET phase_rank = coalesce ((SELECT position FROM key_value kv "
    "  WHERE kv.kind = 'phase' AND kv.key = lead.phase), 0) "
    "WHERE phase_rank IS NOT coalesce ((SELECT position FROM key_value kv "
    "  WHERE kv.kind = 'phase' AND kv.key = lead.phase), 0)", error);
}

gboolean
_crm_store_step_done (CrmStore      *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  return crm_sqlite_step_done (self->db, stmt, _crm_store_set_error, _("the change"), error);
}

gboolean
_crm_store_begin (CrmStore  *self,
                  GError   **error)
{
  g_assert (sqlite3_get_autocommit (self->db));

  return _crm_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_crm_store_commit (CrmStore  *self,
                   GError   **error)
{
  if (!_crm_store_exec (self, "COMMIT", error))
    {
      _crm_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
_crm_store_rollback (CrmStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

char *
_crm_store_get_meta (CrmStore   *self,
                     const char *key)
{
  return crm_sqlite_get_meta (self->db, self->statements, key);
}

gboolean
_crm_store_set_meta (CrmStore    *self,
                     const char  *key,
                     const char  *value,
                     GError     **error)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return _crm_store_step_done (self, stmt, error);
}

static gboolean
configure_connection (sqlite3     *db,
                      gboolean     writer,
                      GError     **error)
{
  const char *pragmas = writer
    ? "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = NORMAL;"
      "PRAGMA foreign_keys = ON;"
      "PRAGMA temp_store = MEMORY;"
      "PRAGMA cache_size = -32000;"
    : "PRAGMA foreign_keys = ON;"
      "PRAGMA temp_store = MEMORY;"
      "PRAGMA cache_size = -32000;"
      "PRAGMA query_only = ON;";
  char *errmsg = NULL;
  int rc;

  sqlite3_busy_timeout (db, 5000);
  sqlite3_extended_result_codes (db, TRUE);

  rc = sqlite3_exec (db, pragmas, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, db, rc, _("Cannot open the database"));
      sqlite3_free (errmsg);
      return FALSE;
    }

  return TRUE;
}

/* Migration 1 also sets the company currency and seeds the key values
 * in the user's language, in its transaction. */
static gboolean
migrated (int        number,
          gpointer   user_data,
          GError   **error)
{
  CrmStore *self = user_data;

  if (number != 1)
    return TRUE;

  if (!_crm_store_set_meta (self, "default_currency", "EUR", error))
    return FALSE;
  _crm_store_seed_key_values (self);
  return TRUE;
}

/* The numbered files in the resource (crm-sqlite.c's runner). */
static gboolean
migrate (CrmStore  *self,
         GError   **error)
{
  const CrmSqliteMigrations migrations = {
    .resource_path = "/io/github/leadsdesk/Leads/store/migrations/",
    .program = "Leads",
    .error_domain = CRM_STORE_ERROR,
    .error_invalid = CRM_STORE_ERROR_FAILED,
    .error_too_new = CRM_STORE_ERROR_TOO_NEW,
    .sqlite_error = _crm_store_set_error,
    .migrated = migrated,
    .user_data = self,
  };

  return crm_sqlite_migrate (self->db, self->path, &migrations, NULL, error);
}

/* ------------------------------------------------------------ key values */

static char *
key_value_hash_key (const char *kind,
                    const char *key)
{
  return g_strconcat (kind, "\037", key, NULL);
}

void
_crm_store_reload_key_values (CrmStore *self)
{
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer value;

  stmt = _crm_store_prepare (self,
    "SELECT kv.id, kv.kind, kv.key, kv.label, kv.position, kv.active, kv.probability, "
    "       kv.status_class, kv.stale_days "
    "FROM key_value kv ORDER BY kv.kind, kv.position, kv.id", NULL);
  if (stmt == NULL)
    return;

  g_hash_table_remove_all (self->key_values);
  g_hash_table_iter_init (&iter, self->key_lists);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_list_store_remove_all (value);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(CrmKeyValue) kv = crm_key_value_new ();
      const char *kind = _crm_store_column_text (stmt, 1);
      GListStore *list;

      g_object_set (kv,
                    "id", sqlite3_column_int64 (stmt, 0),
                    "kind", kind,
                    "key", _crm_store_column_text (stmt, 2),
                    "label", _crm_store_column_text (stmt, 3),
                    "position", sqlite3_column_int (stmt, 4),
                    "active", sqlite3_column_int (stmt, 5) != 0,
                    "probability", sqlite3_column_type (stmt, 6) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 6),
                    "status-class", sqlite3_column_int (stmt, 7),
                    "stale-days", sqlite3_column_int (stmt, 8),
                    NULL);

      g_hash_table_insert (self->key_values,
                           key_value_hash_key (kind, crm_key_value_get_key (kv)),
                           g_object_ref (kv));

      list = g_hash_table_lookup (self->key_lists, kind);
      if (list == NULL)
        {
          list = g_list_store_new (CRM_TYPE_KEY_VALUE);
          g_hash_table_insert (self->key_lists, g_strdup (kind), list);
        }
      g_list_store_append (list, kv);
    }
  sqlite3_reset (stmt);
}

static gboolean
insert_key_value (CrmStore    *self,
                  const char  *kind,
                  const char  *key,
                  const char  *label,
                  int          position,
                  int          probability,
                  int          status_class,
                  int          stale_days,
                  GError     **error)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "INSERT INTO key_value (kind, key, label, position, probability, status_class, stale_days) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, label, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, position);
  if (probability >= 0)
    sqlite3_bind_int (stmt, 5, probability);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_int (stmt, 6, status_class);
  sqlite3_bind_int (stmt, 7, stale_days);

  return _crm_store_step_done (self, stmt, error);
}

/* The defaults a new database starts with (crm_key_value_defaults(), shared
 * with leads-server); labels in the user's language. */
void
_crm_store_seed_key_values (CrmStore *self)
{
  guint n_defaults = 0;
  const CrmKeyValueDefault *defaults = crm_key_value_defaults (&n_defaults);

  for (guint i = 0; i < n_defaults; i++)
    insert_key_value (self, defaults[i].kind, defaults[i].key,
                      g_dgettext (GETTEXT_PACKAGE, defaults[i].label),
                      defaults[i].position, defaults[i].probability, defaults[i].status_class,
                      defaults[i].stale_days, NULL);
}

static char *
slugify (const char *label)
{
  g_autofree char *ascii = g_str_to_ascii (label, "C");
  GString *key = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
      else if (key->len > 0 && key->str[key->len - 1] != '_')
        g_string_append_c (key, '_');
    }
  while (key->len > 0 && key->str[key->len - 1] == '_')
    g_string_truncate (key, key->len - 1);
  if (key->len == 0)
    g_string_append (key, "value");

  return g_string_free (key, FALSE);
}

static CrmKeyValue *
key_value_by_id (CrmStore *self,
                 gint64    id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->key_values);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (crm_key_value_get_id (value) == id)
      return value;

  return NULL;
}

/* A bound admin's change of a list: the list's values, as they are now
 * in this transaction, go to the server (lists are short). */
static gboolean
queue_key_values (CrmStore    *self,
                  const char  *kind,
                  GError     **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = _crm_store_prepare (self, "SELECT key FROM key_value WHERE kind = ? ORDER BY position", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (keys, g_strdup (_crm_store_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  for (guint i = 0; i < keys->len; i++)
    {
      g_autoptr(JsonNode) record = _crm_store_key_value_record (self, kind, keys->pdata[i]);

      if (record != NULL && !_crm_store_outbox_add (self, "key_value.put", NULL, NULL, record, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
key_value_changed (CrmStore    *self,
                   const char  *kind,
                   GError     **error)
{
  g_autofree char *kind_copy = g_strdup (kind);

  if (self->sync_bound && !queue_key_values (self, kind, error))
    {
      _crm_store_rollback (self);
      return FALSE;
    }

  if (!_crm_store_commit (self, error))
    return FALSE;

  _crm_store_reload_key_values (self);
  g_signal_emit (self, _crm_store_signals[SIGNAL_KEY_VALUES_CHANGED], 0, kind_copy);
  return TRUE;
}

static gint64
key_value_uses (CrmStore   *self,
                const char *kind,
                const char *key)
{
  const char *sql;
  sqlite3_stmt *stmt;
  gint64 n = 0;

  if (g_str_equal (kind, "phase"))
    sql = "SELECT (SELECT count(*) FROM lead WHERE phase = ?1) + (SELECT count(*) FROM activity WHERE phase = ?1)";
  else if (g_str_equal (kind, "status"))
    sql = "SELECT count(*) FROM lead WHERE status = ?1";
  else if (g_str_equal (kind, "type"))
    sql = "SELECT count(*) FROM lead WHERE type = ?1";
  else if (g_str_equal (kind, "unit"))
    sql = "SELECT count(*) FROM lead WHERE unit = ?1";
  else if (g_str_equal (kind, "source"))
    sql = "SELECT count(*) FROM lead WHERE source = ?1";
  else if (g_str_equal (kind, "lost_reason"))
    sql = "SELECT count(*) FROM lead WHERE lost_reason = ?1";
  else
    sql = "SELECT count(*) FROM activity WHERE kind = ?1";

  stmt = _crm_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return G_MAXINT64;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return n;
}

/* ------------------------------------------------------------- overrides */

static void
crm_store_finalize (GObject *object)
{
  CrmStore *self = (CrmStore *)object;

  g_clear_pointer (&self->live_leads, g_hash_table_unref);
  g_clear_pointer (&self->key_values, g_hash_table_unref);
  g_clear_pointer (&self->key_lists, g_hash_table_unref);
  g_clear_pointer (&self->sync_events, json_array_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  _crm_store_query_clear (self);
  _crm_store_stats_clear (self);
  /* The writer closes last: the last connection checkpoints the WAL into
   * the database and removes it, which a read-only one cannot do; a WAL
   * left behind is read in full by the next open. */
  if (self->reader != NULL)
    sqlite3_close (self->reader);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_mutex_clear (&self->reader_lock);
  g_free (self->path);
  g_free (self->author);

  G_OBJECT_CLASS (crm_store_parent_class)->finalize (object);
}

static void
crm_store_class_init (CrmStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_store_finalize;

  /**
   * CrmStore::lead-changed:
   * @id: the lead's id
   *
   * A lead's fields, history or existence changed.
   */
  _crm_store_signals[SIGNAL_LEAD_CHANGED] =
    g_signal_new ("lead-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * CrmStore::leads-changed:
   *
   * Many leads changed at once (bulk load, generated data): views query again.
   */
  _crm_store_signals[SIGNAL_LEADS_CHANGED] =
    g_signal_new ("leads-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  _crm_store_signals[SIGNAL_KEY_VALUES_CHANGED] =
    g_signal_new ("key-values-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  _crm_store_signals[SIGNAL_CONTACTS_CHANGED] =
    g_signal_new ("contacts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * CrmStore::rates-changed:
   *
   * An exchange rate or the company currency changed: statistics differ.
   */
  _crm_store_signals[SIGNAL_RATES_CHANGED] =
    g_signal_new ("rates-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
crm_store_init (CrmStore *self)
{
  const char *real_name = g_get_real_name ();

  g_mutex_init (&self->reader_lock);
  self->statements = crm_sqlite_statements_new ();
  self->live_leads = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, _crm_store_live_lead_free);
  self->key_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->key_lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->author = g_strdup (g_strcmp0 (real_name, "Unknown") != 0 && *real_name ? real_name : g_get_user_name ());
  _crm_store_stats_init (self);
}

/* ----------------------------------------------------------------- public */

char *
crm_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "leads", "leads.db", NULL);
}

/**
 * crm_store_open:
 * @path: the database file; created (with its folder) when missing
 *
 * Opens or creates the cache and brings its schema up to date.
 */
CrmStore *
crm_store_open (const char  *path,
                GError     **error)
{
  g_autoptr(CrmStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  g_resources_register (crm_store_get_resource ());

  self = g_object_new (CRM_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK || !configure_connection (self->db, TRUE, error))
    {
      if (rc != SQLITE_OK)
        {
          g_autofree char *what = g_strdup_printf (_("Cannot open the database “%s”"), path);
          _crm_store_set_error (error, self->db, rc, what);
        }
      return NULL;
    }

  if (!migrate (self, error))
    return NULL;
  /* an initial sync that stopped half-way set the list's indexes aside */
  if (!_crm_store_restore_indexes (self, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &self->reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK || !configure_connection (self->reader, FALSE, error))
    {
      if (rc != SQLITE_OK)
        _crm_store_set_error (error, self->reader, rc, _("Cannot open the database"));
      return NULL;
    }

  _crm_store_reload_key_values (self);
  _crm_store_sync_load (self);

  return g_steal_pointer (&self);
}

const char *
crm_store_get_path (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return self->path;
}

const char *
crm_store_get_author (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return self->author;
}

void
crm_store_set_author (CrmStore   *self,
                      const char *author)
{
  g_return_if_fail (CRM_IS_STORE (self));

  if (author == NULL || *author == '\0')
    return;

  g_free (self->author);
  self->author = g_strdup (author);
}

const char *
crm_store_get_default_currency (CrmStore *self)
{
  static GQuark cached;
  g_autofree char *value = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), "EUR");

  value = _crm_store_get_meta (self, "default_currency");
  cached = g_quark_from_string (value != NULL ? value : "EUR");

  return g_quark_to_string (cached);
}

/**
 * crm_store_set_default_currency:
 * @currency: an ISO 4217 code
 *
 * The company currency: new leads start in it. The app keeps it equal to
 * its company-currency setting so that leadsctl on the same database
 * agrees with the app.
 */
gboolean
crm_store_set_default_currency (CrmStore    *self,
                                const char  *currency,
                                GError     **error)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  upper = g_ascii_strup (currency ? currency : "", -1);
  if (!crm_currency_is_valid (upper))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_CURRENCY,
                   _("currency: “%s” is not an ISO 4217 currency code"), currency ? currency : "");
      return FALSE;
    }

  if (g_strcmp0 (upper, crm_store_get_default_currency (self)) == 0)
    return TRUE;

  if (!_crm_store_begin (self, error))
    return FALSE;
  if (!_crm_store_set_meta (self, "default_currency", upper, error))
    {
      _crm_store_rollback (self);
      return FALSE;
    }
  if (!_crm_store_commit (self, error))
    return FALSE;

  /* the statistics convert to the new currency, with its own rates */
  g_signal_emit (self, _crm_store_signals[SIGNAL_RATES_CHANGED], 0);
  return TRUE;
}

gboolean
crm_store_is_empty (CrmStore *self)
{
  sqlite3_stmt *stmt;
  gboolean empty = TRUE;

  g_return_val_if_fail (CRM_IS_STORE (self), TRUE);

  stmt = _crm_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM lead WHERE deleted = 0)", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    empty = sqlite3_column_int (stmt, 0) == 0;
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return empty;
}

gboolean
crm_store_check_integrity (CrmStore  *self,
                           GError   **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *result = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  stmt = _crm_store_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup (_crm_store_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT,
                   _("The database is damaged: %s"), result ? result : "?");
      return FALSE;
    }

  return TRUE;
}

GListModel *
crm_store_list_key_values (CrmStore   *self,
                           const char *kind,
                           gboolean    include_inactive)
{
  GListStore *all;
  GListStore *result;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  result = g_list_store_new (CRM_TYPE_KEY_VALUE);
  all = g_hash_table_lookup (self->key_lists, kind);
  if (all == NULL)
    return G_LIST_MODEL (result);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (all)); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (all), i);

      if (include_inactive || crm_key_value_get_active (kv))
        g_list_store_append (result, kv);
    }

  return G_LIST_MODEL (result);
}

/**
 * crm_store_count_key_value_uses:
 * @values: key values of one kind, as from crm_store_list_key_values()
 *
 * Sets each value's :n-uses: how many leads (and, for phases and
 * activity kinds, contact reports) refer to it, deleted ones included.
 * One grouped query per list: at a million leads that is one scan, not
 * one per value, so only what shows the counts (Preferences, leadsctl
 * keys list) pays for it.
 */
void
crm_store_count_key_value_uses (CrmStore   *self,
                                GListModel *values)
{
  static const struct { const char *kind; const char *sql; } queries[] = {
    { "phase", "SELECT phase, count(*) FROM lead GROUP BY phase "
               "UNION ALL SELECT phase, count(*) FROM activity WHERE phase IS NOT NULL GROUP BY phase" },
    { "status", "SELECT status, count(*) FROM lead GROUP BY status" },
    { "type", "SELECT type, count(*) FROM lead GROUP BY type" },
    { "unit", "SELECT unit, count(*) FROM lead GROUP BY unit" },
    { "source", "SELECT source, count(*) FROM lead GROUP BY source" },
    { "lost_reason", "SELECT lost_reason, count(*) FROM lead GROUP BY lost_reason" },
    { "activity_kind", "SELECT kind, count(*) FROM activity GROUP BY kind" },
  };
  g_autoptr(GHashTable) counts = NULL;   /* "kind\037key" -> gint64 */
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  g_return_if_fail (CRM_IS_STORE (self));
  g_return_if_fail (G_IS_LIST_MODEL (values));

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  n = g_list_model_get_n_items (values);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);
      const char *kind = crm_key_value_get_kind (kv);

      if (g_hash_table_contains (done, kind))
        continue;
      g_hash_table_add (done, (gpointer) g_intern_string (kind));

      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          sqlite3_stmt *stmt;

          if (!g_str_equal (queries[q].kind, kind))
            continue;

          stmt = _crm_store_prepare (self, queries[q].sql, NULL);
          if (stmt == NULL)
            break;
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              const char *key = _crm_store_column_text (stmt, 0);
              char *hash_key;
              gint64 *count;

              if (key == NULL)
                continue;
              hash_key = key_value_hash_key (kind, key);
              count = g_hash_table_lookup (counts, hash_key);
              if (count == NULL)
                {
                  count = g_new0 (gint64, 1);
                  g_hash_table_insert (counts, hash_key, count);
                }
              else
                g_free (hash_key);
              *count += sqlite3_column_int64 (stmt, 1);
            }
          sqlite3_reset (stmt);
        }
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);
      g_autofree char *hash_key = key_value_hash_key (crm_key_value_get_kind (kv), crm_key_value_get_key (kv));
      gint64 *count = g_hash_table_lookup (counts, hash_key);

      g_object_set (kv, "n-uses", count != NULL ? *count : (gint64) 0, NULL);
    }
}

CrmKeyValue *
crm_store_lookup_key_value (CrmStore   *self,
                            const char *kind,
                            const char *key)
{
  g_autofree char *hash_key = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  if (kind == NULL || key == NULL)
    return NULL;

  hash_key = key_value_hash_key (kind, key);
  return g_hash_table_lookup (self->key_values, hash_key);
}

/* By key, or else by label ignoring case: what a person types. */
CrmKeyValue *
crm_store_find_key_value (CrmStore   *self,
                          const char *kind,
                          const char *key_or_label)
{
  CrmKeyValue *kv = crm_store_lookup_key_value (self, kind, key_or_label);
  GListStore *all;

  if (kv != NULL || key_or_label == NULL)
    return kv;

  all = g_hash_table_lookup (self->key_lists, kind);
  if (all == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (all)); i++)
    {
      g_autoptr(CrmKeyValue) item = g_list_model_get_item (G_LIST_MODEL (all), i);
      g_autofree char *a = g_utf8_casefold (crm_key_value_get_label (item), -1);
      g_autofree char *b = g_utf8_casefold (key_or_label, -1);

      if (g_strcmp0 (a, b) == 0)
        return item;
    }

  return NULL;
}

const char *
crm_store_key_value_label (CrmStore   *self,
                           const char *kind,
                           const char *key)
{
  CrmKeyValue *kv = crm_store_lookup_key_value (self, kind, key);

  if (kv != NULL)
    return crm_key_value_get_label (kv);

  return key != NULL ? key : "";
}

gint64
crm_store_add_key_value (CrmStore        *self,
                         const char      *kind,
                         const char      *label,
                         int              probability,
                         CrmStatusClass   status_class,
                         GError         **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *base = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  int position = 0;
  gint64 id;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  if (!_crm_store_sync_key_values_writable (self, error))
    return 0;

  if (!crm_key_value_kind_is_valid (kind))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("“%s” is not a list of key values"), kind ? kind : "");
      return 0;
    }

  clean = g_strstrip (g_strdup (label ? label : ""));
  if (*clean == '\0')
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED, _("label: a name is required"));
      return 0;
    }
  if (crm_store_find_key_value (self, kind, clean) != NULL)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("label: “%s” exists already"), clean);
      return 0;
    }
  if (g_str_equal (kind, "phase") && (probability < 0 || probability > 100))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_PROBABILITY,
                   _("probability: a phase needs a default probability from 0 to 100"));
      return 0;
    }

  base = slugify (clean);
  key = g_strdup (base);
  for (int n = 2; crm_store_lookup_key_value (self, kind, key) != NULL; n++)
    {
      g_free (key);
      key = g_strdup_printf ("%s_%d", base, n);
    }

  if (!_crm_store_begin (self, error))
    return 0;

  stmt = _crm_store_prepare (self, "SELECT coalesce (max (position) + 1, 0) FROM key_value WHERE kind = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    position = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (!insert_key_value (self, kind, key, clean, position,
                         g_str_equal (kind, "phase") ? probability : -1,
                         g_str_equal (kind, "status") ? (int) status_class : 0, 0, error))
    goto fail;

  id = sqlite3_last_insert_rowid (self->db);
  if (!key_value_changed (self, kind, error))
    return 0;
  return id;

fail:
  _crm_store_rollback (self);
  return 0;
}

static gboolean
update_key_value_column (CrmStore    *self,
                         gint64       id,
                         const char  *sql,
                         GValue      *value,
                         GError     **error)
{
  CrmKeyValue *kv = key_value_by_id (self, id);
  g_autofree char *kind = NULL;
  sqlite3_stmt *stmt;

  if (!_crm_store_sync_key_values_writable (self, error))
    return FALSE;

  if (kv == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no key value with the id %lld"), (long long) id);
      return FALSE;
    }
  kind = g_strdup (crm_key_value_get_kind (kv));

  if (!_crm_store_begin (self, error))
    return FALSE;

  stmt = _crm_store_prepare (self, sql, error);
  if (stmt == NULL)
    goto fail;
  if (G_VALUE_HOLDS_STRING (value))
    sqlite3_bind_text (stmt, 1, g_value_get_string (value), -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int (stmt, 1, g_value_get_int (value));
  sqlite3_bind_int64 (stmt, 2, id);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  if (g_str_equal (kind, "phase"))
    {
      /* Lead labels come from the key value cache; phase_rank keeps
       * sorting by phase an index scan. */
      if (!_crm_store_update_phase_ranks (self, error))
        goto fail;
    }

  if (!key_value_changed (self, kind, error))
    return FALSE;

  /* labels shown on live leads */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->live_leads);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      _crm_store_refresh_lead (self, *(gint64 *) key);
  }

  return TRUE;

fail:
  _crm_store_rollback (self);
  return FALSE;
}

gboolean
crm_store_rename_key_value (CrmStore    *self,
                            gint64       id,
                            const char  *label,
                            GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (label ? label : ""));
  g_auto(GValue) value = G_VALUE_INIT;
  CrmKeyValue *kv, *other;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (*clean == '\0')
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED, _("label: a name is required"));
      return FALSE;
    }

  kv = key_value_by_id (self, id);
  if (kv != NULL && (other = crm_store_find_key_value (self, crm_key_value_get_kind (kv), clean)) != NULL &&
      other != kv)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("label: “%s” exists already"), clean);
      return FALSE;
    }

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, clean);
  return update_key_value_column (self, id, "UPDATE key_value SET label = ? WHERE id = ?", &value, error);
}

gboolean
crm_store_set_key_value_probability (CrmStore  *self,
                                     gint64     id,
                                     int        probability,
                                     GError   **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (probability < 0 || probability > 100)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_PROBABILITY,
                   _("probability: “%d” is not a whole number from 0 to 100"), probability);
      return FALSE;
    }

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, probability);
  return update_key_value_column (self, id, "UPDATE key_value SET probability = ? WHERE id = ?", &value, error);
}

/* The days a lead may stay in a phase without a contact report before it
 * is marked stale; 0: never. Only the key value changes (leads do not
 * store it), so neither phase ranks nor live leads are touched. */
gboolean
crm_store_set_key_value_stale_days (CrmStore  *self,
                                    gint64     id,
                                    int        stale_days,
                                    GError   **error)
{
  CrmKeyValue *kv;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  kv = key_value_by_id (self, id);
  if (kv == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no key value with the id %lld"), (long long) id);
      return FALSE;
    }
  if (!g_str_equal (crm_key_value_get_kind (kv), "phase"))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("stale_days: only sales phases have days without contact, “%s” is not a phase"),
                   crm_key_value_get_label (kv));
      return FALSE;
    }
  if (stale_days < 0 || stale_days > CRM_MAX_STALE_DAYS)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("stale_days: “%d” is not a number of days from 0 to %d"),
                   stale_days, CRM_MAX_STALE_DAYS);
      return FALSE;
    }
  if (crm_key_value_get_stale_days (kv) == stale_days)
    return TRUE;

  if (!_crm_store_begin (self, error))
    return FALSE;

  stmt = _crm_store_prepare (self, "UPDATE key_value SET stale_days = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int (stmt, 1, stale_days);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  return key_value_changed (self, "phase", error);

fail:
  _crm_store_rollback (self);
  return FALSE;
}

gboolean
crm_store_set_key_value_active (CrmStore  *self,
                                gint64     id,
                                gboolean   active,
                                GError   **error)
{
  g_auto(GValue) value = G_VALUE_INIT;
  CrmKeyValue *kv = key_value_by_id (self, id);

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  /* A list must keep one active value to default to. */
  if (kv != NULL && !active)
    {
      g_autoptr(GListModel) actives = crm_store_list_key_values (self, crm_key_value_get_kind (kv), FALSE);
      guint n_open = 0;

      for (guint i = 0; i < g_list_model_get_n_items (actives); i++)
        {
          g_autoptr(CrmKeyValue) other = g_list_model_get_item (actives, i);

          if (crm_key_value_get_status_class (other) == CRM_STATUS_CLASS_OPEN)
            n_open++;
        }

      if (g_list_model_get_n_items (actives) <= 1 ||
          (g_str_equal (crm_key_value_get_kind (kv), "status") &&
           crm_key_value_get_status_class (kv) == CRM_STATUS_CLASS_OPEN && n_open <= 1))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_IN_USE,
                       _("“%s” is the last active value of its kind and must stay active"),
                       crm_key_value_get_label (kv));
          return FALSE;
        }
    }

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, active ? 1 : 0);
  return update_key_value_column (self, id, "UPDATE key_value SET active = ? WHERE id = ?", &value, error);
}

gboolean
crm_store_move_key_value (CrmStore  *self,
                          gint64     id,
                          int        new_position,
                          GError   **error)
{
  CrmKeyValue *kv = key_value_by_id (self, id);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *kind = NULL;
  sqlite3_stmt *stmt;
  guint n;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!_crm_store_sync_key_values_writable (self, error))
    return FALSE;

  if (kv == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no key value with the id %lld"), (long long) id);
      return FALSE;
    }

  kind = g_strdup (crm_key_value_get_kind (kv));
  all = G_LIST_MODEL (g_object_ref (g_hash_table_lookup (self->key_lists, kind)));
  n = g_list_model_get_n_items (all);
  new_position = CLAMP (new_position, 0, (int) n - 1);

  for (guint i = 0; i < n; i++)
    {
      CrmKeyValue *item = g_list_model_get_item (all, i);

      if (item == kv)
        g_object_unref (item);
      else
        g_ptr_array_add (order, item);
    }
  g_ptr_array_insert (order, new_position, g_object_ref (kv));

  if (!_crm_store_begin (self, error))
    return FALSE;

  stmt = _crm_store_prepare (self, "UPDATE key_value SET position = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < order->len; i++)
    {
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_int64 (stmt, 2, crm_key_value_get_id (g_ptr_array_index (order, i)));
      if (!_crm_store_step_done (self, stmt, error))
        goto fail;
    }

  if (g_str_equal (kind, "phase") && !_crm_store_update_phase_ranks (self, error))
    goto fail;

  return key_value_changed (self, kind, error);

fail:
  _crm_store_rollback (self);
  return FALSE;
}

gboolean
crm_store_delete_key_value (CrmStore  *self,
                            gint64     id,
                            GError   **error)
{
  CrmKeyValue *kv = key_value_by_id (self, id);
  g_autofree char *kind = NULL;
  sqlite3_stmt *stmt;
  gint64 uses;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (kv == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no key value with the id %lld"), (long long) id);
      return FALSE;
    }

  if (self->sync_bound)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_IN_USE,
                   _("“%s” comes from the team server: deactivate it instead of deleting it"),
                   crm_key_value_get_label (kv));
      return FALSE;
    }

  kind = g_strdup (crm_key_value_get_kind (kv));
  uses = key_value_uses (self, kind, crm_key_value_get_key (kv));
  if (uses > 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” is used by %lld record; deactivate it instead",
                                "“%s” is used by %lld records; deactivate it instead",
                                uses),
                   crm_key_value_get_label (kv), (long long) uses);
      return FALSE;
    }

  if (crm_key_value_get_active (kv) && !crm_store_set_key_value_active (self, id, FALSE, error))
    return FALSE;

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self, "DELETE FROM key_value WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  return key_value_changed (self, kind, error);

fail:
  _crm_store_rollback (self);
  return FALSE;
}
