/* test-sync-store.c: the store's side of sync, on real SQLite files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox is written in the transaction of each edit and never
 * without it; push answers and pulled pages (written here as the server
 * sends them, docs/sync-protocol.md) are applied whole or not at all;
 * the rev rule, pending edits on top, evict and reset, read-only users;
 * and SIGKILL in the middle of a page and of a local edit.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-stats.h"
#include "crm-store-sync.h"
#include "crm-sync-conflict.h"
#include "crm-test-util.h"

static const char *self_path;

static void
bind (CrmStore *store,
      gboolean  read_only)
{
  g_autoptr(GError) error = NULL;
  const char *modules[] = { "leads", NULL };

  g_assert_true (crm_store_sync_bind (store, "http://127.0.0.1:1", "anna", "Anna Berg", modules,
                                      read_only, FALSE, &error));
  g_assert_no_error (error);
}

static char *
lead_json (const char *uuid,
           gint64      rev,
           const char *title,
           int         probability,
           gboolean    deleted)
{
  return g_strdup_printf (
    "{\"uuid\": \"%s\", \"rev\": %" G_GINT64_FORMAT ", \"deleted\": %s, "
    "\"fields\": {\"title\": \"%s\", \"contact\": \"\", \"volume_minor\": \"125000\", \"currency\": \"EUR\", "
    "\"probability\": \"%d\", \"status\": \"open\", \"phase\": \"proposal\", \"type\": \"\", \"unit\": \"\", "
    "\"owner\": \"Bob\", \"close_month\": \"2027-03\", \"source\": \"\", \"description\": \"\", "
    "\"lost_reason\": \"\", \"next_follow_up\": \"\"}, \"created_at\": 1700000000000000, "
    "\"updated_at\": 1700000000000000}",
    uuid, rev, deleted ? "true" : "false", title, probability);
}

static char *
page_json (const char *rows,
           const char *cursor,
           gint64      last_mutation_id)
{
  return g_strdup_printf ("{\"rows\": [%s], \"cursor\": \"%s\", \"has_more\": false, "
                          "\"last_mutation_id\": %" G_GINT64_FORMAT ", \"reset\": false}",
                          rows, cursor, last_mutation_id);
}

/* A page as the client gets it: validated whole by libcrm-protocol. */
static CrmProtocolPage *
parse_page (const char *text)
{
  g_autoptr(GError) error = NULL;
  CrmProtocolPage *page = crm_protocol_page_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return page;
}

static void
apply_page (CrmStore   *store,
            const char *text)
{
  g_autoptr(CrmProtocolPage) page = parse_page (text);
  g_autoptr(GError) error = NULL;
  gboolean reset = TRUE;

  g_assert_true (crm_store_sync_apply_page (store, page, &reset, &error));
  g_assert_no_error (error);
  g_assert_false (reset);
}

/* ------------------------------------------------------------------ outbox */

static void
test_not_bound (StoreFixture *f,
                gconstpointer data)
{
  gint64 id = crm_test_create_lead (f->store, "Local", "probability", "30", NULL);

  crm_test_update_lead (f->store, id, "probability", "40", NULL);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 0);
  g_assert_false (crm_store_sync_is_bound (f->store));
  g_assert_cmpuint (crm_store_sync_count_local_only (f->store), ==, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT sync_state FROM lead WHERE id = %lld", (long long) id), ==,
                   CRM_RECORD_SYNC_LOCAL_ONLY);
}

static void
test_outbox_each_edit (StoreFixture *f,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = NULL;
  gint64 id, contact;

  bind (f->store, FALSE);
  contact = crm_store_create_contact (f->store, "company", "Nordwind", 0, &error);
  g_assert_no_error (error);
  id = crm_test_create_lead (f->store, "Boiler", "probability", "30", NULL);
  crm_test_update_lead (f->store, id, "probability", "40", "contact_id", "1", NULL);
  g_assert_true (crm_store_mark_won (f->store, id, &error));
  g_assert_true (crm_store_add_activity (f->store, id, "call", 0, "Call", "Talked", 90, NULL, &error) > 0);
  g_assert_true (crm_store_delete_lead (f->store, id, &error));
  g_assert_true (crm_store_undelete_lead (f->store, id, &error));
  g_assert_true (crm_store_update_contact (f->store, contact, "Nordwind AG", 0, "", "", "", "", &error));
  g_assert_true (crm_store_duplicate_lead (f->store, id, &error) > 0);
  g_assert_no_error (error);

  /* one mutation per edit, ids dense from 1 */
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 9);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT min(id) FROM sync_outbox"), ==, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT max(id) FROM sync_outbox"), ==, 9);
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT group_concat (name, ' ') FROM (SELECT name FROM sync_outbox ORDER BY id)"), ==,
                   "contact.create lead.create lead.update lead.update activity.create lead.delete lead.undelete "
                   "contact.update lead.create");
  g_assert_cmpuint (crm_store_sync_count_pending (f->store), ==, 9);

  /* an update carries each changed field with its base, the contact by UUID */
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT json_extract (args, '$.fields.probability.value') || '/' || "
                                              "json_extract (args, '$.fields.probability.base') FROM sync_outbox WHERE id = 3"), ==, "40/30");
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT json_extract (o.args, '$.fields.contact.value') = c.uuid "
                                             "FROM sync_outbox o, contact c WHERE o.id = 3 AND c.id = %lld", (long long) contact), ==, 1);
  /* …and the events it wrote, by UUID */
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox o, json_each (o.args, '$.events') e "
                                             "JOIN lead_event le ON le.uuid = json_extract (e.value, '$.uuid') WHERE o.id = 3"), ==, 2);
  /* a report carries its re-estimate */
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT json_extract (args, '$.lead_update.fields.probability.value') "
                                              "FROM sync_outbox WHERE id = 5"), ==, "90");
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT json_extract (args, '$.fields.name.value') FROM sync_outbox WHERE id = 8"), ==,
                   "Nordwind AG");

  /* every mutation is one the server takes (libcrm-protocol's checks) */
  {
    g_autoptr(GPtrArray) batch = crm_store_sync_peek_batch (f->store, 100, 1 << 20);

    g_assert_cmpuint (batch->len, ==, 9);
    for (guint i = 0; i < batch->len; i++)
      {
        CrmProtocolMutation *mutation = batch->pdata[i];

        g_assert_true (crm_protocol_mutation_args_validate (mutation->name, mutation->args, "args", &error));
        g_assert_no_error (error);
      }
  }

  lead = crm_store_get_lead (f->store, id, &error);
  g_assert_cmpint (crm_lead_get_sync_state (lead), ==, CRM_RECORD_SYNC_PENDING);

  /* a refused edit queues nothing */
  crm_store_update_lead (f->store, id, (CrmFieldValue[]) { { "probability", "120" } }, 1, &error);
  g_assert_nonnull (error);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 9);
}

