/* crm-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"
#include "crm-sync-engine.h"

G_BEGIN_DECLS

#define CRM_TYPE_PREFERENCES_WINDOW (crm_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmPreferencesWindow, crm_preferences_window, CRM, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWindow *crm_preferences_window_new (CrmStore  *store,
                                       GtkWindow *parent);
void       crm_preferences_window_set_sync_engine (CrmPreferencesWindow *self,
                                                   CrmSyncEngine        *engine);
void       crm_preferences_window_focus_login     (CrmPreferencesWindow *self);
CrmSyncPreferences *crm_preferences_window_get_sync_page (CrmPreferencesWindow *self);

G_END_DECLS
