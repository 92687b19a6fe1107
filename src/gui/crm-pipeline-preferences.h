/* crm-pipeline-preferences.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_PIPELINE_PREFERENCES (crm_pipeline_preferences_get_type ())

G_DECLARE_FINAL_TYPE (CrmPipelinePreferences, crm_pipeline_preferences, CRM, PIPELINE_PREFERENCES, AdwPreferencesPage)

void           crm_pipeline_preferences_set_store      (CrmPipelinePreferences *self,
                                                        CrmStore               *store,
                                                        GSettings              *settings);
AdwComboRow   *crm_pipeline_preferences_get_probability_row (CrmPipelinePreferences *self);
GtkSpinButton *crm_pipeline_preferences_get_stale_spin (CrmPipelinePreferences *self,
                                                        const char             *phase);

G_END_DECLS
