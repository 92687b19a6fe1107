/* test-protocol.c: the sync protocol's JSON (suite 'unit')
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-protocol"

#include "config.h"

#include <string.h>

#include "crm-key-value.h"
#include "crm-protocol.h"

#define UUID_A "0f8fad5b-d9cb-469f-a165-70867728950e"
#define UUID_B "7c9e6679-7425-40de-944b-e07fc1f90ae7"
#define EPOCH  "9b2c1e6a-3c1f-4a8e-8d52-2f1c5e3a7b10"

static const char *lead_json =
  "{\"uuid\": \"" UUID_A "\", \"rev\": 3, \"deleted\": false,"
  " \"fields\": {\"title\": \" Pumps \", \"contact\": \"" UUID_B "\", \"volume_minor\": \"125000\","
  "  \"currency\": \"eur\", \"probability\": \"40\", \"status\": \"open\", \"phase\": \"proposal\","
  "  \"type\": \"\", \"unit\": \"\", \"owner\": \"anna\", \"close_month\": \" 2027-03\", \"source\": \"\","
  "  \"description\": \"\", \"lost_reason\": \"\", \"next_follow_up\": \"4.12.2026\"},"
  " \"created_at\": 1, \"updated_at\": 2}";

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = crm_protocol_parse_object (json, strlen (json), &error);

  g_assert_no_error (error);
  return object;
}

static char *
page_with_row (const char *type,
               const char *data)
{
  return g_strdup_printf ("{\"rows\": [{\"type\": \"%s\", \"op\": \"put\", \"seq\": 5, \"data\": %s}],"
                          " \"cursor\": \"" EPOCH ".5\", \"has_more\": false,"
                          " \"last_mutation_id\": 0, \"reset\": false}", type, data);
}

static void
test_envelope (void)
{
  g_autofree char *body = crm_protocol_envelope_build (CRM_PROTOCOL_ERROR_MUTATION_GAP, "resend from 4");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) source = g_error_new_literal (CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_BAD_UUID, "uuid: bad");
  g_autofree char *from_error = NULL;
  guint status = 0;

  g_assert_cmpstr (body, ==, "{\"error\":{\"code\":\"mutation_gap\",\"message\":\"resend from 4\"}}");
  crm_protocol_envelope_parse (409, body, strlen (body), &error);
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MUTATION_GAP);
  g_assert_cmpstr (error->message, ==, "resend from 4");
  g_clear_error (&error);

  /* validation errors travel as 400 bad_request */
  from_error = crm_protocol_envelope_from_error (source, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (from_error, "\"bad_request\""));

  /* a reply that is no envelope: the status decides */
  crm_protocol_envelope_parse (503, "<html>", 6, &error);
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  crm_protocol_envelope_parse (418, NULL, 0, &error);
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNKNOWN);
  g_clear_error (&error);
  crm_protocol_envelope_parse (401, "{\"error\": {\"code\": \"unauthorized\", \"message\": \"expired\"}}", 57, &error);
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNAUTHORIZED);

  for (guint i = 0; i <= CRM_PROTOCOL_ERROR_UNAVAILABLE; i++)
    g_assert_cmpint (crm_protocol_error_from_code (crm_protocol_error_code (i)), ==, i);
  g_assert_cmpuint (crm_protocol_error_http_status (CRM_PROTOCOL_ERROR_RATE_LIMITED), ==, 429);
}

static void
test_cursor (void)
{
  g_autofree char *cursor = crm_protocol_cursor_format (EPOCH, 1234);
  g_autofree char *epoch = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;
  const char *bad[] = { "", "1234", EPOCH, EPOCH ".", EPOCH ".-1", EPOCH ".1x", "nope.3",
                        EPOCH ".99999999999999999999", "9B2C1E6A-3C1F-4A8E-8D52-2F1C5E3A7B10.1" };

  g_assert_cmpstr (cursor, ==, EPOCH ".1234");
  g_assert_true (crm_protocol_cursor_parse (cursor, &epoch, &seq, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (epoch, ==, EPOCH);
  g_assert_cmpint (seq, ==, 1234);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (crm_protocol_cursor_parse (bad[i], NULL, NULL, &error));
      g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE);
      g_clear_error (&error);
    }
}

