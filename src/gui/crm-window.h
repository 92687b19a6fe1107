/* crm-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"

G_BEGIN_DECLS

#define CRM_TYPE_WINDOW (crm_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmWindow, crm_window, CRM, WINDOW, AdwApplicationWindow)

CrmWindow    *crm_window_new             (CrmApplication *application);
void          crm_window_add_toast       (CrmWindow      *self,
                                          AdwToast       *toast);
void          crm_window_show_error      (CrmWindow      *self,
                                          const GError   *error);
void          crm_window_show_error_of   (GtkWidget      *widget,
                                          const GError   *error);
CrmLeadsView *crm_window_get_leads_view  (CrmWindow      *self);
CrmStatisticsView *crm_window_get_statistics_view (CrmWindow *self);
void          crm_window_show_view       (CrmWindow      *self,
                                          const char     *name);
void          crm_window_show_contact    (CrmWindow      *self,
                                          gint64          contact_id);
void          crm_window_show_lead       (CrmWindow      *self,
                                          gint64          lead_id);

G_END_DECLS
