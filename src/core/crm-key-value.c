/* crm-key-value.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Key values: phases (ordered, with a default probability), statuses
 * (each counting as open, won or lost), types, sales units, sources, lost
 * reasons and activity kinds. Records refer to them by their stable key;
 * the label is what users see and may rename.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-key-value.h"
#include "crm-lead.h"

struct _CrmKeyValue
{
  GObject parent_instance;

  gint64 id;
  char *kind;
  char *key;
  char *label;
  int position;
  gboolean active;
  int probability;
  int status_class;
  int stale_days;
  gint64 n_uses;
};

G_DEFINE_FINAL_TYPE (CrmKeyValue, crm_key_value, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_KEY,
  PROP_LABEL,
  PROP_POSITION,
  PROP_ACTIVE,
  PROP_PROBABILITY,
  PROP_STATUS_CLASS,
  PROP_STALE_DAYS,
  PROP_N_USES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* -------------------------------------------------------------- overrides */

static void
crm_key_value_finalize (GObject *object)
{
  CrmKeyValue *self = (CrmKeyValue *)object;

  g_free (self->kind);
  g_free (self->key);
  g_free (self->label);

  G_OBJECT_CLASS (crm_key_value_parent_class)->finalize (object);
}

static void
crm_key_value_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CrmKeyValue *self = CRM_KEY_VALUE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_KEY: g_value_set_string (value, self->key); break;
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_POSITION: g_value_set_int (value, self->position); break;
    case PROP_ACTIVE: g_value_set_boolean (value, self->active); break;
    case PROP_PROBABILITY: g_value_set_int (value, self->probability); break;
    case PROP_STATUS_CLASS: g_value_set_int (value, self->status_class); break;
    case PROP_STALE_DAYS: g_value_set_int (value, self->stale_days); break;
    case PROP_N_USES: g_value_set_int64 (value, self->n_uses); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_key_value_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CrmKeyValue *self = CRM_KEY_VALUE (object);

  switch (prop_id)
    {
    case PROP_ID:
      if (self->id != g_value_get_int64 (value))
        {
          self->id = g_value_get_int64 (value);
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
    case PROP_KEY:
      if (g_strcmp0 (self->key, g_value_get_string (value)) != 0)
        {
          g_free (self->key);
          self->key = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_LABEL:
      if (g_strcmp0 (self->label, g_value_get_string (value)) != 0)
        {
          g_free (self->label);
          self->label = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_POSITION:
      if (self->position != g_value_get_int (value))
        {
          self->position = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ACTIVE:
      if (self->active != g_value_get_boolean (value))
        {
          self->active = g_value_get_boolean (value);
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
    case PROP_STATUS_CLASS:
      if (self->status_class != g_value_get_int (value))
        {
          self->status_class = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_STALE_DAYS:
      if (self->stale_days != g_value_get_int (value))
        {
          self->stale_days = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_N_USES:
      if (self->n_uses != g_value_get_int64 (value))
        {
          self->n_uses = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ------------------------------------------------------------------- init */

static void
crm_key_value_class_init (CrmKeyValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = crm_key_value_finalize;
  object_class->get_property = crm_key_value_get_property;
  object_class->set_property = crm_key_value_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, rw);
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, rw);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, rw);
  properties[PROP_POSITION] = g_param_spec_int ("position", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, TRUE, rw);
  properties[PROP_PROBABILITY] = g_param_spec_int ("probability", NULL, NULL, -1, 100, -1, rw);
  properties[PROP_STATUS_CLASS] = g_param_spec_int ("status-class", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  properties[PROP_STALE_DAYS] = g_param_spec_int ("stale-days", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  properties[PROP_N_USES] = g_param_spec_int64 ("n-uses", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_key_value_init (CrmKeyValue *self)
{
  self->active = TRUE;
  self->probability = -1;
}

/* ----------------------------------------------------------------- public */

CrmKeyValue *
crm_key_value_new (void)
{
  return g_object_new (CRM_TYPE_KEY_VALUE, NULL);
}

gint64
crm_key_value_get_id (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->id;
}

const char *
crm_key_value_get_kind (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->kind;
}

const char *
crm_key_value_get_key (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->key;
}

const char *
crm_key_value_get_label (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->label;
}

int
crm_key_value_get_position (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->position;
}

gboolean
crm_key_value_get_active (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->active;
}

int
crm_key_value_get_probability (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->probability;
}

int
crm_key_value_get_status_class (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->status_class;
}

int
crm_key_value_get_stale_days (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->stale_days;
}

gint64
crm_key_value_get_n_uses (CrmKeyValue *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE (self), 0);

  return self->n_uses;
}

/* The key values every new database starts with: the app's local store and
 * leads-server seed the same keys from this one table. Labels are N_()
 * strings; translate them with g_dgettext (GETTEXT_PACKAGE, …). */
static const CrmKeyValueDefault key_value_defaults[] = {
  { "phase", "lead", N_("Lead"), 0, 10, 0, 30 },
  { "phase", "qualification", N_("Qualification"), 1, 20, 0, 21 },
  { "phase", "needs_analysis", N_("Needs analysis"), 2, 30, 0, 21 },
  { "phase", "proposal", N_("Proposal"), 3, 50, 0, 14 },
  { "phase", "negotiation", N_("Negotiation"), 4, 70, 0, 14 },
  { "phase", "decision", N_("Decision"), 5, 90, 0, 7 },
  { "status", "open", N_("Open"), 0, -1, CRM_STATUS_CLASS_OPEN },
  { "status", "on_hold", N_("On hold"), 1, -1, CRM_STATUS_CLASS_OPEN },
  { "status", "won", N_("Won"), 2, -1, CRM_STATUS_CLASS_WON },
  { "status", "lost", N_("Lost"), 3, -1, CRM_STATUS_CLASS_LOST },
  { "status", "cancelled", N_("Cancelled"), 4, -1, CRM_STATUS_CLASS_LOST },
  { "type", "new_business", N_("New business"), 0, -1, 0 },
  { "type", "upsell", N_("Upsell"), 1, -1, 0 },
  { "type", "renewal", N_("Renewal"), 2, -1, 0 },
  { "type", "service", N_("Service"), 3, -1, 0 },
  { "unit", "north", N_("North"), 0, -1, 0 },
  { "unit", "south", N_("South"), 1, -1, 0 },
  { "unit", "international", N_("International"), 2, -1, 0 },
  { "unit", "key_accounts", N_("Key accounts"), 3, -1, 0 },
  { "source", "referral", N_("Referral"), 0, -1, 0 },
  { "source", "website", N_("Website"), 1, -1, 0 },
  { "source", "trade_fair", N_("Trade fair"), 2, -1, 0 },
  { "source", "cold_call", N_("Cold call"), 3, -1, 0 },
  { "source", "partner", N_("Partner"), 4, -1, 0 },
  { "source", "campaign", N_("Campaign"), 5, -1, 0 },
  { "lost_reason", "price", N_("Price too high"), 0, -1, 0 },
  { "lost_reason", "competitor", N_("Went to a competitor"), 1, -1, 0 },
  { "lost_reason", "no_budget", N_("No budget"), 2, -1, 0 },
  { "lost_reason", "no_decision", N_("No decision"), 3, -1, 0 },
  { "lost_reason", "timing", N_("Bad timing"), 4, -1, 0 },
  { "lost_reason", "product_fit", N_("Product does not fit"), 5, -1, 0 },
  { "activity_kind", "call", N_("Call"), 0, -1, 0 },
  { "activity_kind", "visit", N_("Visit"), 1, -1, 0 },
  { "activity_kind", "meeting", N_("Meeting"), 2, -1, 0 },
  { "activity_kind", "email", N_("E-mail"), 3, -1, 0 },
  { "activity_kind", "note", N_("Note"), 4, -1, 0 },
};

const CrmKeyValueDefault *
crm_key_value_defaults (guint *n_defaults)
{
  if (n_defaults != NULL)
    *n_defaults = G_N_ELEMENTS (key_value_defaults);
  return key_value_defaults;
}

/* The lists of key values, in the order leadsctl shows them. */
const char * const *
crm_key_value_kinds (void)
{
  static const char * const kinds[] = {
    "phase", "status", "type", "unit", "source", "lost_reason", "activity_kind", NULL,
  };

  return kinds;
}

gboolean
crm_key_value_kind_is_valid (const char *kind)
{
  return kind != NULL && g_strv_contains (crm_key_value_kinds (), kind);
}
