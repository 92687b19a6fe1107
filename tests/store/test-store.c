/* test-store.c: the SQLite store against real database files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-month.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

#define ADD_TEST(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

static gint64
count_events (StoreFixture *f,
              gint64        lead,
              const char   *field)
{
  return crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event WHERE lead_id = %lld AND field = %Q",
                           (long long) lead, field);
}

/* ------------------------------------------------------------ migrations */

static void
test_migrations (StoreFixture *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *too_new = NULL;
  sqlite3 *db;
  RowCounts before, after;
  CrmStore *store;

  /* the newest migration's number (the runner takes every file there is) */
  g_assert_cmpint (crm_test_raw_int (f->raw, "PRAGMA user_version"), ==, 5);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sqlite_master WHERE name = 'lead_pipeline'"), ==, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sqlite_master WHERE name = 'sync_outbox'"), ==, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                             "AND instr (sql, 'fts_deferred') > 0"), ==, 3);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM key_value WHERE kind = 'phase'"), ==, 6);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT stale_days FROM key_value WHERE kind = 'phase' AND key = 'lead'"), ==, 30);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT probability FROM key_value WHERE kind = 'phase' AND key = 'proposal'"), ==, 50);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT status_class FROM key_value WHERE kind = 'status' AND key = 'won'"), ==, CRM_STATUS_CLASS_WON);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM key_value WHERE kind = 'activity_kind'"), ==, 5);
  g_assert_cmpstr (crm_store_get_default_currency (f->store), ==, "EUR");
  g_assert_true (crm_store_is_empty (f->store));
  g_assert_true (crm_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  /* Reopening runs no migration twice. */
  crm_test_raw_counts (f->raw, &before);
  store_fixture_reopen (f);
  store_fixture_reopen (f);
  crm_test_raw_counts (f->raw, &after);
  crm_test_assert_counts_equal (&before, &after);
  g_assert_cmpint (crm_test_raw_int (f->raw, "PRAGMA user_version"), ==, 5);

  /* A version 1 database gets the Pipeline index (migration 002) and
   * the exchange rates and the statistics index (migration 003), sync (004) and the
   * bulk apply of pulled pages (005), in order */
  crm_test_raw_exec (f->raw, "DROP INDEX lead_pipeline; DROP INDEX lead_stats; DROP TABLE exchange_rate; "
                             "DROP TABLE sync_meta; DROP TABLE sync_outbox; "
                             "DROP TABLE sync_shadow; DROP TABLE sync_conflict; DROP TABLE sync_user; "
                             "DROP INDEX lead_event_uuid; ALTER TABLE lead_event DROP COLUMN uuid; "
                             "ALTER TABLE lead DROP COLUMN sync_state; ALTER TABLE contact DROP COLUMN sync_state; "
                             "DROP TABLE store_flags; DROP TABLE suspended_index; "
                             "PRAGMA user_version = 1");
  store_fixture_reopen (f);
  g_assert_cmpint (crm_test_raw_int (f->raw, "PRAGMA user_version"), ==, 5);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sqlite_master WHERE name = 'lead_pipeline'"), ==, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sqlite_master "
                                             "WHERE name IN ('lead_stats', 'exchange_rate')"), ==, 2);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sqlite_master WHERE name = 'sync_outbox'"), ==, 1);

  /* A database from a newer version is refused, and left alone. */
  too_new = g_build_filename (f->dir, "new.db", NULL);
  g_assert_cmpint (sqlite3_open (too_new, &db), ==, SQLITE_OK);
  crm_test_raw_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99");
  sqlite3_close (db);
  store = crm_store_open (too_new, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_TOO_NEW);
  g_assert_null (store);
  db = crm_test_raw_open (too_new);
  g_assert_cmpint (crm_test_raw_int (db, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (crm_test_raw_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'lead'"), ==, 0);
  sqlite3_close (db);
}

/* ------------------------------------------------------------------ CRUD */

static void
test_crud (StoreFixture *f,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = NULL;
  g_autoptr(CrmLead) again = NULL;
  gint64 id;

  id = crm_test_create_lead (f->store, "Pumps for Berlin",
                             "volume_minor", "1234567", "currency", "USD",
                             "owner", "Anna", "close_month", "2027-03",
                             "phase", "proposal", "type", "upsell", "unit", "north",
                             "description", "Two pumps", NULL);
  g_assert_false (crm_store_is_empty (f->store));
  lead = crm_store_get_lead (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_lead_get_id (lead), ==, id);
  g_assert_cmpstr (crm_lead_get_title (lead), ==, "Pumps for Berlin");
  g_assert_cmpint (crm_lead_get_volume_minor (lead), ==, 1234567);
  g_assert_cmpstr (crm_lead_get_currency (lead), ==, "USD");
  g_assert_cmpstr (crm_lead_get_phase (lead), ==, "proposal");
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 50);
  g_assert_cmpstr (crm_lead_get_status (lead), ==, "open");
  g_assert_cmpstr (crm_lead_get_owner (lead), ==, "Anna");
  g_assert_cmpint (crm_lead_get_close_month (lead), ==, crm_month_new (2027, 3));
  g_assert_cmpstr (crm_lead_get_lead_type (lead), ==, "upsell");
  g_assert_cmpstr (crm_lead_get_unit (lead), ==, "north");
  g_assert_cmpstr (crm_lead_get_description (lead), ==, "Two pumps");
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT volume_minor FROM lead WHERE id = %lld", (long long) id), ==, 1234567);

  crm_test_update_lead (f->store, id, "title", "Pumps for Bonn", "volume_minor", "99", NULL);
  g_assert_cmpstr (crm_lead_get_title (lead), ==, "Pumps for Bonn");
  g_assert_cmpint (crm_lead_get_volume_minor (lead), ==, 99);

  /* Survives a reopen. */
  g_clear_object (&lead);
  store_fixture_reopen (f);
  again = crm_store_get_lead (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_lead_get_title (again), ==, "Pumps for Bonn");
  g_assert_cmpint (crm_lead_get_volume_minor (again), ==, 99);
  g_clear_object (&again);

  /* held while deleted: the holder keeps its copy, the store hands out
   * nothing for the id any more */
  again = crm_store_get_lead (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_delete_lead (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT deleted FROM lead WHERE id = %lld", (long long) id), ==, 1);
  {
    g_autoptr(GArray) ids = crm_store_query_lead_ids (f->store, NULL, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, 0);
  }
  lead = crm_store_get_lead (f->store, id, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_null (lead);
  g_clear_error (&error);

  /* deleting twice is refused and logs nothing */
  {
    gint64 events = crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event WHERE lead_id = %lld", (long long) id);

    g_assert_false (crm_store_delete_lead (f->store, id, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event WHERE lead_id = %lld", (long long) id), ==, events);
  }

  g_assert_true (crm_store_undelete_lead (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT deleted FROM lead WHERE id = %lld", (long long) id), ==, 0);
  lead = crm_store_get_lead (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lead);
  g_assert_true (lead != again);
  g_clear_object (&lead);
  g_clear_object (&again);

  /* restoring a lead that is there changes nothing */
  {
    gint64 events = crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event WHERE lead_id = %lld", (long long) id);

    g_assert_true (crm_store_undelete_lead (f->store, id, &error));
    g_assert_no_error (error);
    g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event WHERE lead_id = %lld", (long long) id), ==, events);
  }

  lead = crm_store_get_lead (f->store, 424242, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_null (lead);
}

/* ------------------------------------------------------------ validation */

typedef struct {
  const char *field;
  const char *value;
  GQuark    (*domain) (void);
  int         code;
} BadValue;

static GQuark core_quark (void) { return CRM_CORE_ERROR; }

static void
assert_rejected (StoreFixture        *f,
                 gint64               id,
                 const CrmFieldValue *values,
                 guint                n_values,
                 GQuark               domain,
                 int                  code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *row_before = crm_test_raw_lead_row (f->raw, id);
  g_autofree char *row_after = NULL;
  g_autoptr(CrmLead) lead = crm_store_get_lead (f->store, id, NULL);
  g_autofree char *title = g_strdup (crm_lead_get_title (lead));
  int probability = crm_lead_get_probability (lead);
  RowCounts before, after;
  gint64 created;

  crm_test_raw_counts (f->raw, &before);
  g_assert_false (crm_store_update_lead (f->store, id, values, n_values, &error));
  g_assert_error (error, domain, code);
  g_clear_error (&error);

  /* Creating with the same bad value fails the same way. */
  {
    g_autoptr(GArray) create = g_array_new (FALSE, FALSE, sizeof (CrmFieldValue));
    CrmFieldValue t = { "title", "Fresh" };
    gboolean has_title = FALSE;

    for (guint i = 0; i < n_values; i++)
      has_title |= g_str_equal (values[i].field, "title");
    if (!has_title)
      g_array_append_val (create, t);
    g_array_append_vals (create, values, n_values);
    created = crm_store_create_lead (f->store, (CrmFieldValue *) create->data, create->len, &error);
    g_assert_cmpint (created, <=, 0);
    g_assert_error (error, domain, code);
  }

  crm_test_raw_counts (f->raw, &after);
  crm_test_assert_counts_equal (&before, &after);
  row_after = crm_test_raw_lead_row (f->raw, id);
  g_assert_cmpstr (row_before, ==, row_after);
  g_assert_cmpstr (crm_lead_get_title (lead), ==, title);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, probability);
}

static void
test_validation (StoreFixture *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  CrmKeyValue *upsell = NULL;
  const BadValue bad[] = {
    { "title", "", core_quark, CRM_CORE_ERROR_REQUIRED },
    { "volume_minor", "-5", core_quark, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "currency", "EURO", core_quark, CRM_CORE_ERROR_INVALID_CURRENCY },
    { "probability", "101", core_quark, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "probability", "abc", core_quark, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "close_month", "2027-13", core_quark, CRM_CORE_ERROR_INVALID_MONTH },
    { "phase", "no_such_phase", core_quark, CRM_CORE_ERROR_UNKNOWN_KEY_VALUE },
    { "type", "upsell", core_quark, CRM_CORE_ERROR_UNKNOWN_KEY_VALUE },
    { "colour", "red", core_quark, CRM_CORE_ERROR_UNKNOWN_FIELD },
    { "contact_id", "777", core_quark, CRM_CORE_ERROR_INVALID },
  };
  gint64 id;

  id = crm_test_create_lead (f->store, "Valid", "volume_minor", "500", "phase", "lead",
                             "close_month", "2027-01", "type", "renewal", NULL);
  upsell = crm_store_lookup_key_value (f->store, "type", "upsell");
  g_assert_nonnull (upsell);
  g_assert_true (crm_store_set_key_value_active (f->store, crm_key_value_get_id (upsell), FALSE, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      CrmFieldValue v = { bad[i].field, bad[i].value };

      g_test_message ("rejecting %s = “%s”", bad[i].field, bad[i].value);
      assert_rejected (f, id, &v, 1, bad[i].domain (), bad[i].code);
    }

  /* Several fields, one of them bad: nothing is written. */
  {
    const CrmFieldValue several[] = {
      { "title", "Changed" }, { "volume_minor", "999" }, { "phase", "decision" },
      { "owner", "Zed" }, { "probability", "101" },
    };

    assert_rejected (f, id, several, G_N_ELEMENTS (several), CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_PROBABILITY);
  }
}

/* ------------------------------------------------------------ change log */

static void
test_change_log (StoreFixture *f,
                 gconstpointer data)
{
  const struct { const char *field; const char *value; const char *old; } logged[] = {
    { "phase", "proposal", "lead" },
    { "status", "on_hold", "open" },
    { "probability", "33", "50" },
    { "volume_minor", "2000", "1000" },
    { "currency", "GBP", "EUR" },
    { "close_month", "2027-06", NULL },
    { "owner", "Bob", "Anna" },
  };
  gint64 id = crm_test_create_lead (f->store, "Logged", "volume_minor", "1000", "owner", "Anna",
                                    "phase", "lead", NULL);
  gint64 events = crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event");

  for (guint i = 0; i < G_N_ELEMENTS (logged); i++)
    {
      g_autofree char *author = NULL;
      g_autofree char *new_value = NULL;
      g_autofree char *old_value = NULL;
      gint64 n, field_before = count_events (f, id, logged[i].field);

      g_test_message ("changing %s", logged[i].field);
      crm_test_update_lead (f->store, id, logged[i].field, logged[i].value, NULL);
      n = crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event");
      /* A phase change also moves the probability that followed it. */
      g_assert_cmpint (count_events (f, id, logged[i].field), ==, field_before + 1);
      if (g_str_equal (logged[i].field, "phase"))
        g_assert_cmpint (n, ==, events + 2);
      else
        g_assert_cmpint (n, ==, events + 1);
      events = n;

      author = crm_test_raw_text (f->raw, "SELECT author FROM lead_event WHERE lead_id = %lld AND field = %Q ORDER BY id DESC",
                                  (long long) id, logged[i].field);
      g_assert_cmpstr (author, ==, "Tester");
      new_value = crm_test_raw_text (f->raw, "SELECT new_value FROM lead_event WHERE lead_id = %lld AND field = %Q ORDER BY id DESC",
                                     (long long) id, logged[i].field);
      g_assert_nonnull (new_value);
      old_value = crm_test_raw_text (f->raw, "SELECT old_value FROM lead_event WHERE lead_id = %lld AND field = %Q ORDER BY id DESC",
                                     (long long) id, logged[i].field);
      if (g_str_equal (logged[i].field, "close_month"))
        g_assert_true (old_value == NULL || *old_value == '\0');
      else if (g_str_equal (logged[i].field, "probability"))
        ;
      else
        {
          g_assert_cmpstr (new_value, ==, logged[i].value);
          g_assert_cmpstr (old_value, ==, logged[i].old);
        }

      /* The same value again writes nothing. */
      crm_test_update_lead (f->store, id, logged[i].field, logged[i].value, NULL);
      g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event"), ==, events);
    }

  {
    g_autofree char *p_old = crm_test_raw_text (f->raw, "SELECT old_value FROM lead_event WHERE lead_id = %lld AND field = 'probability' ORDER BY id DESC", (long long) id);
    g_autofree char *p_new = crm_test_raw_text (f->raw, "SELECT new_value FROM lead_event WHERE lead_id = %lld AND field = 'probability' ORDER BY id DESC", (long long) id);
    g_assert_cmpstr (p_old, ==, "50");
    g_assert_cmpstr (p_new, ==, "33");
  }

  crm_test_update_lead (f->store, id, "title", "Renamed", "description", "Long text", NULL);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event"), ==, events);
}

static void
test_phase_default (StoreFixture *f,
                    gconstpointer data)
{
  g_autoptr(CrmLead) lead = NULL;
  gint64 id = crm_test_create_lead (f->store, "Follows", "phase", "lead", NULL);

  lead = crm_store_get_lead (f->store, id, NULL);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 10);
  crm_test_update_lead (f->store, id, "phase", "proposal", NULL);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 50);
  g_assert_cmpint (count_events (f, id, "probability"), ==, 1);

  /* Set by hand: the phase no longer moves it. */
  crm_test_update_lead (f->store, id, "probability", "45", NULL);
  crm_test_update_lead (f->store, id, "phase", "negotiation", NULL);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 45);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT probability FROM lead WHERE id = %lld", (long long) id), ==, 45);
  g_assert_cmpint (count_events (f, id, "probability"), ==, 2);

  /* Equal to the default again: it follows. */
  crm_test_update_lead (f->store, id, "probability", "70", NULL);
  crm_test_update_lead (f->store, id, "phase", "decision", NULL);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 90);
}

static void
test_actions (StoreFixture *f,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = NULL;
  g_autoptr(CrmLead) copy = NULL;
  gint64 id = crm_test_create_lead (f->store, "Act", "phase", "lead", "volume_minor", "700", NULL);
  gint64 dup;

  lead = crm_store_get_lead (f->store, id, NULL);
  g_assert_true (crm_store_step_phase (f->store, id, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_lead_get_phase (lead), ==, "qualification");
  g_assert_true (crm_store_step_phase (f->store, id, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_lead_get_phase (lead), ==, "lead");
  g_assert_cmpint (count_events (f, id, "phase"), ==, 2);

  dup = crm_store_duplicate_lead (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dup, >, id);
  copy = crm_store_get_lead (f->store, dup, NULL);
  g_assert_cmpint (crm_lead_get_volume_minor (copy), ==, 700);
  g_assert_cmpstr (crm_lead_get_phase (copy), ==, "lead");
  g_assert_cmpstr (crm_lead_get_uuid (copy), !=, crm_lead_get_uuid (lead));

  g_assert_true (crm_store_mark_won (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_lead_get_status_class (lead), ==, CRM_STATUS_CLASS_WON);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 100);
  g_assert_cmpint (count_events (f, id, "status"), ==, 1);

  g_assert_true (crm_store_mark_lost (f->store, dup, "price", &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_lead_get_status_class (copy), ==, CRM_STATUS_CLASS_LOST);
  g_assert_cmpstr (crm_lead_get_lost_reason (copy), ==, "price");
  g_assert_cmpint (crm_lead_get_probability (copy), ==, 0);
  g_assert_cmpint (count_events (f, dup, "lost_reason"), ==, 1);
}

static void
test_activity (StoreFixture *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = NULL;
  g_autoptr(GListModel) history = NULL;
  gint64 id = crm_test_create_lead (f->store, "Reported", "phase", "lead", NULL);
  gint64 activity, events_before;
  gint64 at = 1800000000;

  lead = crm_store_get_lead (f->store, id, NULL);
  events_before = crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event");
  activity = crm_store_add_activity (f->store, id, "call", at, "Called", "They like it",
                                     35, "proposal", &error);
  g_assert_no_error (error);
  g_assert_cmpint (activity, >, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM activity WHERE id = %lld AND lead_id = %lld",
                                     (long long) activity, (long long) id), ==, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event"), ==, events_before + 2);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event WHERE activity_id = %lld AND field IN ('phase','probability')",
                                     (long long) activity), ==, 2);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 35);
  g_assert_cmpstr (crm_lead_get_phase (lead), ==, "proposal");
  g_assert_cmpint (crm_lead_get_last_activity (lead), ==, at);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT last_activity FROM lead WHERE id = %lld", (long long) id), ==, at);

  /* A later, plain note. */
  g_assert_cmpint (crm_store_add_activity (f->store, id, "note", at + 100, NULL, "Second", -1, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (crm_lead_get_last_activity (lead), ==, at + 100);

  history = crm_store_lead_history (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (history), >=, 3);
  for (guint i = 1; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(CrmHistoryItem) a = g_list_model_get_item (history, i - 1);
      g_autoptr(CrmHistoryItem) b = g_list_model_get_item (history, i);

      g_assert_cmpint (crm_history_item_get_at (a), >=, crm_history_item_get_at (b));
    }
  {
    g_autoptr(CrmHistoryItem) first = g_list_model_get_item (history, 0);

    g_assert_true (crm_history_item_is_report (first));
    g_assert_cmpstr (crm_history_item_get_text (first), ==, "Second");
  }
}

static gboolean
history_has_lead (GListModel *history,
                  gint64      lead)
{
  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i);

      if (crm_history_item_get_lead_id (item) == lead && crm_history_item_is_report (item))
        return TRUE;
    }
  return FALSE;
}

static void
test_contact_history (StoreFixture *f,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) history = NULL;
  g_autofree char *company_text = NULL;
  g_autofree char *person_text = NULL;
  gint64 company, person, other, l1, l2, l3;

  company = crm_store_create_contact (f->store, "company", "Acme GmbH", 0, &error);
  g_assert_no_error (error);
  person = crm_store_create_contact (f->store, "person", "Jane Roe", company, &error);
  g_assert_no_error (error);
  other = crm_store_create_contact (f->store, "company", "Other AG", 0, &error);
  g_assert_no_error (error);
  company_text = g_strdup_printf ("%lld", (long long) company);
  person_text = g_strdup_printf ("%lld", (long long) person);
  l1 = crm_test_create_lead (f->store, "Company lead", "contact_id", company_text, NULL);
  l2 = crm_test_create_lead (f->store, "Person lead", "contact_id", person_text, NULL);
  {
    g_autofree char *other_text = g_strdup_printf ("%lld", (long long) other);
    l3 = crm_test_create_lead (f->store, "Other lead", "contact_id", other_text, NULL);
  }
  g_assert_cmpint (crm_store_add_activity (f->store, l1, "call", 1700000000, "On company", NULL, -1, NULL, &error), >, 0);
  g_assert_cmpint (crm_store_add_activity (f->store, l2, "visit", 1700000100, "On person", NULL, -1, NULL, &error), >, 0);
  g_assert_cmpint (crm_store_add_activity (f->store, l3, "visit", 1700000200, "Elsewhere", NULL, -1, NULL, &error), >, 0);
  g_assert_no_error (error);

  history = crm_store_contact_history (f->store, company, &error);
  g_assert_no_error (error);
  g_assert_true (history_has_lead (history, l1));
  g_assert_true (history_has_lead (history, l2));
  g_assert_false (history_has_lead (history, l3));
}

/* ---------------------------------------------------------------- search */

static guint
search_count (StoreFixture *f,
              const char   *text)
{
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  crm_lead_filter_set_string (&filter->search, text);
  ids = crm_store_query_lead_ids (f->store, filter, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  return ids->len;
}

static void
test_search (StoreFixture *f,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contact_text = NULL;
  gint64 contact, id;

  contact = crm_store_create_contact (f->store, "company", "Müller Maschinenbau", 0, &error);
  g_assert_no_error (error);
  contact_text = g_strdup_printf ("%lld", (long long) contact);
  id = crm_test_create_lead (f->store, "Turbine retrofit", "contact_id", contact_text,
                             "description", "Replace the gearbox", NULL);
  crm_test_create_lead (f->store, "Unrelated thing", NULL);
  g_assert_cmpint (crm_store_add_activity (f->store, id, "note", 1700000000, NULL,
                                           "Mentioned zeppelin hangar", -1, NULL, &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpuint (search_count (f, "turbine"), ==, 1);
  g_assert_cmpuint (search_count (f, "Maschinenbau"), ==, 1);
  g_assert_cmpuint (search_count (f, "gearbox"), ==, 1);
  g_assert_cmpuint (search_count (f, "zeppelin"), ==, 1);
  g_assert_cmpuint (search_count (f, "turb"), ==, 1);
  g_assert_cmpuint (search_count (f, "muller"), ==, 1);
  g_assert_cmpuint (search_count (f, "Müller"), ==, 1);
  g_assert_cmpuint (search_count (f, "nothingmatches"), ==, 0);
  search_count (f, "say \"hello");
  search_count (f, "\"");
  search_count (f, "a\" OR \"b");
}

/* ------------------------------------------------------ filters and sorts */

typedef struct {
  gint64 id;
  char  *title;
  char  *contact;
  int    phase_rank;
  char  *status;
  int    status_class;
  char  *phase;
  gint64 volume;
  char  *currency;
  int    probability;
  gboolean has_close;
  gint64 close_month;
  char  *owner;
  char  *unit;
  char  *type;
  gboolean has_last;
  gint64 last_activity;
  gint64 updated;
} Row;

static void
row_clear (Row *r)
{
  g_free (r->title);
  g_free (r->contact);
  g_free (r->status);
  g_free (r->phase);
  g_free (r->currency);
  g_free (r->owner);
  g_free (r->unit);
  g_free (r->type);
}

static GArray *
load_rows (sqlite3 *db)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));
  sqlite3_stmt *stmt = NULL;

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT l.id, l.title, l.contact_name, l.phase_rank, l.status, kv.status_class, l.phase, "
    "l.volume_minor, l.currency, l.probability, l.close_month, l.owner, l.unit, l.type, "
    "l.last_activity, l.updated_at FROM lead l JOIN key_value kv ON kv.kind = 'status' AND kv.key = l.status "
    "WHERE l.deleted = 0", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Row r = { 0 };

      r.id = sqlite3_column_int64 (stmt, 0);
      r.title = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r.contact = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      r.phase_rank = sqlite3_column_int (stmt, 3);
      r.status = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      r.status_class = sqlite3_column_int (stmt, 5);
      r.phase = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      r.volume = sqlite3_column_int64 (stmt, 7);
      r.currency = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      r.probability = sqlite3_column_int (stmt, 9);
      r.has_close = sqlite3_column_type (stmt, 10) != SQLITE_NULL;
      r.close_month = sqlite3_column_int64 (stmt, 10);
      r.owner = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
      r.unit = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
      r.type = g_strdup ((const char *) sqlite3_column_text (stmt, 13));
      r.has_last = sqlite3_column_type (stmt, 14) != SQLITE_NULL;
      r.last_activity = sqlite3_column_int64 (stmt, 14);
      r.updated = sqlite3_column_int64 (stmt, 15);
      g_array_append_val (rows, r);
    }
  sqlite3_finalize (stmt);

  return rows;
}

static gboolean
row_matches (const Row           *r,
             const CrmLeadFilter *filter)
{
  if (filter->status_class == CRM_STATUS_FILTER_OPEN && r->status_class != CRM_STATUS_CLASS_OPEN)
    return FALSE;
  if (filter->status_class == CRM_STATUS_FILTER_WON && r->status_class != CRM_STATUS_CLASS_WON)
    return FALSE;
  if (filter->status_class == CRM_STATUS_FILTER_LOST && r->status_class != CRM_STATUS_CLASS_LOST)
    return FALSE;
  if (filter->phase && g_strcmp0 (filter->phase, r->phase) != 0)
    return FALSE;
  if (filter->owner && g_ascii_strcasecmp (filter->owner, r->owner) != 0)
    return FALSE;
  if (filter->unit && g_strcmp0 (filter->unit, r->unit) != 0)
    return FALSE;
  if (filter->lead_type && g_strcmp0 (filter->lead_type, r->type) != 0)
    return FALSE;
  if (filter->close_from != CRM_MONTH_NONE && (!r->has_close || r->close_month < filter->close_from))
    return FALSE;
  if (filter->close_to != CRM_MONTH_NONE && (!r->has_close || r->close_month > filter->close_to))
    return FALSE;
  return TRUE;
}

static int
cmp_int (gint64 a, gint64 b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

/* NULL first, as SQLite sorts ascending. */
static int
cmp_nullable (gboolean has_a, gint64 a, gboolean has_b, gint64 b)
{
  if (!has_a || !has_b)
    return cmp_int (has_a, has_b);
  return cmp_int (a, b);
}

static CrmLeadSort current_sort;

static int
compare_rows (gconstpointer pa,
              gconstpointer pb)
{
  const Row *a = pa, *b = pb;
  int c = 0;

  switch (current_sort)
    {
    case CRM_LEAD_SORT_TITLE: c = g_ascii_strcasecmp (a->title, b->title); break;
    case CRM_LEAD_SORT_CONTACT: c = g_ascii_strcasecmp (a->contact, b->contact); break;
    case CRM_LEAD_SORT_PHASE: c = cmp_int (a->phase_rank, b->phase_rank); break;
    case CRM_LEAD_SORT_STATUS: c = strcmp (a->status, b->status); break;
    case CRM_LEAD_SORT_VOLUME: c = cmp_int (a->volume, b->volume); break;
    case CRM_LEAD_SORT_PROBABILITY: c = cmp_int (a->probability, b->probability); break;
    case CRM_LEAD_SORT_WEIGHTED: c = cmp_int (a->volume * a->probability, b->volume * b->probability); break;
    case CRM_LEAD_SORT_CLOSE_MONTH: c = cmp_nullable (a->has_close, a->close_month, b->has_close, b->close_month); break;
    case CRM_LEAD_SORT_OWNER: c = g_ascii_strcasecmp (a->owner, b->owner); break;
    case CRM_LEAD_SORT_LAST_ACTIVITY: c = cmp_nullable (a->has_last, a->last_activity, b->has_last, b->last_activity); break;
    case CRM_LEAD_SORT_UPDATED: c = cmp_int (a->updated, b->updated); break;
    case CRM_LEAD_N_SORTS:
    default: g_assert_not_reached ();
    }
  if (c == 0)
    c = cmp_int (a->id, b->id);
  return c;
}

static const char *owners[] = { "Anna", "bob", "Carl", "" };
static const char *units[] = { "north", "south", "international", "" };
static const char *types[] = { "new_business", "upsell", "renewal", "" };
static const char *phases[] = { "lead", "qualification", "proposal", "negotiation", "decision" };
static const char *statuses[] = { "open", "on_hold", "won", "lost", "cancelled" };
static const char *currencies[] = { "EUR", "USD", "GBP" };
static const char *words[] = { "alpha", "Bravo", "charlie", "delta", "Echo", "foxtrot", "golf" };

static void
seed_random_leads (StoreFixture *f,
                   guint         n)
{
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  gint64 contacts[4];

  g_test_message ("random lead seed: %u", seed);
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s Contact %u", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], i);

      contacts[i] = crm_store_create_contact (f->store, "company", name, 0, &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("%s %s %u", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], i);
      g_autofree char *volume = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) g_rand_int_range (rand, 0, 2000000) * 997);
      g_autofree char *month = g_strdup_printf ("%04d-%02d", g_rand_int_range (rand, 2025, 2028), g_rand_int_range (rand, 1, 13));
      g_autofree char *contact = g_strdup_printf ("%lld", (long long) contacts[g_rand_int_range (rand, 0, 4)]);
      g_autofree char *prob = g_strdup_printf ("%d", g_rand_int_range (rand, 0, 101));
      gboolean with_month = g_rand_boolean (rand);
      gboolean with_contact = g_rand_boolean (rand);
      gint64 id;

      id = crm_test_create_lead (f->store, title,
                                 "volume_minor", volume,
                                 "currency", currencies[g_rand_int_range (rand, 0, G_N_ELEMENTS (currencies))],
                                 "phase", phases[g_rand_int_range (rand, 0, G_N_ELEMENTS (phases))],
                                 "owner", owners[g_rand_int_range (rand, 0, G_N_ELEMENTS (owners))],
                                 "unit", units[g_rand_int_range (rand, 0, G_N_ELEMENTS (units))],
                                 "type", types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))],
                                 "close_month", with_month ? month : "",
                                 with_contact ? "contact_id" : "description", with_contact ? contact : "",
                                 NULL);
      if (g_rand_boolean (rand))
        crm_test_update_lead (f->store, id, "status", statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))],
                              "probability", prob, NULL);
      if (g_rand_int_range (rand, 0, 3) == 0)
        {
          g_assert_cmpint (crm_store_add_activity (f->store, id, "call", 1700000000 + g_rand_int_range (rand, 0, 1000),
                                                   "Call", NULL, -1, NULL, &error), >, 0);
          g_assert_no_error (error);
        }
    }
}

