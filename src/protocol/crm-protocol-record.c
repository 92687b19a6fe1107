/* crm-protocol-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The records of docs/sync-protocol.md as JSON objects. Each record type
 * is a table of members (JSON type, limits, whether the server keeps it);
 * one validator walks the table, so the server checking a request and the
 * client checking a pull page refuse the same things with the same error:
 * missing members, wrong JSON types, bad UUIDs, strings over their limit,
 * values out of range. Lead fields go through core's
 * crm_lead_field_normalize() and are replaced by their canonical form.
 * Unknown members are ignored (a newer peer may send more).
 */
#define G_LOG_DOMAIN "crm-protocol"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-key-value.h"
#include "crm-protocol-error.h"
#include "crm-protocol-record.h"

typedef enum {
  M_UUID,           /* required UUID */
  M_UUID_OR_EMPTY,  /* UUID or "" */
  M_UUID_OR_NULL,   /* UUID or null */
  M_TEXT,           /* string up to max bytes */
  M_TEXT_OR_NULL,
  M_INT,            /* integer in [min, max] */
  M_INT_OR_NULL,
  M_BOOL,
  M_LEAD_FIELDS,    /* the lead's "fields" object */
} MemberKind;

enum {
  F_SERVER    = 1 << 0,  /* kept by the server: optional in CRM_RECORD_CHECK_NEW */
  F_NOT_EMPTY = 1 << 1,
};

typedef struct {
  const char  *name;
  MemberKind   kind;
  guint        flags;
  gint64       max;      /* bytes for text, upper bound for ints */
  gint64       min;
  const char  *one_of;   /* "|a|b|": allowed string values */
} Member;

#define TIME_MAX G_GINT64_CONSTANT (253402300799000000)  /* 9999-12-31 in µs */
#define REV_MAX  G_MAXINT64

static const Member lead_members[] = {
  { "uuid", M_UUID },
  { "rev", M_INT, F_SERVER, REV_MAX, 0 },
  { "deleted", M_BOOL, F_SERVER },
  { "fields", M_LEAD_FIELDS },
  { "created_at", M_INT, 0, TIME_MAX, 0 },
  { "updated_at", M_INT, 0, TIME_MAX, 0 },
  { NULL }
};

static const Member contact_members[] = {
  { "uuid", M_UUID },
  { "rev", M_INT, F_SERVER, REV_MAX, 0 },
  { "deleted", M_BOOL, F_SERVER },
  { "kind", M_TEXT, 0, 16, 0, "|company|person|" },
  { "name", M_TEXT, F_NOT_EMPTY, CRM_PROTOCOL_MAX_NAME * 4 },
  { "company", M_UUID_OR_EMPTY },
  { "notes", M_TEXT, 0, CRM_PROTOCOL_MAX_TEXT },
  { "addresses", M_TEXT, 0, CRM_PROTOCOL_MAX_TEXT },
  { "phones", M_TEXT, 0, CRM_PROTOCOL_MAX_TEXT },
  { "emails", M_TEXT, 0, CRM_PROTOCOL_MAX_TEXT },
  { "created_at", M_INT, 0, TIME_MAX, 0 },
  { "updated_at", M_INT, 0, TIME_MAX, 0 },
  { NULL }
};

static const Member activity_members[] = {
  { "uuid", M_UUID },
  { "rev", M_INT, F_SERVER, REV_MAX, 0 },
  { "lead", M_UUID_OR_EMPTY },
  { "contact", M_UUID_OR_EMPTY },
  { "kind", M_TEXT, F_NOT_EMPTY, CRM_PROTOCOL_MAX_KEY },
  { "at", M_INT, 0, TIME_MAX, 0 },
  { "subject", M_TEXT, 0, CRM_PROTOCOL_MAX_NAME * 4 },
  { "text", M_TEXT, 0, CRM_PROTOCOL_MAX_TEXT },
  { "author", M_TEXT, 0, CRM_PROTOCOL_MAX_NAME },
  { "probability", M_INT_OR_NULL, 0, 100, 0 },
  { "phase", M_TEXT_OR_NULL, 0, CRM_PROTOCOL_MAX_KEY },
  { "created_at", M_INT, 0, TIME_MAX, 0 },
  { NULL }
};

