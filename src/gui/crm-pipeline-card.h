/* crm-pipeline-card.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-lead.h"

G_BEGIN_DECLS

#define CRM_TYPE_PIPELINE_CARD (crm_pipeline_card_get_type ())

G_DECLARE_FINAL_TYPE (CrmPipelineCard, crm_pipeline_card, CRM, PIPELINE_CARD, GtkWidget)

GtkWidget  *crm_pipeline_card_new            (void);
CrmLead    *crm_pipeline_card_get_lead       (CrmPipelineCard *self);
void        crm_pipeline_card_set_lead       (CrmPipelineCard *self,
                                              CrmLead         *lead);
int         crm_pipeline_card_get_stale_days (CrmPipelineCard *self);
void        crm_pipeline_card_set_stale_days (CrmPipelineCard *self,
                                              int              stale_days);
gboolean    crm_pipeline_card_get_stale      (CrmPipelineCard *self);
const char *crm_pipeline_card_get_stale_text (CrmPipelineCard *self);

G_END_DECLS