static void
check_filter (StoreFixture        *f,
              GArray              *rows,
              const CrmLeadFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(CrmLeadTotals) totals = NULL;
  g_autoptr(CrmLeadTotals) expected_totals = crm_lead_totals_new ();

  for (guint i = 0; i < rows->len; i++)
    if (row_matches (&g_array_index (rows, Row, i), filter))
      g_array_append_val (expected, g_array_index (rows, Row, i));

  current_sort = filter->sort;
  g_array_sort (expected, compare_rows);

  ids = crm_store_query_lead_ids (f->store, filter, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, expected->len);
  for (guint i = 0; i < ids->len; i++)
    {
      guint j = filter->descending ? expected->len - 1 - i : i;

      g_assert_cmpint (g_array_index (ids, gint64, i), ==, g_array_index (expected, Row, j).id);
    }

  /* Totals, summed here independently, in minor units. */
  totals = crm_store_query_totals (f->store, filter, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (totals->count, ==, expected->len);
  for (guint c = 0; c < G_N_ELEMENTS (currencies); c++)
    {
      gint64 count = 0, absolute = 0, vp = 0;

      for (guint i = 0; i < expected->len; i++)
        {
          const Row *r = &g_array_index (expected, Row, i);

          if (g_str_equal (r->currency, currencies[c]))
            {
              count++;
              absolute += r->volume;
              vp += r->volume * r->probability;
            }
        }
      if (count > 0)
        crm_lead_totals_add (expected_totals, currencies[c], count, absolute, vp);
    }
  g_assert_cmpuint (totals->sums->len, ==, expected_totals->sums->len);
  for (guint i = 0; i < totals->sums->len; i++)
    {
      const CrmCurrencySum *a = &g_array_index (totals->sums, CrmCurrencySum, i);
      const CrmCurrencySum *b = &g_array_index (expected_totals->sums, CrmCurrencySum, i);
      gint64 vp = 0;

      g_assert_cmpstr (a->currency, ==, b->currency);
      g_assert_cmpint (a->count, ==, b->count);
      g_assert_cmpint (a->absolute_minor, ==, b->absolute_minor);
      g_assert_cmpint (a->weighted_minor, ==, b->weighted_minor);
      /* and without crm_lead_totals_add: round half up (all positive) */
      for (guint k = 0; k < expected->len; k++)
        {
          const Row *r = &g_array_index (expected, Row, k);
          if (g_str_equal (r->currency, a->currency))
            vp += r->volume * r->probability;
        }
      g_assert_cmpint (a->weighted_minor, ==, (vp + 50) / 100);
    }
}

static void
test_filters_and_sorts (StoreFixture *f,
                        gconstpointer data)
{
  g_autoptr(GArray) rows = NULL;
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();

  seed_random_leads (f, 150);
  crm_store_delete_lead (f->store, 3, NULL);
  rows = load_rows (f->raw);
  g_assert_cmpuint (rows->len, ==, 149);

  for (int sort = 0; sort < CRM_LEAD_N_SORTS; sort++)
    for (int desc = 0; desc < 2; desc++)
      {
        filter->sort = sort;
        filter->descending = desc;
        g_test_message ("sort %s %s", crm_lead_sort_to_string (sort), desc ? "desc" : "asc");
        check_filter (f, rows, filter);
      }

  filter->sort = CRM_LEAD_SORT_VOLUME;
  filter->descending = FALSE;
  for (int s = CRM_STATUS_FILTER_ANY; s <= CRM_STATUS_FILTER_LOST; s++)
    {
      filter->status_class = s;
      check_filter (f, rows, filter);
    }
  filter->status_class = CRM_STATUS_FILTER_ANY;
  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      crm_lead_filter_set_string (&filter->phase, phases[i]);
      check_filter (f, rows, filter);
    }
  crm_lead_filter_set_string (&filter->phase, NULL);
  for (guint i = 0; i < 3; i++)
    {
      crm_lead_filter_set_string (&filter->owner, owners[i]);
      check_filter (f, rows, filter);
    }
  crm_lead_filter_set_string (&filter->owner, NULL);
  for (guint i = 0; i < 3; i++)
    {
      crm_lead_filter_set_string (&filter->unit, units[i]);
      check_filter (f, rows, filter);
    }
  crm_lead_filter_set_string (&filter->unit, NULL);
  for (guint i = 0; i < 3; i++)
    {
      crm_lead_filter_set_string (&filter->lead_type, types[i]);
      check_filter (f, rows, filter);
    }
  crm_lead_filter_set_string (&filter->lead_type, NULL);
  filter->close_from = crm_month_new (2026, 2);
  filter->close_to = crm_month_new (2027, 5);
  check_filter (f, rows, filter);
  filter->close_from = CRM_MONTH_NONE;
  check_filter (f, rows, filter);
  filter->close_to = CRM_MONTH_NONE;
  filter->close_from = crm_month_new (2026, 7);
  /* combined */
  filter->status_class = CRM_STATUS_FILTER_OPEN;
  crm_lead_filter_set_string (&filter->unit, "north");
  filter->descending = TRUE;
  check_filter (f, rows, filter);
}