/* The outbox row is written in the edit's transaction: when it cannot
 * be written, the edit is not saved either. */
static void
test_outbox_atomic (StoreFixture *f,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *row_before = NULL;
  g_autofree char *row_after = NULL;
  gint64 id, events;

  bind (f->store, FALSE);
  id = crm_test_create_lead (f->store, "Boiler", "probability", "30", NULL);
  row_before = crm_test_raw_lead_row (f->raw, id);
  events = crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event");

  crm_test_raw_exec (f->raw, "CREATE TRIGGER no_outbox BEFORE INSERT ON sync_outbox BEGIN SELECT RAISE (ABORT, 'no room'); END");
  g_assert_false (crm_store_update_lead (f->store, id, (CrmFieldValue[]) { { "probability", "50" } }, 1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (crm_store_add_activity (f->store, id, "call", 0, "Call", "x", 60, NULL, &error), ==, 0);
  g_clear_error (&error);
  g_assert_false (crm_store_delete_lead (f->store, id, &error));
  g_clear_error (&error);

  row_after = crm_test_raw_lead_row (f->raw, id);
  g_assert_cmpstr (row_before, ==, row_after);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event"), ==, events);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM activity"), ==, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 1);
  crm_test_raw_exec (f->raw, "DROP TRIGGER no_outbox");

  /* and a later edit works and continues the ids */
  crm_test_update_lead (f->store, id, "probability", "50", NULL);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT max(id) FROM sync_outbox"), ==, 2);
}

