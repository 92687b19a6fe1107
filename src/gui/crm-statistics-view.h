/* crm-statistics-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_STATISTICS_VIEW (crm_statistics_view_get_type ())

G_DECLARE_FINAL_TYPE (CrmStatisticsView, crm_statistics_view, CRM, STATISTICS_VIEW, GtkWidget)

void                 crm_statistics_view_set_store      (CrmStatisticsView *self,
                                                         CrmStore          *store);
CrmLeadFilterBar    *crm_statistics_view_get_filter_bar (CrmStatisticsView *self);
CrmStats            *crm_statistics_view_get_stats      (CrmStatisticsView *self,
                                                         CrmStatsBy         by);
GtkColumnView       *crm_statistics_view_get_table      (CrmStatisticsView *self,
                                                         CrmStatsBy         by);
guint                crm_statistics_view_get_generation (CrmStatisticsView *self);
gboolean             crm_statistics_view_get_loading    (CrmStatisticsView *self);
CrmLeadFilter       *crm_statistics_view_dup_group_filter (CrmStatisticsView *self,
                                                         const char        *group);
CrmFunnelChart      *crm_statistics_view_get_funnel_chart   (CrmStatisticsView *self);
CrmForecastChart    *crm_statistics_view_get_forecast_chart (CrmStatisticsView *self);
void                 crm_statistics_view_refresh        (CrmStatisticsView *self);
gint64               crm_statistics_view_get_last_latency (CrmStatisticsView *self);

/* crm-statistics-export.c */
gboolean             crm_statistics_view_export_table   (CrmStatisticsView  *self,
                                                         CrmStatsBy          by,
                                                         GFile              *file,
                                                         GError            **error);

gboolean             crm_statistics_view_export_chart   (CrmStatisticsView  *self,
                                                         const char         *chart,
                                                         const char         *path,
                                                         int                 width,
                                                         int                 height,
                                                         GError            **error);
gboolean             crm_statistics_view_print          (CrmStatisticsView  *self,
                                                         const char         *export_path,
                                                         GError            **error);

G_END_DECLS