static const Member event_members[] = {
  { "uuid", M_UUID },
  { "lead", M_UUID },
  { "at", M_INT, 0, TIME_MAX, 0 },
  { "author", M_TEXT, 0, CRM_PROTOCOL_MAX_NAME },
  { "field", M_TEXT, F_NOT_EMPTY, CRM_PROTOCOL_MAX_KEY },
  { "old", M_TEXT_OR_NULL, 0, CRM_PROTOCOL_MAX_TEXT },
  { "new", M_TEXT_OR_NULL, 0, CRM_PROTOCOL_MAX_TEXT },
  { "activity", M_UUID_OR_NULL },
  { NULL }
};

static const Member key_value_members[] = {
  { "kind", M_TEXT, 0, 32, 0, "|phase|status|type|unit|source|lost_reason|activity_kind|" },
  { "key", M_TEXT, F_NOT_EMPTY, CRM_PROTOCOL_MAX_KEY },
  { "label", M_TEXT, F_NOT_EMPTY, CRM_PROTOCOL_MAX_NAME * 4 },
  { "position", M_INT, 0, 1000000, 0 },
  { "active", M_BOOL },
  { "probability", M_INT_OR_NULL, 0, 100, 0 },
  { "status_class", M_INT, 0, 2, 0 },
  { "stale_days", M_INT, 0, 3650, 0 },
  { "rev", M_INT, F_SERVER, REV_MAX, 0 },
  { NULL }
};

static const Member user_members[] = {
  { "login", M_TEXT, F_NOT_EMPTY, CRM_PROTOCOL_MAX_KEY },
  { "name", M_TEXT, 0, CRM_PROTOCOL_MAX_NAME * 4 },
  { "active", M_BOOL },
  { "rev", M_INT, F_SERVER, REV_MAX, 0 },
  { NULL }
};

static const Member conflict_members[] = {
  { "uuid", M_UUID },
  { "rev", M_INT, F_SERVER, REV_MAX, 0 },
  { "record_type", M_TEXT, 0, 16, 0, "|lead|contact|activity|" },
  { "record", M_UUID },
  { "field", M_TEXT, F_NOT_EMPTY, CRM_PROTOCOL_MAX_KEY },
  { "base", M_TEXT_OR_NULL, 0, CRM_PROTOCOL_MAX_TEXT },
  { "kept", M_TEXT_OR_NULL, 0, CRM_PROTOCOL_MAX_TEXT },
  { "rejected", M_TEXT_OR_NULL, 0, CRM_PROTOCOL_MAX_TEXT },
  { "kept_by", M_TEXT, 0, CRM_PROTOCOL_MAX_KEY },
  { "rejected_by", M_TEXT, 0, CRM_PROTOCOL_MAX_KEY },
  { "at", M_INT, 0, TIME_MAX, 0 },
  { "kind", M_TEXT, 0, 16, 0, "|field|deleted|rejected|" },
  { "reason", M_TEXT_OR_NULL, 0, CRM_PROTOCOL_MAX_KEY },
  { "resolved", M_BOOL },
  { "resolution", M_TEXT_OR_NULL, 0, 16, 0, "|keep|mine|" },
  { NULL }
};

static const struct {
  const char   *name;
  const Member *members;
} record_types[CRM_RECORD_N_TYPES] = {
  [CRM_RECORD_LEAD]      = { "lead", lead_members },
  [CRM_RECORD_CONTACT]   = { "contact", contact_members },
  [CRM_RECORD_ACTIVITY]  = { "activity", activity_members },
  [CRM_RECORD_EVENT]     = { "event", event_members },
  [CRM_RECORD_KEY_VALUE] = { "key_value", key_value_members },
  [CRM_RECORD_USER]      = { "user", user_members },
  [CRM_RECORD_CONFLICT]  = { "conflict", conflict_members },
};

const char *
crm_record_type_to_string (CrmRecordType type)
{
  g_return_val_if_fail ((guint) type < CRM_RECORD_N_TYPES, NULL);
  return record_types[type].name;
}

gboolean
crm_record_type_from_string (const char    *text,
                             CrmRecordType *type)
{
  for (guint i = 0; i < CRM_RECORD_N_TYPES; i++)
    if (g_strcmp0 (record_types[i].name, text) == 0)
      {
        *type = i;
        return TRUE;
      }
  return FALSE;
}

/* Lower-case 8-4-4-4-12 hex, as g_uuid_string_random() makes them. */
gboolean
crm_protocol_uuid_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
        return FALSE;
    }
  return TRUE;
}

static char *
member_path (const char *path,
             const char *member)
{
  if (path == NULL || *path == '\0')
    return g_strdup (member);
  return g_strconcat (path, ".", member, NULL);
}

/* -------------------------------------------------------- member helpers */