static void
test_read_only (StoreFixture *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 id = crm_test_create_lead (f->store, "Boiler", "probability", "30", NULL);

  bind (f->store, TRUE);
  before = crm_test_raw_lead_row (f->raw, id);

  g_assert_false (crm_store_update_lead (f->store, id, (CrmFieldValue[]) { { "probability", "50" } }, 1, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_error (&error);
  g_assert_cmpint (crm_store_create_lead (f->store, (CrmFieldValue[]) { { "title", "New" } }, 1, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (crm_store_delete_lead (f->store, id, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_cmpint (crm_store_create_contact (f->store, "person", "Eva", 0, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  after = crm_test_raw_lead_row (f->raw, id);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead"), ==, 1);
}

static void
test_upload_local (StoreFixture *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = crm_test_create_lead (f->store, "Old lead", "probability", "30", NULL);
  crm_test_update_lead (f->store, id, "probability", "40", NULL);
  g_assert_true (crm_store_add_activity (f->store, id, "call", 0, "Call", "x", 60, NULL, &error) > 0);
  g_assert_cmpint (crm_store_create_contact (f->store, "person", "Eva", 0, &error), >, 0);
  g_assert_cmpuint (crm_store_sync_count_local_only (f->store), ==, 2);

  g_assert_false (crm_store_sync_upload_local (f->store, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  bind (f->store, FALSE);
  g_assert_true (crm_store_sync_upload_local (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT group_concat (name, ' ') FROM (SELECT name FROM sync_outbox ORDER BY id)"), ==,
                   "contact.create lead.create lead.history");
  /* every event and report went along in lead.history, events with a UUID now */
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event WHERE uuid IS NULL"), ==, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox o, json_each (o.args, '$.events')"), ==,
                   crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event"));
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox o, json_each (o.args, '$.activities')"), ==, 1);
  g_assert_cmpuint (crm_store_sync_count_local_only (f->store), ==, 0);
  /* asked again: nothing is queued twice */
  g_assert_true (crm_store_sync_upload_local (f->store, &error));
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 3);
  {
    g_autoptr(GPtrArray) batch = crm_store_sync_peek_batch (f->store, 100, 1 << 20);

    for (guint i = 0; i < batch->len; i++)
      {
        CrmProtocolMutation *mutation = batch->pdata[i];

        g_assert_true (crm_protocol_mutation_args_validate (mutation->name, mutation->args, "args", &error));
        g_assert_no_error (error);
      }
  }
}

/* ------------------------------------------------------------- push answers */

/* A push answer written short: the members a result leaves out get the
 * server's defaults, then it goes through the client's parser. */
static GPtrArray *
parse_answer (const char *text,
              gint64     *last)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *full = NULL;
  JsonArray *array;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "results");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *result = json_array_get_object_element (array, i);

      if (!json_object_has_member (result, "reason"))
        json_object_set_null_member (result, "reason");
      if (!json_object_has_member (result, "message"))
        json_object_set_null_member (result, "message");
      if (!json_object_has_member (result, "rev"))
        json_object_set_int_member (result, "rev", 0);
      if (!json_object_has_member (result, "duplicate"))
        json_object_set_boolean_member (result, "duplicate", FALSE);
      if (!json_object_has_member (result, "conflicts"))
        json_object_set_array_member (result, "conflicts", json_array_new ());
    }
  full = json_to_string (json_parser_get_root (parser), FALSE);
  g_assert_true (crm_protocol_push_response_parse (full, strlen (full), &results, last, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&results);
}

static void
push_answer (CrmStore   *store,
             const char *text)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last = 0;

  results = parse_answer (text, &last);
  g_assert_no_error (error);
  g_assert_true (crm_store_sync_apply_push_answer (store, results, last, &error));
  g_assert_no_error (error);
}

static void
test_push_answer (StoreFixture *f,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) conflicts = NULL;
  g_autoptr(CrmSyncConflict) conflict = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  gint64 id;

  bind (f->store, FALSE);
  id = crm_test_create_lead (f->store, "Boiler", "probability", "30", "owner", "Anna", NULL);
  crm_test_update_lead (f->store, id, "probability", "40", NULL);   /* 2 */
  crm_test_update_lead (f->store, id, "owner", "Eve", NULL);        /* 3 */
  crm_test_update_lead (f->store, id, "description", "Big", NULL);  /* 4 */

  batch = crm_store_sync_peek_batch (f->store, 2, 1 << 20);
  g_assert_cmpuint (batch->len, ==, 2);
  g_assert_cmpstr (((CrmProtocolMutation *) batch->pdata[0])->name, ==, "lead.create");
  g_assert_cmpint (((CrmProtocolMutation *) batch->pdata[1])->id, ==, 2);
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = crm_store_sync_peek_batch (f->store, 100, 10);   /* tiny: still one */
  g_assert_cmpuint (batch->len, ==, 1);

  /* 1, 2 applied; 3 a conflict (someone else changed the owner first);
   * 4 rejected (validation) */
  push_answer (f->store,
    "{\"results\": [{\"id\": 1, \"outcome\": \"applied\", \"rev\": 1},"
    " {\"id\": 2, \"outcome\": \"applied\", \"rev\": 2},"
    " {\"id\": 3, \"outcome\": \"conflict\", \"conflicts\": [\"owner\"]},"
    " {\"id\": 4, \"outcome\": \"rejected\", \"reason\": \"validation\", \"message\": \"too long\"}],"
    " \"last_mutation_id\": 4}");

  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 0);
  g_assert_cmpint (crm_store_sync_get_last_mutation_id (f->store), ==, 4);
  /* what the server did not take is taken back, its history too */
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT owner FROM lead WHERE id = %lld", (long long) id), ==, "Anna");
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT description FROM lead WHERE id = %lld", (long long) id), ==, "");
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT probability FROM lead WHERE id = %lld", (long long) id), ==, 40);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event WHERE field = 'owner'"), ==, 0);

  /* the rejection is listed; the lead shows it */
  conflicts = crm_store_sync_list_conflicts (f->store, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 1);
  conflict = g_list_model_get_item (conflicts, 0);
  g_assert_cmpstr (crm_sync_conflict_get_kind (conflict), ==, "rejected");
  g_assert_cmpstr (crm_sync_conflict_get_reason (conflict), ==, "validation");
  g_assert_cmpstr (crm_sync_conflict_get_field (conflict), ==, "description");
  g_assert_cmpstr (crm_sync_conflict_get_yours (conflict), ==, "Big");
  g_assert_cmpint (crm_sync_conflict_get_lead_id (conflict), ==, id);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT sync_state FROM lead WHERE id = %lld", (long long) id), ==,
                   CRM_RECORD_SYNC_CONFLICT);

  /* the same answer again changes nothing; new ids continue after 4 */
  push_answer (f->store, "{\"results\": [{\"id\": 4, \"outcome\": \"rejected\", \"reason\": \"validation\"}], \"last_mutation_id\": 4}");
  g_assert_cmpuint (crm_store_sync_count_conflicts (f->store), ==, 1);
  crm_test_update_lead (f->store, id, "probability", "45", NULL);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT id FROM sync_outbox"), ==, 5);

  /* keep: resolved, nothing to send for a local rejection */
  g_assert_true (crm_store_sync_resolve_conflict (f->store, crm_sync_conflict_get_uuid (conflict),
                                                  CRM_CONFLICT_KEEP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_sync_count_conflicts (f->store), ==, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 1);

  /* an answer that cannot be applied whole is not applied at all */
  crm_test_raw_exec (f->raw, "CREATE TRIGGER keep_outbox BEFORE DELETE ON sync_outbox BEGIN SELECT RAISE (ABORT, 'no'); END");
  {
    gint64 last = 0;
    g_autoptr(GPtrArray) results = parse_answer ("{\"results\": [{\"id\": 5, \"outcome\": \"applied\"}], "
                                                 "\"last_mutation_id\": 5}", &last);

    g_assert_false (crm_store_sync_apply_push_answer (f->store, results, last, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 1);
    g_assert_cmpint (crm_store_sync_get_last_mutation_id (f->store), ==, 4);
  }
}

/* -------------------------------------------------------------- pull pages */

#define EPOCH  "5f0c6b1e-2d4a-4b8e-9c3f-00000000e1e1"
#define EPOCH2 "5f0c6b1e-2d4a-4b8e-9c3f-00000000e2e2"
#define UUID_A "0b7e1d3c-6a3f-4c1e-9d2a-000000000001"
#define UUID_B "0b7e1d3c-6a3f-4c1e-9d2a-000000000002"
#define UUID_C "0b7e1d3c-6a3f-4c1e-9d2a-0000000000c1"
#define UUID_E "0b7e1d3c-6a3f-4c1e-9d2a-0000000000e1"
#define UUID_R "0b7e1d3c-6a3f-4c1e-9d2a-0000000000a1"
#define UUID_X "0b7e1d3c-6a3f-4c1e-9d2a-0000000000f1"

static void
test_page_apply (StoreFixture *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a1 = lead_json (UUID_A, 1, "Alpha", 30, FALSE);
  g_autofree char *b1 = lead_json (UUID_B, 1, "Beta", 10, FALSE);
  g_autofree char *rows = NULL;
  g_autofree char *page = NULL;
  g_autofree char *cursor = NULL;
  RowCounts before, after;
  gint64 id_a;

  bind (f->store, FALSE);

  /* a report arriving before (the later state of) its lead, an event, a
   * key value, a user and a contact */
  rows = g_strdup_printf (
    "{\"type\": \"activity\", \"op\": \"put\", \"seq\": 2, \"data\": {\"uuid\": \"" UUID_R "\", \"rev\": 1, "
    "  \"lead\": \"" UUID_A "\", \"contact\": \"\", \"kind\": \"call\", \"at\": 1700000100000000, \"subject\": \"Visit\", "
    "  \"text\": \"Good talk\", \"author\": \"Bob\", \"probability\": 30, \"phase\": null, \"created_at\": 1700000100000000}},"
    "{\"type\": \"lead\", \"op\": \"put\", \"seq\": 3, \"data\": %s},"
    "{\"type\": \"lead\", \"op\": \"put\", \"seq\": 4, \"data\": %s},"
    "{\"type\": \"event\", \"op\": \"put\", \"seq\": 5, \"data\": {\"uuid\": \"" UUID_E "\", \"lead\": \"" UUID_A "\", "
    "  \"at\": 1700000100000000, \"author\": \"Bob\", \"field\": \"probability\", \"old\": \"20\", \"new\": \"30\", "
    "  \"activity\": \"" UUID_R "\"}},"
    "{\"type\": \"key_value\", \"op\": \"put\", \"seq\": 6, \"data\": {\"kind\": \"phase\", \"key\": \"proposal\", "
    "  \"label\": \"Angebot\", \"position\": 3, \"active\": true, \"probability\": 55, \"status_class\": 0, "
    "  \"stale_days\": 14, \"rev\": 2}},"
    "{\"type\": \"user\", \"op\": \"put\", \"seq\": 7, \"data\": {\"login\": \"bob\", \"name\": \"Bob Dahl\", \"active\": true, \"rev\": 1}},"
    "{\"type\": \"contact\", \"op\": \"put\", \"seq\": 8, \"data\": {\"uuid\": \"" UUID_C "\", \"rev\": 1, \"deleted\": false, "
    "  \"kind\": \"company\", \"name\": \"Nordwind\", \"company\": \"\", \"notes\": \"\", \"addresses\": \"\", \"phones\": \"\", "
    "  \"emails\": \"\", \"created_at\": 1700000000000000, \"updated_at\": 1700000000000000}}",
    a1, b1);
  page = page_json (rows, EPOCH ".8", 0);
  apply_page (f->store, page);

  id_a = crm_test_raw_int (f->raw, "SELECT id FROM lead WHERE uuid = '" UUID_A "'");
  g_assert_cmpint (id_a, >, 0);
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT title || '/' || probability || '/' || rev || '/' || deleted || '/' || sync_state "
                                              "FROM lead WHERE id = %lld", (long long) id_a), ==, "Alpha/30/1/0/2");
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM activity WHERE lead_id = %lld", (long long) id_a), ==, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT last_activity FROM lead WHERE id = %lld", (long long) id_a), ==, 1700000100);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_event e JOIN activity a ON a.id = e.activity_id "
                                             "WHERE e.uuid = '" UUID_E "'"), ==, 1);
  g_assert_cmpstr (crm_store_key_value_label (f->store, "phase", "proposal"), ==, "Angebot");
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT name FROM sync_user WHERE login = 'bob'"), ==, "Bob Dahl");
  cursor = crm_store_sync_dup_cursor (f->store);
  g_assert_cmpstr (cursor, ==, EPOCH ".8");
  /* no outbox from what came from the server */
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 0);

  /* the same page again: nothing changes (idempotent) */
  crm_test_raw_counts (f->raw, &before);
  apply_page (f->store, page);
  crm_test_raw_counts (f->raw, &after);
  crm_test_assert_counts_equal (&before, &after);

  /* an older rev does not apply; a newer one does */
  {
    g_autofree char *old = lead_json (UUID_A, 1, "Alpha old", 5, FALSE);
    g_autofree char *new = lead_json (UUID_A, 2, "Alpha new", 60, FALSE);
    g_autofree char *r1 = g_strdup_printf ("{\"type\": \"lead\", \"op\": \"put\", \"seq\": 9, \"data\": %s}", old);
    g_autofree char *p1 = page_json (r1, EPOCH ".9", 0);
    g_autofree char *r2 = g_strdup_printf ("{\"type\": \"lead\", \"op\": \"put\", \"seq\": 10, \"data\": %s}", new);
    g_autofree char *p2 = page_json (r2, EPOCH ".10", 0);

    apply_page (f->store, p1);
    g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT title FROM lead WHERE id = %lld", (long long) id_a), ==, "Alpha");
    apply_page (f->store, p2);
    g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT title FROM lead WHERE id = %lld", (long long) id_a), ==, "Alpha new");
  }

  /* a page that cannot be applied whole applies nothing, the cursor stays */
  {
    g_autofree char *c = lead_json (UUID_X, 1, "Gamma", 10, FALSE);
    g_autofree char *d = lead_json (UUID_B, 3, "Refused", 10, FALSE);
    g_autofree char *two = g_strdup_printf ("{\"type\": \"lead\", \"op\": \"put\", \"seq\": 11, \"data\": %s},"
                                            "{\"type\": \"lead\", \"op\": \"put\", \"seq\": 12, \"data\": %s}", c, d);
    g_autofree char *text = page_json (two, EPOCH ".12", 0);
    g_autoptr(CrmProtocolPage) object = parse_page (text);
    g_autofree char *still = NULL;

    crm_test_raw_exec (f->raw, "CREATE TRIGGER refuse BEFORE UPDATE OF title ON lead WHEN new.title = 'Refused' "
                               "BEGIN SELECT RAISE (ABORT, 'refused'); END");
    crm_test_raw_counts (f->raw, &before);
    g_assert_false (crm_store_sync_apply_page (f->store, object, NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    crm_test_raw_counts (f->raw, &after);
    crm_test_assert_counts_equal (&before, &after);
    g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead WHERE uuid = '" UUID_X "'"), ==, 0);
    still = crm_store_sync_dup_cursor (f->store);
    g_assert_cmpstr (still, ==, EPOCH ".10");
    crm_test_raw_exec (f->raw, "DROP TRIGGER refuse");
  }

  /* evict: hidden; reset: server data gone, the cursor back to the start */
  apply_page (f->store, "{\"rows\": [{\"type\": \"lead\", \"op\": \"evict\", \"seq\": 13, \"data\": {\"uuid\": \"" UUID_B "\"}}], "
                        "\"cursor\": \"" EPOCH ".13\", \"has_more\": false, \"last_mutation_id\": 0, \"reset\": false}");
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT deleted || '/' || rev FROM lead WHERE uuid = '" UUID_B "'"), ==, "1/0");
  g_assert_cmpint (crm_store_query_lead_ids (f->store, &(CrmLeadFilter) { 0 }, 0, NULL, NULL)->len, ==, 1);
}

/* An initial sync: a pull from the start that brings more than a page. The
 * list's sort indexes go aside until its last page (or until the store
 * opens again after the pull stopped half-way), the search index is
 * written once per page, and a round with nothing new writes nothing. */
static void
test_bulk_pull (StoreFixture *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a1 = lead_json (UUID_A, 1, "Alpha", 30, FALSE);
  g_autofree char *b2 = lead_json (UUID_B, 2, "Beta", 10, FALSE);
  g_autofree char *rows1 = NULL;
  g_autofree char *rows2 = NULL;
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *empty = NULL;
  const char *sort_indexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'lead' "
                             "AND name IN ('lead_title', 'lead_phase', 'lead_owner', 'lead_close_month')";
  g_autoptr(GArray) found = NULL;
  gint64 id_a, id_b, version;

  bind (f->store, FALSE);
  g_assert_cmpint (crm_test_raw_int (f->raw, sort_indexes), ==, 4);

  /* page 1: phases, lead A with a report, and an event of lead B whose
   * own row comes on page 2 (it changed later): B is a stand-in so far */
  rows1 = g_strdup_printf (
    "{\"type\": \"key_value\", \"op\": \"put\", \"seq\": 1, \"data\": {\"kind\": \"phase\", \"key\": \"proposal\", "
    "  \"label\": \"Angebot\", \"position\": 3, \"active\": true, \"probability\": 55, \"status_class\": 0, "
    "  \"stale_days\": 14, \"rev\": 2}},"
    "{\"type\": \"event\", \"op\": \"put\", \"seq\": 2, \"data\": {\"uuid\": \"" UUID_E "\", \"lead\": \"" UUID_B "\", "
    "  \"at\": 1700000100000000, \"author\": \"Bob\", \"field\": \"created\", \"old\": null, \"new\": null, "
    "  \"activity\": null}},"
    "{\"type\": \"lead\", \"op\": \"put\", \"seq\": 3, \"data\": %s},"
    "{\"type\": \"activity\", \"op\": \"put\", \"seq\": 4, \"data\": {\"uuid\": \"" UUID_R "\", \"rev\": 1, "
    "  \"lead\": \"" UUID_A "\", \"contact\": \"\", \"kind\": \"call\", \"at\": 1700000100000000, \"subject\": \"Visit\", "
    "  \"text\": \"Werkstattbesuch\", \"author\": \"Bob\", \"probability\": 30, \"phase\": null, "
    "  \"created_at\": 1700000100000000}}", a1);
  page1 = g_strdup_printf ("{\"rows\": [%s], \"cursor\": \"" EPOCH ".4\", \"has_more\": true, "
                           "\"last_mutation_id\": 0, \"reset\": false}", rows1);
  apply_page (f->store, page1);

  id_a = crm_test_raw_int (f->raw, "SELECT id FROM lead WHERE uuid = '" UUID_A "'");
  id_b = crm_test_raw_int (f->raw, "SELECT id FROM lead WHERE uuid = '" UUID_B "'");
  g_assert_cmpint (id_b, >, 0);
  /* the stand-in's phase is no key value: rank 0, not a refused page */
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT phase_rank FROM lead WHERE id = %lld", (long long) id_b), ==, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT phase_rank FROM lead WHERE id = %lld", (long long) id_a), ==, 3);
  /* set aside, and kept to be built again */
  g_assert_cmpint (crm_test_raw_int (f->raw, sort_indexes), ==, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM suspended_index"), >=, 4);
  /* searchable all the same, with the report's words */
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT rowid FROM lead_fts WHERE lead_fts MATCH 'alpha'"), ==, id_a);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT rowid FROM lead_fts WHERE lead_fts MATCH 'werkstattbesuch'"), ==, id_a);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT fts_deferred FROM store_flags"), ==, 0);

  /* the pull stops here (the app quits): the next open builds them again */
  store_fixture_reopen (f);
  g_assert_cmpint (crm_test_raw_int (f->raw, sort_indexes), ==, 4);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM suspended_index"), ==, 0);

  /* page 2 continues the pull (not from the start: nothing set aside) */
  rows2 = g_strdup_printf ("{\"type\": \"lead\", \"op\": \"put\", \"seq\": 5, \"data\": %s}", b2);
  page2 = g_strdup_printf ("{\"rows\": [%s], \"cursor\": \"" EPOCH ".5\", \"has_more\": false, "
                           "\"last_mutation_id\": 0, \"reset\": false}", rows2);
  apply_page (f->store, page2);
  g_assert_cmpint (crm_test_raw_int (f->raw, sort_indexes), ==, 4);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT rowid FROM lead_fts WHERE lead_fts MATCH 'beta'"), ==, id_b);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT phase_rank FROM lead WHERE id = %lld", (long long) id_b), ==, 3);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead_fts"), ==,
                   crm_test_raw_int (f->raw, "SELECT count(*) FROM lead"));

  /* from the start again (a reset): the last page of the pull builds them */
  g_assert_true (crm_store_sync_reset (f->store, &error));
  g_assert_no_error (error);
  apply_page (f->store, page1);
  g_assert_cmpint (crm_test_raw_int (f->raw, sort_indexes), ==, 0);
  apply_page (f->store, page2);
  g_assert_cmpint (crm_test_raw_int (f->raw, sort_indexes), ==, 4);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM suspended_index"), ==, 0);
  g_assert_true (crm_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
  found = crm_store_query_lead_ids (f->store, &(CrmLeadFilter) { .search = (char *) "Beta" }, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  /* nothing new, the same cursor: no write at all */
  version = crm_test_raw_int (f->raw, "PRAGMA data_version");
  empty = page_json ("", EPOCH ".5", 0);
  apply_page (f->store, empty);
  g_assert_cmpint (crm_test_raw_int (f->raw, "PRAGMA data_version"), ==, version);
}

/* Pages of many leads tell the statistics which leads changed: after
 * each one, the figures are those of the rows in the database. */
static void
page_stats_equal_rows (StoreFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStats) stats = crm_store_query_stats (f->store, CRM_STATS_BY_STATUS, NULL, 0, 0, NULL, &error);
  const CrmStatsRow *total;

  g_assert_no_error (error);
  total = crm_stats_get_total (stats);
  g_assert_cmpint (total->count, ==, crm_test_raw_int (f->raw, "SELECT count(*) FROM lead WHERE deleted = 0"));
  g_assert_cmpint (total->absolute_minor, ==,
                   crm_test_raw_int (f->raw, "SELECT coalesce (sum (volume_minor), 0) FROM lead WHERE deleted = 0"));
  g_assert_cmpint (total->weighted_minor, ==,
                   crm_test_raw_int (f->raw, "SELECT coalesce (sum (volume_minor * probability), 0) / 100 "
                                             "FROM lead WHERE deleted = 0"));
}

