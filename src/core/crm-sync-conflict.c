/* crm-sync-conflict.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the Sync issues page: a conflict the server recorded (two
 * edits of one field, an edit of a deleted record) or a mutation it
 * rejected (rights, validation). Values are in their wire form
 * (docs/sync-protocol.md). A plain value object the store fills.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include "crm-sync-conflict.h"

struct _CrmSyncConflict
{
  GObject parent_instance;

  char     *uuid;
  char     *kind;
  char     *record_type;
  char     *record_uuid;
  gint64    lead_id;
  char     *title;
  char     *field;
  char     *base;
  char     *kept;
  char     *yours;
  char     *kept_by;
  char     *yours_by;
  gint64    at;
  char     *reason;
  char     *message;
  gboolean  resolved;
  char     *resolution;
};

G_DEFINE_FINAL_TYPE (CrmSyncConflict, crm_sync_conflict, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_UUID,
  PROP_KIND,
  PROP_RECORD_TYPE,
  PROP_RECORD_UUID,
  PROP_LEAD_ID,
  PROP_TITLE,
  PROP_FIELD,
  PROP_BASE,
  PROP_KEPT,
  PROP_YOURS,
  PROP_KEPT_BY,
  PROP_YOURS_BY,
  PROP_AT,
  PROP_REASON,
  PROP_MESSAGE,
  PROP_RESOLVED,
  PROP_RESOLUTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
crm_sync_conflict_finalize (GObject *object)
{
  CrmSyncConflict *self = (CrmSyncConflict *)object;

  g_free (self->uuid);
  g_free (self->kind);
  g_free (self->record_type);
  g_free (self->record_uuid);
  g_free (self->title);
  g_free (self->field);
  g_free (self->base);
  g_free (self->kept);
  g_free (self->yours);
  g_free (self->kept_by);
  g_free (self->yours_by);
  g_free (self->reason);
  g_free (self->message);
  g_free (self->resolution);

  G_OBJECT_CLASS (crm_sync_conflict_parent_class)->finalize (object);
}

static void
crm_sync_conflict_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmSyncConflict *self = CRM_SYNC_CONFLICT (object);

  switch (prop_id)
    {
    case PROP_UUID: g_value_set_string (value, self->uuid); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_RECORD_TYPE: g_value_set_string (value, self->record_type); break;
    case PROP_RECORD_UUID: g_value_set_string (value, self->record_uuid); break;
    case PROP_LEAD_ID: g_value_set_int64 (value, self->lead_id); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_FIELD: g_value_set_string (value, self->field); break;
    case PROP_BASE: g_value_set_string (value, self->base); break;
    case PROP_KEPT: g_value_set_string (value, self->kept); break;
    case PROP_YOURS: g_value_set_string (value, self->yours); break;
    case PROP_KEPT_BY: g_value_set_string (value, self->kept_by); break;
    case PROP_YOURS_BY: g_value_set_string (value, self->yours_by); break;
    case PROP_AT: g_value_set_int64 (value, self->at); break;
    case PROP_REASON: g_value_set_string (value, self->reason); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_RESOLVED: g_value_set_boolean (value, self->resolved); break;
    case PROP_RESOLUTION: g_value_set_string (value, self->resolution); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_conflict_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmSyncConflict *self = CRM_SYNC_CONFLICT (object);

  switch (prop_id)
    {
    case PROP_UUID:
      if (g_strcmp0 (self->uuid, g_value_get_string (value)) == 0)
        return;
      g_free (self->uuid);
      self->uuid = g_value_dup_string (value);
      break;
    case PROP_KIND:
      if (g_strcmp0 (self->kind, g_value_get_string (value)) == 0)
        return;
      g_free (self->kind);
      self->kind = g_value_dup_string (value);
      break;
    case PROP_RECORD_TYPE:
      if (g_strcmp0 (self->record_type, g_value_get_string (value)) == 0)
        return;
      g_free (self->record_type);
      self->record_type = g_value_dup_string (value);
      break;
    case PROP_RECORD_UUID:
      if (g_strcmp0 (self->record_uuid, g_value_get_string (value)) == 0)
        return;
      g_free (self->record_uuid);
      self->record_uuid = g_value_dup_string (value);
      break;
    case PROP_LEAD_ID:
      if (self->lead_id == g_value_get_int64 (value))
        return;
      self->lead_id = g_value_get_int64 (value);
      break;
    case PROP_TITLE:
      if (g_strcmp0 (self->title, g_value_get_string (value)) == 0)
        return;
      g_free (self->title);
      self->title = g_value_dup_string (value);
      break;
    case PROP_FIELD:
      if (g_strcmp0 (self->field, g_value_get_string (value)) == 0)
        return;
      g_free (self->field);
      self->field = g_value_dup_string (value);
      break;
    case PROP_BASE:
      if (g_strcmp0 (self->base, g_value_get_string (value)) == 0)
        return;
      g_free (self->base);
      self->base = g_value_dup_string (value);
      break;
    case PROP_KEPT:
      if (g_strcmp0 (self->kept, g_value_get_string (value)) == 0)
        return;
      g_free (self->kept);
      self->kept = g_value_dup_string (value);
      break;
    case PROP_YOURS:
      if (g_strcmp0 (self->yours, g_value_get_string (value)) == 0)
        return;
      g_free (self->yours);
      self->yours = g_value_dup_string (value);
      break;
    case PROP_KEPT_BY:
      if (g_strcmp0 (self->kept_by, g_value_get_string (value)) == 0)
        return;
      g_free (self->kept_by);
      self->kept_by = g_value_dup_string (value);
      break;
    case PROP_YOURS_BY:
      if (g_strcmp0 (self->yours_by, g_value_get_string (value)) == 0)
        return;
      g_free (self->yours_by);
      self->yours_by = g_value_dup_string (value);
      break;
    case PROP_AT:
      if (self->at == g_value_get_int64 (value))
        return;
      self->at = g_value_get_int64 (value);
      break;
    case PROP_REASON:
      if (g_strcmp0 (self->reason, g_value_get_string (value)) == 0)
        return;
      g_free (self->reason);
      self->reason = g_value_dup_string (value);
      break;
    case PROP_MESSAGE:
      if (g_strcmp0 (self->message, g_value_get_string (value)) == 0)
        return;
      g_free (self->message);
      self->message = g_value_dup_string (value);
      break;
    case PROP_RESOLVED:
      if (self->resolved == g_value_get_boolean (value))
        return;
      self->resolved = g_value_get_boolean (value);
      break;
    case PROP_RESOLUTION:
      if (g_strcmp0 (self->resolution, g_value_get_string (value)) == 0)
        return;
      g_free (self->resolution);
      self->resolution = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  g_object_notify_by_pspec (object, pspec);
}

static void
crm_sync_conflict_class_init (CrmSyncConflictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = crm_sync_conflict_finalize;
  object_class->get_property = crm_sync_conflict_get_property;
  object_class->set_property = crm_sync_conflict_set_property;

  /* the conflict's UUID */
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, rw);
  /* field (same field changed twice), deleted (edit of a deleted record) or rejected (refused by the server) */
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, rw);
  /* lead, contact, … */
  properties[PROP_RECORD_TYPE] = g_param_spec_string ("record-type", NULL, NULL, NULL, rw);
  /* the record's UUID */
  properties[PROP_RECORD_UUID] = g_param_spec_string ("record-uuid", NULL, NULL, NULL, rw);
  /* the local lead id, 0 when not a (known) lead */
  properties[PROP_LEAD_ID] = g_param_spec_int64 ("lead-id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  /* the record's title or name, for display */
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  /* the field (wire name), empty for a whole record */
  properties[PROP_FIELD] = g_param_spec_string ("field", NULL, NULL, NULL, rw);
  /* the value both edits started from */
  properties[PROP_BASE] = g_param_spec_string ("base", NULL, NULL, NULL, rw);
  /* the value that stays (the first committed) */
  properties[PROP_KEPT] = g_param_spec_string ("kept", NULL, NULL, NULL, rw);
  /* the value that was not applied */
  properties[PROP_YOURS] = g_param_spec_string ("yours", NULL, NULL, NULL, rw);
  /* who made the kept value */
  properties[PROP_KEPT_BY] = g_param_spec_string ("kept-by", NULL, NULL, NULL, rw);
  /* who made the value not applied */
  properties[PROP_YOURS_BY] = g_param_spec_string ("yours-by", NULL, NULL, NULL, rw);
  /* when the server decided, µs since 1970 */
  properties[PROP_AT] = g_param_spec_int64 ("at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  /* for rejections: forbidden, validation, deleted, not_found */
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, rw);
  /* the server's explanation */
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, rw);
  /* someone resolved it */
  properties[PROP_RESOLVED] = g_param_spec_boolean ("resolved", NULL, NULL, FALSE, rw);
  /* keep or mine, once resolved */
  properties[PROP_RESOLUTION] = g_param_spec_string ("resolution", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_sync_conflict_init (CrmSyncConflict *self)
{
}

const char *
crm_sync_conflict_get_uuid (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->uuid;
}

const char *
crm_sync_conflict_get_kind (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->kind;
}

const char *
crm_sync_conflict_get_record_type (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->record_type;
}

const char *
crm_sync_conflict_get_record_uuid (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->record_uuid;
}

gint64
crm_sync_conflict_get_lead_id (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), 0);

  return self->lead_id;
}

const char *
crm_sync_conflict_get_title (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->title;
}

const char *
crm_sync_conflict_get_field (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->field;
}

const char *
crm_sync_conflict_get_base (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->base;
}

const char *
crm_sync_conflict_get_kept (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->kept;
}

const char *
crm_sync_conflict_get_yours (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->yours;
}

const char *
crm_sync_conflict_get_kept_by (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->kept_by;
}

const char *
crm_sync_conflict_get_yours_by (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->yours_by;
}

gint64
crm_sync_conflict_get_at (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), 0);

  return self->at;
}

const char *
crm_sync_conflict_get_reason (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->reason;
}

const char *
crm_sync_conflict_get_message (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->message;
}

gboolean
crm_sync_conflict_get_resolved (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), FALSE);

  return self->resolved;
}

const char *
crm_sync_conflict_get_resolution (CrmSyncConflict *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONFLICT (self), NULL);

  return self->resolution;
}