static void
test_lead_record (void)
{
  g_autoptr(JsonObject) lead = parse (lead_json);
  g_autoptr(GError) error = NULL;
  JsonObject *fields;

  crm_protocol_record_validate (CRM_RECORD_LEAD, lead, CRM_RECORD_CHECK_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  /* canonical forms through core's normalize */
  fields = json_object_get_object_member (lead, "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "title"), ==, "Pumps");
  g_assert_cmpstr (json_object_get_string_member (fields, "currency"), ==, "EUR");
  g_assert_cmpstr (json_object_get_string_member (fields, "close_month"), ==, "2027-03");
  g_assert_cmpstr (json_object_get_string_member (fields, "next_follow_up"), ==, "2026-12-04");

  /* each kind of fault, named by its path */
  json_object_set_string_member (fields, "probability", "140");
  g_assert_false (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, 0, "rows[2].data", &error));
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "rows[2].data.fields.probability"));
  g_clear_error (&error);

  json_object_set_int_member (fields, "probability", 40);
  g_assert_false (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, 0, NULL, &error));
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_WRONG_TYPE);
  g_clear_error (&error);
  json_object_set_string_member (fields, "probability", "40");

  json_object_set_string_member (fields, "contact", "42");
  g_assert_false (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, 0, NULL, &error));
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_BAD_UUID);
  g_clear_error (&error);
  json_object_set_string_member (fields, "contact", "");

  json_object_remove_member (fields, "phase");
  g_assert_false (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, 0, NULL, &error));
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "fields.phase"));
  g_clear_error (&error);
  json_object_set_string_member (fields, "phase", "proposal");

  {
    g_autofree char *huge = g_strnfill (CRM_PROTOCOL_MAX_TEXT + 10, 'x');

    json_object_set_string_member (fields, "description", huge);
    g_assert_false (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, 0, NULL, &error));
    g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_TOO_LONG);
    g_clear_error (&error);
    json_object_set_string_member (fields, "description", "");
  }

  json_object_set_string_member (lead, "uuid", "0F8FAD5B-D9CB-469F-A165-70867728950E");
  g_assert_false (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, 0, NULL, &error));
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_BAD_UUID);
  g_clear_error (&error);
  json_object_set_string_member (lead, "uuid", UUID_A);

  /* a new record may leave out what the server keeps, not more */
  json_object_remove_member (lead, "rev");
  json_object_remove_member (lead, "deleted");
  g_assert_false (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, 0, NULL, &error));
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MISSING);
  g_clear_error (&error);
  g_assert_true (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, CRM_RECORD_CHECK_NEW, NULL, &error));
  g_assert_no_error (error);
  json_object_remove_member (lead, "created_at");
  g_assert_false (crm_protocol_record_validate (CRM_RECORD_LEAD, lead, CRM_RECORD_CHECK_NEW, NULL, &error));
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MISSING);
}