static void
test_page_stats (StoreFixture *f,
                 gconstpointer data)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);

  bind (f->store, FALSE);
  page_stats_equal_rows (f);      /* the statistics are in use from here */

  for (guint round = 1; round <= 3; round++)
    {
      g_autoptr(GString) rows = g_string_new (NULL);
      g_autofree char *cursor = g_strdup_printf (EPOCH ".%u", round * 1000);
      g_autofree char *page = NULL;

      /* round 1: 150 new leads; then 120 of them change, 20 are deleted */
      for (guint i = 0; i < 150; i++)
        {
          g_autofree char *lead = NULL;

          if (round == 1)
            g_ptr_array_add (uuids, g_uuid_string_random ());
          else if (i >= 140)
            continue;
          lead = lead_json (uuids->pdata[i], round, "Many", (int) ((i * 7 + round * 13) % 101),
                            round == 3 && i >= 120);
          g_string_append_printf (rows, "%s{\"type\": \"lead\", \"op\": \"put\", \"seq\": %u, \"data\": %s}",
                                  i > 0 ? "," : "", round * 1000 - 150 + i, lead);
        }
      page = page_json (rows->str, cursor, 0);
      apply_page (f->store, page);
      page_stats_equal_rows (f);
    }
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM lead WHERE deleted = 0"), ==, 130);
}

