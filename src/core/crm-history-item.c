/* crm-history-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history of a lead merges its contact reports (kind "report") and
 * its logged changes (kind "change": field, old value -> new value) into
 * one timeline, newest first. Labels are the display forms of values.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include "crm-history-item.h"

struct _CrmHistoryItem
{
  GObject parent_instance;

  char *kind;
  gint64 at;
  char *author;
  gint64 lead_id;
  char *lead_title;
  char *field;
  char *old_value;
  char *new_value;
  char *old_label;
  char *new_label;
  gint64 activity_id;
  char *report_kind;
  char *report_kind_label;
  char *subject;
  char *text;
  int probability;
  char *phase;
  char *phase_label;
};

G_DEFINE_FINAL_TYPE (CrmHistoryItem, crm_history_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_AT,
  PROP_AUTHOR,
  PROP_LEAD_ID,
  PROP_LEAD_TITLE,
  PROP_FIELD,
  PROP_OLD_VALUE,
  PROP_NEW_VALUE,
  PROP_OLD_LABEL,
  PROP_NEW_LABEL,
  PROP_ACTIVITY_ID,
  PROP_REPORT_KIND,
  PROP_REPORT_KIND_LABEL,
  PROP_SUBJECT,
  PROP_TEXT,
  PROP_PROBABILITY,
  PROP_PHASE,
  PROP_PHASE_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* -------------------------------------------------------------- overrides */

static void
crm_history_item_finalize (GObject *object)
{
  CrmHistoryItem *self = (CrmHistoryItem *)object;

  g_free (self->kind);
  g_free (self->author);
  g_free (self->lead_title);
  g_free (self->field);
  g_free (self->old_value);
  g_free (self->new_value);
  g_free (self->old_label);
  g_free (self->new_label);
  g_free (self->report_kind);
  g_free (self->report_kind_label);
  g_free (self->subject);
  g_free (self->text);
  g_free (self->phase);
  g_free (self->phase_label);

  G_OBJECT_CLASS (crm_history_item_parent_class)->finalize (object);
}

