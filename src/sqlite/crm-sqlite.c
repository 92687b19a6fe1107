/* crm-sqlite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite plumbing that the app's store (src/store) and leads-server's
 * store (src/server) share, so neither writes it again: the migration
 * runner, a cache of prepared statements, exec and step wrappers and the
 * `meta (key, value)` table both schemas have. No GTK, and no schema of
 * its own: each store keeps its SQL and passes in how a failure becomes
 * an error of its own domain (CrmSqliteErrorFunc).
 *
 * Migrations are the files "NNN-name.sql" in one resource folder,
 * numbered 1, 2, 3 … without gaps or repeats (a second file with a taken
 * number would never run; a gap means a file went missing). Each one
 * above PRAGMA user_version runs in its own BEGIN IMMEDIATE transaction
 * together with setting user_version to its number, so a failure leaves
 * every earlier migration applied and user_version naming the last one.
 */
#define G_LOG_DOMAIN "crm-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "crm-sqlite.h"

typedef struct {
  int   number;
  char *name;
} Migration;

/* ------------------------------------------------------ auxiliary methods */

static void
set_sqlite_error (CrmSqliteErrorFunc   sqlite_error,
                  GError             **error,
                  sqlite3             *db,
                  int                  rc,
                  const char          *what)
{
  if (sqlite_error != NULL)
    sqlite_error (error, db, rc, what);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (db));
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
migration_clear (Migration *migration)
{
  g_free (migration->name);
}

static int
compare_migrations (gconstpointer a,
                    gconstpointer b)
{
  const Migration *ma = a, *mb = b;

  if (ma->number != mb->number)
    return ma->number < mb->number ? -1 : 1;
  return g_strcmp0 (ma->name, mb->name);
}

/* "NNN-name.sql" → NNN (from 1), else 0 */
static int
migration_number (const char *name)
{
  guint64 number = 0;
  const char *p = name;

  while (g_ascii_isdigit (*p) && number <= G_MAXINT)
    number = number * 10 + (guint64) (*p++ - '0');

  if (p == name || *p != '-' || !g_str_has_suffix (p, ".sql") || number > G_MAXINT)
    return 0;
  return (int) number;
}

/* The folder's files by number, checked: 1 … N, each number once. */
static GArray *
list_migrations (const CrmSqliteMigrations  *m,
                 GError                    **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (Migration));

  g_array_set_clear_func (list, (GDestroyNotify) migration_clear);

  names = g_resources_enumerate_children (m->resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      Migration migration = { migration_number (names[i]), NULL };

      if (migration.number == 0)
        {
          g_set_error (error, m->error_domain, m->error_invalid,
                       _("The migration “%s%s” is not named NNN-name.sql with a number from 1"),
                       m->resource_path, names[i]);
          return NULL;
        }
      migration.name = g_strdup (names[i]);
      g_array_append_val (list, migration);
    }
  g_array_sort (list, compare_migrations);

  for (guint i = 0; i < list->len; i++)
    {
      const Migration *this = &g_array_index (list, Migration, i);
      const Migration *before = i > 0 ? &g_array_index (list, Migration, i - 1) : NULL;

      if (before != NULL && this->number == before->number)
        {
          g_set_error (error, m->error_domain, m->error_invalid,
                       _("The migrations “%s” and “%s” in %s share the number %d"),
                       before->name, this->name, m->resource_path, this->number);
          return NULL;
        }
      if (this->number != (int) i + 1)
        {
          g_set_error (error, m->error_domain, m->error_invalid,
                       _("The migration number %d is missing in %s (the next is “%s”)"),
                       (int) i + 1, m->resource_path, this->name);
          return NULL;
        }
    }

  return g_steal_pointer (&list);
}

