/* crm-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "crm-test"

#include "config.h"

#include <glib/gstdio.h>
#include <stdarg.h>

#include "crm-test-util.h"

/* ------------------------------------------------------------ temp files */

char *
crm_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("leads-test-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);

  return dir;
}

void
crm_test_remove_tree (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (dir == NULL)
    return;

  d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        crm_test_remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (dir);
}

/* --------------------------------------------------- the raw connection */

sqlite3 *
crm_test_raw_open (const char *path)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);

  if (rc != SQLITE_OK)
    g_error ("Cannot open %s: %s", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static sqlite3_stmt *
raw_prepare (sqlite3    *db,
             const char *format,
             va_list     args)
{
  char *sql = sqlite3_vmprintf (format, args);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_nonnull (sql);
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (db));
  sqlite3_free (sql);

  return stmt;
}

gint64
crm_test_raw_int (sqlite3    *db,
                  const char *format,
                  ...)
{
  sqlite3_stmt *stmt;
  va_list args;
  gint64 value = 0;
  int rc;

  va_start (args, format);
  stmt = raw_prepare (db, format, args);
  va_end (args);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    g_error ("Query failed: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return value;
}

char *
crm_test_raw_text (sqlite3    *db,
                   const char *format,
                   ...)
{
  sqlite3_stmt *stmt;
  va_list args;
  char *value = NULL;
  int rc;

  va_start (args, format);
  stmt = raw_prepare (db, format, args);
  va_end (args);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    g_error ("Query failed: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return value;
}

void
crm_test_raw_exec (sqlite3    *db,
                   const char *format,
                   ...)
{
  va_list args;
  char *sql;
  char *errmsg = NULL;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);

  if (sqlite3_exec (db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    g_error ("Cannot run “%s”: %s", sql, errmsg);
  sqlite3_free (sql);
}

/* Every column of a lead row, to compare "before" and "after". */
char *
crm_test_raw_lead_row (sqlite3 *db,
                       gint64   id)
{
  g_autoptr(GString) row = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM lead WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (row, "%s%s=%s", i > 0 ? "|" : "",
                                  sqlite3_column_name (stmt, i), text ? text : "∅");
        }
    }
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&row), FALSE);
}

void
crm_test_raw_counts (sqlite3   *db,
                     RowCounts *out)
{
  out->leads = crm_test_raw_int (db, "SELECT count(*) FROM lead");
  out->events = crm_test_raw_int (db, "SELECT count(*) FROM lead_event");
  out->activities = crm_test_raw_int (db, "SELECT count(*) FROM activity");
  out->contacts = crm_test_raw_int (db, "SELECT count(*) FROM contact");
  out->key_values = crm_test_raw_int (db, "SELECT count(*) FROM key_value");
}

void
crm_test_assert_counts_equal (const RowCounts *a,
                              const RowCounts *b)
{
  g_assert_cmpint (a->leads, ==, b->leads);
  g_assert_cmpint (a->events, ==, b->events);
  g_assert_cmpint (a->activities, ==, b->activities);
  g_assert_cmpint (a->contacts, ==, b->contacts);
  g_assert_cmpint (a->key_values, ==, b->key_values);
}

/* ----------------------------------------------------------- the fixture */

static void
open_store (StoreFixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = crm_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
  crm_store_set_author (f->store, "Tester");
}

void
store_fixture_setup (StoreFixture  *f,
                     gconstpointer  data)
{
  f->dir = crm_test_make_tmpdir ();
  f->path = g_build_filename (f->dir, "leads.db", NULL);
  open_store (f);
  f->raw = crm_test_raw_open (f->path);
}

/* Closes the store and checks that nothing kept it alive. A finished
 * GTask's worker thread drops its reference to the store (the task's
 * source object) just after the callback may already have run on the
 * main thread: wait a moment for such references, then insist. */
void
store_fixture_close (StoreFixture *f)
{
  if (f->store == NULL)
    return;

  for (guint waited_ms = 0;
       g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1 && waited_ms < 5000;
       waited_ms++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }

  g_assert_finalize_object (g_steal_pointer (&f->store));
}

void
store_fixture_reopen (StoreFixture *f)
{
  store_fixture_close (f);
  open_store (f);
}

void
store_fixture_teardown (StoreFixture  *f,
                        gconstpointer  data)
{
  store_fixture_close (f);
  if (f->raw != NULL)
    g_assert_cmpint (sqlite3_close (f->raw), ==, SQLITE_OK);
  crm_test_remove_tree (f->dir);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->dir, g_free);
}

/* ------------------------------------------------------------- shortcuts */

static GArray *
collect_values (const char *first_field,
                va_list     args)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (CrmFieldValue));

  for (const char *field = first_field; field != NULL; field = va_arg (args, const char *))
    {
      CrmFieldValue value = { field, va_arg (args, const char *) };

      g_array_append_val (values, value);
    }

  return values;
}

/* crm_test_create_lead (store, "Title", "field", "value", ..., NULL) */
gint64
crm_test_create_lead (CrmStore   *store,
                      const char *title,
                      ...)
{
  g_autoptr(GArray) values = NULL;
  g_autoptr(GError) error = NULL;
  CrmFieldValue title_value = { "title", title };
  const char *first;
  va_list args;
  gint64 id;

  va_start (args, title);
  first = va_arg (args, const char *);
  values = collect_values (first, args);
  va_end (args);
  g_array_prepend_val (values, title_value);

  id = crm_store_create_lead (store, (CrmFieldValue *) values->data, values->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

void
crm_test_update_lead (CrmStore *store,
                      gint64    id,
                      ...)
{
  g_autoptr(GArray) values = NULL;
  g_autoptr(GError) error = NULL;
  const char *first;
  va_list args;

  va_start (args, id);
  first = va_arg (args, const char *);
  values = collect_values (first, args);
  va_end (args);

  g_assert_true (crm_store_update_lead (store, id, (CrmFieldValue *) values->data, values->len, &error));
  g_assert_no_error (error);
}

/* ---------------------------------------------------------- main loop */

static gboolean
on_timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context until @predicate holds; FALSE on timeout. */
gboolean
crm_test_wait_until (gboolean (*predicate) (gpointer),
                     gpointer  data,
                     guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (timeout_ms, on_timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (source);

  return predicate (data);
}