static JsonNode *
get_member (JsonObject  *object,
            const char  *member,
            const char  *path,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      g_autofree char *where = member_path (path, member);

      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MISSING,
                   _("%s: missing"), where);
    }
  return node;
}

static void
set_wrong_type (GError    **error,
                const char *path,
                const char *member,
                const char *expected)
{
  g_autofree char *where = member_path (path, member);

  g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_WRONG_TYPE,
               _("%s: expected %s"), where, expected);
}

gboolean
crm_protocol_get_string (JsonObject  *object,
                         const char  *member,
                         const char  *path,
                         gboolean     nullable,
                         gsize        max_bytes,
                         const char **value,
                         GError     **error)
{
  JsonNode *node = get_member (object, member, path, error);
  const char *text;

  if (node == NULL)
    return FALSE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *value = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_wrong_type (error, path, member, nullable ? "a string or null" : "a string");
      return FALSE;
    }
  text = json_node_get_string (node);
  if (max_bytes > 0 && strlen (text) > max_bytes)
    {
      g_autofree char *where = member_path (path, member);

      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_TOO_LONG,
                   _("%s: longer than %lu bytes"), where, (unsigned long) max_bytes);
      return FALSE;
    }
  *value = text;
  return TRUE;
}

gboolean
crm_protocol_get_int (JsonObject  *object,
                      const char  *member,
                      const char  *path,
                      gint64       min,
                      gint64       max,
                      gint64      *value,
                      GError     **error)
{
  JsonNode *node = get_member (object, member, path, error);
  gint64 v;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      set_wrong_type (error, path, member, "an integer");
      return FALSE;
    }
  v = json_node_get_int (node);
  if (v < min || v > max)
    {
      g_autofree char *where = member_path (path, member);

      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("%s: %lld is out of range"), where, (long long) v);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
crm_protocol_get_bool (JsonObject  *object,
                       const char  *member,
                       const char  *path,
                       gboolean    *value,
                       GError     **error)
{
  JsonNode *node = get_member (object, member, path, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      set_wrong_type (error, path, member, "true or false");
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
crm_protocol_get_object (JsonObject  *object,
                         const char  *member,
                         const char  *path,
                         GError     **error)
{
  JsonNode *node = get_member (object, member, path, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_wrong_type (error, path, member, "an object");
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
crm_protocol_get_array (JsonObject  *object,
                        const char  *member,
                        const char  *path,
                        guint        max_length,
                        GError     **error)
{
  JsonNode *node = get_member (object, member, path, error);
  JsonArray *array;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_wrong_type (error, path, member, "an array");
      return NULL;
    }
  array = json_node_get_array (node);
  if (max_length > 0 && json_array_get_length (array) > max_length)
    {
      g_autofree char *where = member_path (path, member);

      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_TOO_LONG,
                   _("%s: more than %u entries"), where, max_length);
      return NULL;
    }
  return array;
}

static gboolean
check_uuid (const char  *value,
            gboolean     empty_ok,
            const char  *path,
            const char  *member,
            GError     **error)
{
  if ((empty_ok && *value == '\0') || crm_protocol_uuid_is_valid (value))
    return TRUE;

  {
    g_autofree char *where = member_path (path, member);

    g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_BAD_UUID,
                 _("%s: “%.40s” is not a UUID"), where, value);
  }
  return FALSE;
}

/**
 * crm_protocol_get_uuid:
 * @empty_ok: "" is allowed too
 */
gboolean
crm_protocol_get_uuid (JsonObject  *object,
                       const char  *member,
                       const char  *path,
                       gboolean     empty_ok,
                       const char **value,
                       GError     **error)
{
  return crm_protocol_get_string (object, member, path, FALSE, 64, value, error) &&
         check_uuid (*value, empty_ok, path, member, error);
}

/* Element @index of @array, which must be an object; @path names it. */
JsonObject *
crm_protocol_array_get_object (JsonArray   *array,
                               guint        index,
                               const char  *path,
                               GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_WRONG_TYPE,
                   _("%s: expected %s"), path, "an object");
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
check_member (JsonObject    *record,
              const Member  *m,
              CrmRecordCheck flags,
              const char    *path,
              GError       **error)
{
  const char *text = NULL;
  gint64 n;
  gboolean b;

  if ((m->flags & F_SERVER) && (flags & CRM_RECORD_CHECK_NEW) &&
      !json_object_has_member (record, m->name))
    return TRUE;

  switch (m->kind)
    {
    case M_UUID:
    case M_UUID_OR_EMPTY:
      return crm_protocol_get_uuid (record, m->name, path, m->kind == M_UUID_OR_EMPTY, &text, error);

    case M_UUID_OR_NULL:
      if (!crm_protocol_get_string (record, m->name, path, TRUE, 64, &text, error))
        return FALSE;
      return text == NULL || check_uuid (text, FALSE, path, m->name, error);

    case M_TEXT:
    case M_TEXT_OR_NULL:
      if (!crm_protocol_get_string (record, m->name, path, m->kind == M_TEXT_OR_NULL,
                                    (gsize) m->max, &text, error))
        return FALSE;
      if (text == NULL)
        return TRUE;
      if ((m->flags & F_NOT_EMPTY) && *text == '\0')
        {
          g_autofree char *where = member_path (path, m->name);

          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                       _("%s: must not be empty"), where);
          return FALSE;
        }
      if (m->one_of != NULL)
        {
          g_autofree char *needle = g_strconcat ("|", text, "|", NULL);

          if (strstr (m->one_of, needle) == NULL)
            {
              g_autofree char *where = member_path (path, m->name);

              g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                           _("%s: “%.40s” is not one of %s"), where, text, m->one_of);
              return FALSE;
            }
        }
      return TRUE;

    case M_INT:
      return crm_protocol_get_int (record, m->name, path, m->min, m->max, &n, error);

    case M_INT_OR_NULL:
      {
        JsonNode *node = json_object_get_member (record, m->name);

        if (node != NULL && JSON_NODE_HOLDS_NULL (node))
          return TRUE;
        return crm_protocol_get_int (record, m->name, path, m->min, m->max, &n, error);
      }

    case M_BOOL:
      return crm_protocol_get_bool (record, m->name, path, &b, error);

    case M_LEAD_FIELDS:
      {
        g_autofree char *where = member_path (path, m->name);
        JsonObject *fields = crm_protocol_get_object (record, m->name, path, error);

        return fields != NULL && crm_protocol_lead_fields_validate (fields, TRUE, where, error);
      }
    }

  g_return_val_if_reached (FALSE);
}

