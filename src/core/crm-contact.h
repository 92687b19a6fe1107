/* crm-contact.h: a company or a person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "crm-types.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACT (crm_contact_get_type ())

G_DECLARE_FINAL_TYPE (CrmContact, crm_contact, CRM, CONTACT, GObject)

CrmContact *crm_contact_new (void);
gint64 crm_contact_get_id (CrmContact *self);
const char *crm_contact_get_uuid (CrmContact *self);
const char *crm_contact_get_kind (CrmContact *self);
const char *crm_contact_get_name (CrmContact *self);
gint64 crm_contact_get_company_id (CrmContact *self);
const char *crm_contact_get_company_name (CrmContact *self);
const char *crm_contact_get_notes (CrmContact *self);
const char * const *crm_contact_get_addresses (CrmContact *self);
const char * const *crm_contact_get_phones (CrmContact *self);
const char * const *crm_contact_get_emails (CrmContact *self);
int crm_contact_get_n_leads (CrmContact *self);
gint64 crm_contact_get_last_activity (CrmContact *self);
gboolean crm_contact_is_company (CrmContact *self);

G_END_DECLS