static void
test_other_records (void)
{
  static const struct {
    CrmRecordType type;
    const char *json;
    int error;   /* -1: valid */
  } cases[] = {
    { CRM_RECORD_CONTACT, "{\"uuid\": \"" UUID_A "\", \"rev\": 1, \"deleted\": false, \"kind\": \"company\", \"name\": \"Nordwind\","
                          " \"company\": \"\", \"notes\": \"\", \"addresses\": \"\", \"phones\": \"\", \"emails\": \"\","
                          " \"created_at\": 0, \"updated_at\": 0}", -1 },
    { CRM_RECORD_CONTACT, "{\"uuid\": \"" UUID_A "\", \"rev\": 1, \"deleted\": false, \"kind\": \"robot\", \"name\": \"X\","
                          " \"company\": \"\", \"notes\": \"\", \"addresses\": \"\", \"phones\": \"\", \"emails\": \"\","
                          " \"created_at\": 0, \"updated_at\": 0}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { CRM_RECORD_CONTACT, "{\"uuid\": \"" UUID_A "\", \"rev\": 1, \"deleted\": false, \"kind\": \"person\", \"name\": \"\","
                          " \"company\": \"\", \"notes\": \"\", \"addresses\": \"\", \"phones\": \"\", \"emails\": \"\","
                          " \"created_at\": 0, \"updated_at\": 0}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { CRM_RECORD_ACTIVITY, "{\"uuid\": \"" UUID_A "\", \"rev\": 1, \"lead\": \"" UUID_B "\", \"contact\": \"\", \"kind\": \"call\","
                           " \"at\": 5, \"subject\": \"\", \"text\": \"hi\", \"author\": \"anna\", \"probability\": 40,"
                           " \"phase\": null, \"created_at\": 5}", -1 },
    { CRM_RECORD_ACTIVITY, "{\"uuid\": \"" UUID_A "\", \"rev\": 1, \"lead\": \"" UUID_B "\", \"contact\": \"\", \"kind\": \"call\","
                           " \"at\": 5, \"subject\": \"\", \"text\": \"hi\", \"author\": \"anna\", \"probability\": 101,"
                           " \"phase\": null, \"created_at\": 5}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { CRM_RECORD_ACTIVITY, "{\"uuid\": \"" UUID_A "\", \"rev\": 1, \"lead\": \"" UUID_B "\", \"contact\": \"\", \"kind\": \"call\","
                           " \"at\": \"5\", \"subject\": \"\", \"text\": \"hi\", \"author\": \"anna\", \"probability\": null,"
                           " \"phase\": null, \"created_at\": 5}", CRM_PROTOCOL_ERROR_WRONG_TYPE },
    { CRM_RECORD_EVENT, "{\"uuid\": \"" UUID_A "\", \"lead\": \"" UUID_B "\", \"at\": 1, \"author\": \"anna\","
                        " \"field\": \"probability\", \"old\": \"30\", \"new\": \"40\", \"activity\": null}", -1 },
    { CRM_RECORD_EVENT, "{\"uuid\": \"" UUID_A "\", \"lead\": \"\", \"at\": 1, \"author\": \"anna\","
                        " \"field\": \"probability\", \"old\": \"30\", \"new\": \"40\", \"activity\": null}", CRM_PROTOCOL_ERROR_BAD_UUID },
    { CRM_RECORD_KEY_VALUE, "{\"kind\": \"phase\", \"key\": \"offer\", \"label\": \"Offer\", \"position\": 3, \"active\": true,"
                            " \"probability\": 50, \"status_class\": 0, \"stale_days\": 14, \"rev\": 2}", -1 },
    { CRM_RECORD_KEY_VALUE, "{\"kind\": \"colour\", \"key\": \"red\", \"label\": \"Red\", \"position\": 3, \"active\": true,"
                            " \"probability\": null, \"status_class\": 0, \"stale_days\": 0, \"rev\": 2}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { CRM_RECORD_USER, "{\"login\": \"anna\", \"name\": \"Anna Berg\", \"active\": true, \"rev\": 1}", -1 },
    { CRM_RECORD_USER, "{\"login\": \"anna\", \"name\": \"Anna Berg\", \"active\": 1, \"rev\": 1}", CRM_PROTOCOL_ERROR_WRONG_TYPE },
    { CRM_RECORD_CONFLICT, "{\"uuid\": \"" UUID_A "\", \"rev\": 1, \"record_type\": \"lead\", \"record\": \"" UUID_B "\","
                           " \"field\": \"probability\", \"base\": \"30\", \"kept\": \"50\", \"rejected\": \"40\","
                           " \"kept_by\": \"anna\", \"rejected_by\": \"ben\", \"at\": 0, \"kind\": \"field\","
                           " \"reason\": null, \"resolved\": false, \"resolution\": null}", -1 },
    { CRM_RECORD_CONFLICT, "{\"uuid\": \"" UUID_A "\", \"rev\": 1, \"record_type\": \"lead\", \"record\": \"" UUID_B "\","
                           " \"field\": \"probability\", \"base\": \"30\", \"kept\": \"50\", \"rejected\": \"40\","
                           " \"kept_by\": \"anna\", \"rejected_by\": \"ben\", \"at\": 0, \"kind\": \"field\","
                           " \"reason\": null, \"resolved\": false}", CRM_PROTOCOL_ERROR_MISSING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) record = parse (cases[i].json);
      g_autoptr(GError) error = NULL;
      gboolean ok = crm_protocol_record_validate (cases[i].type, record, 0, NULL, &error);

      g_test_message ("case %u", i);
      if (cases[i].error < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CRM_PROTOCOL_ERROR, cases[i].error);
        }
    }
}

static void
test_mutations (void)
{
  g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_protocol_mutation_free);
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(JsonObject) update = parse ("{\"uuid\": \"" UUID_A "\", \"base_rev\": 2, \"fields\": {"
                                        "\"probability\": {\"value\": \" 50\", \"base\": \"40\"},"
                                        "\"currency\": {\"value\": \"usd\", \"base\": null}}}");
  g_autoptr(JsonObject) create = parse (lead_json);
  g_autofree char *body = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr(GError) error = NULL;
  CrmProtocolMutation *m;

  json_object_remove_member (create, "rev");
  g_ptr_array_add (mutations, crm_protocol_mutation_new (7, "lead.create", 100, create));
  g_ptr_array_add (mutations, crm_protocol_mutation_new (8, "lead.update", 101, update));
  body = crm_protocol_push_request_build (UUID_B, mutations);

  g_assert_true (crm_protocol_push_request_parse (body, strlen (body), &client_id, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (client_id, ==, UUID_B);
  g_assert_cmpuint (parsed->len, ==, 2);
  m = g_ptr_array_index (parsed, 1);
  g_assert_cmpint (m->id, ==, 8);
  g_assert_cmpstr (m->name, ==, "lead.update");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (m->args, "fields"), "probability"), "value"), ==, "50");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (m->args, "fields"), "currency"), "value"), ==, "USD");
}

