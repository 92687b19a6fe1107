/* crm-lead-list-model.h: the leads a filter lets through, as a GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_LEAD_LIST_MODEL (crm_lead_list_model_get_type ())

G_DECLARE_FINAL_TYPE (CrmLeadListModel, crm_lead_list_model, CRM, LEAD_LIST_MODEL, GObject)

CrmLeadListModel    *crm_lead_list_model_new          (CrmStore            *store);
CrmStore            *crm_lead_list_model_get_store    (CrmLeadListModel    *self);
const CrmLeadFilter *crm_lead_list_model_get_filter   (CrmLeadListModel    *self);
void                 crm_lead_list_model_set_filter   (CrmLeadListModel    *self,
                                                       const CrmLeadFilter *filter);
const CrmLeadTotals *crm_lead_list_model_get_totals   (CrmLeadListModel    *self);
gboolean             crm_lead_list_model_get_loading  (CrmLeadListModel    *self);
guint                crm_lead_list_model_find         (CrmLeadListModel    *self,
                                                       gint64               id);
gint64               crm_lead_list_model_get_id       (CrmLeadListModel    *self,
                                                       guint                position);
void                 crm_lead_list_model_refresh      (CrmLeadListModel    *self);
void                 crm_lead_list_model_set_paused   (CrmLeadListModel    *self,
                                                       gboolean             paused);
gboolean             crm_lead_list_model_get_paused   (CrmLeadListModel    *self);

G_END_DECLS
