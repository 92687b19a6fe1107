/* crm-protocol-mutation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mutation is one local change on its way to the server: a dense id per
 * client, a name, the time and the args. Parsing validates the args of
 * each mutation name completely (records through crm-protocol-record,
 * field values through core), so the server applies only well-formed
 * mutations and the client queues only what the server will take.
 */
#define G_LOG_DOMAIN "crm-protocol"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-protocol-error.h"
#include "crm-protocol-mutation.h"
#include "crm-protocol-record.h"

static const char * const outcomes[] = {
  [CRM_PROTOCOL_OUTCOME_APPLIED] = "applied",
  [CRM_PROTOCOL_OUTCOME_PARTIAL] = "partial",
  [CRM_PROTOCOL_OUTCOME_CONFLICT] = "conflict",
  [CRM_PROTOCOL_OUTCOME_REJECTED] = "rejected",
};

static const char * const mutation_names[] = {
  "contact.create", "contact.update", "lead.create", "lead.update", "lead.delete",
  "lead.undelete", "lead.history", "activity.create", "conflict.resolve", "key_value.put",
};

const char *
crm_protocol_outcome_to_string (CrmProtocolOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcomes), NULL);
  return outcomes[outcome];
}

gboolean
crm_protocol_mutation_name_is_valid (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (mutation_names); i++)
    if (g_strcmp0 (mutation_names[i], name) == 0)
      return TRUE;
  return FALSE;
}

CrmProtocolMutation *
crm_protocol_mutation_new (gint64      id,
                           const char *name,
                           gint64      at,
                           JsonObject *args)
{
  CrmProtocolMutation *mutation = g_new0 (CrmProtocolMutation, 1);

  mutation->id = id;
  mutation->name = g_strdup (name);
  mutation->at = at;
  mutation->args = args != NULL ? json_object_ref (args) : json_object_new ();
  return mutation;
}

void
crm_protocol_mutation_free (CrmProtocolMutation *mutation)
{
  if (mutation == NULL)
    return;
  g_free (mutation->name);
  json_object_unref (mutation->args);
  g_free (mutation);
}

JsonObject *
crm_protocol_mutation_to_json (const CrmProtocolMutation *mutation)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", mutation->id);
  json_object_set_string_member (object, "name", mutation->name);
  json_object_set_int_member (object, "at", mutation->at);
  json_object_set_object_member (object, "args", json_object_ref (mutation->args));
  return object;
}

static char *
sub_path (const char *path,
          const char *member)
{
  return path != NULL && *path != '\0' ? g_strconcat (path, ".", member, NULL) : g_strdup (member);
}

/* @member: optional; at most @max records of @type, each about the lead
 * @lead when that is given. */
static gboolean
check_records (JsonObject     *args,
               const char     *member,
               CrmRecordType   type,
               guint           max,
               const char     *lead,
               const char     *path,
               GError        **error)
{
  JsonArray *records;

  if (!json_object_has_member (args, member))
    return TRUE;
  records = crm_protocol_get_array (args, member, path, max, error);
  if (records == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s%s%s[%u]", path ? path : "", path && *path ? "." : "", member, i);
      JsonObject *record = crm_protocol_array_get_object (records, i, where, error);

      if (record == NULL ||
          !crm_protocol_record_validate (type, record,
                                         type == CRM_RECORD_EVENT ? CRM_RECORD_CHECK_DEFAULT : CRM_RECORD_CHECK_NEW,
                                         where, error))
        return FALSE;
      if (lead != NULL && g_strcmp0 (json_object_get_string_member (record, "lead"), lead) != 0)
        {
          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                       _("%s.lead: not the lead “%s” of the mutation"), where, lead);
          return FALSE;
        }
    }
  return TRUE;
}

/* "events": optional; each an event record. */
static gboolean
check_events (JsonObject  *args,
              const char  *path,
              GError     **error)
{
  return check_records (args, "events", CRM_RECORD_EVENT, CRM_PROTOCOL_MAX_EVENTS, NULL, path, error);
}

/* "fields": {"<name>": {"value": "…", "base": "…"|null}, …}, at least one;
 * values are normalized in place. */
