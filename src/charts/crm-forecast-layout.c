/* crm-forecast-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The monthly forecast's geometry, from two by-month statistics (open
 * leads, won leads) and a month range:
 *
 *   [legend: ■ absolute  ■ weighted  ■ won                 ]
 *   [ €2 M ┤ ░▓█    ░▓       ░▓█                            ]
 *   [ €1 M ┤ ░▓█    ░▓█  ░▓  ░▓█                            ]
 *   [   €0 ┼──────────────────────                          ]
 *   [       Jan    Feb   Mar  Apr                           ]
 *   [       2027                                            ]
 *
 * Every month of the range is one column (rows outside the range and
 * the "no close month" row are not shown). Inside it, three bars side by
 * side: the open leads' absolute and weighted volume and the won volume.
 * The value axis has nice 1-2-5 ticks in integer minor units, labelled
 * in the currency, compact ("€1.2 M") where the full figures would take
 * more than a quarter of the width. Month labels are thinned to every
 * 2nd, 3rd, 4th, 6th or 12th month (then only the year) or more, on
 * calendar boundaries, so they never overlap. A column's hit area is
 * its full height: its left part is the open bars, from the won bar on
 * it is the won bar.
 */
#define G_LOG_DOMAIN "crm-charts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "crm-chart-text.h"
#include "crm-forecast-layout.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-stats.h"

#define AXIS_SHARE  0.25
#define BAR_SHARE   0.7

/* ------------------------------------------------------ auxiliary methods */

static char *
month_label_text (CrmMonth month,
                  gboolean with_year,
                  guint    every)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (crm_month_get_year (month),
                                                 crm_month_get_month (month), 1, 0, 0, 0);

  /* month abbreviations and years in the user's locale */
  if (every >= 12)
    return g_date_time_format (dt, "%Y");
  if (with_year)
    return g_date_time_format (dt, "%b\n%Y");

  return g_date_time_format (dt, "%b");
}

static double
value_y (const CrmForecastLayout *self,
         gint64                   value)
{
  double share = (double) value / (double) self->ticks.axis_max;

  return self->plot.y + self->plot.height * (1.0 - MIN (share, 1.0));
}

static CrmChartRect
bar_rect (const CrmForecastLayout *self,
          double                   x,
          double                   width,
          gint64                   value)
{
  double top = value_y (self, value);
  double bottom = self->plot.y + self->plot.height;

  /* a volume above zero stays visible */
  if (value > 0)
    top = MIN (top, bottom - MIN (1.0, self->plot.height));

  return (CrmChartRect) { x, top, width, bottom - top };
}

static void
layout_ticks (CrmForecastLayout *self,
              gint64             max_value,
              double             line_height)
{
  guint max_steps = (guint) CLAMP (floor (self->plot.height / (2.5 * line_height)), 1, 8);
  double widest = 0;
  double previous_top = G_MAXDOUBLE;

  crm_chart_ticks_compute (max_value, max_steps, &self->ticks);
  self->n_tick_marks = self->ticks.n_steps + 1;
  self->tick_marks = g_new0 (CrmForecastTick, self->n_tick_marks);
  self->compact = crm_chart_ticks_prefer_compact (&self->ticks, self->frame.currency);

  for (int pass = 0; pass < 2; pass++)
    {
      widest = 0;
      for (guint i = 0; i < self->n_tick_marks; i++)
        {
          CrmForecastTick *tick = &self->tick_marks[i];
          g_autofree char *text = NULL;

          tick->value_minor = crm_chart_ticks_value (&self->ticks, i);
          text = crm_chart_format_tick (tick->value_minor, self->frame.currency, &self->ticks, self->compact);
          crm_chart_label_set (&tick->label, self->frame.context, self->frame.font, text);
          widest = MAX (widest, tick->label.rect.width);
        }

      if (self->compact || widest <= (self->frame.width - 2 * CRM_CHART_MARGIN) * AXIS_SHARE)
        break;
      self->compact = TRUE;
    }

  self->plot.x = CRM_CHART_MARGIN + widest + CRM_CHART_SPACING;
  self->plot.width = MAX (0, self->frame.width - CRM_CHART_MARGIN - self->plot.x);

  for (guint i = 0; i < self->n_tick_marks; i++)
    {
      CrmForecastTick *tick = &self->tick_marks[i];
      CrmChartRect *rect = &tick->label.rect;

      tick->y = value_y (self, tick->value_minor);
      rect->x = self->plot.x - CRM_CHART_SPACING - rect->width;
      rect->y = tick->y - rect->height / 2;
      /* a chart too low for all the labels keeps those that fit */
      tick->label.visible = rect->x >= 0 && rect->x + rect->width <= self->frame.width &&
                            rect->y >= 0 && rect->y + rect->height <= self->frame.height &&
                            rect->y + rect->height <= previous_top;
      if (tick->label.visible)
        previous_top = rect->y;
    }
}