static void
test_bad_mutations (void)
{
  static const struct {
    const char *body;
    int error;
  } cases[] = {
    { "not json", CRM_PROTOCOL_ERROR_MALFORMED },
    { "[1, 2]", CRM_PROTOCOL_ERROR_MALFORMED },
    { "{\"mutations\": []}", CRM_PROTOCOL_ERROR_MISSING },
    { "{\"client_id\": \"x\", \"mutations\": []}", CRM_PROTOCOL_ERROR_BAD_UUID },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": {}}", CRM_PROTOCOL_ERROR_WRONG_TYPE },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": [{\"id\": 0, \"name\": \"lead.delete\", \"at\": 0, \"args\": {}}]}",
      CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": [{\"id\": 1, \"name\": \"lead.explode\", \"at\": 0, \"args\": {}}]}",
      CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": [{\"id\": 1, \"name\": \"lead.delete\", \"at\": 0,"
      " \"args\": {\"uuid\": \"" UUID_A "\"}}]}", CRM_PROTOCOL_ERROR_MISSING },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": [{\"id\": 1, \"name\": \"lead.update\", \"at\": 0,"
      " \"args\": {\"uuid\": \"" UUID_A "\", \"base_rev\": 1, \"fields\": {\"colour\": {\"value\": \"red\", \"base\": null}}}}]}",
      CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": [{\"id\": 1, \"name\": \"lead.update\", \"at\": 0,"
      " \"args\": {\"uuid\": \"" UUID_A "\", \"base_rev\": 1, \"fields\": {}}}]}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": [{\"id\": 1, \"name\": \"lead.update\", \"at\": 0,"
      " \"args\": {\"uuid\": \"" UUID_A "\", \"base_rev\": 1, \"fields\": {\"volume_minor\": {\"value\": \"-5\", \"base\": null}}}}]}",
      CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": [{\"id\": 1, \"name\": \"conflict.resolve\", \"at\": 0,"
      " \"args\": {\"uuid\": \"" UUID_A "\", \"resolution\": \"both\"}}]}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"client_id\": \"" UUID_B "\", \"mutations\": ["
      "{\"id\": 1, \"name\": \"lead.delete\", \"at\": 0, \"args\": {\"uuid\": \"" UUID_A "\", \"base_rev\": 1}},"
      "{\"id\": 3, \"name\": \"lead.delete\", \"at\": 0, \"args\": {\"uuid\": \"" UUID_A "\", \"base_rev\": 1}}]}",
      CRM_PROTOCOL_ERROR_INVALID_VALUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *client_id = NULL;
      g_autoptr(GPtrArray) mutations = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].body);
      g_assert_false (crm_protocol_push_request_parse (cases[i].body, strlen (cases[i].body),
                                                       &client_id, &mutations, &error));
      g_assert_error (error, CRM_PROTOCOL_ERROR, cases[i].error);
      g_assert_null (mutations);
    }
}

