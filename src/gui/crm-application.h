/* crm-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"
#include "crm-sync-engine.h"

G_BEGIN_DECLS

#define CRM_TYPE_APPLICATION (crm_application_get_type ())

G_DECLARE_FINAL_TYPE (CrmApplication, crm_application, CRM, APPLICATION, AdwApplication)

CrmApplication *crm_application_new        (void);
CrmStore       *crm_application_get_store  (CrmApplication *self);
void            crm_application_set_store  (CrmApplication *self,
                                            CrmStore       *store);
GSettings      *crm_application_get_settings (CrmApplication *self);
void            crm_application_set_token_store (CrmApplication *self,
                                                 CrmTokenStore  *tokens);
CrmSyncEngine  *crm_application_get_sync_engine (CrmApplication *self);
void            crm_gui_register_resources (void);

G_END_DECLS
