/* crm-activity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A contact report on a lead. It may re-estimate the lead's probability
 * (probability >= 0) and phase (phase != NULL); the store applies those
 * changes and logs them with this report as their cause.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include "crm-activity.h"

struct _CrmActivity
{
  GObject parent_instance;

  gint64 id;
  char *uuid;
  gint64 lead_id;
  gint64 contact_id;
  char *kind;
  gint64 at;
  char *subject;
  char *text;
  char *author;
  int probability;
  char *phase;
};

G_DEFINE_FINAL_TYPE (CrmActivity, crm_activity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_UUID,
  PROP_LEAD_ID,
  PROP_CONTACT_ID,
  PROP_KIND,
  PROP_AT,
  PROP_SUBJECT,
  PROP_TEXT,
  PROP_AUTHOR,
  PROP_PROBABILITY,
  PROP_PHASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* -------------------------------------------------------------- overrides */

static void
crm_activity_finalize (GObject *object)
{
  CrmActivity *self = (CrmActivity *)object;

  g_free (self->uuid);
  g_free (self->kind);
  g_free (self->subject);
  g_free (self->text);
  g_free (self->author);
  g_free (self->phase);

  G_OBJECT_CLASS (crm_activity_parent_class)->finalize (object);
}

static void
crm_activity_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CrmActivity *self = CRM_ACTIVITY (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_UUID: g_value_set_string (value, self->uuid); break;
    case PROP_LEAD_ID: g_value_set_int64 (value, self->lead_id); break;
    case PROP_CONTACT_ID: g_value_set_int64 (value, self->contact_id); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_AT: g_value_set_int64 (value, self->at); break;
    case PROP_SUBJECT: g_value_set_string (value, self->subject); break;
    case PROP_TEXT: g_value_set_string (value, self->text); break;
    case PROP_AUTHOR: g_value_set_string (value, self->author); break;
    case PROP_PROBABILITY: g_value_set_int (value, self->probability); break;
    case PROP_PHASE: g_value_set_string (value, self->phase); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_activity_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CrmActivity *self = CRM_ACTIVITY (object);

  switch (prop_id)
    {
    case PROP_ID:
      if (self->id != g_value_get_int64 (value))
        {
          self->id = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_UUID:
      if (g_strcmp0 (self->uuid, g_value_get_string (value)) != 0)
        {
          g_free (self->uuid);
          self->uuid = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_LEAD_ID:
      if (self->lead_id != g_value_get_int64 (value))
        {
          self->lead_id = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_CONTACT_ID:
      if (self->contact_id != g_value_get_int64 (value))
        {
          self->contact_id = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_KIND:
      if (g_strcmp0 (self->kind, g_value_get_string (value)) != 0)
        {
          g_free (self->kind);
          self->kind = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_AT:
      if (self->at != g_value_get_int64 (value))
        {
          self->at = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SUBJECT:
      if (g_strcmp0 (self->subject, g_value_get_string (value)) != 0)
        {
          g_free (self->subject);
          self->subject = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_TEXT:
      if (g_strcmp0 (self->text, g_value_get_string (value)) != 0)
        {
          g_free (self->text);
          self->text = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_AUTHOR:
      if (g_strcmp0 (self->author, g_value_get_string (value)) != 0)
        {
          g_free (self->author);
          self->author = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PROBABILITY:
      if (self->probability != g_value_get_int (value))
        {
          self->probability = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PHASE:
      if (g_strcmp0 (self->phase, g_value_get_string (value)) != 0)
        {
          g_free (self->phase);
          self->phase = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ------------------------------------------------------------------- init */

static void
crm_activity_class_init (CrmActivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = crm_activity_finalize;
  object_class->get_property = crm_activity_get_property;
  object_class->set_property = crm_activity_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, rw);
  properties[PROP_LEAD_ID] = g_param_spec_int64 ("lead-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_CONTACT_ID] = g_param_spec_int64 ("contact-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, rw);
  properties[PROP_AT] = g_param_spec_int64 ("at", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, rw);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, rw);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, rw);
  properties[PROP_PROBABILITY] = g_param_spec_int ("probability", NULL, NULL, -1, 100, -1, rw);
  properties[PROP_PHASE] = g_param_spec_string ("phase", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_activity_init (CrmActivity *self)
{
  self->probability = -1;
}

/* ----------------------------------------------------------------- public */

CrmActivity *
crm_activity_new (void)
{
  return g_object_new (CRM_TYPE_ACTIVITY, NULL);
}

gint64
crm_activity_get_id (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->id;
}

const char *
crm_activity_get_uuid (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->uuid;
}

gint64
crm_activity_get_lead_id (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->lead_id;
}

gint64
crm_activity_get_contact_id (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->contact_id;
}

const char *
crm_activity_get_kind (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->kind;
}

gint64
crm_activity_get_at (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->at;
}

const char *
crm_activity_get_subject (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->subject;
}

const char *
crm_activity_get_text (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->text;
}

const char *
crm_activity_get_author (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->author;
}

int
crm_activity_get_probability (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->probability;
}

const char *
crm_activity_get_phase (CrmActivity *self)
{
  g_return_val_if_fail (CRM_IS_ACTIVITY (self), 0);

  return self->phase;
}
