/* crm-gui-types.h: forward declarations of the GTK types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-types.h"

G_BEGIN_DECLS

typedef struct _CrmApplication        CrmApplication;
typedef struct _CrmChart              CrmChart;
typedef struct _CrmContactsView       CrmContactsView;
typedef struct _CrmForecastChart      CrmForecastChart;
typedef struct _CrmFunnelChart        CrmFunnelChart;
typedef struct _CrmLeadDetail         CrmLeadDetail;
typedef struct _CrmLeadFilterBar      CrmLeadFilterBar;
typedef struct _CrmLeadsView          CrmLeadsView;
typedef struct _CrmPipelineCard       CrmPipelineCard;
typedef struct _CrmPipelineColumn     CrmPipelineColumn;
typedef struct _CrmPipelinePreferences CrmPipelinePreferences;
typedef struct _CrmPipelineView       CrmPipelineView;
typedef struct _CrmPreferencesWindow  CrmPreferencesWindow;
typedef struct _CrmProbabilityChart   CrmProbabilityChart;
typedef struct _CrmReportDialog       CrmReportDialog;
typedef struct _CrmStatisticsView     CrmStatisticsView;
typedef struct _CrmSyncIndicator      CrmSyncIndicator;
typedef struct _CrmSyncIssuesWindow   CrmSyncIssuesWindow;
typedef struct _CrmSyncPreferences    CrmSyncPreferences;
typedef struct _CrmWindow             CrmWindow;

G_END_DECLS