static gboolean
check_update_fields (JsonObject  *args,
                     gboolean     lead,
                     const char  *path,
                     GError     **error)
{
  g_autofree char *fields_path = sub_path (path, "fields");
  JsonObject *fields = crm_protocol_get_object (args, "fields", path, error);
  g_autoptr(GList) names = NULL;

  if (fields == NULL)
    return FALSE;
  names = json_object_get_members (fields);
  if (names == NULL)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("%s: must not be empty"), fields_path);
      return FALSE;
    }

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *where = sub_path (fields_path, name);
      JsonObject *change = crm_protocol_get_object (fields, name, fields_path, error);
      const char *value = NULL, *base = NULL;
      g_autofree char *normalized = NULL;
      gboolean ok;

      if (change == NULL ||
          !crm_protocol_get_string (change, "value", where, FALSE, CRM_PROTOCOL_MAX_TEXT + 1, &value, error) ||
          !crm_protocol_get_string (change, "base", where, TRUE, CRM_PROTOCOL_MAX_TEXT + 1, &base, error))
        return FALSE;

      ok = lead ? crm_protocol_lead_field_normalize (name, value, &normalized, error)
                : crm_protocol_contact_field_normalize (name, value, &normalized, error);
      if (!ok)
        {
          g_prefix_error (error, "%s.", fields_path);
          return FALSE;
        }
      if (g_strcmp0 (normalized, value) != 0)
        json_object_set_string_member (change, "value", normalized);
    }
  return TRUE;
}

static gboolean
check_base_rev (JsonObject  *args,
                const char  *path,
                GError     **error)
{
  gint64 rev;

  return crm_protocol_get_int (args, "base_rev", path, 0, G_MAXINT64, &rev, error);
}

/**
 * crm_protocol_mutation_args_validate:
 *
 * The args of each mutation name as docs/sync-protocol.md lists them.
 * Values are normalized in place.
 */
gboolean
crm_protocol_mutation_args_validate (const char  *name,
                                     JsonObject  *args,
                                     const char  *path,
                                     GError     **error)
{
  const char *uuid;

  if (g_strcmp0 (name, "contact.create") == 0)
    return crm_protocol_record_validate (CRM_RECORD_CONTACT, args, CRM_RECORD_CHECK_NEW, path, error);

  if (g_strcmp0 (name, "contact.update") == 0)
    return crm_protocol_get_uuid (args, "uuid", path, FALSE, &uuid, error) &&
           check_base_rev (args, path, error) &&
           check_update_fields (args, FALSE, path, error);

  if (g_strcmp0 (name, "lead.create") == 0)
    return crm_protocol_record_validate (CRM_RECORD_LEAD, args, CRM_RECORD_CHECK_NEW, path, error) &&
           check_events (args, path, error);

  if (g_strcmp0 (name, "lead.update") == 0)
    return crm_protocol_get_uuid (args, "uuid", path, FALSE, &uuid, error) &&
           check_base_rev (args, path, error) &&
           check_update_fields (args, TRUE, path, error) &&
           check_events (args, path, error);

  if (g_strcmp0 (name, "lead.delete") == 0 || g_strcmp0 (name, "lead.undelete") == 0)
    return crm_protocol_get_uuid (args, "uuid", path, FALSE, &uuid, error) &&
           check_base_rev (args, path, error) &&
           check_events (args, path, error);

  if (g_strcmp0 (name, "lead.history") == 0)
    return crm_protocol_get_uuid (args, "uuid", path, FALSE, &uuid, error) &&
           check_records (args, "activities", CRM_RECORD_ACTIVITY, CRM_PROTOCOL_MAX_ACTIVITIES, uuid, path, error) &&
           check_records (args, "events", CRM_RECORD_EVENT, CRM_PROTOCOL_MAX_EVENTS, uuid, path, error);

  if (g_strcmp0 (name, "activity.create") == 0)
    {
      if (!crm_protocol_record_validate (CRM_RECORD_ACTIVITY, args, CRM_RECORD_CHECK_NEW, path, error) ||
          !check_events (args, path, error))
        return FALSE;
      if (json_object_has_member (args, "lead_update"))
        {
          g_autofree char *where = sub_path (path, "lead_update");
          JsonObject *update = crm_protocol_get_object (args, "lead_update", path, error);
          const char *lead = json_object_get_string_member (args, "lead");

          if (update == NULL || !check_base_rev (update, where, error) ||
              !check_update_fields (update, TRUE, where, error))
            return FALSE;
          if (lead == NULL || *lead == '\0')
            {
              g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                           _("%s: a report without a lead cannot update one"), where);
              return FALSE;
            }
        }
      return TRUE;
    }

  if (g_strcmp0 (name, "conflict.resolve") == 0)
    {
      const char *resolution;

      if (!crm_protocol_get_uuid (args, "uuid", path, FALSE, &uuid, error) ||
          !crm_protocol_get_string (args, "resolution", path, FALSE, 16, &resolution, error))
        return FALSE;
      if (g_strcmp0 (resolution, "keep") != 0 && g_strcmp0 (resolution, "mine") != 0)
        {
          g_autofree char *where = sub_path (path, "resolution");

          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                       _("%s: “%.40s” is not one of %s"), where, resolution, "|keep|mine|");
          return FALSE;
        }
      return TRUE;
    }

  if (g_strcmp0 (name, "key_value.put") == 0)
    return crm_protocol_record_validate (CRM_RECORD_KEY_VALUE, args, CRM_RECORD_CHECK_NEW, path, error);

  g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
               _("%s: “%.40s” is not a mutation"), path ? path : "name", name ? name : "");
  return FALSE;
}

