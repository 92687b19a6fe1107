/* crm-lead-filter-bar.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_LEAD_FILTER_BAR (crm_lead_filter_bar_get_type ())

G_DECLARE_FINAL_TYPE (CrmLeadFilterBar, crm_lead_filter_bar, CRM, LEAD_FILTER_BAR, GtkWidget)

void                 crm_lead_filter_bar_set_store     (CrmLeadFilterBar    *self,
                                                        CrmStore            *store);
const CrmLeadFilter *crm_lead_filter_bar_get_filter    (CrmLeadFilterBar    *self);
void                 crm_lead_filter_bar_set_filter    (CrmLeadFilterBar    *self,
                                                        const CrmLeadFilter *filter);
void                 crm_lead_filter_bar_clear         (CrmLeadFilterBar    *self);
void                 crm_lead_filter_bar_set_search    (CrmLeadFilterBar    *self,
                                                        const char          *text);
void                 crm_lead_filter_bar_focus_search  (CrmLeadFilterBar    *self);
char                *crm_lead_filter_bar_dup_summary   (CrmLeadFilterBar    *self);

G_END_DECLS
