/* crm-pipeline-column.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-lead-list-model.h"
#include "crm-pipeline-card.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_PIPELINE_COLUMN (crm_pipeline_column_get_type ())

G_DECLARE_FINAL_TYPE (CrmPipelineColumn, crm_pipeline_column, CRM, PIPELINE_COLUMN, GtkWidget)

GtkWidget        *crm_pipeline_column_new             (CrmStore            *store,
                                                       CrmKeyValue         *phase);
CrmKeyValue      *crm_pipeline_column_get_phase       (CrmPipelineColumn   *self);
void              crm_pipeline_column_set_phase       (CrmPipelineColumn   *self,
                                                       CrmKeyValue         *phase);
void              crm_pipeline_column_set_filter      (CrmPipelineColumn   *self,
                                                       const CrmLeadFilter *base);
CrmLeadListModel *crm_pipeline_column_get_model       (CrmPipelineColumn   *self);
GtkListView      *crm_pipeline_column_get_list_view   (CrmPipelineColumn   *self);
gint64            crm_pipeline_column_get_focus_lead  (CrmPipelineColumn   *self);
void              crm_pipeline_column_focus_lead      (CrmPipelineColumn   *self,
                                                       gint64               lead_id);
gboolean          crm_pipeline_column_focus_position  (CrmPipelineColumn   *self,
                                                       guint                position);
guint             crm_pipeline_column_get_focus_position (CrmPipelineColumn *self);
void              crm_pipeline_column_unselect        (CrmPipelineColumn   *self);
void              crm_pipeline_column_set_sums        (CrmPipelineColumn   *self,
                                                       const char          *absolute,
                                                       const char          *weighted,
                                                       const char          *tooltip);
char             *crm_pipeline_column_dup_header_text (CrmPipelineColumn   *self);
CrmPipelineCard  *crm_pipeline_column_find_card       (CrmPipelineColumn   *self,
                                                       gint64               lead_id);

G_END_DECLS
