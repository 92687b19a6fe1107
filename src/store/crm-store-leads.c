/* crm-store-leads.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Leads, contact reports and the closed-loop log.
 *
 * Every change goes through apply_changes(): the values are normalized
 * by core's field rules, key values and contacts are checked here, and
 * in one BEGIN IMMEDIATE transaction the lead row is updated and one
 * lead_event row is written per logged field (who, when, old -> new,
 * and the contact report that caused it, if any).
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-protocol.h"
#include "crm-store-private.h"

#define LEAD_COLUMNS \
  "l.id, l.uuid, l.title, l.contact_id, l.contact_name, l.volume_minor, l.currency, " \
  "l.probability, l.status, l.phase, l.type, l.unit, l.owner, l.close_month, l.source, " \
  "l.description, l.lost_reason, l.created_at, l.updated_at, l.last_activity, l.deleted, " \
  "l.next_follow_up, l.sync_state, l.rev"

typedef struct {
  const CrmLeadField *field;
  char               *value;   /* canonical */
} Change;

static void
change_clear (gpointer data)
{
  Change *change = data;

  g_free (change->value);
}

/* ---------------------------------------------------------------- loading */

static void
fill_lead (CrmStore     *self,
           CrmLead      *lead,
           sqlite3_stmt *stmt)
{
  const char *status = _crm_store_column_text (stmt, 8);
  const char *phase = _crm_store_column_text (stmt, 9);
  CrmKeyValue *status_kv = crm_store_lookup_key_value (self, "status", status);
  CrmKeyValue *phase_kv = crm_store_lookup_key_value (self, "phase", phase);

  g_object_freeze_notify (G_OBJECT (lead));
  g_object_set (lead,
                "id", sqlite3_column_int64 (stmt, 0),
                "uuid", _crm_store_column_text (stmt, 1),
                "title", _crm_store_column_text (stmt, 2),
                "contact-id", sqlite3_column_int64 (stmt, 3),
                "contact-name", _crm_store_column_text (stmt, 4),
                "volume-minor", sqlite3_column_int64 (stmt, 5),
                "currency", _crm_store_column_text (stmt, 6),
                "probability", sqlite3_column_int (stmt, 7),
                "status", status,
                "status-label", status_kv ? crm_key_value_get_label (status_kv) : status,
                "status-class", status_kv ? crm_key_value_get_status_class (status_kv) : CRM_STATUS_CLASS_OPEN,
                "phase", phase,
                "phase-label", phase_kv ? crm_key_value_get_label (phase_kv) : phase,
                "phase-probability", phase_kv ? crm_key_value_get_probability (phase_kv) : -1,
                "lead-type", _crm_store_column_text (stmt, 10),
                "unit", _crm_store_column_text (stmt, 11),
                "owner", _crm_store_column_text (stmt, 12),
                "close-month", sqlite3_column_int (stmt, 13),
                "source", _crm_store_column_text (stmt, 14),
                "description", _crm_store_column_text (stmt, 15),
                "lost-reason", _crm_store_column_text (stmt, 16),
                "created-at", sqlite3_column_int64 (stmt, 17),
                "updated-at", sqlite3_column_int64 (stmt, 18),
                "last-activity", sqlite3_column_int64 (stmt, 19),
                "next-follow-up", _crm_store_column_text (stmt, 21),
                "sync-state", sqlite3_column_int (stmt, 22),
                "rev", sqlite3_column_int64 (stmt, 23),
                NULL);
  g_object_thaw_notify (G_OBJECT (lead));
}

/* Loads a lead row into @lead; FALSE when missing (or deleted, unless
 * @include_deleted). */
static gboolean
load_lead (CrmStore  *self,
           gint64     id,
           CrmLead   *lead,
           gboolean   include_deleted,
           GError   **error)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self, "SELECT " LEAD_COLUMNS " FROM lead l WHERE l.id = ?", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW &&
      (include_deleted || sqlite3_column_int (stmt, 20) == 0))
    {
      fill_lead (self, lead, stmt);
      found = TRUE;
    }
  sqlite3_reset (stmt);

  if (!found)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                 _("There is no lead with the id %lld"), (long long) id);

  return found;
}

/* The registry of live leads holds weak references: a lead lives as long
 * as some view holds it, and while it lives every crm_store_get_lead()
 * returns that same instance. */
void
_crm_store_live_lead_free (gpointer data)
{
  GWeakRef *ref = data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

static CrmLead *
lookup_live (CrmStore *self,
             gint64    id)
{
  GWeakRef *ref = g_hash_table_lookup (self->live_leads, &id);

  return ref != NULL ? g_weak_ref_get (ref) : NULL;
}

static gboolean
live_entry_is_gone (gpointer key,
                    gpointer value,
                    gpointer user_data)
{
  g_autoptr(GObject) object = g_weak_ref_get (value);

  return object == NULL;
}

static void
remember_live (CrmStore *self,
               CrmLead  *lead)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);
  gint64 id = crm_lead_get_id (lead);
  guint size = g_hash_table_size (self->live_leads);

  /* now and then, drop the entries of leads nobody holds any more */
  if (size >= 512 && (size & (size - 1)) == 0)
    g_hash_table_foreach_remove (self->live_leads, live_entry_is_gone, NULL);

  g_weak_ref_init (ref, lead);
  g_hash_table_replace (self->live_leads, g_memdup2 (&id, sizeof id), ref);
}

void
_crm_store_refresh_lead (CrmStore *self,
                         gint64    id)
{
  g_autoptr(CrmLead) live = lookup_live (self, id);

  if (live != NULL)
    load_lead (self, id, live, TRUE, NULL);
}

static void
lead_changed (CrmStore *self,
              gint64    id)
{
  _crm_store_refresh_lead (self, id);
  g_signal_emit (self, _crm_store_signals[SIGNAL_LEAD_CHANGED], 0, id);
}

/* --------------------------------------------------------------- changes */

static gboolean
contact_name_for (CrmStore    *self,
                  gint64       contact_id,
                  char       **out_name,
                  GError     **error)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self, "SELECT name FROM contact WHERE id = ? AND deleted = 0", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *out_name = g_strdup (_crm_store_column_text (stmt, 0));
      found = TRUE;
    }
  sqlite3_reset (stmt);

  if (!found)
    g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                 _("contact_id: there is no contact with the id %lld"), (long long) contact_id);

  return found;
}

/* Validates @values against the field rules and the key values, giving
 * canonical changes. Nothing is written. */
