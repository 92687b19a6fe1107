/* crm-lead.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CrmLead is a plain value object with properties, so that list columns,
 * the detail page and sorters can bind to it. The store owns the truth:
 * it fills leads from the database and refreshes live instances in place
 * after every change, so every view of one lead sees the same object.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-currency.h"
#include "crm-lead.h"
#include "crm-money.h"
#include "crm-month.h"

struct _CrmLead
{
  GObject parent_instance;

  gint64  id;
  char   *uuid;
  char   *title;
  gint64  contact_id;
  char   *contact_name;
  gint64  volume_minor;
  char   *currency;
  int     probability;
  char   *status;
  char   *status_label;
  int     status_class;
  char   *phase;
  char   *phase_label;
  int     phase_probability;
  char   *lead_type;
  char   *unit;
  char   *owner;
  int     close_month;
  char   *source;
  char   *description;
  char   *lost_reason;
  char   *next_follow_up;
  gint64  created_at;
  gint64  updated_at;
  gint64  last_activity;
  int     sync_state;
  gint64  rev;
};

G_DEFINE_FINAL_TYPE (CrmLead, crm_lead, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_UUID,
  PROP_TITLE,
  PROP_CONTACT_ID,
  PROP_CONTACT_NAME,
  PROP_VOLUME_MINOR,
  PROP_CURRENCY,
  PROP_PROBABILITY,
  PROP_WEIGHTED_MINOR,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_STATUS_CLASS,
  PROP_PHASE,
  PROP_PHASE_LABEL,
  PROP_PHASE_PROBABILITY,
  PROP_LEAD_TYPE,
  PROP_UNIT,
  PROP_OWNER,
  PROP_CLOSE_MONTH,
  PROP_SOURCE,
  PROP_DESCRIPTION,
  PROP_LOST_REASON,
  PROP_NEXT_FOLLOW_UP,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_LAST_ACTIVITY,
  PROP_SYNC_STATE,
  PROP_REV,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ----------------------------------------------------------- field table */

static const CrmLeadField fields[] = {
  { "title",        "title",        CRM_FIELD_KIND_REQUIRED_TEXT, NULL,     FALSE, "title" },
  { "contact_id",   "contact_id",   CRM_FIELD_KIND_CONTACT,       NULL,     TRUE,  "contact-id" },
  { "volume_minor", "volume_minor", CRM_FIELD_KIND_MONEY,         NULL,     TRUE,  "volume-minor" },
  { "currency",     "currency",     CRM_FIELD_KIND_CURRENCY,      NULL,     TRUE,  "currency" },
  { "probability",  "probability",  CRM_FIELD_KIND_PROBABILITY,   NULL,     TRUE,  "probability" },
  { "status",       "status",       CRM_FIELD_KIND_KEY_VALUE,     "status", TRUE,  "status" },
  { "phase",        "phase",        CRM_FIELD_KIND_KEY_VALUE,     "phase",  TRUE,  "phase" },
  { "type",         "type",         CRM_FIELD_KIND_KEY_VALUE,     "type",   FALSE, "lead-type" },
  { "unit",         "unit",         CRM_FIELD_KIND_KEY_VALUE,     "unit",   FALSE, "unit" },
  { "owner",        "owner",        CRM_FIELD_KIND_TEXT,          NULL,     TRUE,  "owner" },
  { "close_month",  "close_month",  CRM_FIELD_KIND_MONTH,         NULL,     TRUE,  "close-month" },
  { "source",       "source",       CRM_FIELD_KIND_KEY_VALUE,     "source", FALSE, "source" },
  { "description",  "description",  CRM_FIELD_KIND_TEXT,          NULL,     FALSE, "description" },
  { "lost_reason",  "lost_reason",  CRM_FIELD_KIND_KEY_VALUE,     "lost_reason", TRUE, "lost-reason" },
  { "next_follow_up", "next_follow_up", CRM_FIELD_KIND_DATE,      NULL,     FALSE, "next-follow-up" },
};

#define MAX_TEXT_LENGTH 100000
#define MAX_TITLE_LENGTH 500

const CrmLeadField *
crm_lead_fields (guint *n_fields)
{
  if (n_fields != NULL)
    *n_fields = G_N_ELEMENTS (fields);
  return fields;
}

const CrmLeadField *
crm_lead_field_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].name, name) == 0)
      return &fields[i];

  return NULL;
}