static void
test_pending_on_top (StoreFixture *f,
                     gconstpointer data)
{
  g_autofree char *a1 = lead_json (UUID_A, 1, "Alpha", 30, FALSE);
  g_autofree char *a2 = lead_json (UUID_A, 2, "Alpha renamed", 30, FALSE);
  g_autofree char *r = NULL;
  g_autofree char *p = NULL;
  gint64 id;

  bind (f->store, FALSE);
  r = g_strdup_printf ("{\"type\": \"lead\", \"op\": \"put\", \"seq\": 1, \"data\": %s}", a1);
  p = page_json (r, EPOCH ".1", 0);
  apply_page (f->store, p);
  id = crm_test_raw_int (f->raw, "SELECT id FROM lead WHERE uuid = '" UUID_A "'");

  /* my offline edit; meanwhile someone renamed the lead */
  crm_test_update_lead (f->store, id, "probability", "70", NULL);
  g_clear_pointer (&r, g_free);
  g_clear_pointer (&p, g_free);
  r = g_strdup_printf ("{\"type\": \"lead\", \"op\": \"put\", \"seq\": 2, \"data\": %s}", a2);
  p = page_json (r, EPOCH ".2", 0);
  apply_page (f->store, p);

  /* my edit stays on top until acknowledged */
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT title || '/' || probability || '/' || sync_state FROM lead WHERE id = %lld",
                                      (long long) id), ==, "Alpha/70/1");
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_shadow"), ==, 1);

  /* the server took it: the kept server state comes in, the next pull
   * brings the merged one */
  push_answer (f->store, "{\"results\": [{\"id\": 1, \"outcome\": \"applied\", \"rev\": 3}], \"last_mutation_id\": 1}");
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT title || '/' || sync_state FROM lead WHERE id = %lld", (long long) id), ==,
                   "Alpha renamed/2");
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_shadow"), ==, 0);
}