static GArray *
prepare_changes (CrmStore             *self,
                 CrmLead              *current,
                 const CrmFieldValue  *values,
                 guint                 n_values,
                 GError              **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));

  g_array_set_clear_func (changes, change_clear);

  for (guint i = 0; i < n_values; i++)
    {
      const CrmLeadField *field = crm_lead_field_lookup (values[i].field);
      Change change = { field, NULL };

      if (field == NULL)
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_UNKNOWN_FIELD,
                       _("%s: there is no such field"), values[i].field ? values[i].field : "");
          return NULL;
        }

      if (!crm_lead_field_normalize (field, values[i].value, &change.value, error))
        return NULL;

      if (field->kind == CRM_FIELD_KIND_KEY_VALUE)
        {
          gboolean required = g_str_equal (field->key_kind, "status") || g_str_equal (field->key_kind, "phase");

          if (*change.value == '\0')
            {
              if (required)
                {
                  g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED,
                               _("%s: a value is required"), field->name);
                  g_free (change.value);
                  return NULL;
                }
            }
          else
            {
              CrmKeyValue *kv = crm_store_find_key_value (self, field->key_kind, change.value);
              g_autofree char *old = current ? crm_lead_dup_field_value (current, field) : NULL;

              if (kv == NULL)
                {
                  g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_UNKNOWN_KEY_VALUE,
                               _("%s: “%s” is not one of the defined values"), field->name, change.value);
                  g_free (change.value);
                  return NULL;
                }
              if (!crm_key_value_get_active (kv) && g_strcmp0 (old, crm_key_value_get_key (kv)) != 0)
                {
                  g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_UNKNOWN_KEY_VALUE,
                               _("%s: “%s” is deactivated"), field->name, crm_key_value_get_label (kv));
                  g_free (change.value);
                  return NULL;
                }
              g_free (change.value);
              change.value = g_strdup (crm_key_value_get_key (kv));
            }
        }
      else if (field->kind == CRM_FIELD_KIND_CONTACT && *change.value != '\0')
        {
          g_autofree char *name = NULL;

          if (!contact_name_for (self, g_ascii_strtoll (change.value, NULL, 10), &name, error))
            {
              g_free (change.value);
              return NULL;
            }
        }

      g_array_append_val (changes, change);
    }

  return g_steal_pointer (&changes);
}

static Change *
find_change (GArray     *changes,
             const char *name)
{
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);

      if (g_str_equal (change->field->name, name))
        return change;
    }

  return NULL;
}

static void
set_change (GArray     *changes,
            const char *name,
            const char *value)
{
  Change *existing = find_change (changes, name);
  Change change;

  if (existing != NULL)
    {
      g_free (existing->value);
      existing->value = g_strdup (value);
      return;
    }

  change.field = crm_lead_field_lookup (name);
  change.value = g_strdup (value);
  g_assert (change.field != NULL);
  g_array_append_val (changes, change);
}

/* When the phase changes and the probability still is the old phase's
 * default (and nobody set it explicitly), it follows the new phase. */
static void
follow_phase_default (CrmStore *self,
                      CrmLead  *current,
                      GArray   *changes)
{
  Change *phase = find_change (changes, "phase");
  CrmKeyValue *old_kv, *new_kv;

  if (phase == NULL || find_change (changes, "probability") != NULL)
    return;

  old_kv = crm_store_lookup_key_value (self, "phase", crm_lead_get_phase (current));
  new_kv = crm_store_lookup_key_value (self, "phase", phase->value);
  if (old_kv == NULL || new_kv == NULL || old_kv == new_kv)
    return;

  if (crm_key_value_get_probability (old_kv) == crm_lead_get_probability (current) &&
      crm_key_value_get_probability (new_kv) >= 0)
    {
      g_autofree char *p = g_strdup_printf ("%d", crm_key_value_get_probability (new_kv));

      set_change (changes, "probability", p);
    }
}

/* Binds the first seven columns of an INSERT INTO lead_event (lead_id,
 * at, author, field, old_value, new_value, activity_id …); the strings
 * must outlive the step. */
void
_crm_store_bind_event (sqlite3_stmt *stmt,
                       gint64        lead_id,
                       gint64        at,
                       const char   *author,
                       const char   *field,
                       const char   *old_value,
                       const char   *new_value,
                       gint64        activity_id)
{
  sqlite3_bind_int64 (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, author, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_STATIC);
  _crm_store_bind_text (stmt, 5, old_value);
  _crm_store_bind_text (stmt, 6, new_value);
  if (activity_id > 0)
    sqlite3_bind_int64 (stmt, 7, activity_id);
  else
    sqlite3_bind_null (stmt, 7);
}

static gboolean
insert_event (CrmStore    *self,
              gint64       lead_id,
              gint64       at,
              const char  *field,
              const char  *old_value,
              const char  *new_value,
              gint64       activity_id,
              GError     **error)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self,
    "INSERT INTO lead_event (lead_id, at, author, field, old_value, new_value, activity_id, uuid) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  g_autofree char *uuid = _crm_store_new_uuid ();

  if (stmt == NULL)
    return FALSE;

  _crm_store_bind_event (stmt, lead_id, at, self->author, field, old_value, new_value, activity_id);
  sqlite3_bind_text (stmt, 8, uuid, -1, SQLITE_STATIC);

  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  /* an outbox mutation being built carries its events */
  if (self->sync_events != NULL)
    {
      g_autofree char *lead_uuid = _crm_store_uuid_of (self, "lead", lead_id);
      g_autofree char *activity_uuid = activity_id > 0 ? _crm_store_uuid_of (self, "activity", activity_id) : NULL;
      g_autofree char *old_wire = NULL;
      g_autofree char *new_wire = NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      const char *wire_field = field;

      if (old_value != NULL)
        _crm_store_lead_wire_field (self, field, old_value, &wire_field, &old_wire);
      if (new_value != NULL)
        _crm_store_lead_wire_field (self, field, new_value, &wire_field, &new_wire);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "uuid");
      json_builder_add_string_value (builder, uuid);
      json_builder_set_member_name (builder, "lead");
      json_builder_add_string_value (builder, lead_uuid);
      json_builder_set_member_name (builder, "at");
      json_builder_add_int_value (builder, _crm_store_wire_time (at));
      json_builder_set_member_name (builder, "author");
      json_builder_add_string_value (builder, self->author);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, wire_field);
      json_builder_set_member_name (builder, "old");
      if (old_wire != NULL)
        json_builder_add_string_value (builder, old_wire);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "new");
      if (new_wire != NULL)
        json_builder_add_string_value (builder, new_wire);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "activity");
      if (activity_uuid != NULL)
        json_builder_add_string_value (builder, activity_uuid);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      json_array_add_element (self->sync_events, json_builder_get_root (builder));
    }

  return TRUE;
}

