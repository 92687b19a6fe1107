/* test-sqlite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcrm-sqlite on real database files in a temporary folder: the
 * migration runner with a good folder and with each kind of broken one
 * (tests/sqlite/migrations/), and the statement helpers. Errors must
 * arrive in the caller's domain with the caller's codes.
 */
#define G_LOG_DOMAIN "test-sqlite"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "crm-sqlite.h"
#include "test-sqlite-resources.h"

#define TEST_ERROR (test_error_quark ())
static GQuark test_error_quark (void);
G_DEFINE_QUARK (test-sqlite-error-quark, test_error)

enum {
  TEST_ERROR_INVALID = 10,
  TEST_ERROR_TOO_NEW,
  TEST_ERROR_SQLITE,
};

typedef struct {
  char    *dir;
  char    *path;
  sqlite3 *db;
  GArray  *migrated;    /* the numbers the hook saw, in order */
  int      fail_at;     /* the hook refuses this number */
} Fixture;

/* ------------------------------------------------------ auxiliary methods */

static void
test_sqlite_error (GError     **error,
                   sqlite3     *db,
                   int          rc,
                   const char  *what)
{
  g_set_error (error, TEST_ERROR, TEST_ERROR_SQLITE, "%s: %s (%d)", what, sqlite3_errmsg (db), rc);
}

static gboolean
on_migrated (int        number,
             gpointer   user_data,
             GError   **error)
{
  Fixture *f = user_data;

  if (number == f->fail_at)
    {
      g_set_error (error, TEST_ERROR, TEST_ERROR_INVALID, "the hook refuses %d", number);
      return FALSE;
    }
  g_array_append_val (f->migrated, number);
  return TRUE;
}

static gboolean
migrate (Fixture     *f,
         const char  *folder,
         int         *old_version,
         GError     **error)
{
  g_autofree char *resource_path = g_strdup_printf ("/test/sqlite/migrations/%s/", folder);
  const CrmSqliteMigrations migrations = {
    .resource_path = resource_path,
    .program = "the test",
    .error_domain = TEST_ERROR,
    .error_invalid = TEST_ERROR_INVALID,
    .error_too_new = TEST_ERROR_TOO_NEW,
    .sqlite_error = test_sqlite_error,
    .migrated = on_migrated,
    .user_data = f,
  };

  return crm_sqlite_migrate (f->db, f->path, &migrations, old_version, error);
}

