/* crm-pipeline-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-lead-list-model.h"
#include "crm-pipeline-column.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_PIPELINE_VIEW (crm_pipeline_view_get_type ())

G_DECLARE_FINAL_TYPE (CrmPipelineView, crm_pipeline_view, CRM, PIPELINE_VIEW, GtkWidget)

void               crm_pipeline_view_set_store    (CrmPipelineView  *self,
                                                   CrmStore         *store,
                                                   GSettings        *settings,
                                                   CrmLeadListModel *follow);
guint              crm_pipeline_view_get_n_columns (CrmPipelineView *self);
CrmPipelineColumn *crm_pipeline_view_get_column   (CrmPipelineView  *self,
                                                   guint             index);
CrmPipelineColumn *crm_pipeline_view_find_column  (CrmPipelineView  *self,
                                                   const char       *phase);
void               crm_pipeline_view_move_lead    (CrmPipelineView  *self,
                                                   gint64            lead_id,
                                                   const char       *phase);
gboolean           crm_pipeline_view_get_loading  (CrmPipelineView  *self);
void               crm_pipeline_view_set_read_only (CrmPipelineView *self,
                                                    gboolean         read_only);

G_END_DECLS
