/* crm-forecast-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-chart.h"

G_BEGIN_DECLS

#define CRM_TYPE_FORECAST_CHART (crm_forecast_chart_get_type ())

G_DECLARE_FINAL_TYPE (CrmForecastChart, crm_forecast_chart, CRM, FORECAST_CHART, CrmChart)

GtkWidget *crm_forecast_chart_new            (void);
void       crm_forecast_chart_set_stats      (CrmForecastChart *self,
                                              CrmStats         *open,
                                              CrmStats         *won);
CrmStats  *crm_forecast_chart_get_open_stats (CrmForecastChart *self);
CrmStats  *crm_forecast_chart_get_won_stats  (CrmForecastChart *self);
void       crm_forecast_chart_set_range      (CrmForecastChart *self,
                                              CrmMonth          first,
                                              CrmMonth          last);
CrmMonth   crm_forecast_chart_get_first_month (CrmForecastChart *self);
CrmMonth   crm_forecast_chart_get_last_month  (CrmForecastChart *self);

G_END_DECLS