/**
 * crm_protocol_mutation_parse:
 *
 * Returns: (transfer full): the mutation with validated, normalized args
 *   (which stay shared with @object).
 */
CrmProtocolMutation *
crm_protocol_mutation_parse (JsonObject  *object,
                             const char  *path,
                             GError     **error)
{
  gint64 id, at;
  const char *name;
  JsonObject *args;
  g_autofree char *args_path = sub_path (path, "args");

  if (!crm_protocol_get_int (object, "id", path, 1, G_MAXINT64, &id, error) ||
      !crm_protocol_get_string (object, "name", path, FALSE, 64, &name, error) ||
      !crm_protocol_get_int (object, "at", path, 0, G_MAXINT64, &at, error) ||
      (args = crm_protocol_get_object (object, "args", path, error)) == NULL)
    return NULL;
  if (!crm_protocol_mutation_name_is_valid (name))
    {
      g_autofree char *where = sub_path (path, "name");

      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("%s: “%.40s” is not a mutation"), where, name);
      return NULL;
    }
  if (!crm_protocol_mutation_args_validate (name, args, args_path, error))
    return NULL;

  return crm_protocol_mutation_new (id, name, at, args);
}

char *
crm_protocol_push_request_build (const char *client_id,
                                 GPtrArray  *mutations)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *array = json_array_sized_new (mutations ? mutations->len : 0);

  json_object_set_string_member (root, "client_id", client_id);
  for (guint i = 0; mutations != NULL && i < mutations->len; i++)
    json_array_add_object_element (array, crm_protocol_mutation_to_json (g_ptr_array_index (mutations, i)));
  json_object_set_array_member (root, "mutations", array);

  return crm_protocol_object_to_string (root);
}

/**
 * crm_protocol_push_request_parse:
 * @mutations: (out) (element-type CrmProtocolMutation): in order
 *
 * The whole request is checked before anything is returned: ids must
 * increase by one.
 */
gboolean
crm_protocol_push_request_parse (const char  *body,
                                 gsize        length,
                                 char       **client_id,
                                 GPtrArray  **mutations,
                                 GError     **error)
{
  g_autoptr(JsonObject) root = crm_protocol_parse_object (body, length, error);
  g_autoptr(GPtrArray) parsed = NULL;
  const char *id;
  JsonArray *array;

  if (root == NULL)
    return FALSE;
  if (length > CRM_PROTOCOL_MAX_PUSH_BYTES)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_TOO_LARGE,
                   _("A push may carry at most %d bytes"), CRM_PROTOCOL_MAX_PUSH_BYTES);
      return FALSE;
    }
  if (!crm_protocol_get_uuid (root, "client_id", NULL, FALSE, &id, error))
    return FALSE;
  array = crm_protocol_get_array (root, "mutations", NULL, 0, error);
  if (array == NULL)
    return FALSE;
  if (json_array_get_length (array) > CRM_PROTOCOL_MAX_PUSH_MUTATIONS)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_TOO_LARGE,
                   _("A push may carry at most %d mutations"), CRM_PROTOCOL_MAX_PUSH_MUTATIONS);
      return FALSE;
    }

  parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_protocol_mutation_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("mutations[%u]", i);
      JsonObject *object = crm_protocol_array_get_object (array, i, where, error);
      CrmProtocolMutation *mutation;

      if (object == NULL ||
          (mutation = crm_protocol_mutation_parse (object, where, error)) == NULL)
        return FALSE;
      g_ptr_array_add (parsed, mutation);
      if (i > 0 && mutation->id != ((CrmProtocolMutation *) g_ptr_array_index (parsed, i - 1))->id + 1)
        {
          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                       _("%s.id: mutation ids in a push must follow each other"), where);
          return FALSE;
        }
    }

  *client_id = g_strdup (id);
  *mutations = g_steal_pointer (&parsed);
  return TRUE;
}

/* ---------------------------------------------------------------- results */

CrmProtocolResult *
crm_protocol_result_new (gint64             id,
                         CrmProtocolOutcome outcome)
{
  CrmProtocolResult *result = g_new0 (CrmProtocolResult, 1);

  result->id = id;
  result->outcome = outcome;
  result->conflicts = g_new0 (char *, 1);
  return result;
}

