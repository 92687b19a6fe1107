/* crm-lead-detail.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_LEAD_DETAIL (crm_lead_detail_get_type ())

G_DECLARE_FINAL_TYPE (CrmLeadDetail, crm_lead_detail, CRM, LEAD_DETAIL, GtkWidget)

void        crm_lead_detail_set_store       (CrmLeadDetail *self,
                                             CrmStore      *store);
CrmLead    *crm_lead_detail_get_lead        (CrmLeadDetail *self);
void        crm_lead_detail_set_lead        (CrmLeadDetail *self,
                                             CrmLead       *lead);
void        crm_lead_detail_focus_title     (CrmLeadDetail *self);
gboolean    crm_lead_detail_set_field_text  (CrmLeadDetail *self,
                                             const char    *field,
                                             const char    *text);
const char *crm_lead_detail_get_field_error (CrmLeadDetail *self,
                                             const char    *field);
GtkListBox *crm_lead_detail_get_history_list (CrmLeadDetail *self);
void        crm_lead_detail_set_read_only   (CrmLeadDetail *self,
                                             gboolean       read_only);
gboolean    crm_lead_detail_get_read_only   (CrmLeadDetail *self);

G_END_DECLS
