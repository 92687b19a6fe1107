/* crm-leads-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-lead-list-model.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_LEADS_VIEW (crm_leads_view_get_type ())

G_DECLARE_FINAL_TYPE (CrmLeadsView, crm_leads_view, CRM, LEADS_VIEW, GtkWidget)

void              crm_leads_view_set_store         (CrmLeadsView *self,
                                                    CrmStore     *store,
                                                    GSettings    *settings);
CrmLeadListModel *crm_leads_view_get_model         (CrmLeadsView *self);
CrmLead          *crm_leads_view_get_selected_lead (CrmLeadsView *self);
CrmLeadDetail    *crm_leads_view_get_detail        (CrmLeadsView *self);
void              crm_leads_view_new_lead          (CrmLeadsView *self);
void              crm_leads_view_focus_search      (CrmLeadsView *self);
void              crm_leads_view_show_lead         (CrmLeadsView *self,
                                                    gint64        id);
void              crm_leads_view_set_search        (CrmLeadsView *self,
                                                    const char   *text);
void              crm_leads_view_set_filter        (CrmLeadsView        *self,
                                                    const CrmLeadFilter *filter);
const CrmLeadFilter *crm_leads_view_get_filter     (CrmLeadsView *self);
char             *crm_leads_view_dup_footer_text   (CrmLeadsView *self);
GActionGroup     *crm_leads_view_get_column_actions (CrmLeadsView *self);

void              crm_leads_view_set_read_only (CrmLeadsView *self,
                                                gboolean      read_only);

G_END_DECLS