static void
bind_change_value (sqlite3_stmt *stmt,
                   int           index,
                   const Change *change)
{
  switch (change->field->kind)
    {
    case CRM_FIELD_KIND_MONEY:
    case CRM_FIELD_KIND_PROBABILITY:
      sqlite3_bind_int64 (stmt, index, g_ascii_strtoll (change->value, NULL, 10));
      break;

    case CRM_FIELD_KIND_CONTACT:
      if (*change->value == '\0')
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_int64 (stmt, index, g_ascii_strtoll (change->value, NULL, 10));
      break;

    case CRM_FIELD_KIND_DATE:
      if (*change->value == '\0')
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_text (stmt, index, change->value, -1, SQLITE_TRANSIENT);
      break;

    case CRM_FIELD_KIND_MONTH:
      {
        CrmMonth month;

        if (*change->value != '\0' && crm_month_parse (change->value, &month, NULL))
          sqlite3_bind_int (stmt, index, month);
        else
          sqlite3_bind_null (stmt, index);
      }
      break;

    case CRM_FIELD_KIND_TEXT:
    case CRM_FIELD_KIND_REQUIRED_TEXT:
    case CRM_FIELD_KIND_CURRENCY:
    case CRM_FIELD_KIND_KEY_VALUE:
    default:
      sqlite3_bind_text (stmt, index, change->value, -1, SQLITE_TRANSIENT);
    }
}

/* Writes the changes that differ from @current into the lead row and the
 * log. Must run inside a transaction. Returns the number of fields changed,
 * or -1 on error. */
static int
write_changes (CrmStore    *self,
               CrmLead     *current,
               GArray      *changes,
               gint64       activity_id,
               JsonObject  *wire_fields,
               GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("UPDATE lead SET ");
  g_autoptr(GPtrArray) olds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) effective = g_array_new (FALSE, FALSE, sizeof (Change *));
  gint64 now = _crm_store_now ();
  gint64 id = crm_lead_get_id (current);
  g_autofree char *contact_name = NULL;
  sqlite3_stmt *stmt;
  int idx = 1;

  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);
      char *old = crm_lead_dup_field_value (current, change->field);

      if (g_strcmp0 (old, change->value) == 0)
        {
          g_free (old);
          continue;
        }

      g_ptr_array_add (olds, old);
      g_array_append_val (effective, change);
      g_string_append_printf (sql, "%s = ?, ", change->field->column);

      if (change->field->kind == CRM_FIELD_KIND_CONTACT)
        g_string_append (sql, "contact_name = ?, ");
      if (g_str_equal (change->field->name, "phase"))
        g_string_append (sql, "phase_rank = ?, ");
    }

  if (effective->len == 0)
    return 0;

  g_string_append (sql, "updated_at = ? WHERE id = ?");

  stmt = _crm_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    return -1;

  for (guint i = 0; i < effective->len; i++)
    {
      Change *change = g_array_index (effective, Change *, i);

      bind_change_value (stmt, idx++, change);

      if (change->field->kind == CRM_FIELD_KIND_CONTACT)
        {
          if (*change->value != '\0' &&
              !contact_name_for (self, g_ascii_strtoll (change->value, NULL, 10), &contact_name, error))
            {
              sqlite3_reset (stmt);
              return -1;
            }
          sqlite3_bind_text (stmt, idx++, contact_name ? contact_name : "", -1, SQLITE_TRANSIENT);
        }
      if (g_str_equal (change->field->name, "phase"))
        {
          CrmKeyValue *kv = crm_store_lookup_key_value (self, "phase", change->value);

          sqlite3_bind_int (stmt, idx++, kv ? crm_key_value_get_position (kv) : 0);
        }
    }
  sqlite3_bind_int64 (stmt, idx++, now);
  sqlite3_bind_int64 (stmt, idx++, id);

  if (!_crm_store_step_done (self, stmt, error))
    return -1;

  for (guint i = 0; i < effective->len; i++)
    {
      Change *change = g_array_index (effective, Change *, i);

      /* the mutation: each changed field with the value it was edited from */
      if (wire_fields != NULL)
        {
          g_autoptr(JsonObject) pair = json_object_new ();
          g_autofree char *value = NULL;
          g_autofree char *base = NULL;
          const char *wire_name = NULL;

          _crm_store_lead_wire_field (self, change->field->name, change->value, &wire_name, &value);
          _crm_store_lead_wire_field (self, change->field->name, g_ptr_array_index (olds, i), &wire_name, &base);
          json_object_set_string_member (pair, "value", value);
          json_object_set_string_member (pair, "base", base);
          json_object_set_object_member (wire_fields, wire_name, g_steal_pointer (&pair));
        }

      if (!change->field->logged)
        continue;

      if (!insert_event (self, id, now, change->field->name,
                         g_ptr_array_index (olds, i), change->value, activity_id, error))
        return -1;
    }

  return effective->len;
}

/* While the database is bound to a server, the events a change writes
 * are collected for its mutation. */
static void
capture_events (CrmStore *self)
{
  g_clear_pointer (&self->sync_events, json_array_unref);
  if (self->sync_bound)
    self->sync_events = json_array_new ();
}

static JsonArray *
captured_events (CrmStore *self)
{
  return g_steal_pointer (&self->sync_events);
}

/* lead.update, lead.delete, lead.undelete: {uuid, base_rev, [fields], events} */
static gboolean
queue_lead_mutation (CrmStore    *self,
                     const char  *name,
                     CrmLead     *current,
                     JsonObject  *fields,
                     JsonArray   *events,
                     GError     **error)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (args, "uuid", crm_lead_get_uuid (current));
  json_object_set_int_member (args, "base_rev", crm_lead_get_rev (current));
  if (fields != NULL)
    json_object_set_object_member (args, "fields", json_object_ref (fields));
  json_object_set_array_member (args, "events", events != NULL ? json_array_ref (events) : json_array_new ());
  json_node_set_object (node, args);

  return _crm_store_outbox_add (self, name, "lead", crm_lead_get_uuid (current), node, error);
}

/* Writes @changes into the row of @current without logging them: the
 * initial values of a new lead, and values sync sets (reverting a
 * rejected edit). Must run inside a transaction. */
static gboolean
write_unlogged (CrmStore  *self,
                CrmLead   *current,
                GArray    *changes,
                GError   **error)
{
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);
      g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (Change));
      CrmLeadField unlogged = *change->field;
      Change copy = { &unlogged, change->value };

      unlogged.logged = FALSE;
      g_array_append_val (one, copy);
      if (write_changes (self, current, one, 0, NULL, error) < 0)
        return FALSE;
    }

  return TRUE;
}