static gboolean
read_user_version (sqlite3                    *db,
                   const CrmSqliteMigrations  *m,
                   int                        *out_version,
                   GError                    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (m->sqlite_error, error, db, rc, "PRAGMA user_version");
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *out_version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
apply_migration (sqlite3                    *db,
                 const CrmSqliteMigrations  *m,
                 const Migration            *migration,
                 GError                    **error)
{
  g_autofree char *path = g_strconcat (m->resource_path, migration->name, NULL);
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", migration->number);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  int rc;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert (sqlite3_get_autocommit (db));
  if (!crm_sqlite_exec (db, "BEGIN IMMEDIATE", m->sqlite_error, error))
    return FALSE;

  if ((rc = sqlite3_exec (db, sql, NULL, NULL, NULL)) != SQLITE_OK)
    set_sqlite_error (m->sqlite_error, error, db, rc, path);
  else if (crm_sqlite_exec (db, bump, m->sqlite_error, error) &&
           (m->migrated == NULL || m->migrated (migration->number, m->user_data, error)) &&
           crm_sqlite_exec (db, "COMMIT", m->sqlite_error, error))
    return TRUE;

  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* ------------------------------------------------------------- public API */

/**
 * crm_sqlite_migrate:
 * @db: the connection, not inside a transaction
 * @db_path: the database file, named in errors
 * @migrations: where the files are and how to report errors
 * @out_old_version: (out) (optional): user_version before, 0 for a new file
 *
 * Applies every migration above the database's PRAGMA user_version, in
 * order, each in its own transaction. Refuses, changing nothing, a
 * folder with a repeated or missing number (@error_invalid) and a
 * database whose user_version is above the newest file (@error_too_new).
 * Running it again on a migrated database does nothing.
 */
gboolean
crm_sqlite_migrate (sqlite3                    *db,
                    const char                 *db_path,
                    const CrmSqliteMigrations  *migrations,
                    int                        *out_old_version,
                    GError                    **error)
{
  g_autoptr(GArray) list = NULL;
  int version = 0;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (migrations != NULL && migrations->resource_path != NULL, FALSE);

  if ((list = list_migrations (migrations, error)) == NULL ||
      !read_user_version (db, migrations, &version, error))
    return FALSE;

  if (version > (int) list->len)
    {
      g_set_error (error, migrations->error_domain, migrations->error_too_new,
                   _("The database “%s” was written by a newer version of %s (schema %d, this version knows %d)"),
                   db_path, migrations->program, version, (int) list->len);
      return FALSE;
    }

  if (out_old_version != NULL)
    *out_old_version = version;

  for (guint i = (guint) version; i < list->len; i++)
    if (!apply_migration (db, migrations, &g_array_index (list, Migration, i), error))
      return FALSE;

  return TRUE;
}

/* Prepared statements cached by their SQL text (the keys are copies). */
GHashTable *
crm_sqlite_statements_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

/**
 * crm_sqlite_prepare_cached:
 * @statements: from crm_sqlite_statements_new(), for @db only
 *
 * The statement for @sql, prepared once per connection and cached;
 * reset, with its bindings cleared, each time it is handed out.
 *
 * Returns: (transfer none) (nullable): the statement, owned by @statements
 */
sqlite3_stmt *
crm_sqlite_prepare_cached (sqlite3             *db,
                           GHashTable          *statements,
                           const char          *sql,
                           CrmSqliteErrorFunc   sqlite_error,
                           GError             **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (sqlite_error, error, db, rc, "prepare");
      return NULL;
    }

  g_hash_table_insert (statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
crm_sqlite_exec (sqlite3             *db,
                 const char          *sql,
                 CrmSqliteErrorFunc   sqlite_error,
                 GError             **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (sqlite_error, error, db, rc, sql);
      return FALSE;
    }

  return TRUE;
}

/* Steps @stmt once (a row is as good as done) and resets it. */
gboolean
crm_sqlite_step_done (sqlite3             *db,
                      sqlite3_stmt        *stmt,
                      CrmSqliteErrorFunc   sqlite_error,
                      const char          *what,
                      GError             **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (sqlite_error, error, db, rc, what);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

/* The value of @key in the `meta (key, value)` table, NULL without one. */
char *
crm_sqlite_get_meta (sqlite3    *db,
                     GHashTable *statements,
                     const char *key)
{
  sqlite3_stmt *stmt = crm_sqlite_prepare_cached (db, statements, "SELECT value FROM meta WHERE key = ?", NULL, NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}
