/* crm-statistics-view-private.h: what the Statistics view shares with
 * its export and print code (crm-statistics-export.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-statistics-view.h"

G_BEGIN_DECLS

/* The queries of one refresh; the first three are the tables. */
typedef enum {
  QUERY_STATUS,
  QUERY_PHASE,
  QUERY_MONTH,
  QUERY_FUNNEL,   /* open leads by phase */
  QUERY_OPEN,     /* open leads by month, in the forecast's range */
  QUERY_WON,      /* won leads by month, in the forecast's range */
  N_QUERIES
} Query;

#define N_TABLES 3
#define N_TABLE_COLUMNS 4

typedef struct {
  const char *id;            /* "status", "phase", "month": actions, file names */
  CrmStatsBy  by;
  const char *title;         /* N_() */
  const char *group_title;   /* N_(), the first column */
} CrmStatisticsTable;

extern const CrmStatisticsTable crm_statistics_tables[N_TABLES];

char     *_crm_statistics_format_cell             (CrmStats          *stats,
                                                   const CrmStatsRow *row,
                                                   guint              column);
CrmStats *_crm_statistics_view_get_query          (CrmStatisticsView *self,
                                                   Query              query);
void      _crm_statistics_view_get_forecast_range (CrmStatisticsView *self,
                                                   CrmMonth          *out_from,
                                                   CrmMonth          *out_to);
void      _crm_statistics_view_add_charts         (CrmStatisticsView *self);
void      _crm_statistics_view_update_charts      (CrmStatisticsView *self);

void      _crm_statistics_export_install_actions  (GtkWidgetClass    *widget_class);
void      _crm_statistics_report_error            (GtkWidget         *widget,
                                                   const GError      *error);

G_END_DECLS
