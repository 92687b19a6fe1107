/* crm-sync-preferences.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-sync-engine.h"

G_BEGIN_DECLS

#define CRM_TYPE_SYNC_PREFERENCES (crm_sync_preferences_get_type ())

G_DECLARE_FINAL_TYPE (CrmSyncPreferences, crm_sync_preferences, CRM, SYNC_PREFERENCES, AdwPreferencesPage)

void crm_sync_preferences_set_engine  (CrmSyncPreferences *self,
                                       CrmSyncEngine      *engine,
                                       GSettings          *settings);
void crm_sync_preferences_focus_login (CrmSyncPreferences *self);

G_END_DECLS