/* ------------------------------------------------------------ key values */

static void
test_key_values (StoreFixture *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  CrmKeyValue *kv = NULL;
  g_autofree char *key = NULL;
  gint64 id, lead, used_unit;
  g_autoptr(GListModel) statuses_model = NULL;
  RowCounts before, after;

  id = crm_store_add_key_value (f->store, "phase", "Pilot", 60, CRM_STATUS_CLASS_OPEN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  kv = crm_store_find_key_value (f->store, "phase", "Pilot");
  g_assert_nonnull (kv);
  g_assert_cmpint (crm_key_value_get_id (kv), ==, id);
  key = g_strdup (crm_key_value_get_key (kv));
  lead = crm_test_create_lead (f->store, "Piloted", "phase", key, NULL);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT probability FROM lead WHERE id = %lld", (long long) lead), ==, 60);

  g_assert_true (crm_store_rename_key_value (f->store, id, "Pilot project", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_store_key_value_label (f->store, "phase", key), ==, "Pilot project");

  /* Moving the phase moves phase_rank of its leads. */
  g_assert_true (crm_store_move_key_value (f->store, id, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT position FROM key_value WHERE id = %lld", (long long) id), ==, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT phase_rank FROM lead WHERE id = %lld", (long long) lead), ==, 0);
  g_assert_true (crm_store_move_key_value (f->store, id, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT phase_rank FROM lead WHERE id = %lld", (long long) lead), ==,
                   crm_test_raw_int (f->raw, "SELECT position FROM key_value WHERE id = %lld", (long long) id));
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead l JOIN key_value kv ON kv.kind='phase' AND kv.key=l.phase WHERE l.phase_rank != kv.position"), ==, 0);

  /* In use: not deleted. */
  crm_test_raw_counts (f->raw, &before);
  g_assert_false (crm_store_delete_key_value (f->store, id, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_IN_USE);
  g_clear_error (&error);
  crm_test_raw_counts (f->raw, &after);
  crm_test_assert_counts_equal (&before, &after);

  /* Deactivate: hidden for new values, the lead keeps it. */
  g_assert_true (crm_store_set_key_value_active (f->store, id, FALSE, &error));
  g_assert_no_error (error);
  statuses_model = crm_store_list_key_values (f->store, "phase", FALSE);
  for (guint i = 0; i < g_list_model_get_n_items (statuses_model); i++)
    {
      g_autoptr(CrmKeyValue) item = g_list_model_get_item (statuses_model, i);
      g_assert_cmpint (crm_key_value_get_id (item), !=, id);
    }

  /* Unused: deleted. */
  {
    CrmKeyValue *south = crm_store_lookup_key_value (f->store, "unit", "south");

    used_unit = crm_key_value_get_id (south);
    g_assert_true (crm_store_delete_key_value (f->store, used_unit, &error));
    g_assert_no_error (error);
    g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM key_value WHERE id = %lld", (long long) used_unit), ==, 0);
  }

  /* The last active open status cannot be deactivated. */
  {
    CrmKeyValue *hold = crm_store_lookup_key_value (f->store, "status", "on_hold");
    CrmKeyValue *open = crm_store_lookup_key_value (f->store, "status", "open");

    gint64 open_id = crm_key_value_get_id (open);

    g_assert_true (crm_store_set_key_value_active (f->store, crm_key_value_get_id (hold), FALSE, &error));
    g_assert_no_error (error);
    g_assert_false (crm_store_set_key_value_active (f->store, open_id, FALSE, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_IN_USE);
    g_clear_error (&error);
    g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT active FROM key_value WHERE id = %lld", (long long) open_id), ==, 1);
  }
}

/* -------------------------------------------------------------- generate */

static char *
generated_digest (const char *dir,
                  const char *name,
                  guint32     seed)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) digest = g_string_new (NULL);
  CrmStore *store = crm_store_open (path, &error);
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_true (crm_store_generate (store, 200, seed, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  db = crm_test_raw_open (path);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT title, volume_minor, currency FROM lead ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (digest, "%s|%lld|%s\n", sqlite3_column_text (stmt, 0),
                            (long long) sqlite3_column_int64 (stmt, 1), sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  g_assert_cmpint (crm_test_raw_int (db, "SELECT count(*) FROM lead"), ==, 200);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&digest), FALSE);
}

static void
test_generate (StoreFixture *f,
               gconstpointer data)
{
  g_autofree char *a = generated_digest (f->dir, "a.db", 42);
  g_autofree char *b = generated_digest (f->dir, "b.db", 42);
  g_autofree char *c = generated_digest (f->dir, "c.db", 43);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

/* ---------------------------------------------------------- live objects */

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    data)
{
  guint *count = data;

  (*count)++;
}

static void
test_live_instance (StoreFixture *f,
                    gconstpointer data)
{
  g_autoptr(CrmLead) a = NULL;
  g_autoptr(CrmLead) b = NULL;
  guint notified = 0;
  gint64 id = crm_test_create_lead (f->store, "Live", NULL);

  a = crm_store_get_lead (f->store, id, NULL);
  b = crm_store_get_lead (f->store, id, NULL);
  g_assert_true (a == b);
  g_signal_connect (a, "notify::title", G_CALLBACK (on_notify), &notified);
  crm_test_update_lead (f->store, id, "title", "Still live", NULL);
  g_assert_cmpuint (notified, >=, 1);
  g_assert_cmpstr (crm_lead_get_title (b), ==, "Still live");
}

/* ------------------------------------------------------ company currency */

static void
test_default_currency (StoreFixture *f,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = NULL;
  gint64 id;

  g_assert_cmpstr (crm_store_get_default_currency (f->store), ==, "EUR");

  /* lowercase is accepted and stored canonical; new leads start in it */
  g_assert_true (crm_store_set_default_currency (f->store, "chf", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_store_get_default_currency (f->store), ==, "CHF");
  id = crm_test_create_lead (f->store, "Swiss deal", NULL);
  lead = crm_store_get_lead (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_lead_get_currency (lead), ==, "CHF");

  /* a bad code is refused and changes nothing */
  g_assert_false (crm_store_set_default_currency (f->store, "EURO", &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_CURRENCY);
  g_assert_cmpstr (crm_store_get_default_currency (f->store), ==, "CHF");

  /* it is kept in the database: another program sees it */
  store_fixture_reopen (f);
  g_assert_cmpstr (crm_store_get_default_currency (f->store), ==, "CHF");
}

/* ------------------------------------------------- checking without writing */

static void
test_check_values (StoreFixture *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  CrmFieldValue good[] = { { "title", "Pumps" }, { "probability", "40" }, { "phase", "Proposal" } };
  CrmFieldValue bad[] = { { "title", "Pumps" }, { "probability", "140" } };
  CrmFieldValue unknown_phase[] = { { "phase", "nonsense" } };
  RowCounts before, after;
  gint64 id = crm_test_create_lead (f->store, "Existing", NULL);

  crm_test_raw_counts (f->raw, &before);

  /* a new lead (id 0) and an existing one */
  g_assert_true (crm_store_check_lead_values (f->store, 0, good, G_N_ELEMENTS (good), &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_check_lead_values (f->store, id, good, G_N_ELEMENTS (good), &error));
  g_assert_no_error (error);

  g_assert_false (crm_store_check_lead_values (f->store, 0, bad, G_N_ELEMENTS (bad), &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_PROBABILITY);
  g_clear_error (&error);
  g_assert_false (crm_store_check_lead_values (f->store, id, unknown_phase, 1, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_UNKNOWN_KEY_VALUE);
  g_clear_error (&error);
  g_assert_false (crm_store_check_lead_values (f->store, 424242, good, G_N_ELEMENTS (good), &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* checking never writes */
  crm_test_raw_counts (f->raw, &after);
  crm_test_assert_counts_equal (&before, &after);
}

/* ------------------------------------------------------- key value usage */

static void
test_key_value_uses (StoreFixture *f,
                     gconstpointer data)
{
  static const char *kinds[] = { "phase", "status", "type", "unit", "source", "lost_reason", "activity_kind" };
  static const char *sql[] = {
    "SELECT (SELECT count(*) FROM lead WHERE phase = %Q) + (SELECT count(*) FROM activity WHERE phase = %Q)",
    "SELECT count(*) FROM lead WHERE status = %Q",
    "SELECT count(*) FROM lead WHERE type = %Q",
    "SELECT count(*) FROM lead WHERE unit = %Q",
    "SELECT count(*) FROM lead WHERE source = %Q",
    "SELECT count(*) FROM lead WHERE lost_reason = %Q",
    "SELECT count(*) FROM activity WHERE kind = %Q",
  };
  g_autoptr(GError) error = NULL;
  guint checked = 0;

  g_assert_true (crm_store_generate (f->store, 200, 7, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GListModel) values = crm_store_list_key_values (f->store, kinds[k], TRUE);

      crm_store_count_key_value_uses (f->store, values);
      for (guint i = 0; i < g_list_model_get_n_items (values); i++)
        {
          g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);
          const char *key = crm_key_value_get_key (kv);
          gint64 expected = crm_test_raw_int (f->raw, sql[k], key, key);

          g_assert_cmpint (crm_key_value_get_n_uses (kv), ==, expected);
          if (expected > 0)
            checked++;
        }
    }

  /* the generated data uses most values: the counts were really compared */
  g_assert_cmpuint (checked, >=, 20);
}

/* -------------------------------------------------------------- disk full */

/* A full disk, simulated with SQLite's own limit on the database size
 * (PRAGMA max_page_count makes writes fail with SQLITE_FULL exactly as a
 * full disk does): the change that does not fit is refused with a clear
 * error, leaves nothing behind, and everything saved before stays. */
static void
test_disk_full (StoreFixture *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (3000, 'x');
  RowCounts before, after;
  gint64 lead = crm_test_create_lead (f->store, "Keeps its data", NULL);
  gint64 pages = crm_test_raw_int (f->raw, "PRAGMA page_count");
  g_autofree char *limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 40);
  gboolean refused = FALSE;
  guint saved = 0;

  g_assert_cmpint (sqlite3_exec (f->store->db, limit, NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < 200 && !refused; i++)
    {
      crm_test_raw_counts (f->raw, &before);
      if (crm_store_add_activity (f->store, lead, "note", 0, "Notes", text, 40, NULL, &error) != 0)
        {
          saved++;
          continue;
        }

      refused = TRUE;
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DISK_FULL);
      g_assert_nonnull (strstr (error->message, "disk is full"));
      crm_test_raw_counts (f->raw, &after);
      crm_test_assert_counts_equal (&before, &after);
    }

  g_assert_true (refused);
  g_assert_cmpuint (saved, >=, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM activity WHERE lead_id = %lld",
                                     (long long) lead), ==, saved);

  /* with room again, work goes on where it stopped */
  g_clear_error (&error);
  g_assert_cmpint (sqlite3_exec (f->store->db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (crm_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_add_activity (f->store, lead, "note", 0, "After", "room again", -1, NULL, &error), >, 0);
  g_assert_no_error (error);
}

/* ------------------------------------------------------- not a database */

/* A file that is not a Leads database (or is damaged at its start) is
 * refused with a clear error and left exactly as it was. */
static void
test_not_a_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("leads-notadb-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "garbage.db", NULL);
  g_autofree char *after = NULL;
  char garbage[8192];
  gsize after_len = 0;
  CrmStore *store;

  g_assert_no_error (error);
  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 7919 % 251);
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, &error));

  store = crm_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a database"));

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, garbage, sizeof garbage);

  g_remove (path);
  g_rmdir (dir);
}

/* ---------------------------------------------------------- next follow-up */

static void
test_follow_up (StoreFixture *f,
                gconstpointer data)
{
  static const struct { const char *typed; const char *stored; } good[] = {
    { "2026-12-04", "2026-12-04" },
    { "4.12.2026", "2026-12-04" },
    { "12/4/2026", "2026-12-04" },
    { " 2028-02-29 ", "2028-02-29" },
  };
  static const char *bad[] = { "2026-02-30", "2027-02-29", "2026-13-01", "26-12-04", "tomorrow", "4.12.26" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = NULL;
  gint64 id = crm_test_create_lead (f->store, "Follow me", NULL);

  lead = crm_store_get_lead (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_null (crm_lead_get_next_follow_up (lead));

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      CrmFieldValue v = { "next_follow_up", good[i].typed };
      g_autofree char *raw = NULL;

      g_assert_true (crm_store_update_lead (f->store, id, &v, 1, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (crm_lead_get_next_follow_up (lead), ==, good[i].stored);
      raw = crm_test_raw_text (f->raw, "SELECT next_follow_up FROM lead WHERE id = %lld", (long long) id);
      g_assert_cmpstr (raw, ==, good[i].stored);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      CrmFieldValue v = { "next_follow_up", bad[i] };

      g_assert_false (crm_store_update_lead (f->store, id, &v, 1, &error));
      g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_DATE);
      g_assert_true (g_str_has_prefix (error->message, "next_follow_up: "));
      g_clear_error (&error);
      g_assert_cmpstr (crm_lead_get_next_follow_up (lead), ==, "2028-02-29");
    }

  /* not part of the closed loop: no events; empty clears it */
  g_assert_cmpint (count_events (f, id, "next_follow_up"), ==, 0);
  {
    CrmFieldValue v = { "next_follow_up", "" };

    g_assert_true (crm_store_update_lead (f->store, id, &v, 1, &error));
    g_assert_no_error (error);
    g_assert_null (crm_lead_get_next_follow_up (lead));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/store/migrations", test_migrations);
  ADD_TEST ("/store/crud", test_crud);
  ADD_TEST ("/store/validation", test_validation);
  ADD_TEST ("/store/change-log", test_change_log);
  ADD_TEST ("/store/phase-default", test_phase_default);
  ADD_TEST ("/store/actions", test_actions);
  ADD_TEST ("/store/activity", test_activity);
  ADD_TEST ("/store/contact-history", test_contact_history);
  ADD_TEST ("/store/search", test_search);
  ADD_TEST ("/store/filters-and-sorts", test_filters_and_sorts);
  ADD_TEST ("/store/key-values", test_key_values);
  ADD_TEST ("/store/generate", test_generate);
  ADD_TEST ("/store/live-instance", test_live_instance);
  ADD_TEST ("/store/default-currency", test_default_currency);
  ADD_TEST ("/store/check-values", test_check_values);
  ADD_TEST ("/store/key-value-uses", test_key_value_uses);
  ADD_TEST ("/store/disk-full", test_disk_full);
  g_test_add_func ("/store/not-a-database", test_not_a_database);
  ADD_TEST ("/store/follow-up", test_follow_up);

  return g_test_run ();
}
