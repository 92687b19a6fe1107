/* crm-contact.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A contact: a company, or a person (optionally at a company), with its
 * addresses, phone numbers and e-mail addresses (one per line each).
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include "crm-contact.h"

struct _CrmContact
{
  GObject parent_instance;

  gint64 id;
  char *uuid;
  char *kind;
  char *name;
  gint64 company_id;
  char *company_name;
  char *notes;
  char **addresses;
  char **phones;
  char **emails;
  int n_leads;
  gint64 last_activity;
};

G_DEFINE_FINAL_TYPE (CrmContact, crm_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_UUID,
  PROP_KIND,
  PROP_NAME,
  PROP_COMPANY_ID,
  PROP_COMPANY_NAME,
  PROP_NOTES,
  PROP_ADDRESSES,
  PROP_PHONES,
  PROP_EMAILS,
  PROP_N_LEADS,
  PROP_LAST_ACTIVITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* -------------------------------------------------------------- overrides */

static void
crm_contact_finalize (GObject *object)
{
  CrmContact *self = (CrmContact *)object;

  g_free (self->uuid);
  g_free (self->kind);
  g_free (self->name);
  g_free (self->company_name);
  g_free (self->notes);
  g_strfreev (self->addresses);
  g_strfreev (self->phones);
  g_strfreev (self->emails);

  G_OBJECT_CLASS (crm_contact_parent_class)->finalize (object);
}

static void
crm_contact_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CrmContact *self = CRM_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_UUID: g_value_set_string (value, self->uuid); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_COMPANY_ID: g_value_set_int64 (value, self->company_id); break;
    case PROP_COMPANY_NAME: g_value_set_string (value, self->company_name); break;
    case PROP_NOTES: g_value_set_string (value, self->notes); break;
    case PROP_ADDRESSES: g_value_set_boxed (value, self->addresses); break;
    case PROP_PHONES: g_value_set_boxed (value, self->phones); break;
    case PROP_EMAILS: g_value_set_boxed (value, self->emails); break;
    case PROP_N_LEADS: g_value_set_int (value, self->n_leads); break;
    case PROP_LAST_ACTIVITY: g_value_set_int64 (value, self->last_activity); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CrmContact *self = CRM_CONTACT (object);

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
    case PROP_KIND:
      if (g_strcmp0 (self->kind, g_value_get_string (value)) != 0)
        {
          g_free (self->kind);
          self->kind = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_NAME:
      if (g_strcmp0 (self->name, g_value_get_string (value)) != 0)
        {
          g_free (self->name);
          self->name = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_COMPANY_ID:
      if (self->company_id != g_value_get_int64 (value))
        {
          self->company_id = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_COMPANY_NAME:
      if (g_strcmp0 (self->company_name, g_value_get_string (value)) != 0)
        {
          g_free (self->company_name);
          self->company_name = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_NOTES:
      if (g_strcmp0 (self->notes, g_value_get_string (value)) != 0)
        {
          g_free (self->notes);
          self->notes = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ADDRESSES:
      g_strfreev (self->addresses);
      self->addresses = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_PHONES:
      g_strfreev (self->phones);
      self->phones = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_EMAILS:
      g_strfreev (self->emails);
      self->emails = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_N_LEADS:
      if (self->n_leads != g_value_get_int (value))
        {
          self->n_leads = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_LAST_ACTIVITY:
      if (self->last_activity != g_value_get_int64 (value))
        {
          self->last_activity = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ------------------------------------------------------------------- init */

static void
crm_contact_class_init (CrmContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = crm_contact_finalize;
  object_class->get_property = crm_contact_get_property;
  object_class->set_property = crm_contact_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, rw);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, rw);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_COMPANY_ID] = g_param_spec_int64 ("company-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_COMPANY_NAME] = g_param_spec_string ("company-name", NULL, NULL, NULL, rw);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, rw);
  properties[PROP_ADDRESSES] = g_param_spec_boxed ("addresses", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_PHONES] = g_param_spec_boxed ("phones", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_EMAILS] = g_param_spec_boxed ("emails", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_N_LEADS] = g_param_spec_int ("n-leads", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  properties[PROP_LAST_ACTIVITY] = g_param_spec_int64 ("last-activity", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_contact_init (CrmContact *self)
{
}

/* ----------------------------------------------------------------- public */

CrmContact *
crm_contact_new (void)
{
  return g_object_new (CRM_TYPE_CONTACT, NULL);
}

gint64
crm_contact_get_id (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->id;
}

const char *
crm_contact_get_uuid (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->uuid;
}

const char *
crm_contact_get_kind (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->kind;
}

const char *
crm_contact_get_name (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->name;
}

gint64
crm_contact_get_company_id (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->company_id;
}

const char *
crm_contact_get_company_name (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->company_name;
}

const char *
crm_contact_get_notes (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->notes;
}

const char * const *
crm_contact_get_addresses (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return (const char * const *) self->addresses;
}

const char * const *
crm_contact_get_phones (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return (const char * const *) self->phones;
}

const char * const *
crm_contact_get_emails (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return (const char * const *) self->emails;
}

int
crm_contact_get_n_leads (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->n_leads;
}

gint64
crm_contact_get_last_activity (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);

  return self->last_activity;
}

gboolean
crm_contact_is_company (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), FALSE);

  return g_strcmp0 (self->kind, "company") == 0;
}