/* The smallest calendar-friendly stride at which the labels fit. */
static guint
label_stride (CrmForecastLayout *self,
              double             slot_width)
{
  static const guint strides[] = { 1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200 };
  double widest_month = 0, widest_year = 0;

  /* the widest abbreviation and year of the range decide */
  for (guint i = 0; i < MIN (self->n_groups, 24); i++)
    {
      g_autofree char *month = month_label_text (self->groups[i].month, FALSE, 1);
      g_autofree char *year = month_label_text (self->groups[i].month, FALSE, 12);
      double w, h;

      crm_chart_measure_text (self->frame.context, self->frame.font, month, &w, &h);
      widest_month = MAX (widest_month, w);
      crm_chart_measure_text (self->frame.context, self->frame.font, year, &w, &h);
      widest_year = MAX (widest_year, w);
    }

  for (guint i = 0; i < G_N_ELEMENTS (strides); i++)
    {
      double needed = (strides[i] < 12 ? MAX (widest_month, widest_year) : widest_year) +
                      CRM_CHART_SPACING;

      if (strides[i] * slot_width >= needed)
        return strides[i];
    }

  return strides[G_N_ELEMENTS (strides) - 1];
}

static void
layout_groups (CrmForecastLayout *self,
               double             label_top)
{
  double slot_width = self->plot.width / self->n_groups;
  double bar_width = slot_width * BAR_SHARE / 3;
  double pad = slot_width * (1 - BAR_SHARE) / 2;
  double last_right = -G_MAXDOUBLE;

  self->label_every = label_stride (self, slot_width);

  for (guint i = 0; i < self->n_groups; i++)
    {
      CrmForecastGroup *group = &self->groups[i];
      double slot_x = self->plot.x + slot_width * i;
      int month_of_year = crm_month_get_month (group->month);
      gboolean aligned = group->month % self->label_every == 0;
      g_autofree char *text = NULL;
      CrmChartRect *rect = &group->label.rect;

      group->absolute = bar_rect (self, slot_x + pad, bar_width, group->open_absolute_minor);
      group->weighted = bar_rect (self, slot_x + pad + bar_width, bar_width, group->open_weighted_minor);
      group->won = bar_rect (self, slot_x + pad + 2 * bar_width, bar_width, group->won_absolute_minor);
      group->hit = (CrmChartRect) { slot_x, self->plot.y, slot_width,
                                    self->frame.height - CRM_CHART_MARGIN - self->plot.y };
      group->won_from_x = group->won.x;

      /* calendar boundaries (Jan/Apr/Jul/Oct for every 3rd), and the
       * first month so a short range is never unlabelled; the others
       * get no label (measuring 1200 of them would be most of the work) */
      if (!aligned && i > 0)
        continue;

      text = month_label_text (group->month, i == 0 || month_of_year == 1, self->label_every);
      crm_chart_label_set (&group->label, self->frame.context, self->frame.font, text);
      /* centred under the column, but clear of the axis labels */
      rect->x = CLAMP (slot_x + slot_width / 2 - rect->width / 2, self->plot.x - CRM_CHART_SPACING / 2,
                       MAX (CRM_CHART_MARGIN, self->frame.width - CRM_CHART_MARGIN - rect->width));
      rect->y = label_top;
      group->label.visible = rect->x >= last_right + CRM_CHART_SPACING &&
                             rect->x >= self->plot.x - CRM_CHART_SPACING / 2 &&
                             rect->x + rect->width <= self->frame.width &&
                             rect->y + rect->height <= self->frame.height;
      if (group->label.visible)
        last_right = rect->x + rect->width;
    }
}

/* ------------------------------------------------------------- public API */

/**
 * crm_forecast_layout_new:
 * @open: a by-month statistic of open leads
 * @won: a by-month statistic of won leads, in the same currency
 * @from: the first month shown
 * @to: the last month shown (at least @from)
 *
 * Returns: (transfer full): the geometry for a chart of width × height
 */
