/* crm-sync-issues-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_SYNC_ISSUES_WINDOW (crm_sync_issues_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmSyncIssuesWindow, crm_sync_issues_window, CRM, SYNC_ISSUES_WINDOW, AdwWindow)

GtkWindow *crm_sync_issues_window_new       (CrmStore            *store,
                                             GtkWindow           *parent);
guint      crm_sync_issues_window_get_count (CrmSyncIssuesWindow *self);

G_END_DECLS
