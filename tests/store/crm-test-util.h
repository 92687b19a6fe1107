/* crm-test-util.h: what the store tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real SQLite files in a temporary folder, and a second, independent
 * sqlite3 connection to look at them behind the store's back.
 */
#pragma once

#include <sqlite3.h>

#include "crm-store.h"

G_BEGIN_DECLS

typedef struct {
  char     *dir;
  char     *path;
  CrmStore *store;
  sqlite3  *raw;
} StoreFixture;

typedef struct {
  gint64 leads;
  gint64 events;
  gint64 activities;
  gint64 contacts;
  gint64 key_values;
} RowCounts;

char      *crm_test_make_tmpdir     (void);
void       crm_test_remove_tree     (const char   *dir);

void       store_fixture_setup      (StoreFixture *f,
                                     gconstpointer data);
void       store_fixture_teardown   (StoreFixture *f,
                                     gconstpointer data);
void       store_fixture_close      (StoreFixture *f);
void       store_fixture_reopen     (StoreFixture *f);

sqlite3   *crm_test_raw_open        (const char   *path);
gint64     crm_test_raw_int         (sqlite3      *db,
                                     const char   *format,
                                     ...);
char      *crm_test_raw_text        (sqlite3      *db,
                                     const char   *format,
                                     ...);
void       crm_test_raw_exec        (sqlite3      *db,
                                     const char   *format,
                                     ...);
char      *crm_test_raw_lead_row    (sqlite3      *db,
                                     gint64        id);
void       crm_test_raw_counts      (sqlite3      *db,
                                     RowCounts    *out);
void       crm_test_assert_counts_equal (const RowCounts *a,
                                     const RowCounts *b);

gint64     crm_test_create_lead     (CrmStore     *store,
                                     const char   *title,
                                     ...) G_GNUC_NULL_TERMINATED;
void       crm_test_update_lead     (CrmStore     *store,
                                     gint64        id,
                                     ...) G_GNUC_NULL_TERMINATED;

gboolean   crm_test_wait_until      (gboolean    (*predicate) (gpointer),
                                     gpointer      data,
                                     guint         timeout_ms);

G_END_DECLS