/* Human labels for history lines and error messages. */
const char *
crm_lead_field_label (const char *name)
{
  static const struct { const char *name; const char *label; } labels[] = {
    { "title", N_("Title") },
    { "contact_id", N_("Contact") },
    { "volume_minor", N_("Volume") },
    { "currency", N_("Currency") },
    { "probability", N_("Probability") },
    { "status", N_("Status") },
    { "phase", N_("Phase") },
    { "type", N_("Type") },
    { "unit", N_("Sales unit") },
    { "owner", N_("Owner") },
    { "close_month", N_("Expected close") },
    { "source", N_("Source") },
    { "description", N_("Description") },
    { "lost_reason", N_("Lost reason") },
    { "next_follow_up", N_("Next follow-up") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].name, name) == 0)
      return g_dgettext (GETTEXT_PACKAGE, labels[i].label);

  return name;
}

static gboolean
parse_integer (const char *value,
               gint64     *out)
{
  char *end = NULL;
  gint64 v;

  if (value == NULL || *value == '\0')
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isdigit (*p) && !(p == value && *p == '-'))
      return FALSE;

  errno = 0;
  v = g_ascii_strtoll (value, &end, 10);
  /* Out of range saturates (ERANGE), so that callers report "too large"
   * rather than "not a number". */
  if ((errno != 0 && errno != ERANGE) || end == NULL || end == value || *end != '\0')
    return FALSE;

  *out = v;
  return TRUE;
}

/**
 * crm_lead_parse_date:
 *
 * Accepts "2026-12-04" (the canonical form), "4.12.2026" and
 * "12/4/2026" (month first, as in English).
 */
gboolean
crm_lead_parse_date (const char  *text,
                     GDate       *out_date,
                     GError     **error)
{
  g_auto(GStrv) parts = NULL;
  gint64 a = 0, b = 0, c = 0;
  int year = 0, month = 0, day = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (out_date != NULL, FALSE);

  if (text != NULL && strchr (text, '-') != NULL)
    {
      parts = g_strsplit (text, "-", -1);
      ok = g_strv_length (parts) == 3 && strlen (parts[0]) == 4 &&
           parse_integer (parts[0], &a) && parse_integer (parts[1], &b) && parse_integer (parts[2], &c);
      year = a, month = b, day = c;
    }
  else if (text != NULL && strchr (text, '.') != NULL)
    {
      parts = g_strsplit (text, ".", -1);
      ok = g_strv_length (parts) == 3 && strlen (parts[2]) == 4 &&
           parse_integer (parts[0], &a) && parse_integer (parts[1], &b) && parse_integer (parts[2], &c);
      day = a, month = b, year = c;
    }
  else if (text != NULL && strchr (text, '/') != NULL)
    {
      parts = g_strsplit (text, "/", -1);
      ok = g_strv_length (parts) == 3 && strlen (parts[2]) == 4 &&
           parse_integer (parts[0], &a) && parse_integer (parts[1], &b) && parse_integer (parts[2], &c);
      month = a, day = b, year = c;
    }

  if (!ok || year < 1900 || year > 9999 || !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_DATE,
                   _("“%s” is not a date; use the form 2026-12-04"), text ? text : "");
      return FALSE;
    }

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, day, month, year);
  return TRUE;
}

/**
 * crm_lead_field_normalize:
 * @normalized: (out): the canonical form to store
 *
 * Checks a value for a field by the field's own rules; key values and
 * contacts are checked against the store by the store.
 */
