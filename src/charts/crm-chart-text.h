/* crm-chart-text.h: the words and figures of the charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Labels, tooltips and the accessible descriptions, all translatable and
 * with money in the user's locale; shared by the layouts, the widgets
 * and export so every place says the same.
 */
#pragma once

#include <glib.h>

#include "crm-types.h"

G_BEGIN_DECLS

char *crm_chart_text_figures              (gint64      count,
                                           gint64      absolute_minor,
                                           gint64      weighted_minor,
                                           const char *currency,
                                           gboolean    compact);
char *crm_chart_text_funnel_tooltip       (const char *phase,
                                           gint64      count,
                                           gint64      absolute_minor,
                                           gint64      weighted_minor,
                                           const char *currency);
char *crm_chart_text_forecast_tooltip     (CrmMonth    month,
                                           gboolean    won,
                                           gint64      count,
                                           gint64      absolute_minor,
                                           gint64      weighted_minor,
                                           const char *currency);
char *crm_chart_text_funnel_description   (CrmStats   *phases);
char *crm_chart_text_forecast_description (CrmStats   *open,
                                           CrmStats   *won,
                                           CrmMonth    from,
                                           CrmMonth    to);

/* The rows of a by-month statistic by month (CrmMonth → CrmStatsRow*,
 * valid while @stats lives), so a long range looks each up once. */
GHashTable *crm_chart_month_rows          (CrmStats   *stats);
/* The row for @month in @rows, or zeros. */
void  crm_chart_month_figures             (GHashTable *rows,
                                           CrmMonth    month,
                                           gint64     *out_count,
                                           gint64     *out_absolute_minor,
                                           gint64     *out_weighted_minor);

G_END_DECLS