/**
 * crm_protocol_record_validate:
 * @path: (nullable): where the record is, for error messages ("rows[3].data")
 *
 * Checks @record against its type; lead fields are replaced in place by
 * their canonical form.
 */
gboolean
crm_protocol_record_validate (CrmRecordType   type,
                              JsonObject     *record,
                              CrmRecordCheck  flags,
                              const char     *path,
                              GError        **error)
{
  g_return_val_if_fail ((guint) type < CRM_RECORD_N_TYPES, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  for (const Member *m = record_types[type].members; m->name != NULL; m++)
    if (!check_member (record, m, flags, path, error))
      return FALSE;

  return TRUE;
}

/* ----------------------------------------------------------- lead fields */

static const char * const lead_field_names[] = {
  "title", "contact", "volume_minor", "currency", "probability", "status", "phase",
  "type", "unit", "owner", "close_month", "source", "description", "lost_reason",
  "next_follow_up",
};

const char * const *
crm_protocol_lead_field_names (guint *n_names)
{
  if (n_names != NULL)
    *n_names = G_N_ELEMENTS (lead_field_names);
  return lead_field_names;
}

static gboolean
is_lead_field (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (lead_field_names); i++)
    if (g_strcmp0 (lead_field_names[i], name) == 0)
      return TRUE;
  return FALSE;
}

/**
 * crm_protocol_lead_field_normalize:
 * @name: a wire name (crm_protocol_lead_field_names())
 *
 * Core's rules for the field; "contact" is a UUID or "", key values a key
 * of at most CRM_PROTOCOL_MAX_KEY bytes (whether the key exists is the
 * store's question).
 */