static void
test_results (void)
{
  g_autoptr(CrmProtocolResult) result = crm_protocol_result_new (4, CRM_PROTOCOL_OUTCOME_PARTIAL);
  g_autoptr(JsonObject) response = json_object_new ();
  JsonArray *results = json_array_new ();
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  CrmProtocolResult *back;
  gint64 last = 0;

  g_strfreev (result->conflicts);
  result->conflicts = g_strsplit ("probability", ",", -1);
  result->rev = 5;
  json_array_add_object_element (results, crm_protocol_result_to_json (result));
  json_object_set_array_member (response, "results", results);
  json_object_set_int_member (response, "last_mutation_id", 4);
  body = crm_protocol_object_to_string (response);

  g_assert_true (crm_protocol_push_response_parse (body, strlen (body), &parsed, &last, &error));
  g_assert_no_error (error);
  g_assert_cmpint (last, ==, 4);
  back = g_ptr_array_index (parsed, 0);
  g_assert_cmpint (back->outcome, ==, CRM_PROTOCOL_OUTCOME_PARTIAL);
  g_assert_cmpstr (back->conflicts[0], ==, "probability");
  g_assert_null (back->conflicts[1]);
  g_assert_cmpint (back->rev, ==, 5);
  g_assert_false (back->duplicate);

  {
    const char *short_result = "{\"results\": [{\"id\": 1}], \"last_mutation_id\": 1}";

    g_clear_pointer (&parsed, g_ptr_array_unref);
    g_assert_false (crm_protocol_push_response_parse (short_result, strlen (short_result), &parsed, &last, &error));
  }
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MISSING);
}

static void
test_page (void)
{
  g_autofree char *lead_page = page_with_row ("lead", lead_json);
  g_autoptr(CrmProtocolPage) page = NULL;
  g_autoptr(GError) error = NULL;
  CrmProtocolRow *row;
  static const struct {
    const char *body;
    int error;
  } bad[] = {
    { "{\"rows\": [], \"cursor\": \"" EPOCH ".5\", \"has_more\": false, \"last_mutation_id\": 0}", CRM_PROTOCOL_ERROR_MISSING },
    { "{\"rows\": [], \"cursor\": \"5\", \"has_more\": false, \"last_mutation_id\": 0, \"reset\": false}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"rows\": [], \"cursor\": \"" EPOCH ".5\", \"has_more\": \"no\", \"last_mutation_id\": 0, \"reset\": false}", CRM_PROTOCOL_ERROR_WRONG_TYPE },
    { "{\"rows\": [{\"type\": \"lead\", \"op\": \"evict\", \"seq\": 3, \"data\": {\"uuid\": \"nope\"}}],"
      " \"cursor\": \"" EPOCH ".5\", \"has_more\": false, \"last_mutation_id\": 0, \"reset\": false}", CRM_PROTOCOL_ERROR_BAD_UUID },
    { "{\"rows\": [{\"type\": \"lead\", \"op\": \"evict\", \"seq\": 9, \"data\": {\"uuid\": \"" UUID_A "\"}}],"
      " \"cursor\": \"" EPOCH ".5\", \"has_more\": false, \"last_mutation_id\": 0, \"reset\": false}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"rows\": [{\"type\": \"lead\", \"op\": \"evict\", \"seq\": 3, \"data\": {\"uuid\": \"" UUID_A "\"}},"
      " {\"type\": \"lead\", \"op\": \"evict\", \"seq\": 3, \"data\": {\"uuid\": \"" UUID_B "\"}}],"
      " \"cursor\": \"" EPOCH ".5\", \"has_more\": false, \"last_mutation_id\": 0, \"reset\": false}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"rows\": [{\"type\": \"invoice\", \"op\": \"put\", \"seq\": 3, \"data\": {}}],"
      " \"cursor\": \"" EPOCH ".5\", \"has_more\": false, \"last_mutation_id\": 0, \"reset\": false}", CRM_PROTOCOL_ERROR_INVALID_VALUE },
    { "{\"rows\": [{\"type\": \"user\", \"op\": \"put\", \"seq\": 3, \"data\": {\"login\": \"x\"}}],"
      " \"cursor\": \"" EPOCH ".5\", \"has_more\": false, \"last_mutation_id\": 0, \"reset\": false}", CRM_PROTOCOL_ERROR_MISSING },
    { "{\"rows\": [7], \"cursor\": \"" EPOCH ".5\", \"has_more\": false, \"last_mutation_id\": 0, \"reset\": false}", CRM_PROTOCOL_ERROR_WRONG_TYPE },
    { "{\"rows\": [], \"cursor\": \"" EPOCH ".5\", \"has_more\": fal", CRM_PROTOCOL_ERROR_MALFORMED },
  };

  page = crm_protocol_page_parse (lead_page, strlen (lead_page), &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_cmpuint (page->rows->len, ==, 1);
  g_assert_cmpstr (page->epoch, ==, EPOCH);
  g_assert_cmpint (page->seq, ==, 5);
  row = g_ptr_array_index (page->rows, 0);
  g_assert_cmpint (row->type, ==, CRM_RECORD_LEAD);
  g_assert_false (row->evict);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row->data, "fields"), "currency"), ==, "EUR");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CrmProtocolPage) refused = NULL;

      g_test_message ("case %u", i);
      refused = crm_protocol_page_parse (bad[i].body, strlen (bad[i].body), &error);
      g_assert_null (refused);
      g_assert_error (error, CRM_PROTOCOL_ERROR, bad[i].error);
      g_clear_error (&error);
    }

  /* one bad row refuses the whole page */
  {
    g_autofree char *bad_lead = g_strdup (lead_json);
    g_autofree char *body = NULL;
    g_autoptr(CrmProtocolPage) refused = NULL;
    char *p = strstr (bad_lead, "\"40\"");

    p[1] = '9'; p[2] = '9'; /* "99": fine */
    body = page_with_row ("lead", bad_lead);
    refused = crm_protocol_page_parse (body, strlen (body), &error);
    g_assert_no_error (error);
    g_clear_pointer (&refused, crm_protocol_page_free);
    g_clear_pointer (&body, g_free);
    memcpy (strstr (bad_lead, "\"99\""), "\"x9\"", 4);
    body = page_with_row ("lead", bad_lead);
    refused = crm_protocol_page_parse (body, strlen (body), &error);
    g_assert_null (refused);
    g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE);
    g_assert_nonnull (strstr (error->message, "rows[0].data.fields.probability"));
  }
}

