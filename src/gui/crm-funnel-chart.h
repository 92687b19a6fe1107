/* crm-funnel-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-chart.h"

G_BEGIN_DECLS

#define CRM_TYPE_FUNNEL_CHART (crm_funnel_chart_get_type ())

G_DECLARE_FINAL_TYPE (CrmFunnelChart, crm_funnel_chart, CRM, FUNNEL_CHART, CrmChart)

GtkWidget *crm_funnel_chart_new        (void);
CrmStats  *crm_funnel_chart_get_stats  (CrmFunnelChart *self);
void       crm_funnel_chart_set_stats  (CrmFunnelChart *self,
                                        CrmStats       *phases);

G_END_DECLS