static gboolean
apply_changes (CrmStore             *self,
               gint64                id,
               GArray               *extra,
               const CrmFieldValue  *values,
               guint                 n_values,
               GError              **error)
{
  g_autoptr(CrmLead) current = crm_lead_new ();
  g_autoptr(GArray) changes = NULL;
  g_autoptr(JsonObject) wire = NULL;
  g_autoptr(JsonArray) events = NULL;
  int n;

  if (!_crm_store_sync_writable (self, error))
    return FALSE;

  if (!load_lead (self, id, current, FALSE, error))
    return FALSE;

  changes = prepare_changes (self, current, values, n_values, error);
  if (changes == NULL)
    return FALSE;

  for (guint i = 0; extra != NULL && i < extra->len; i++)
    {
      Change *change = &g_array_index (extra, Change, i);

      set_change (changes, change->field->name, change->value);
    }

  follow_phase_default (self, current, changes);

  if (!_crm_store_begin (self, error))
    return FALSE;

  wire = self->sync_bound ? json_object_new () : NULL;
  capture_events (self);
  n = write_changes (self, current, changes, 0, wire, error);
  events = captured_events (self);
  if (n < 0 ||
      (n > 0 && wire != NULL && !queue_lead_mutation (self, "lead.update", current, wire, events, error)))
    {
      _crm_store_rollback (self);
      return FALSE;
    }

  if (!_crm_store_commit (self, error))
    return FALSE;

  if (n > 0)
    lead_changed (self, id);

  return TRUE;
}

/* ----------------------------------------------------------------- public */

CrmLead *
crm_store_get_lead (CrmStore  *self,
                    gint64     id,
                    GError   **error)
{
  CrmLead *live;
  g_autoptr(CrmLead) lead = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  live = lookup_live (self, id);
  if (live != NULL)
    return live;

  lead = crm_lead_new ();
  if (!load_lead (self, id, lead, FALSE, error))
    return NULL;

  remember_live (self, lead);

  return g_steal_pointer (&lead);
}

/**
 * crm_store_create_lead:
 *
 * Creates a lead from @values (at least "title"); other fields default to
 * the first active phase and open status, the phase's probability, the
 * company currency and the current author as owner.
 *
 * Returns: the new lead's id, or 0 on error (nothing is written then).
 */
gint64
crm_store_create_lead (CrmStore             *self,
                       const CrmFieldValue  *values,
                       guint                 n_values,
                       GError              **error)
{
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GListModel) phases = NULL;
  g_autoptr(GListModel) statuses = NULL;
  g_autoptr(CrmKeyValue) first_phase = NULL;
  g_autoptr(CrmLead) blank = NULL;
  g_autofree char *uuid = _crm_store_new_uuid ();
  g_autofree char *probability = NULL;
  const char *status = NULL;
  sqlite3_stmt *stmt;
  Change *phase_change;
  gint64 now = _crm_store_now ();
  gint64 id;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  if (!_crm_store_sync_writable (self, error))
    return 0;

  changes = prepare_changes (self, NULL, values, n_values, error);
  if (changes == NULL)
    return 0;

  if (find_change (changes, "title") == NULL)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED, _("title: a title is required"));
      return 0;
    }

  phases = crm_store_list_key_values (self, "phase", FALSE);
  statuses = crm_store_list_key_values (self, "status", FALSE);
  for (guint i = 0; i < g_list_model_get_n_items (statuses) && status == NULL; i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (statuses, i);

      if (crm_key_value_get_status_class (kv) == CRM_STATUS_CLASS_OPEN)
        status = g_intern_string (crm_key_value_get_key (kv));
    }
  first_phase = g_list_model_get_item (phases, 0);
  if (first_phase == NULL || status == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("There is no active phase or open status to start a lead in"));
      return 0;
    }

  if (find_change (changes, "phase") == NULL)
    set_change (changes, "phase", crm_key_value_get_key (first_phase));
  if (find_change (changes, "status") == NULL)
    set_change (changes, "status", status);
  if (find_change (changes, "currency") == NULL)
    set_change (changes, "currency", crm_store_get_default_currency (self));
  if (find_change (changes, "owner") == NULL)
    set_change (changes, "owner", self->author);
  phase_change = find_change (changes, "phase");
  if (find_change (changes, "probability") == NULL)
    {
      CrmKeyValue *kv = crm_store_lookup_key_value (self, "phase", phase_change->value);

      probability = g_strdup_printf ("%d", MAX (0, crm_key_value_get_probability (kv)));
      set_change (changes, "probability", probability);
      /* set_change () may have grown (moved) the array */
      phase_change = find_change (changes, "phase");
    }

  if (!_crm_store_begin (self, error))
    return 0;

  /* Insert a minimal row, then write every field as a change against
   * it, so creation and later edits share one validated path. The phase
   * is in the row already, so its rank must be too (write_changes()
   * sets phase_rank only when the phase differs). */
  stmt = _crm_store_prepare (self,
    "INSERT INTO lead (uuid, title, currency, probability, status, phase, phase_rank, created_at, updated_at) "
    "VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, find_change (changes, "title")->value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, find_change (changes, "currency")->value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, find_change (changes, "status")->value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, phase_change->value, -1, SQLITE_TRANSIENT);
  {
    CrmKeyValue *phase_kv = crm_store_lookup_key_value (self, "phase", phase_change->value);

    sqlite3_bind_int (stmt, 6, phase_kv ? crm_key_value_get_position (phase_kv) : 0);
  }
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_int64 (stmt, 8, now);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  id = sqlite3_last_insert_rowid (self->db);

  if (!insert_event (self, id, now, "created", NULL, find_change (changes, "title")->value, 0, error))
    goto fail;

  /* The initial values are not changes: write them without logging. */
  blank = crm_lead_new ();
  if (!load_lead (self, id, blank, FALSE, error) ||
      !write_unlogged (self, blank, changes, error))
    goto fail;

  if (self->sync_bound)
    {
      g_autoptr(JsonNode) record = _crm_store_lead_record (self, id);

      json_object_set_array_member (json_node_get_object (record), "events",
                                    _crm_store_events_of (self, "lead_id", id));
      if (!_crm_store_outbox_add (self, "lead.create", "lead", uuid, record, error))
        goto fail;
    }

  if (!_crm_store_commit (self, error))
    return 0;

  g_signal_emit (self, _crm_store_signals[SIGNAL_LEAD_CHANGED], 0, id);
  return id;

fail:
  _crm_store_rollback (self);
  return 0;
}

/**
 * crm_store_check_lead_values:
 * @id: the lead the values are for, or 0 for a new lead
 *
 * Runs every check crm_store_update_lead() (or, for @id 0,
 * crm_store_create_lead()) makes on @values, without writing anything:
 * for callers that must do something else first only when the values
 * are good (leadsctl creates a contact named on the command line).
 */