static void
test_pull_request (void)
{
  g_autofree char *body = crm_protocol_pull_request_build (UUID_B, NULL, 200);
  g_autofree char *client_id = NULL, *cursor = NULL;
  g_autoptr(GError) error = NULL;
  guint limit = 0;

  g_assert_true (crm_protocol_pull_request_parse (body, strlen (body), &client_id, &cursor, &limit, &error));
  g_assert_no_error (error);
  g_assert_null (cursor);
  g_assert_cmpuint (limit, ==, 200);

  {
    const char *zero = "{\"client_id\": \"" UUID_B "\", \"limit\": 0}";

    g_assert_false (crm_protocol_pull_request_parse (zero, strlen (zero), &client_id, &cursor, &limit, &error));
  }
  g_assert_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE);
}

static void
test_key_value_defaults (void)
{
  guint n = 0;
  const CrmKeyValueDefault *defaults = crm_key_value_defaults (&n);
  gboolean has_open = FALSE;

  g_assert_cmpuint (n, >, 10);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (crm_key_value_kind_is_valid (defaults[i].kind));
      has_open |= g_str_equal (defaults[i].kind, "status") && g_str_equal (defaults[i].key, "open");
    }
  g_assert_true (has_open);
  g_assert_false (crm_key_value_kind_is_valid ("colour"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/envelope", test_envelope);
  g_test_add_func ("/protocol/cursor", test_cursor);
  g_test_add_func ("/protocol/lead-record", test_lead_record);
  g_test_add_func ("/protocol/other-records", test_other_records);
  g_test_add_func ("/protocol/mutations", test_mutations);
  g_test_add_func ("/protocol/bad-mutations", test_bad_mutations);
  g_test_add_func ("/protocol/results", test_results);
  g_test_add_func ("/protocol/page", test_page);
  g_test_add_func ("/protocol/pull-request", test_pull_request);
  g_test_add_func ("/protocol/key-value-defaults", test_key_value_defaults);

  return g_test_run ();
}