/* Through a connection of its own, as another process would see it. */
static gint64
query_int (Fixture    *f,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static gint64
n_tables (Fixture *f)
{
  return query_int (f, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-sqlite-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  g_assert_cmpint (sqlite3_open (f->path, &f->db), ==, SQLITE_OK);
  f->migrated = g_array_new (FALSE, FALSE, sizeof (int));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_cmpint (sqlite3_close (f->db), ==, SQLITE_OK);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_array_unref (f->migrated);
  g_free (f->path);
  g_free (f->dir);
}

/* ------------------------------------------------------------------ tests */

static void
test_migrate_new_and_again (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int old_version = -1;

  g_assert_true (migrate (f, "ok", &old_version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (old_version, ==, 0);
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (f->migrated->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (g_array_index (f->migrated, int, i), ==, (int) i + 1);
  /* 003 added a column to 001's table */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM pragma_table_info('people') WHERE name = 'email'"), ==, 1);

  /* Again: nothing runs (003 would fail a second time), nothing changes. */
  g_assert_cmpint (sqlite3_exec (f->db, "INSERT INTO people (name, email) VALUES ('Ada', 'a@b')", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (migrate (f, "ok", &old_version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (old_version, ==, 3);
  g_assert_cmpint (f->migrated->len, ==, 3);
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM people"), ==, 1);
}

static void
test_migrate_from_middle (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int old_version = -1;

  /* A database at version 1 gets 2 and 3 only. */
  g_assert_cmpint (sqlite3_exec (f->db,
                                 "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                                 "PRAGMA user_version = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (migrate (f, "ok", &old_version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (old_version, ==, 1);
  g_assert_cmpint (f->migrated->len, ==, 2);
  g_assert_cmpint (g_array_index (f->migrated, int, 0), ==, 2);
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 3);
}

static void
test_migrate_duplicate (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (migrate (f, "dup", NULL, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "002-meta.sql"));
  g_assert_nonnull (strstr (error->message, "002-other.sql"));
  /* refused before anything ran */
  g_assert_cmpint (f->migrated->len, ==, 0);
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 0);
  g_assert_cmpint (n_tables (f), ==, 0);
}

static void
test_migrate_gap (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (migrate (f, "gap", NULL, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "number 2 is missing"));
  g_assert_nonnull (strstr (error->message, "003-email.sql"));
  g_assert_cmpint (f->migrated->len, ==, 0);
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 0);
  g_assert_cmpint (n_tables (f), ==, 0);
}

static void
test_migrate_bad_name (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (migrate (f, "name", NULL, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "other.sql"));
  g_assert_cmpint (n_tables (f), ==, 0);
}

static void
test_migrate_partial_failure (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* 003 fails half-way: 001 and 002 stay, nothing of 003 does */
  g_assert_false (migrate (f, "fail", NULL, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_SQLITE);
  g_assert_nonnull (strstr (error->message, "003-broken.sql"));
  g_assert_nonnull (strstr (error->message, "nowhere"));
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM sqlite_schema WHERE name = 'half'"), ==, 0);
  g_assert_true (sqlite3_get_autocommit (f->db));
  g_clear_error (&error);

  /* The good folder takes it on from there. */
  g_assert_true (migrate (f, "ok", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 3);
}

static void
test_migrate_hook_failure (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The hook's failure rolls back its migration, with the hook's error. */
  f->fail_at = 2;
  g_assert_false (migrate (f, "ok", NULL, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_INVALID);
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'"), ==, 0);
  g_assert_true (sqlite3_get_autocommit (f->db));
}

static void
test_migrate_too_new (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int old_version = -1;

  g_assert_cmpint (sqlite3_exec (f->db, "CREATE TABLE future (x); PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (migrate (f, "ok", &old_version, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, "the test"));
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_cmpint (old_version, ==, -1);
  /* left alone */
  g_assert_cmpint (f->migrated->len, ==, 0);
  g_assert_cmpint (query_int (f, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (n_tables (f), ==, 1);
}

static void
test_statements (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) statements = crm_sqlite_statements_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup ("INSERT INTO people (name) VALUES (?)");
  g_autofree char *epoch = NULL;
  sqlite3_stmt *stmt, *again;

  g_assert_true (migrate (f, "ok", NULL, &error));

  /* prepared once, then handed out reset; the cache keeps its own key */
  stmt = crm_sqlite_prepare_cached (f->db, statements, sql, test_sqlite_error, &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, "Ada", -1, SQLITE_STATIC);
  g_assert_true (crm_sqlite_step_done (f->db, stmt, test_sqlite_error, "insert", &error));
  g_free (g_steal_pointer (&sql));
  again = crm_sqlite_prepare_cached (f->db, statements, "INSERT INTO people (name) VALUES (?)", test_sqlite_error, &error);
  g_assert_true (again == stmt);
  g_assert_cmpint (g_hash_table_size (statements), ==, 1);

  /* bindings were cleared: name NULL breaks NOT NULL, in our domain */
  g_assert_false (crm_sqlite_step_done (f->db, again, test_sqlite_error, "insert", &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_SQLITE);
  g_assert_nonnull (strstr (error->message, "insert: "));
  g_assert_nonnull (strstr (error->message, "NOT NULL"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM people"), ==, 1);

  g_assert_null (crm_sqlite_prepare_cached (f->db, statements, "SELECT nothing FROM nowhere", test_sqlite_error, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_SQLITE);
  g_clear_error (&error);

  g_assert_false (crm_sqlite_exec (f->db, "DROP TABLE nowhere", test_sqlite_error, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_SQLITE);
  g_assert_nonnull (strstr (error->message, "DROP TABLE nowhere: "));
  g_clear_error (&error);

  epoch = crm_sqlite_get_meta (f->db, statements, "epoch");
  g_assert_cmpstr (epoch, ==, "e1");
  g_assert_null (crm_sqlite_get_meta (f->db, statements, "nothing"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_resources_register (test_sqlite_get_resource ());

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD_TEST ("/sqlite/migrate/new-and-again", test_migrate_new_and_again);
  ADD_TEST ("/sqlite/migrate/from-middle", test_migrate_from_middle);
  ADD_TEST ("/sqlite/migrate/duplicate", test_migrate_duplicate);
  ADD_TEST ("/sqlite/migrate/gap", test_migrate_gap);
  ADD_TEST ("/sqlite/migrate/bad-name", test_migrate_bad_name);
  ADD_TEST ("/sqlite/migrate/partial-failure", test_migrate_partial_failure);
  ADD_TEST ("/sqlite/migrate/hook-failure", test_migrate_hook_failure);
  ADD_TEST ("/sqlite/migrate/too-new", test_migrate_too_new);
  ADD_TEST ("/sqlite/statements", test_statements);

  return g_test_run ();
}
