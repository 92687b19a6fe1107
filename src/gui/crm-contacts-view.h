/* crm-contacts-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACTS_VIEW (crm_contacts_view_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactsView, crm_contacts_view, CRM, CONTACTS_VIEW, GtkWidget)

void crm_contacts_view_set_store      (CrmContactsView *self,
                                       CrmStore        *store);
void crm_contacts_view_focus_search   (CrmContactsView *self);
void crm_contacts_view_select_contact (CrmContactsView *self,
                                       gint64           contact_id);

G_END_DECLS