gboolean
crm_lead_field_normalize (const CrmLeadField  *field,
                          const char          *value,
                          char               **normalized,
                          GError             **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value != NULL ? value : ""));
  gint64 n;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (normalized != NULL, FALSE);

  if (!g_utf8_validate (v, -1, NULL))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("%s: the text is not valid UTF-8"), field->name);
      return FALSE;
    }

  switch (field->kind)
    {
    case CRM_FIELD_KIND_REQUIRED_TEXT:
      if (*v == '\0')
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED,
                       _("%s: a title is required"), field->name);
          return FALSE;
        }
      if (g_utf8_strlen (v, -1) > MAX_TITLE_LENGTH)
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_TOO_LONG,
                       _("%s: at most %d characters"), field->name, MAX_TITLE_LENGTH);
          return FALSE;
        }
      break;

    case CRM_FIELD_KIND_TEXT:
      if (strlen (v) > MAX_TEXT_LENGTH)
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_TOO_LONG,
                       _("%s: the text is too long"), field->name);
          return FALSE;
        }
      /* descriptions keep their inner layout */
      if (g_strcmp0 (field->name, "description") == 0 && value != NULL)
        {
          *normalized = g_strdup (value);
          return TRUE;
        }
      break;

    case CRM_FIELD_KIND_MONEY:
      if (!parse_integer (v, &n))
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_AMOUNT,
                       _("%s: “%s” is not a whole number of minor units"), field->name, v);
          return FALSE;
        }
      if (n < 0)
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_NEGATIVE_AMOUNT,
                       _("%s: the volume must not be negative"), field->name);
          return FALSE;
        }
      if (n > CRM_MONEY_MAX_MINOR)
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_AMOUNT_TOO_LARGE,
                       _("%s: the volume is too large"), field->name);
          return FALSE;
        }
      *normalized = g_strdup_printf ("%" G_GINT64_FORMAT, n);
      return TRUE;

    case CRM_FIELD_KIND_CURRENCY:
      {
        g_autofree char *upper = g_ascii_strup (v, -1);

        if (!crm_currency_is_valid (upper))
          {
            g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_CURRENCY,
                         _("%s: “%s” is not an ISO 4217 currency code"), field->name, v);
            return FALSE;
          }
        *normalized = g_steal_pointer (&upper);
        return TRUE;
      }

    case CRM_FIELD_KIND_PROBABILITY:
      if (!parse_integer (v, &n) || n < 0 || n > 100)
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_PROBABILITY,
                       _("%s: “%s” is not a whole number from 0 to 100"), field->name, v);
          return FALSE;
        }
      *normalized = g_strdup_printf ("%d", (int) n);
      return TRUE;

    case CRM_FIELD_KIND_MONTH:
      if (*v != '\0')
        {
          CrmMonth month;
          g_autoptr(GError) local_error = NULL;

          if (!crm_month_parse (v, &month, &local_error))
            {
              g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_MONTH,
                           "%s: %s", field->name, local_error->message);
              return FALSE;
            }
          *normalized = crm_month_to_iso (month);
          return TRUE;
        }
      break;

    case CRM_FIELD_KIND_DATE:
      if (*v != '\0')
        {
          g_autoptr(GError) local_error = NULL;
          GDate date;

          if (!crm_lead_parse_date (v, &date, &local_error))
            {
              g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_DATE,
                           "%s: %s", field->name, local_error->message);
              return FALSE;
            }
          *normalized = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date),
                                         g_date_get_month (&date), g_date_get_day (&date));
          return TRUE;
        }
      break;

    case CRM_FIELD_KIND_CONTACT:
      if (*v != '\0' && (!parse_integer (v, &n) || n <= 0))
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                       _("%s: “%s” is not a contact id"), field->name, v);
          return FALSE;
        }
      break;

    case CRM_FIELD_KIND_KEY_VALUE:
    default:
      break;
    }

  *normalized = g_steal_pointer (&v);
  return TRUE;
}

/* The canonical string of a field's current value, as logged in history. */
char *
crm_lead_dup_field_value (CrmLead            *self,
                          const CrmLeadField *field)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (CRM_IS_LEAD (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (field->kind == CRM_FIELD_KIND_MONTH)
    return self->close_month ? crm_month_to_iso (self->close_month) : g_strdup ("");
  if (field->kind == CRM_FIELD_KIND_CONTACT)
    return self->contact_id ? g_strdup_printf ("%" G_GINT64_FORMAT, self->contact_id) : g_strdup ("");

  g_value_init (&value, g_object_class_find_property (G_OBJECT_GET_CLASS (self), field->property)->value_type);
  g_object_get_property (G_OBJECT (self), field->property, &value);

  if (G_VALUE_HOLDS_STRING (&value))
    return g_strdup (g_value_get_string (&value) ? g_value_get_string (&value) : "");
  if (G_VALUE_HOLDS_INT (&value))
    return g_strdup_printf ("%d", g_value_get_int (&value));
  if (G_VALUE_HOLDS_INT64 (&value))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));

  g_return_val_if_reached (NULL);
}

/* ---------------------------------------------------------------- helpers */