static void
test_reset_keeps_outbox (StoreFixture *f,
                         gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a1 = lead_json (UUID_A, 1, "Alpha", 30, FALSE);
  g_autofree char *b1 = lead_json (UUID_B, 1, "Beta", 30, FALSE);
  g_autofree char *r = g_strdup_printf ("{\"type\": \"lead\", \"op\": \"put\", \"seq\": 1, \"data\": %s},"
                                        "{\"type\": \"lead\", \"op\": \"put\", \"seq\": 2, \"data\": %s}", a1, b1);
  g_autofree char *p = page_json (r, EPOCH ".2", 0);
  g_autoptr(CrmProtocolPage) reset_page = parse_page ("{\"rows\": [], \"cursor\": \"" EPOCH2 ".0\", \"has_more\": false, "
                                                      "\"last_mutation_id\": 0, \"reset\": true}");
  g_autofree char *cursor = NULL;
  gboolean reset = FALSE;
  gint64 mine;

  bind (f->store, FALSE);
  apply_page (f->store, p);
  mine = crm_test_create_lead (f->store, "Mine", NULL);
  crm_test_update_lead (f->store, crm_test_raw_int (f->raw, "SELECT id FROM lead WHERE uuid = '" UUID_A "'"),
                        "probability", "80", NULL);

  g_assert_true (crm_store_sync_apply_page (f->store, reset_page, &reset, &error));
  g_assert_no_error (error);
  g_assert_true (reset);
  cursor = crm_store_sync_dup_cursor (f->store);
  g_assert_null (cursor);
  /* the outbox and the records it changes stay; the rest is gone until pulled again */
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM sync_outbox"), ==, 2);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT deleted FROM lead WHERE uuid = '" UUID_B "'"), ==, 1);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT deleted FROM lead WHERE uuid = '" UUID_A "'"), ==, 0);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT deleted FROM lead WHERE id = %lld", (long long) mine), ==, 0);

  /* pulling from the start brings B back */
  apply_page (f->store, p);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT deleted FROM lead WHERE uuid = '" UUID_B "'"), ==, 0);
}