void
crm_protocol_result_free (CrmProtocolResult *result)
{
  if (result == NULL)
    return;
  g_free (result->reason);
  g_free (result->message);
  g_strfreev (result->conflicts);
  g_free (result);
}

JsonObject *
crm_protocol_result_to_json (const CrmProtocolResult *result)
{
  JsonObject *object = json_object_new ();
  JsonArray *conflicts = json_array_new ();

  json_object_set_int_member (object, "id", result->id);
  json_object_set_string_member (object, "outcome", crm_protocol_outcome_to_string (result->outcome));
  if (result->reason != NULL)
    json_object_set_string_member (object, "reason", result->reason);
  else
    json_object_set_null_member (object, "reason");
  if (result->message != NULL)
    json_object_set_string_member (object, "message", result->message);
  else
    json_object_set_null_member (object, "message");
  for (guint i = 0; result->conflicts != NULL && result->conflicts[i] != NULL; i++)
    json_array_add_string_element (conflicts, result->conflicts[i]);
  json_object_set_array_member (object, "conflicts", conflicts);
  json_object_set_int_member (object, "rev", result->rev);
  json_object_set_boolean_member (object, "duplicate", result->duplicate);
  return object;
}

CrmProtocolResult *
crm_protocol_result_parse (JsonObject  *object,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(CrmProtocolResult) result = NULL;
  gint64 id, rev;
  const char *outcome, *reason, *message;
  gboolean duplicate;
  JsonArray *conflicts;
  guint i;

  if (!crm_protocol_get_int (object, "id", path, 1, G_MAXINT64, &id, error) ||
      !crm_protocol_get_string (object, "outcome", path, FALSE, 16, &outcome, error) ||
      !crm_protocol_get_string (object, "reason", path, TRUE, 64, &reason, error) ||
      !crm_protocol_get_string (object, "message", path, TRUE, 4096, &message, error) ||
      !crm_protocol_get_int (object, "rev", path, 0, G_MAXINT64, &rev, error) ||
      !crm_protocol_get_bool (object, "duplicate", path, &duplicate, error) ||
      (conflicts = crm_protocol_get_array (object, "conflicts", path, 64, error)) == NULL)
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_str_equal (outcomes[i], outcome))
      break;
  if (i == G_N_ELEMENTS (outcomes))
    {
      g_autofree char *where = sub_path (path, "outcome");

      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("%s: “%.40s” is not one of %s"), where, outcome, "|applied|partial|conflict|rejected|");
      return NULL;
    }

  result = crm_protocol_result_new (id, i);
  result->reason = g_strdup (reason);
  result->message = g_strdup (message);
  result->rev = rev;
  result->duplicate = duplicate;
  g_strfreev (result->conflicts);
  result->conflicts = g_new0 (char *, json_array_get_length (conflicts) + 1);
  for (i = 0; i < json_array_get_length (conflicts); i++)
    {
      JsonNode *node = json_array_get_element (conflicts, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          strlen (json_node_get_string (node)) > CRM_PROTOCOL_MAX_KEY)
        {
          g_autofree char *where = sub_path (path, "conflicts");

          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_WRONG_TYPE,
                       _("%s: expected %s"), where, "field names");
          return NULL;
        }
      result->conflicts[i] = g_strdup (json_node_get_string (node));
    }
  return g_steal_pointer (&result);
}

/**
 * crm_protocol_push_response_parse:
 * @results: (out) (element-type CrmProtocolResult)
 */
gboolean
crm_protocol_push_response_parse (const char  *body,
                                  gsize        length,
                                  GPtrArray  **results,
                                  gint64      *last_mutation_id,
                                  GError     **error)
{
  g_autoptr(JsonObject) root = crm_protocol_parse_object (body, length, error);
  g_autoptr(GPtrArray) parsed = NULL;
  JsonArray *array;
  gint64 last;

  if (root == NULL ||
      (array = crm_protocol_get_array (root, "results", NULL, CRM_PROTOCOL_MAX_PUSH_MUTATIONS, error)) == NULL ||
      !crm_protocol_get_int (root, "last_mutation_id", NULL, 0, G_MAXINT64, &last, error))
    return FALSE;

  parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_protocol_result_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("results[%u]", i);
      JsonObject *object = crm_protocol_array_get_object (array, i, where, error);
      CrmProtocolResult *result;

      if (object == NULL ||
          (result = crm_protocol_result_parse (object, where, error)) == NULL)
        return FALSE;
      g_ptr_array_add (parsed, result);
    }

  *results = g_steal_pointer (&parsed);
  *last_mutation_id = last;
  return TRUE;
}