gboolean
crm_store_check_lead_values (CrmStore             *self,
                             gint64                id,
                             const CrmFieldValue  *values,
                             guint                 n_values,
                             GError              **error)
{
  g_autoptr(CrmLead) current = NULL;
  g_autoptr(GArray) changes = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (id != 0)
    {
      current = crm_lead_new ();
      if (!load_lead (self, id, current, FALSE, error))
        return FALSE;
    }

  changes = prepare_changes (self, current, values, n_values, error);
  return changes != NULL;
}

gboolean
crm_store_update_lead (CrmStore             *self,
                       gint64                id,
                       const CrmFieldValue  *values,
                       guint                 n_values,
                       GError              **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return apply_changes (self, id, NULL, values, n_values, error);
}

static gboolean
set_deleted (CrmStore  *self,
             gint64     id,
             gboolean   deleted,
             GError   **error)
{
  sqlite3_stmt *stmt;
  gint64 now = _crm_store_now ();
  int state = -1;
  g_autoptr(CrmLead) current = crm_lead_new ();
  g_autoptr(JsonArray) events = NULL;

  if (!_crm_store_sync_writable (self, error))
    return FALSE;

  stmt = _crm_store_prepare (self, "SELECT deleted FROM lead WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  /* deleting a deleted lead is like deleting a missing one; restoring a
   * lead that is there changes nothing */
  if (state < 0 || (deleted && state != 0))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no lead with the id %lld"), (long long) id);
      return FALSE;
    }
  if (!deleted && state == 0)
    return TRUE;
  if (!load_lead (self, id, current, TRUE, error))
    return FALSE;

  if (!_crm_store_begin (self, error))
    return FALSE;

  stmt = _crm_store_prepare (self, "UPDATE lead SET deleted = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int (stmt, 1, deleted ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, id);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  capture_events (self);
  if (!insert_event (self, id, now, deleted ? "deleted" : "restored", NULL, NULL, 0, error))
    {
      g_clear_pointer (&self->sync_events, json_array_unref);
      goto fail;
    }
  events = captured_events (self);
  if (self->sync_bound &&
      !queue_lead_mutation (self, deleted ? "lead.delete" : "lead.undelete", current, NULL, events, error))
    goto fail;

  if (!_crm_store_commit (self, error))
    return FALSE;

  /* a deleted lead is no longer handed out; holders keep their copy */
  if (deleted)
    g_hash_table_remove (self->live_leads, &id);
  else
    _crm_store_refresh_lead (self, id);

  g_signal_emit (self, _crm_store_signals[SIGNAL_LEAD_CHANGED], 0, id);
  return TRUE;

fail:
  _crm_store_rollback (self);
  return FALSE;
}

/* Deleting keeps a tombstone: the lead can be restored (Undo) and sync
 * can tell the server. */
gboolean
crm_store_delete_lead (CrmStore  *self,
                       gint64     id,
                       GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return set_deleted (self, id, TRUE, error);
}

gboolean
crm_store_undelete_lead (CrmStore  *self,
                         gint64     id,
                         GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return set_deleted (self, id, FALSE, error);
}

gint64
crm_store_duplicate_lead (CrmStore  *self,
                          gint64     id,
                          GError   **error)
{
  g_autoptr(CrmLead) source = crm_lead_new ();
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (CrmFieldValue));
  const CrmLeadField *fields;
  guint n_fields;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  if (!load_lead (self, id, source, FALSE, error))
    return 0;

  fields = crm_lead_fields (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      CrmFieldValue value;
      char *text;

      if (g_str_equal (fields[i].name, "title"))
        text = g_strdup_printf (_("%s (copy)"), crm_lead_get_title (source));
      else
        text = crm_lead_dup_field_value (source, &fields[i]);

      /* a copy starts over: skip values the copy should not inherit
       * when they are empty or deactivated meanwhile */
      if (fields[i].kind == CRM_FIELD_KIND_KEY_VALUE && *text != '\0')
        {
          CrmKeyValue *kv = crm_store_lookup_key_value (self, fields[i].key_kind, text);

          if (kv == NULL || !crm_key_value_get_active (kv))
            {
              g_free (text);
              continue;
            }
        }

      g_ptr_array_add (strings, text);
      value.field = fields[i].name;
      value.value = text;
      g_array_append_val (values, value);
    }

  return crm_store_create_lead (self, (CrmFieldValue *) values->data, values->len, error);
}

static const char *
first_status_of_class (CrmStore       *self,
                       CrmStatusClass  status_class)
{
  g_autoptr(GListModel) statuses = crm_store_list_key_values (self, "status", FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (statuses); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (statuses, i);

      if (crm_key_value_get_status_class (kv) == (int) status_class)
        return g_intern_string (crm_key_value_get_key (kv));
    }

  return NULL;
}

gboolean
crm_store_mark_won (CrmStore  *self,
                    gint64     id,
                    GError   **error)
{
  const char *won;
  CrmFieldValue values[3];

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  won = first_status_of_class (self, CRM_STATUS_CLASS_WON);
  if (won == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("status: there is no active status that counts as won"));
      return FALSE;
    }

  values[0] = (CrmFieldValue) { "status", won };
  values[1] = (CrmFieldValue) { "probability", "100" };
  values[2] = (CrmFieldValue) { "lost_reason", "" };
  return apply_changes (self, id, NULL, values, G_N_ELEMENTS (values), error);
}

gboolean
crm_store_mark_lost (CrmStore    *self,
                     gint64       id,
                     const char  *reason,
                     GError     **error)
{
  const char *lost;
  CrmFieldValue values[3];

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  lost = first_status_of_class (self, CRM_STATUS_CLASS_LOST);
  if (lost == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("status: there is no active status that counts as lost"));
      return FALSE;
    }

  values[0] = (CrmFieldValue) { "status", lost };
  values[1] = (CrmFieldValue) { "probability", "0" };
  values[2] = (CrmFieldValue) { "lost_reason", reason ? reason : "" };
  return apply_changes (self, id, NULL, values, G_N_ELEMENTS (values), error);
}

/* Moves a lead to the next (@delta = 1) or previous (-1) active phase. */
gboolean
crm_store_step_phase (CrmStore  *self,
                      gint64     id,
                      int        delta,
                      GError   **error)
{
  g_autoptr(CrmLead) current = crm_lead_new ();
  g_autoptr(GListModel) phases = NULL;
  g_autoptr(CrmKeyValue) target = NULL;
  CrmFieldValue value;
  int index = -1;
  guint n;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!load_lead (self, id, current, FALSE, error))
    return FALSE;

  phases = crm_store_list_key_values (self, "phase", FALSE);
  n = g_list_model_get_n_items (phases);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (phases, i);

      if (g_strcmp0 (crm_key_value_get_key (kv), crm_lead_get_phase (current)) == 0)
        index = i;
    }

  if (index < 0 || index + delta < 0 || index + delta >= (int) n)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   delta > 0 ? _("phase: the lead is in the last phase already")
                             : _("phase: the lead is in the first phase already"));
      return FALSE;
    }

  target = g_list_model_get_item (phases, index + delta);
  value = (CrmFieldValue) { "phase", crm_key_value_get_key (target) };
  return apply_changes (self, id, NULL, &value, 1, error);
}