CrmForecastLayout *
crm_forecast_layout_new (CrmStats                   *open,
                         CrmStats                   *won,
                         CrmMonth                    from,
                         CrmMonth                    to,
                         double                      width,
                         double                      height,
                         PangoContext               *context,
                         const PangoFontDescription *font)
{
  const char *legend[] = { _("Absolute volume"), _("Weighted volume"), _("Won") };
  g_autoptr(GHashTable) open_rows = NULL;
  g_autoptr(GHashTable) won_rows = NULL;
  CrmForecastLayout *self;
  gint64 max_value = 0;
  double line_height, unused, top, month_height;
  gboolean any = FALSE;

  g_return_val_if_fail (CRM_IS_STATS (open), NULL);
  g_return_val_if_fail (CRM_IS_STATS (won), NULL);
  g_return_val_if_fail (from != CRM_MONTH_NONE && to >= from, NULL);
  g_return_val_if_fail (PANGO_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (font != NULL, NULL);

  self = g_new0 (CrmForecastLayout, 1);
  crm_chart_frame_init (&self->frame, crm_stats_get_currency (open), width, height, context, font);
  self->label_every = 1;

  open_rows = crm_chart_month_rows (open);
  won_rows = crm_chart_month_rows (won);
  self->n_groups = (guint) (to - from + 1);
  self->groups = g_new0 (CrmForecastGroup, self->n_groups);
  for (guint i = 0; i < self->n_groups; i++)
    {
      CrmForecastGroup *group = &self->groups[i];
      gint64 unused_weighted;

      group->month = from + (CrmMonth) i;
      group->key = crm_month_to_iso (group->month);
      crm_chart_month_figures (open_rows, group->month, &group->open_count,
                               &group->open_absolute_minor, &group->open_weighted_minor);
      crm_chart_month_figures (won_rows, group->month, &group->won_count,
                               &group->won_absolute_minor, &unused_weighted);
      max_value = MAX (max_value, MAX (group->open_absolute_minor, group->won_absolute_minor));
      any = any || group->open_count > 0 || group->won_count > 0;
    }

  if (!any)
    {
      for (guint i = 0; i < self->n_groups; i++)
        g_free (self->groups[i].key);
      g_clear_pointer (&self->groups, g_free);
      self->n_groups = 0;
      crm_chart_label_set_centred (&self->empty, context, font,
                                   _("No open or won leads in these months"),
                                   self->frame.width, self->frame.height);
      return self;
    }

  crm_chart_measure_text (context, font, "Ag", &unused, &line_height);
  top = CRM_CHART_MARGIN +
        crm_chart_legend_layout (self->legend, G_N_ELEMENTS (self->legend), legend,
                                 context, font, CRM_CHART_MARGIN, CRM_CHART_MARGIN,
                                 self->frame.width - 2 * CRM_CHART_MARGIN) +
        CRM_CHART_SPACING + line_height / 2;   /* room for the top tick's label */
  month_height = 2 * line_height + CRM_CHART_SPACING / 2;

  self->plot.y = top;
  self->plot.height = MAX (0, self->frame.height - CRM_CHART_MARGIN - month_height - top);

  layout_ticks (self, max_value, line_height);
  layout_groups (self, self->plot.y + self->plot.height + CRM_CHART_SPACING / 2);

  return self;
}

void
crm_forecast_layout_free (CrmForecastLayout *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->n_groups; i++)
    {
      g_free (self->groups[i].key);
      crm_chart_label_clear (&self->groups[i].label);
    }
  for (guint i = 0; i < self->n_tick_marks; i++)
    crm_chart_label_clear (&self->tick_marks[i].label);
  for (guint i = 0; i < G_N_ELEMENTS (self->legend); i++)
    crm_chart_label_clear (&self->legend[i].label);
  crm_chart_label_clear (&self->empty);
  g_free (self->groups);
  g_free (self->tick_marks);
  crm_chart_frame_clear (&self->frame);
  g_free (self);
}

/**
 * crm_forecast_layout_lookup_item:
 * @out_part: (out) (optional): the open or the won bar
 *
 * The one hit test behind hover, tooltip and click.
 *
 * Returns: the month's index in the range at (x, y), or -1
 */
int
crm_forecast_layout_lookup_item (const CrmForecastLayout *self,
                                 double                   x,
                                 double                   y,
                                 CrmForecastPart         *out_part)
{
  g_return_val_if_fail (self != NULL, -1);

  if (self->n_groups == 0)
    return -1;

  /* equally wide columns: the index by division, so that neighbouring
   * columns never both or neither claim an edge through rounding */
  {
    const CrmForecastGroup *first = &self->groups[0];
    double pitch = self->plot.width / self->n_groups;
    double column = pitch > 0 ? floor ((x - self->plot.x) / pitch) : -1;
    const CrmForecastGroup *group;

    if (column < 0 || column >= self->n_groups ||
        y < first->hit.y || y >= first->hit.y + first->hit.height)
      return -1;

    group = &self->groups[(guint) column];
    if (out_part != NULL)
      *out_part = x < group->won_from_x ? CRM_FORECAST_PART_OPEN : CRM_FORECAST_PART_WON;

    return (int) column;
  }
}
