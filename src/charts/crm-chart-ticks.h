/* crm-chart-ticks.h: a value axis with nice ticks, and figures in the currency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ticks at 0, step, 2 × step, … n_steps × step in integer minor units;
 * step is 1, 2 or 5 × 10^n. axis_max is where the axis ends: the last
 * tick, or the largest value when that tick would not fit in gint64. */
typedef struct {
  gint64 step;
  guint  n_steps;
  gint64 axis_max;
} CrmChartTicks;

void   crm_chart_ticks_compute     (gint64         max_value,
                                    guint          max_steps,
                                    CrmChartTicks *out_ticks);
gint64 crm_chart_ticks_value       (const CrmChartTicks *ticks,
                                    guint          index);

/* Compact figures: "1.2 M €" / "1,2 Mio. €". The unit is the largest of
 * thousand, million, billion, trillion not above @unit_of (in minor
 * units; usually the axis maximum or the value itself); @decimals digits
 * after the point, rounded half away from zero. Below a thousand major
 * units the figure is the full amount (crm_money_format()). */
char  *crm_chart_format_compact    (gint64         minor,
                                    const char    *currency,
                                    gint64         unit_of,
                                    guint          decimals);
/* The decimals a compact label needs to show every multiple of @step
 * exactly (at most 3). */
guint  crm_chart_compact_decimals  (gint64         step,
                                    const char    *currency,
                                    gint64         unit_of);

gboolean crm_chart_ticks_prefer_compact (const CrmChartTicks *ticks,
                                        const char          *currency);
char  *crm_chart_format_tick       (gint64         minor,
                                    const char    *currency,
                                    const CrmChartTicks *ticks,
                                    gboolean       compact);

G_END_DECLS