/**
 * crm_store_add_activity:
 * @at: when the contact took place (Unix time); 0 for now
 * @probability: the re-estimated probability, or -1 to keep it
 * @phase: (nullable): the new phase key, or %NULL to keep it
 *
 * Writes a contact report; the changes it causes are logged with it as
 * their cause, all in one transaction.
 *
 * Returns: the report's id, or 0 on error (nothing is written then)
 */
gint64
crm_store_add_activity (CrmStore    *self,
                        gint64       lead_id,
                        const char  *kind,
                        gint64       at,
                        const char  *subject,
                        const char  *text,
                        int          probability,
                        const char  *phase,
                        GError     **error)
{
  g_autoptr(CrmLead) current = crm_lead_new ();
  g_autoptr(GArray) changes = NULL;
  g_autofree char *uuid = _crm_store_new_uuid ();
  g_autofree char *probability_text = NULL;
  CrmFieldValue values[2];
  CrmKeyValue *kind_kv;
  guint n_values = 0;
  sqlite3_stmt *stmt;
  gint64 id;
  int n;
  g_autoptr(JsonObject) wire = NULL;
  g_autoptr(JsonArray) events = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  if (!_crm_store_sync_writable (self, error))
    return 0;

  if (!load_lead (self, lead_id, current, FALSE, error))
    return 0;

  kind_kv = crm_store_find_key_value (self, "activity_kind", kind);
  if (kind_kv == NULL || !crm_key_value_get_active (kind_kv))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_UNKNOWN_KEY_VALUE,
                   _("kind: “%s” is not one of the defined activity kinds"), kind ? kind : "");
      return 0;
    }

  if ((subject == NULL || *subject == '\0') && (text == NULL || *text == '\0'))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED,
                   _("text: a contact report needs a subject or a text"));
      return 0;
    }

  if (at < 0)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_DATE,
                   _("date: the time is out of range"));
      return 0;
    }
  if (at == 0)
    at = _crm_store_now ();

  if (probability != -1)
    {
      probability_text = g_strdup_printf ("%d", probability);
      values[n_values++] = (CrmFieldValue) { "probability", probability_text };
    }
  if (phase != NULL && *phase != '\0')
    values[n_values++] = (CrmFieldValue) { "phase", phase };

  changes = prepare_changes (self, current, values, n_values, error);
  if (changes == NULL)
    return 0;
  follow_phase_default (self, current, changes);

  if (!_crm_store_begin (self, error))
    return 0;

  stmt = _crm_store_prepare (self,
    "INSERT INTO activity (uuid, lead_id, contact_id, kind, at, subject, text, author, "
    "                      probability, phase, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, lead_id);
  if (crm_lead_get_contact_id (current) > 0)
    sqlite3_bind_int64 (stmt, 3, crm_lead_get_contact_id (current));
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, crm_key_value_get_key (kind_kv), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, at);
  sqlite3_bind_text (stmt, 6, subject ? subject : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, text ? text : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, self->author, -1, SQLITE_STATIC);
  if (find_change (changes, "probability") != NULL && probability != -1)
    sqlite3_bind_int (stmt, 9, probability);
  else
    sqlite3_bind_null (stmt, 9);
  if (find_change (changes, "phase") != NULL)
    sqlite3_bind_text (stmt, 10, find_change (changes, "phase")->value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 10);
  sqlite3_bind_int64 (stmt, 11, _crm_store_now ());
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  id = sqlite3_last_insert_rowid (self->db);

  wire = self->sync_bound ? json_object_new () : NULL;
  capture_events (self);
  n = write_changes (self, current, changes, id, wire, error);
  events = captured_events (self);
  if (n < 0)
    goto fail;

  stmt = _crm_store_prepare (self,
    "UPDATE lead SET last_activity = max (coalesce (last_activity, 0), ?) WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_int64 (stmt, 2, lead_id);
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;

  /* activity.create: the report, the re-estimate it makes, its events */
  if (self->sync_bound)
    {
      g_autoptr(JsonNode) record = _crm_store_activity_record (self, id);
      JsonObject *args = json_node_get_object (record);

      if (n > 0)
        {
          g_autoptr(JsonObject) update = json_object_new ();

          json_object_set_int_member (update, "base_rev", crm_lead_get_rev (current));
          json_object_set_object_member (update, "fields", json_object_ref (wire));
          json_object_set_object_member (args, "lead_update", g_steal_pointer (&update));
        }
      json_object_set_array_member (args, "events", json_array_ref (events));
      if (!_crm_store_outbox_add (self, "activity.create", "lead", crm_lead_get_uuid (current), record, error))
        goto fail;
    }

  if (!_crm_store_commit (self, error))
    return 0;

  lead_changed (self, lead_id);
  return id;

fail:
  _crm_store_rollback (self);
  return 0;
}

/* ---------------------------------------------------------------- history */

static char *
display_value (CrmStore   *self,
               const char *field,
               const char *value,
               const char *currency)
{
  const CrmLeadField *f;

  if (value == NULL || *value == '\0')
    return g_strdup ("—");

  f = crm_lead_field_lookup (field);
  if (f == NULL)
    return g_strdup (value);

  switch (f->kind)
    {
    case CRM_FIELD_KIND_MONEY:
      return crm_money_format (g_ascii_strtoll (value, NULL, 10), currency);

    case CRM_FIELD_KIND_PROBABILITY:
      /* TRANSLATORS: a probability in percent */
      return g_strdup_printf (_("%s %%"), value);

    case CRM_FIELD_KIND_MONTH:
      {
        CrmMonth month;

        if (crm_month_parse (value, &month, NULL))
          return crm_month_format (month);
        return g_strdup (value);
      }

    case CRM_FIELD_KIND_KEY_VALUE:
      return g_strdup (crm_store_key_value_label (self, f->key_kind, value));

    case CRM_FIELD_KIND_CONTACT:
      {
        char *name = NULL;

        if (contact_name_for (self, g_ascii_strtoll (value, NULL, 10), &name, NULL))
          return name;
        return g_strdup (value);
      }

    case CRM_FIELD_KIND_TEXT:
    case CRM_FIELD_KIND_REQUIRED_TEXT:
    case CRM_FIELD_KIND_CURRENCY:
    default:
      return g_strdup (value);
    }
}

