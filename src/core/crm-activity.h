/* crm-activity.h: a contact report (Kontaktbericht)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "crm-types.h"

G_BEGIN_DECLS

#define CRM_TYPE_ACTIVITY (crm_activity_get_type ())

G_DECLARE_FINAL_TYPE (CrmActivity, crm_activity, CRM, ACTIVITY, GObject)

CrmActivity *crm_activity_new (void);
gint64 crm_activity_get_id (CrmActivity *self);
const char *crm_activity_get_uuid (CrmActivity *self);
gint64 crm_activity_get_lead_id (CrmActivity *self);
gint64 crm_activity_get_contact_id (CrmActivity *self);
const char *crm_activity_get_kind (CrmActivity *self);
gint64 crm_activity_get_at (CrmActivity *self);
const char *crm_activity_get_subject (CrmActivity *self);
const char *crm_activity_get_text (CrmActivity *self);
const char *crm_activity_get_author (CrmActivity *self);
int crm_activity_get_probability (CrmActivity *self);
const char *crm_activity_get_phase (CrmActivity *self);

G_END_DECLS
