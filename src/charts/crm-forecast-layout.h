/* crm-forecast-layout.h: the geometry of the monthly forecast chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pango.h>

#include "crm-chart-geometry.h"
#include "crm-chart-ticks.h"
#include "crm-types.h"

G_BEGIN_DECLS

typedef enum {
  CRM_FORECAST_PART_OPEN,
  CRM_FORECAST_PART_WON,
} CrmForecastPart;

/* One month of the range: three bars side by side. */
typedef struct {
  CrmMonth       month;
  char          *key;               /* "YYYY-MM" */
  gint64         open_count;
  gint64         open_absolute_minor;
  gint64         open_weighted_minor;
  gint64         won_count;
  gint64         won_absolute_minor;
  CrmChartRect   absolute;          /* open leads, absolute volume */
  CrmChartRect   weighted;          /* open leads, weighted volume */
  CrmChartRect   won;               /* won leads: the actuals */
  CrmChartRect   hit;               /* the month's column, plot and label */
  double         won_from_x;        /* in hit: x < won_from_x is the open part */
  CrmChartLabel  label;             /* the month; thinned where they would crowd */
} CrmForecastGroup;

typedef struct {
  gint64         value_minor;
  double         y;
  CrmChartLabel  label;
} CrmForecastTick;

typedef struct {
  CrmChartFrame         frame;       /* size, currency, text measure */
  CrmChartLegendEntry   legend[3];      /* absolute, weighted, won */
  CrmChartRect          plot;           /* bars grow up from its bottom edge */
  CrmChartTicks         ticks;
  CrmForecastTick      *tick_marks;     /* ticks.n_steps + 1, from 0 up */
  guint                 n_tick_marks;
  gboolean              compact;        /* axis labels in the compact form */
  guint                 label_every;    /* month labels at every n-th month */
  CrmForecastGroup     *groups;         /* one per month from … to */
  guint                 n_groups;       /* 0 in the empty state */
  CrmChartLabel         empty;
} CrmForecastLayout;

CrmForecastLayout *crm_forecast_layout_new         (CrmStats                   *open,
                                                    CrmStats                   *won,
                                                    CrmMonth                    from,
                                                    CrmMonth                    to,
                                                    double                      width,
                                                    double                      height,
                                                    PangoContext               *context,
                                                    const PangoFontDescription *font);
void               crm_forecast_layout_free        (CrmForecastLayout          *layout);
int                crm_forecast_layout_lookup_item (const CrmForecastLayout    *layout,
                                                    double                      x,
                                                    double                      y,
                                                    CrmForecastPart            *out_part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmForecastLayout, crm_forecast_layout_free)

G_END_DECLS