/* Fills @store with the history rows of the statement: the union query
 * below, newest first. */
static gboolean
collect_history (CrmStore      *self,
                 sqlite3_stmt  *stmt,
                 GListStore    *store,
                 GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CrmHistoryItem) item = crm_history_item_new ();
      const char *kind = _crm_store_column_text (stmt, 0);
      const char *currency = _crm_store_column_text (stmt, 15);

      g_object_set (item,
                    "kind", kind,
                    "at", sqlite3_column_int64 (stmt, 1),
                    "author", _crm_store_column_text (stmt, 2),
                    "lead-id", sqlite3_column_int64 (stmt, 3),
                    "lead-title", _crm_store_column_text (stmt, 4),
                    "activity-id", sqlite3_column_int64 (stmt, 14),
                    NULL);

      if (g_str_equal (kind, "report"))
        {
          const char *report_kind = _crm_store_column_text (stmt, 8);
          const char *phase = _crm_store_column_text (stmt, 12);

          g_object_set (item,
                        "report-kind", report_kind,
                        "report-kind-label", crm_store_key_value_label (self, "activity_kind", report_kind),
                        "subject", _crm_store_column_text (stmt, 9),
                        "text", _crm_store_column_text (stmt, 10),
                        "probability", sqlite3_column_type (stmt, 11) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 11),
                        "phase", phase,
                        "phase-label", phase ? crm_store_key_value_label (self, "phase", phase) : NULL,
                        NULL);
        }
      else
        {
          const char *field = _crm_store_column_text (stmt, 5);
          const char *old_value = _crm_store_column_text (stmt, 6);
          const char *new_value = _crm_store_column_text (stmt, 7);
          g_autofree char *old_label = display_value (self, field, old_value, currency);
          g_autofree char *new_label = display_value (self, field, new_value, currency);

          g_object_set (item,
                        "field", field,
                        "old-value", old_value,
                        "new-value", new_value,
                        "old-label", old_label,
                        "new-label", new_label,
                        NULL);
        }

      g_list_store_append (store, item);
    }

  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("the history"));
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

#define HISTORY_SELECT(where_report, where_event) \
  "SELECT 'report', a.at, a.author, a.lead_id, l.title, NULL, NULL, NULL, " \
  "       a.kind, a.subject, a.text, a.probability, a.phase, a.id, a.id, l.currency " \
  "FROM activity a LEFT JOIN lead l ON l.id = a.lead_id WHERE a.deleted = 0 AND " where_report " " \
  "UNION ALL " \
  "SELECT 'change', e.at, e.author, e.lead_id, l.title, e.field, e.old_value, e.new_value, " \
  "       NULL, NULL, NULL, NULL, NULL, e.id, coalesce (e.activity_id, 0), l.currency " \
  "FROM lead_event e JOIN lead l ON l.id = e.lead_id WHERE " where_event " " \
  "ORDER BY 2 DESC, 1 DESC, 14 DESC"

/**
 * crm_store_lead_history:
 *
 * Returns: (transfer full): a list of #CrmHistoryItem, newest first: the
 *   lead's contact reports and its logged changes.
 */
