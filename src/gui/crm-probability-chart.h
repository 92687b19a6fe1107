/* crm-probability-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-gui-types.h"

G_BEGIN_DECLS

#define CRM_TYPE_PROBABILITY_CHART (crm_probability_chart_get_type ())

G_DECLARE_FINAL_TYPE (CrmProbabilityChart, crm_probability_chart, CRM, PROBABILITY_CHART, GtkWidget)

void   crm_probability_chart_set_history  (CrmProbabilityChart *self,
                                           GListModel          *history,
                                           int                  current);
guint  crm_probability_chart_get_n_steps  (CrmProbabilityChart *self);

G_END_DECLS