static void
set_string (CrmLead     *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int64 (CrmLead *self,
           gint64  *field,
           gint64   value,
           guint    prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int (CrmLead *self,
         int     *field,
         int      value,
         guint    prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* -------------------------------------------------------------- overrides */

static void
crm_lead_finalize (GObject *object)
{
  CrmLead *self = (CrmLead *)object;

  g_free (self->uuid);
  g_free (self->title);
  g_free (self->contact_name);
  g_free (self->currency);
  g_free (self->status);
  g_free (self->status_label);
  g_free (self->phase);
  g_free (self->phase_label);
  g_free (self->lead_type);
  g_free (self->unit);
  g_free (self->owner);
  g_free (self->source);
  g_free (self->description);
  g_free (self->lost_reason);
  g_free (self->next_follow_up);

  G_OBJECT_CLASS (crm_lead_parent_class)->finalize (object);
}

static void
crm_lead_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CrmLead *self = CRM_LEAD (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_UUID: g_value_set_string (value, self->uuid); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_CONTACT_ID: g_value_set_int64 (value, self->contact_id); break;
    case PROP_CONTACT_NAME: g_value_set_string (value, self->contact_name); break;
    case PROP_VOLUME_MINOR: g_value_set_int64 (value, self->volume_minor); break;
    case PROP_CURRENCY: g_value_set_string (value, self->currency); break;
    case PROP_PROBABILITY: g_value_set_int (value, self->probability); break;
    case PROP_WEIGHTED_MINOR: g_value_set_int64 (value, crm_lead_get_weighted_minor (self)); break;
    case PROP_STATUS: g_value_set_string (value, self->status); break;
    case PROP_STATUS_LABEL: g_value_set_string (value, self->status_label); break;
    case PROP_STATUS_CLASS: g_value_set_int (value, self->status_class); break;
    case PROP_PHASE: g_value_set_string (value, self->phase); break;
    case PROP_PHASE_LABEL: g_value_set_string (value, self->phase_label); break;
    case PROP_PHASE_PROBABILITY: g_value_set_int (value, self->phase_probability); break;
    case PROP_LEAD_TYPE: g_value_set_string (value, self->lead_type); break;
    case PROP_UNIT: g_value_set_string (value, self->unit); break;
    case PROP_OWNER: g_value_set_string (value, self->owner); break;
    case PROP_CLOSE_MONTH: g_value_set_int (value, self->close_month); break;
    case PROP_SOURCE: g_value_set_string (value, self->source); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_LOST_REASON: g_value_set_string (value, self->lost_reason); break;
    case PROP_NEXT_FOLLOW_UP: g_value_set_string (value, self->next_follow_up); break;
    case PROP_CREATED_AT: g_value_set_int64 (value, self->created_at); break;
    case PROP_UPDATED_AT: g_value_set_int64 (value, self->updated_at); break;
    case PROP_LAST_ACTIVITY: g_value_set_int64 (value, self->last_activity); break;
    case PROP_SYNC_STATE: g_value_set_int (value, self->sync_state); break;
    case PROP_REV: g_value_set_int64 (value, self->rev); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_lead_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CrmLead *self = CRM_LEAD (object);
  gint64 old_weighted = crm_lead_get_weighted_minor (self);

  switch (prop_id)
    {
    case PROP_ID: set_int64 (self, &self->id, g_value_get_int64 (value), prop_id); break;
    case PROP_UUID: set_string (self, &self->uuid, g_value_get_string (value), prop_id); break;
    case PROP_TITLE: set_string (self, &self->title, g_value_get_string (value), prop_id); break;
    case PROP_CONTACT_ID: set_int64 (self, &self->contact_id, g_value_get_int64 (value), prop_id); break;
    case PROP_CONTACT_NAME: set_string (self, &self->contact_name, g_value_get_string (value), prop_id); break;
    case PROP_VOLUME_MINOR: set_int64 (self, &self->volume_minor, g_value_get_int64 (value), prop_id); break;
    case PROP_CURRENCY: set_string (self, &self->currency, g_value_get_string (value), prop_id); break;
    case PROP_PROBABILITY: set_int (self, &self->probability, g_value_get_int (value), prop_id); break;
    case PROP_STATUS: set_string (self, &self->status, g_value_get_string (value), prop_id); break;
    case PROP_STATUS_LABEL: set_string (self, &self->status_label, g_value_get_string (value), prop_id); break;
    case PROP_STATUS_CLASS: set_int (self, &self->status_class, g_value_get_int (value), prop_id); break;
    case PROP_PHASE: set_string (self, &self->phase, g_value_get_string (value), prop_id); break;
    case PROP_PHASE_LABEL: set_string (self, &self->phase_label, g_value_get_string (value), prop_id); break;
    case PROP_PHASE_PROBABILITY: set_int (self, &self->phase_probability, g_value_get_int (value), prop_id); break;
    case PROP_LEAD_TYPE: set_string (self, &self->lead_type, g_value_get_string (value), prop_id); break;
    case PROP_UNIT: set_string (self, &self->unit, g_value_get_string (value), prop_id); break;
    case PROP_OWNER: set_string (self, &self->owner, g_value_get_string (value), prop_id); break;
    case PROP_CLOSE_MONTH: set_int (self, &self->close_month, g_value_get_int (value), prop_id); break;
    case PROP_SOURCE: set_string (self, &self->source, g_value_get_string (value), prop_id); break;
    case PROP_DESCRIPTION: set_string (self, &self->description, g_value_get_string (value), prop_id); break;
    case PROP_LOST_REASON: set_string (self, &self->lost_reason, g_value_get_string (value), prop_id); break;
    case PROP_NEXT_FOLLOW_UP: set_string (self, &self->next_follow_up, g_value_get_string (value), prop_id); break;
    case PROP_CREATED_AT: set_int64 (self, &self->created_at, g_value_get_int64 (value), prop_id); break;
    case PROP_UPDATED_AT: set_int64 (self, &self->updated_at, g_value_get_int64 (value), prop_id); break;
    case PROP_LAST_ACTIVITY: set_int64 (self, &self->last_activity, g_value_get_int64 (value), prop_id); break;
    case PROP_SYNC_STATE: set_int (self, &self->sync_state, g_value_get_int (value), prop_id); break;
    case PROP_REV: set_int64 (self, &self->rev, g_value_get_int64 (value), prop_id); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (old_weighted != crm_lead_get_weighted_minor (self))
    g_object_notify_by_pspec (object, properties[PROP_WEIGHTED_MINOR]);
}

/* ------------------------------------------------------------------- init */

static void
crm_lead_class_init (CrmLeadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = crm_lead_finalize;
  object_class->get_property = crm_lead_get_property;
  object_class->set_property = crm_lead_set_property;

#define STR_PROP(ID, name) \
  properties[ID] = g_param_spec_string (name, NULL, NULL, NULL, rw)
#define INT64_PROP(ID, name, min) \
  properties[ID] = g_param_spec_int64 (name, NULL, NULL, min, G_MAXINT64, 0, rw)

  INT64_PROP (PROP_ID, "id", 0);
  STR_PROP (PROP_UUID, "uuid");
  STR_PROP (PROP_TITLE, "title");
  INT64_PROP (PROP_CONTACT_ID, "contact-id", 0);
  STR_PROP (PROP_CONTACT_NAME, "contact-name");
  INT64_PROP (PROP_VOLUME_MINOR, "volume-minor", 0);
  STR_PROP (PROP_CURRENCY, "currency");
  properties[PROP_PROBABILITY] = g_param_spec_int ("probability", NULL, NULL, 0, 100, 0, rw);
  properties[PROP_WEIGHTED_MINOR] =
    g_param_spec_int64 ("weighted-minor", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  STR_PROP (PROP_STATUS, "status");
  STR_PROP (PROP_STATUS_LABEL, "status-label");
  properties[PROP_STATUS_CLASS] = g_param_spec_int ("status-class", NULL, NULL,
                                                    CRM_STATUS_CLASS_OPEN, CRM_STATUS_CLASS_LOST,
                                                    CRM_STATUS_CLASS_OPEN, rw);
  STR_PROP (PROP_PHASE, "phase");
  STR_PROP (PROP_PHASE_LABEL, "phase-label");
  properties[PROP_PHASE_PROBABILITY] = g_param_spec_int ("phase-probability", NULL, NULL, -1, 100, -1, rw);
  STR_PROP (PROP_LEAD_TYPE, "lead-type");
  STR_PROP (PROP_UNIT, "unit");
  STR_PROP (PROP_OWNER, "owner");
  properties[PROP_CLOSE_MONTH] = g_param_spec_int ("close-month", NULL, NULL, 0, G_MAXINT, 0, rw);
  STR_PROP (PROP_SOURCE, "source");
  STR_PROP (PROP_DESCRIPTION, "description");
  STR_PROP (PROP_LOST_REASON, "lost-reason");
  STR_PROP (PROP_NEXT_FOLLOW_UP, "next-follow-up");
  INT64_PROP (PROP_CREATED_AT, "created-at", 0);
  INT64_PROP (PROP_UPDATED_AT, "updated-at", 0);
  INT64_PROP (PROP_LAST_ACTIVITY, "last-activity", 0);
  /* CrmRecordSyncState: local only, pending, synced or in conflict */
  properties[PROP_SYNC_STATE] = g_param_spec_int ("sync-state", NULL, NULL,
                                                  CRM_RECORD_SYNC_LOCAL_ONLY, CRM_RECORD_SYNC_CONFLICT,
                                                  CRM_RECORD_SYNC_LOCAL_ONLY, rw);
  /* the server's revision of the lead (0: never synced) */
  INT64_PROP (PROP_REV, "rev", 0);

#undef STR_PROP
#undef INT64_PROP

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_lead_init (CrmLead *self)
{
  self->phase_probability = -1;
}

/* ----------------------------------------------------------------- public */

CrmLead *
crm_lead_new (void)
{
  return g_object_new (CRM_TYPE_LEAD, NULL);
}

#define GETTER(type, name, field) \
  type crm_lead_get_##name (CrmLead *self) \
  { \
    g_return_val_if_fail (CRM_IS_LEAD (self), 0); \
    return self->field; \
  }

GETTER (gint64, id, id)
GETTER (const char *, uuid, uuid)
GETTER (const char *, title, title)
GETTER (gint64, contact_id, contact_id)
GETTER (const char *, contact_name, contact_name)
GETTER (gint64, volume_minor, volume_minor)
GETTER (const char *, currency, currency)
GETTER (int, probability, probability)
GETTER (const char *, status, status)
GETTER (const char *, status_label, status_label)
GETTER (CrmStatusClass, status_class, status_class)
GETTER (const char *, phase, phase)
GETTER (const char *, phase_label, phase_label)
GETTER (int, phase_probability, phase_probability)
GETTER (const char *, lead_type, lead_type)
GETTER (const char *, unit, unit)
GETTER (const char *, owner, owner)
GETTER (CrmMonth, close_month, close_month)
GETTER (const char *, source, source)
GETTER (const char *, description, description)
GETTER (const char *, lost_reason, lost_reason)
GETTER (const char *, next_follow_up, next_follow_up)
GETTER (gint64, created_at, created_at)
GETTER (gint64, updated_at, updated_at)
GETTER (gint64, last_activity, last_activity)
GETTER (CrmRecordSyncState, sync_state, sync_state)
GETTER (gint64, rev, rev)

#undef GETTER

gint64
crm_lead_get_weighted_minor (CrmLead *self)
{
  g_return_val_if_fail (CRM_IS_LEAD (self), 0);

  return crm_money_weighted (self->volume_minor, self->probability);
}

/**
 * crm_lead_get_days_without_contact:
 * @now: the current time (Unix time)
 *
 * Whole days since the lead's last contact report, or since it was
 * created when it has none (never negative).
 */
int
crm_lead_get_days_without_contact (CrmLead *self,
                                   gint64   now)
{
  gint64 since;

  g_return_val_if_fail (CRM_IS_LEAD (self), 0);

  since = self->last_activity > 0 ? self->last_activity : self->created_at;
  if (since <= 0 || now <= since)
    return 0;

  return (int) MIN ((now - since) / (24 * 60 * 60), G_MAXINT);
}

/**
 * crm_lead_is_stale:
 * @stale_days: the days its phase allows without a contact report; 0: never stale
 * @now: the current time (Unix time)
 *
 * Whether an open lead went longer than @stale_days without a contact
 * report. Won and lost leads are never stale.
 */
gboolean
crm_lead_is_stale (CrmLead *self,
                   int      stale_days,
                   gint64   now)
{
  g_return_val_if_fail (CRM_IS_LEAD (self), FALSE);

  return stale_days > 0 &&
         self->status_class == CRM_STATUS_CLASS_OPEN &&
         crm_lead_get_days_without_contact (self, now) > stale_days;
}