GListModel *
crm_store_lead_history (CrmStore  *self,
                        gint64     lead_id,
                        GError   **error)
{
  g_autoptr(GListStore) store = g_list_store_new (CRM_TYPE_HISTORY_ITEM);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  stmt = _crm_store_prepare (self, HISTORY_SELECT ("a.lead_id = ?1", "e.lead_id = ?1"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, lead_id);

  if (!collect_history (self, stmt, store, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * crm_store_contact_history:
 *
 * The complete history of a contact: the reports and changes of all its
 * leads (for a company also those of its people), and reports made on the
 * contact directly.
 */
GListModel *
crm_store_contact_history (CrmStore  *self,
                           gint64     contact_id,
                           GError   **error)
{
  g_autoptr(GListStore) store = g_list_store_new (CRM_TYPE_HISTORY_ITEM);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  stmt = _crm_store_prepare (self,
    HISTORY_SELECT ("(a.contact_id IN (SELECT id FROM contact WHERE id = ?1 OR company_id = ?1) "
                    " OR a.lead_id IN (SELECT id FROM lead WHERE contact_id IN "
                    "   (SELECT id FROM contact WHERE id = ?1 OR company_id = ?1)))",
                    "e.lead_id IN (SELECT id FROM lead WHERE contact_id IN "
                    "  (SELECT id FROM contact WHERE id = ?1 OR company_id = ?1))"),
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);

  if (!collect_history (self, stmt, store, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}

char **
crm_store_list_owners (CrmStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  stmt = _crm_store_prepare (self,
    "SELECT DISTINCT owner FROM lead WHERE deleted = 0 AND owner != '' ORDER BY owner COLLATE NOCASE", NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, _crm_store_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }

  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------- sync */

/* The wire form of a lead field (docs/sync-protocol.md): the contact
 * travels as "contact" holding the contact's UUID, the rest as they are. */
void
_crm_store_lead_wire_field (CrmStore    *self,
                            const char  *local_field,
                            const char  *local_value,
                            const char **out_field,
                            char       **out_value)
{
  if (g_strcmp0 (local_field, "contact_id") == 0)
    {
      gint64 id = local_value != NULL ? g_ascii_strtoll (local_value, NULL, 10) : 0;

      *out_field = "contact";
      *out_value = id > 0 ? _crm_store_uuid_of (self, "contact", id) : NULL;
      if (*out_value == NULL)
        *out_value = g_strdup ("");
      return;
    }

  *out_field = local_field;
  *out_value = g_strdup (local_value != NULL ? local_value : "");
}

/* A contact the server refers to before it sent the contact: a stand-in
 * that the contact's own row fills in when it arrives (its rev is 0). */
gint64
_crm_store_contact_for_uuid (CrmStore    *self,
                             const char  *uuid,
                             const char  *kind,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = _crm_store_id_of (self, "contact", uuid);
  gint64 now = _crm_store_now ();

  if (id > 0)
    return id;

  stmt = _crm_store_prepare (self,
    "INSERT INTO contact (uuid, kind, name, created_at, updated_at, rev, sync_state) "
    "VALUES (?, ?, '…', ?, ?, 0, 2)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!_crm_store_step_done (self, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (self->db);
}

/* Wire fields -> canonical local changes; formats checked, key values
 * taken as the server sends them (the server is the authority). */
static GArray *
wire_changes (CrmStore    *self,
              JsonObject  *fields,
              GError     **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_array_set_clear_func (changes, change_clear);

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const char *local = g_str_equal (name, "contact") ? "contact_id" : name;
      const CrmLeadField *field = crm_lead_field_lookup (local);
      const char *text;
      Change change = { field, NULL };

      if (field == NULL)
        continue;   /* a field of a newer server: not kept here */
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("%s: the server sent a value that is not text"), name);
          return NULL;
        }
      text = json_node_get_string (node);

      if (field->kind == CRM_FIELD_KIND_CONTACT)
        {
          if (*text != '\0' && !g_uuid_string_is_valid (text))
            {
              g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("contact: “%s” is not a record id"), text);
              return NULL;
            }
          if (*text != '\0')
            {
              gint64 id = _crm_store_contact_for_uuid (self, text, "person", error);

              if (id == 0)
                return NULL;
              change.value = g_strdup_printf ("%" G_GINT64_FORMAT, id);
            }
          else
            change.value = g_strdup ("");
        }
      else if (field->kind == CRM_FIELD_KIND_KEY_VALUE)
        change.value = g_strdup (text);
      else if (!crm_lead_field_normalize (field, text, &change.value, error))
        return NULL;

      g_array_append_val (changes, change);
    }

  return g_steal_pointer (&changes);
}

/* The lead record of docs/sync-protocol.md, without rev. */
JsonNode *
_crm_store_lead_record (CrmStore *self,
                        gint64    id)
{
  g_autoptr(CrmLead) lead = crm_lead_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *contact = NULL;
  JsonNode *node;

  if (!load_lead (self, id, lead, TRUE, NULL))
    return NULL;

  if (crm_lead_get_contact_id (lead) > 0)
    contact = _crm_store_uuid_of (self, "contact", crm_lead_get_contact_id (lead));
  json_object_set_object_member (object, "fields", crm_protocol_lead_fields_from_lead (lead, contact));
  json_object_set_string_member (object, "uuid", crm_lead_get_uuid (lead));
  json_object_set_boolean_member (object, "deleted", FALSE);
  json_object_set_int_member (object, "created_at", _crm_store_wire_time (crm_lead_get_created_at (lead)));
  json_object_set_int_member (object, "updated_at", _crm_store_wire_time (crm_lead_get_updated_at (lead)));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, g_steal_pointer (&object));
  return node;
}

/* Writes a lead as the server sent it (a pulled put, or the server state
 * kept while local edits were pending), creating it when new. No events,
 * no outbox: they come from the server too. */
gboolean
_crm_store_lead_put (CrmStore    *self,
                     JsonObject  *data,
                     gint64       rev,
                     gint64      *out_id,
                     GError     **error)
{
  g_autoptr(GArray) changes = NULL;
  const char *uuid = json_object_get_string_member (data, "uuid");
  const CrmLeadField *all;
  sqlite3_stmt *stmt;
  guint n;
  int idx = 1;

  changes = wire_changes (self, json_object_get_object_member (data, "fields"), error);
  if (changes == NULL)
    return FALSE;

  stmt = _crm_store_prepare (self,
    "INSERT INTO lead (title, contact_id, volume_minor, currency, probability, status, phase, type, unit, "
    "                  owner, close_month, source, description, lost_reason, next_follow_up, "
    "                  uuid, created_at, updated_at, rev, deleted, contact_name, phase_rank, sync_state) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
    "        coalesce ((SELECT name FROM contact WHERE id = ?2), ''), "
    "        coalesce ((SELECT position FROM key_value WHERE kind = 'phase' AND key = ?7), 0), "
    "        CASE WHEN EXISTS (SELECT 1 FROM sync_conflict c WHERE c.record_uuid = ?16 AND c.resolved = 0) "
    "             THEN 3 ELSE 2 END) "
    "ON CONFLICT (uuid) DO UPDATE SET title = excluded.title, contact_id = excluded.contact_id, "
    "  volume_minor = excluded.volume_minor, currency = excluded.currency, "
    "  probability = excluded.probability, status = excluded.status, phase = excluded.phase, "
    "  type = excluded.type, unit = excluded.unit, owner = excluded.owner, "
    "  close_month = excluded.close_month, source = excluded.source, "
    "  description = excluded.description, lost_reason = excluded.lost_reason, "
    "  next_follow_up = excluded.next_follow_up, created_at = excluded.created_at, "
    "  updated_at = excluded.updated_at, rev = excluded.rev, deleted = excluded.deleted, "
    "  contact_name = excluded.contact_name, phase_rank = excluded.phase_rank, "
    "  sync_state = excluded.sync_state", error);
  if (stmt == NULL)
    return FALSE;

  /* the fields in the order of crm_lead_fields (), which the statement follows */
  all = crm_lead_fields (&n);
  for (guint i = 0; i < n; i++)
    {
      Change *change = find_change (changes, all[i].name);
      Change empty = { &all[i], (char *) "" };

      bind_change_value (stmt, idx++, change != NULL ? change : &empty);
    }
  g_assert (idx == 16);
  sqlite3_bind_text (stmt, 16, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 17, json_object_get_int_member_with_default (data, "created_at", 0) / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 18, json_object_get_int_member_with_default (data, "updated_at", 0) / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 19, rev);
  sqlite3_bind_int (stmt, 20, json_object_get_boolean_member_with_default (data, "deleted", FALSE) ? 1 : 0);
  if (!_crm_store_step_done (self, stmt, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = _crm_store_id_of (self, "lead", uuid);
  return TRUE;
}

/* Sets fields (wire names and values) without logging or queueing: sync
 * taking back the part of a local edit the server did not accept. */
gboolean
_crm_store_lead_set_wire_fields (CrmStore    *self,
                                 gint64       id,
                                 JsonObject  *fields,
                                 GError     **error)
{
  g_autoptr(CrmLead) current = crm_lead_new ();
  g_autoptr(GArray) changes = NULL;

  if (!load_lead (self, id, current, TRUE, error))
    return FALSE;

  changes = wire_changes (self, fields, error);
  if (changes == NULL)
    return FALSE;

  return write_unlogged (self, current, changes, error);
}

/* After a sync transaction: the live lead and the views. */
void
_crm_store_lead_notify (CrmStore *self,
                        gint64    id)
{
  g_autoptr(CrmLead) live = lookup_live (self, id);
  gboolean gone = FALSE;

  if (live != NULL)
    gone = !load_lead (self, id, live, FALSE, NULL);
  if (gone)
    g_hash_table_remove (self->live_leads, &id);

  g_signal_emit (self, _crm_store_signals[SIGNAL_LEAD_CHANGED], 0, id);
}

/* Whether @values would be accepted by an update (validation only,
 * nothing is written): for callers that must do something first. */
gboolean
_crm_store_lead_check_values (CrmStore             *self,
                              const CrmFieldValue  *values,
                              guint                 n_values,
                              GError              **error)
{
  g_autoptr(GArray) changes = prepare_changes (self, NULL, values, n_values, error);

  return changes != NULL;
}