static void
test_conflict_pulled (StoreFixture *f,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a1 = lead_json (UUID_A, 2, "Alpha", 50, FALSE);
  g_autofree char *r = g_strdup_printf (
    "{\"type\": \"lead\", \"op\": \"put\", \"seq\": 1, \"data\": %s},"
    "{\"type\": \"conflict\", \"op\": \"put\", \"seq\": 2, \"data\": {\"uuid\": \"" UUID_X "\", \"rev\": 1, \"record_type\": \"lead\", "
    "  \"record\": \"" UUID_A "\", \"field\": \"probability\", \"base\": \"30\", \"kept\": \"50\", \"rejected\": \"40\", "
    "  \"kept_by\": \"bob\", \"rejected_by\": \"anna\", \"at\": 1700000200000000, \"kind\": \"field\", \"reason\": null, "
    "  \"resolved\": false, \"resolution\": null}}", a1);
  g_autofree char *p = page_json (r, EPOCH ".2", 0);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(CrmSyncConflict) conflict = NULL;
  gint64 id;

  bind (f->store, FALSE);
  apply_page (f->store, p);
  id = crm_test_raw_int (f->raw, "SELECT id FROM lead WHERE uuid = '" UUID_A "'");
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT sync_state FROM lead WHERE id = %lld", (long long) id), ==,
                   CRM_RECORD_SYNC_CONFLICT);
  list = crm_store_sync_list_conflicts (f->store, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  conflict = g_list_model_get_item (list, 0);
  g_assert_cmpstr (crm_sync_conflict_get_kept (conflict), ==, "50");
  g_assert_cmpstr (crm_sync_conflict_get_yours (conflict), ==, "40");
  g_assert_cmpstr (crm_sync_conflict_get_title (conflict), ==, "Alpha");

  /* take mine: an ordinary edit plus the resolution, both queued */
  g_assert_true (crm_store_sync_resolve_conflict (f->store, UUID_X, CRM_CONFLICT_MINE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT probability FROM lead WHERE id = %lld", (long long) id), ==, 40);
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT group_concat (name, ' ') FROM (SELECT name FROM sync_outbox ORDER BY id)"), ==,
                   "lead.update conflict.resolve");
  g_assert_cmpstr (crm_test_raw_text (f->raw, "SELECT json_extract (args, '$.fields.probability.base') FROM sync_outbox WHERE id = 1"), ==,
                   "50");
  g_assert_cmpuint (crm_store_sync_count_conflicts (f->store), ==, 0);

  /* an unknown conflict is refused */
  g_assert_false (crm_store_sync_resolve_conflict (f->store, UUID_B, CRM_CONFLICT_KEEP, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

/* ------------------------------------------------------------- SIGKILL */

/* The child applies pages of 50 new leads each (page k: leads titled
 * "P<k>-<i>", cursor "<epoch>.<k>99"), or makes local edits, until killed. */
static int
run_child (const char *path,
           const char *mode)
{
  g_autoptr(GError) error = NULL;
  CrmStore *store = crm_store_open (path, &error);
  g_autofree char *last = NULL;
  guint first = 1;

  if (store == NULL)
    return 2;

  /* pages continue where the last round's child was killed */
  last = crm_store_sync_dup_cursor (store);
  if (last != NULL)
    first = atoi (strchr (last, '.') + 1) / 100 + 1;

  for (guint k = first; ; k++)
    {
      if (g_str_equal (mode, "pages"))
        {
          g_autoptr(GString) rows = g_string_new (NULL);
          g_autofree char *cursor = g_strdup_printf (EPOCH ".%u", k * 100 + 99);
          g_autofree char *page = NULL;
          g_autoptr(CrmProtocolPage) object = NULL;

          for (guint i = 0; i < 50; i++)
            {
              g_autofree char *uuid = g_uuid_string_random ();
              g_autofree char *title = g_strdup_printf ("P%u-%u", k, i);
              g_autofree char *lead = lead_json (uuid, 1, title, i, FALSE);

              g_string_append_printf (rows, "%s{\"type\": \"lead\", \"op\": \"put\", \"seq\": %u, \"data\": %s}",
                                      i > 0 ? "," : "", k * 100 + i, lead);
            }
          page = page_json (rows->str, cursor, 0);
          object = parse_page (page);
          if (!crm_store_sync_apply_page (store, object, NULL, &error))
            return 3;
        }
      else
        {
          g_autofree char *title = g_strdup_printf ("Edit %u", k);
          gint64 id = crm_store_create_lead (store, (CrmFieldValue[]) { { "title", title } }, 1, &error);

          if (id == 0 ||
              !crm_store_update_lead (store, id, (CrmFieldValue[]) { { "probability", "77" } }, 1, &error) ||
              crm_store_add_activity (store, id, "call", 0, "Call", "x", 55, NULL, &error) == 0)
            return 3;
        }
    }

  return 0;
}

static void
kill_child_after (const char *path,
                  const char *mode,
                  guint       delay_ms)
{
  pid_t pid = fork ();
  int status;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      char *args[] = { (char *) self_path, (char *) "--child", (char *) path, (char *) mode, NULL };

      execv (self_path, args);
      _exit (127);
    }
  g_usleep (delay_ms * 1000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
}

/* A new database bound to a server, in @dir. */
static char *
bound_database (const char *dir,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  CrmStore *store = crm_store_open (path, &error);

  g_assert_no_error (error);
  bind (store, FALSE);
  g_assert_finalize_object (store);
  return path;
}

/* Runs a child on @path, kills it after a while and opens what it left,
 * checking the database is intact. */
static CrmStore *
open_after_kill (const char  *path,
                 const char  *mode,
                 GRand       *rand,
                 sqlite3    **out_raw)
{
  g_autoptr(GError) error = NULL;
  CrmStore *store;

  kill_child_after (path, mode, g_rand_int_range (rand, 100, 600));
  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_check_integrity (store, &error));
  g_assert_no_error (error);
  *out_raw = crm_test_raw_open (path);
  return store;
}

static void
test_crash_page (void)
{
  g_autofree char *dir = crm_test_make_tmpdir ();
  g_autofree char *path = bound_database (dir, "pages.db");
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint checked = 0;

  for (guint round = 0; round < 4; round++)
    {
      g_autofree char *cursor = NULL;
      sqlite3 *raw;
      CrmStore *store = open_after_kill (path, "pages", rand, &raw);
      guint k;

      cursor = crm_store_sync_dup_cursor (store);
      if (cursor == NULL)
        {
          g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM lead"), ==, 0);
          goto next;
        }
      /* the cursor is that of the last page applied: that page is there
       * whole, and nothing of the page after it */
      k = atoi (strchr (cursor, '.') + 1) / 100;
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM lead WHERE title GLOB 'P%u-*'", k), ==, 50);
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM lead WHERE title GLOB 'P%u-*'", k + 1), ==, 0);
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM lead") % 50, ==, 0);
      checked++;
    next:
      sqlite3_close (raw);
      g_object_unref (store);
    }

  g_assert_cmpuint (checked, >, 0);
  crm_test_remove_tree (dir);
}

static void
test_crash_edit (void)
{
  g_autofree char *dir = crm_test_make_tmpdir ();
  g_autofree char *path = bound_database (dir, "edits.db");
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  gint64 leads = 0;

  for (guint round = 0; round < 4; round++)
    {
      sqlite3 *raw;
      CrmStore *store = open_after_kill (path, "edits", rand, &raw);
      /* every saved change has its mutation and every mutation its change:
       * one create per lead, one update or report per change, each event
       * carried by exactly one mutation, ids dense */
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM sync_outbox WHERE name = 'lead.create'"), ==,
                       crm_test_raw_int (raw, "SELECT count(*) FROM lead"));
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM sync_outbox WHERE name = 'activity.create'"), ==,
                       crm_test_raw_int (raw, "SELECT count(*) FROM activity"));
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM sync_outbox WHERE name = 'lead.update'"), ==,
                       crm_test_raw_int (raw, "SELECT count(*) FROM lead_event WHERE field = 'probability' AND activity_id IS NULL"));
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM sync_outbox o, json_each (o.args, '$.events') e "
                                              "JOIN lead_event le ON le.uuid = json_extract (e.value, '$.uuid')"), ==,
                       crm_test_raw_int (raw, "SELECT count(*) FROM lead_event"));
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT max(id) FROM sync_outbox"), ==,
                       crm_test_raw_int (raw, "SELECT count(*) FROM sync_outbox"));
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM lead"), >=, leads);
      leads = crm_test_raw_int (raw, "SELECT count(*) FROM lead");
      sqlite3_close (raw);
      g_object_unref (store);
    }

  g_assert_cmpint (leads, >, 0);
  crm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], argv[3]);

  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sync-store/" path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("not-bound", test_not_bound);
  ADD ("outbox/each-edit", test_outbox_each_edit);
  ADD ("outbox/atomic", test_outbox_atomic);
  ADD ("read-only", test_read_only);
  ADD ("upload-local", test_upload_local);
  ADD ("push-answer", test_push_answer);
  ADD ("page/apply", test_page_apply);
  ADD ("page/pending-on-top", test_pending_on_top);
  ADD ("page/bulk-pull", test_bulk_pull);
  ADD ("page/stats", test_page_stats);
  ADD ("page/reset", test_reset_keeps_outbox);
  ADD ("page/conflict", test_conflict_pulled);
  g_test_add_func ("/sync-store/crash/page", test_crash_page);
  g_test_add_func ("/sync-store/crash/edit", test_crash_edit);

#undef ADD

  return g_test_run ();
}
