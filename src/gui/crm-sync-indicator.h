/* crm-sync-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-sync-engine.h"

G_BEGIN_DECLS

#define CRM_TYPE_SYNC_INDICATOR (crm_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (CrmSyncIndicator, crm_sync_indicator, CRM, SYNC_INDICATOR, GtkWidget)

void           crm_sync_indicator_set_engine (CrmSyncIndicator *self,
                                              CrmSyncEngine    *engine);
CrmSyncEngine *crm_sync_indicator_get_engine (CrmSyncIndicator *self);

G_END_DECLS