gboolean
crm_protocol_lead_field_normalize (const char  *name,
                                   const char  *value,
                                   char       **normalized,
                                   GError     **error)
{
  const CrmLeadField *field;
  g_autoptr(GError) local_error = NULL;

  if (g_strcmp0 (name, "contact") == 0)
    {
      if (value == NULL || (*value != '\0' && !crm_protocol_uuid_is_valid (value)))
        {
          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_BAD_UUID,
                       _("%s: “%.40s” is not a UUID"), name, value ? value : "");
          return FALSE;
        }
      *normalized = g_strdup (value);
      return TRUE;
    }

  field = is_lead_field (name) ? crm_lead_field_lookup (name) : NULL;
  if (field == NULL)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("“%.40s” is not a lead field"), name ? name : "");
      return FALSE;
    }
  if (field->kind == CRM_FIELD_KIND_KEY_VALUE && value != NULL && strlen (value) > CRM_PROTOCOL_MAX_KEY)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_TOO_LONG,
                   _("%s: longer than %lu bytes"), name, (unsigned long) CRM_PROTOCOL_MAX_KEY);
      return FALSE;
    }
  if (!crm_lead_field_normalize (field, value, normalized, &local_error))
    {
      g_set_error_literal (error, CRM_PROTOCOL_ERROR,
                           local_error->code == CRM_CORE_ERROR_TOO_LONG
                             ? CRM_PROTOCOL_ERROR_TOO_LONG : CRM_PROTOCOL_ERROR_INVALID_VALUE,
                           local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
prefix_error (GError    **error,
              const char *path)
{
  if (error != NULL && *error != NULL && path != NULL && *path != '\0')
    g_prefix_error (error, "%s.", path);
}

/**
 * crm_protocol_lead_fields_validate:
 * @complete: every lead field must be present (a whole record); otherwise
 *   any subset (an update's values)
 *
 * Each member must be a string and valid for its field; the members are
 * replaced by their canonical form.
 */
gboolean
crm_protocol_lead_fields_validate (JsonObject  *fields,
                                   gboolean     complete,
                                   const char  *path,
                                   GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (fields);

  if (complete)
    for (guint i = 0; i < G_N_ELEMENTS (lead_field_names); i++)
      if (!json_object_has_member (fields, lead_field_names[i]))
        {
          g_autofree char *where = member_path (path, lead_field_names[i]);

          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MISSING,
                       _("%s: missing"), where);
          return FALSE;
        }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const char *value = NULL;
      g_autofree char *normalized = NULL;

      if (!is_lead_field (name))
        {
          g_autofree char *where = member_path (path, name);

          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                       _("%s: not a lead field"), where);
          return FALSE;
        }
      if (!crm_protocol_get_string (fields, name, path, FALSE, CRM_PROTOCOL_MAX_TEXT + 1, &value, error))
        return FALSE;
      if (!crm_protocol_lead_field_normalize (name, value, &normalized, error))
        {
          prefix_error (error, path);
          return FALSE;
        }
      if (g_strcmp0 (normalized, value) != 0)
        json_object_set_string_member (fields, name, normalized);
    }

  return TRUE;
}

/**
 * crm_protocol_lead_fields_from_lead:
 * @contact_uuid: (nullable): the UUID of the lead's contact
 *
 * The "fields" object of a lead record, each in its canonical text form.
 */
JsonObject *
crm_protocol_lead_fields_from_lead (CrmLead    *lead,
                                    const char *contact_uuid)
{
  JsonObject *fields = json_object_new ();

  g_return_val_if_fail (CRM_IS_LEAD (lead), fields);

  for (guint i = 0; i < G_N_ELEMENTS (lead_field_names); i++)
    {
      const CrmLeadField *field;
      g_autofree char *value = NULL;

      if (g_str_equal (lead_field_names[i], "contact"))
        {
          json_object_set_string_member (fields, "contact", contact_uuid ? contact_uuid : "");
          continue;
        }
      field = crm_lead_field_lookup (lead_field_names[i]);
      value = crm_lead_dup_field_value (lead, field);
      json_object_set_string_member (fields, lead_field_names[i], value ? value : "");
    }

  return fields;
}

/* -------------------------------------------------------- contact fields */

static const char * const contact_field_names[] = {
  "name", "company", "notes", "addresses", "phones", "emails",
};

const char * const *
crm_protocol_contact_field_names (guint *n_names)
{
  if (n_names != NULL)
    *n_names = G_N_ELEMENTS (contact_field_names);
  return contact_field_names;
}

gboolean
crm_protocol_contact_field_normalize (const char  *name,
                                      const char  *value,
                                      char       **normalized,
                                      GError     **error)
{
  g_autoptr(JsonObject) probe = json_object_new ();

  for (const Member *m = contact_members; m->name != NULL; m++)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (contact_field_names); i++)
        known |= g_strcmp0 (contact_field_names[i], m->name) == 0;
      if (!known || g_strcmp0 (m->name, name) != 0)
        continue;

      json_object_set_string_member (probe, name, value ? value : "");
      if (!check_member (probe, m, CRM_RECORD_CHECK_DEFAULT, NULL, error))
        return FALSE;
      *normalized = g_strdup (value ? value : "");
      if (g_str_equal (name, "name"))
        g_strstrip (*normalized);
      return TRUE;
    }

  g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
               _("“%.40s” is not a contact field"), name ? name : "");
  return FALSE;
}