static void
crm_history_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrmHistoryItem *self = CRM_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_AT: g_value_set_int64 (value, self->at); break;
    case PROP_AUTHOR: g_value_set_string (value, self->author); break;
    case PROP_LEAD_ID: g_value_set_int64 (value, self->lead_id); break;
    case PROP_LEAD_TITLE: g_value_set_string (value, self->lead_title); break;
    case PROP_FIELD: g_value_set_string (value, self->field); break;
    case PROP_OLD_VALUE: g_value_set_string (value, self->old_value); break;
    case PROP_NEW_VALUE: g_value_set_string (value, self->new_value); break;
    case PROP_OLD_LABEL: g_value_set_string (value, self->old_label); break;
    case PROP_NEW_LABEL: g_value_set_string (value, self->new_label); break;
    case PROP_ACTIVITY_ID: g_value_set_int64 (value, self->activity_id); break;
    case PROP_REPORT_KIND: g_value_set_string (value, self->report_kind); break;
    case PROP_REPORT_KIND_LABEL: g_value_set_string (value, self->report_kind_label); break;
    case PROP_SUBJECT: g_value_set_string (value, self->subject); break;
    case PROP_TEXT: g_value_set_string (value, self->text); break;
    case PROP_PROBABILITY: g_value_set_int (value, self->probability); break;
    case PROP_PHASE: g_value_set_string (value, self->phase); break;
    case PROP_PHASE_LABEL: g_value_set_string (value, self->phase_label); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_history_item_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CrmHistoryItem *self = CRM_HISTORY_ITEM (object);

  switch (prop_id)
    {
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
    case PROP_AUTHOR:
      if (g_strcmp0 (self->author, g_value_get_string (value)) != 0)
        {
          g_free (self->author);
          self->author = g_value_dup_string (value);
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
    case PROP_LEAD_TITLE:
      if (g_strcmp0 (self->lead_title, g_value_get_string (value)) != 0)
        {
          g_free (self->lead_title);
          self->lead_title = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_FIELD:
      if (g_strcmp0 (self->field, g_value_get_string (value)) != 0)
        {
          g_free (self->field);
          self->field = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_OLD_VALUE:
      if (g_strcmp0 (self->old_value, g_value_get_string (value)) != 0)
        {
          g_free (self->old_value);
          self->old_value = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_NEW_VALUE:
      if (g_strcmp0 (self->new_value, g_value_get_string (value)) != 0)
        {
          g_free (self->new_value);
          self->new_value = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_OLD_LABEL:
      if (g_strcmp0 (self->old_label, g_value_get_string (value)) != 0)
        {
          g_free (self->old_label);
          self->old_label = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_NEW_LABEL:
      if (g_strcmp0 (self->new_label, g_value_get_string (value)) != 0)
        {
          g_free (self->new_label);
          self->new_label = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ACTIVITY_ID:
      if (self->activity_id != g_value_get_int64 (value))
        {
          self->activity_id = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_REPORT_KIND:
      if (g_strcmp0 (self->report_kind, g_value_get_string (value)) != 0)
        {
          g_free (self->report_kind);
          self->report_kind = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_REPORT_KIND_LABEL:
      if (g_strcmp0 (self->report_kind_label, g_value_get_string (value)) != 0)
        {
          g_free (self->report_kind_label);
          self->report_kind_label = g_value_dup_string (value);
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
    case PROP_PHASE_LABEL:
      if (g_strcmp0 (self->phase_label, g_value_get_string (value)) != 0)
        {
          g_free (self->phase_label);
          self->phase_label = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ------------------------------------------------------------------- init */

static void
crm_history_item_class_init (CrmHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = crm_history_item_finalize;
  object_class->get_property = crm_history_item_get_property;
  object_class->set_property = crm_history_item_set_property;

  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, rw);
  properties[PROP_AT] = g_param_spec_int64 ("at", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, rw);
  properties[PROP_LEAD_ID] = g_param_spec_int64 ("lead-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_LEAD_TITLE] = g_param_spec_string ("lead-title", NULL, NULL, NULL, rw);
  properties[PROP_FIELD] = g_param_spec_string ("field", NULL, NULL, NULL, rw);
  properties[PROP_OLD_VALUE] = g_param_spec_string ("old-value", NULL, NULL, NULL, rw);
  properties[PROP_NEW_VALUE] = g_param_spec_string ("new-value", NULL, NULL, NULL, rw);
  properties[PROP_OLD_LABEL] = g_param_spec_string ("old-label", NULL, NULL, NULL, rw);
  properties[PROP_NEW_LABEL] = g_param_spec_string ("new-label", NULL, NULL, NULL, rw);
  properties[PROP_ACTIVITY_ID] = g_param_spec_int64 ("activity-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_REPORT_KIND] = g_param_spec_string ("report-kind", NULL, NULL, NULL, rw);
  properties[PROP_REPORT_KIND_LABEL] = g_param_spec_string ("report-kind-label", NULL, NULL, NULL, rw);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, rw);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, rw);
  properties[PROP_PROBABILITY] = g_param_spec_int ("probability", NULL, NULL, -1, 100, -1, rw);
  properties[PROP_PHASE] = g_param_spec_string ("phase", NULL, NULL, NULL, rw);
  properties[PROP_PHASE_LABEL] = g_param_spec_string ("phase-label", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_history_item_init (CrmHistoryItem *self)
{
  self->probability = -1;
}

/* ----------------------------------------------------------------- public */

CrmHistoryItem *
crm_history_item_new (void)
{
  return g_object_new (CRM_TYPE_HISTORY_ITEM, NULL);
}

const char *
crm_history_item_get_kind (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->kind;
}

gint64
crm_history_item_get_at (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->at;
}

const char *
crm_history_item_get_author (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->author;
}

gint64
crm_history_item_get_lead_id (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->lead_id;
}

const char *
crm_history_item_get_lead_title (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->lead_title;
}

const char *
crm_history_item_get_field (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->field;
}

const char *
crm_history_item_get_old_value (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->old_value;
}

const char *
crm_history_item_get_new_value (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->new_value;
}

const char *
crm_history_item_get_old_label (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->old_label;
}

const char *
crm_history_item_get_new_label (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->new_label;
}

gint64
crm_history_item_get_activity_id (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->activity_id;
}

const char *
crm_history_item_get_report_kind (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->report_kind;
}

const char *
crm_history_item_get_report_kind_label (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->report_kind_label;
}

const char *
crm_history_item_get_subject (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->subject;
}

const char *
crm_history_item_get_text (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->text;
}

int
crm_history_item_get_probability (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->probability;
}

const char *
crm_history_item_get_phase (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->phase;
}

const char *
crm_history_item_get_phase_label (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), 0);

  return self->phase_label;
}

gboolean
crm_history_item_is_report (CrmHistoryItem *self)
{
  g_return_val_if_fail (CRM_IS_HISTORY_ITEM (self), FALSE);

  return g_strcmp0 (self->kind, "report") == 0;
}
