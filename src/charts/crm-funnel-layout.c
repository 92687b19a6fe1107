/* crm-funnel-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The funnel's geometry, from a by-phase statistic of open leads:
 *
 *   [legend: ■ absolute  ■ weighted                                  ]
 *   [    phase name | ░░░░░░▓▓▓▓▓▓▓▓░░░░░░ | 12 leads, €1.2 M (…)  ]
 *   [    phase name |     ░░░▓▓▓▓▓░░░      | 7 leads, …            ]
 *
 * One row per phase in row (phase) order. Each band is centred; its
 * width is proportional to the phase's absolute volume (the largest
 * fills the plot), and the weighted volume is a band of the same scale
 * inside it. A row's whole strip is its hit area, so phases with a
 * volume of 0 can still be hovered and clicked. Labels that do not fit
 * are hidden; figures fall back to the compact form first.
 */
#define G_LOG_DOMAIN "crm-charts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "crm-chart-text.h"
#include "crm-funnel-layout.h"
#include "crm-stats.h"

/* Share of the width the phase names and the figures may take. */
#define NAME_SHARE     0.3
#define FIGURES_SHARE  0.4
#define MIN_PLOT      24.0

/* ------------------------------------------------------ auxiliary methods */

static gboolean
stats_is_empty (CrmStats *stats)
{
  for (guint i = 0; i < crm_stats_get_n_rows (stats); i++)
    if (crm_stats_get_row (stats, i)->count > 0)
      return FALSE;

  return TRUE;
}

/* Figures in full when all fit in the column, else all compact. */
static double
set_figures (CrmFunnelLayout *self,
             double           max_width,
             gboolean         compact)
{
  double widest = 0;

  for (guint i = 0; i < self->n_bands; i++)
    {
      CrmFunnelBand *band = &self->bands[i];
      g_autofree char *text = crm_chart_text_figures (band->count, band->absolute_minor,
                                                      band->weighted_minor, self->frame.currency,
                                                      compact);

      crm_chart_label_set (&band->figures, self->frame.context, self->frame.font, text);
      widest = MAX (widest, band->figures.rect.width);
    }

  if (!compact && widest > max_width)
    return set_figures (self, max_width, TRUE);

  return widest;
}

static void
place_bands (CrmFunnelLayout *self,
             double           top)
{
  double inner_width = self->frame.width - 2 * CRM_CHART_MARGIN;
  double avail = self->frame.height - top - CRM_CHART_MARGIN;
  double line_height, row_height, band_height;
  double name_col = 0, figures_col = 0;
  gint64 max_absolute = 0;
  double unused;

  crm_chart_measure_text (self->frame.context, self->frame.font, "Ag", &unused, &line_height);

  row_height = MIN (avail / self->n_bands, 2 * line_height + 2 * CRM_CHART_SPACING);
  band_height = row_height - MAX (1.0, row_height * 0.2);

  for (guint i = 0; i < self->n_bands; i++)
    {
      name_col = MAX (name_col, self->bands[i].name.rect.width);
      max_absolute = MAX (max_absolute, self->bands[i].absolute_minor);
    }
  name_col = MIN (name_col, inner_width * NAME_SHARE);
  figures_col = MIN (set_figures (self, inner_width * FIGURES_SHARE, FALSE),
                     inner_width * FIGURES_SHARE);

  /* a narrow chart drops the figures, then the names */
  if (inner_width - name_col - figures_col - 2 * CRM_CHART_SPACING < MIN_PLOT)
    figures_col = 0;
  if (inner_width - name_col - CRM_CHART_SPACING < MIN_PLOT)
    name_col = 0;

  self->plot.x = CRM_CHART_MARGIN + (name_col > 0 ? name_col + CRM_CHART_SPACING : 0);
  self->plot.y = top;
  self->plot.width = MAX (0, self->frame.width - CRM_CHART_MARGIN - self->plot.x -
                             (figures_col > 0 ? figures_col + CRM_CHART_SPACING : 0));
  self->plot.height = row_height * self->n_bands;

  for (guint i = 0; i < self->n_bands; i++)
    {
      CrmFunnelBand *band = &self->bands[i];
      double row_y = top + i * row_height;
      double centre = self->plot.x + self->plot.width / 2;
      double absolute_w = 0, weighted_w = 0;

      if (max_absolute > 0)
        {
          absolute_w = self->plot.width * ((double) band->absolute_minor / (double) max_absolute);
          weighted_w = self->plot.width * ((double) band->weighted_minor / (double) max_absolute);
          /* a volume above zero stays visible */
          if (band->absolute_minor > 0)
            absolute_w = MAX (absolute_w, 1.0);
          if (band->weighted_minor > 0)
            weighted_w = MAX (weighted_w, 1.0);
          weighted_w = CLAMP (weighted_w, 0, absolute_w);
        }

      band->hit = (CrmChartRect) { CRM_CHART_MARGIN, row_y, inner_width, row_height };
      band->absolute = (CrmChartRect) {
        centre - absolute_w / 2, row_y + (row_height - band_height) / 2, absolute_w, band_height
      };
      band->weighted = (CrmChartRect) {
        centre - weighted_w / 2, band->absolute.y, weighted_w, band_height
      };

      /* the name right-aligned beside the bands, ellipsized to its column */
      band->name.rect.width = MIN (band->name.rect.width, name_col);
      band->name.rect.x = self->plot.x - CRM_CHART_SPACING - band->name.rect.width;
      band->name.rect.y = row_y + (row_height - band->name.rect.height) / 2;
      band->name.visible = name_col > 0 && band->name.rect.height <= row_height;

      band->figures.rect.x = self->plot.x + self->plot.width + CRM_CHART_SPACING;
      band->figures.rect.y = row_y + (row_height - band->figures.rect.height) / 2;
      band->figures.visible = figures_col > 0 &&
                              band->figures.rect.width <= figures_col &&
                              band->figures.rect.height <= row_height;
    }
}

/* ------------------------------------------------------------- public API */

/**
 * crm_funnel_layout_new:
 * @phases: a by-phase statistic of open leads
 * @context: measures the text (the widget's, or one for the export surface)
 * @font: the labels' font
 *
 * Returns: (transfer full): the geometry for a chart of width × height
 */
CrmFunnelLayout *
crm_funnel_layout_new (CrmStats                   *phases,
                       double                      width,
                       double                      height,
                       PangoContext               *context,
                       const PangoFontDescription *font)
{
  const char *legend[] = { _("Absolute volume"), _("Weighted volume") };
  CrmFunnelLayout *self;
  double top;

  g_return_val_if_fail (CRM_IS_STATS (phases), NULL);
  g_return_val_if_fail (PANGO_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (font != NULL, NULL);

  self = g_new0 (CrmFunnelLayout, 1);
  crm_chart_frame_init (&self->frame, crm_stats_get_currency (phases), width, height, context, font);

  if (stats_is_empty (phases))
    {
      crm_chart_label_set_centred (&self->empty, context, font, _("No open leads"),
                                   self->frame.width, self->frame.height);
      return self;
    }

  top = CRM_CHART_MARGIN +
        crm_chart_legend_layout (self->legend, G_N_ELEMENTS (self->legend), legend,
                                 context, font, CRM_CHART_MARGIN, CRM_CHART_MARGIN,
                                 self->frame.width - 2 * CRM_CHART_MARGIN) +
        CRM_CHART_SPACING;

  self->n_bands = crm_stats_get_n_rows (phases);
  self->bands = g_new0 (CrmFunnelBand, self->n_bands);
  for (guint i = 0; i < self->n_bands; i++)
    {
      const CrmStatsRow *row = crm_stats_get_row (phases, i);
      CrmFunnelBand *band = &self->bands[i];

      band->key = g_strdup (row->key);
      band->count = row->count;
      band->absolute_minor = MAX (row->absolute_minor, 0);
      band->weighted_minor = CLAMP (row->weighted_minor, 0, band->absolute_minor);
      crm_chart_label_set (&band->name, context, font, row->label);
    }

  place_bands (self, top);

  return self;
}

void
crm_funnel_layout_free (CrmFunnelLayout *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->n_bands; i++)
    {
      g_free (self->bands[i].key);
      crm_chart_label_clear (&self->bands[i].name);
      crm_chart_label_clear (&self->bands[i].figures);
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->legend); i++)
    crm_chart_label_clear (&self->legend[i].label);
  crm_chart_label_clear (&self->empty);
  g_free (self->bands);
  crm_chart_frame_clear (&self->frame);
  g_free (self);
}

/**
 * crm_funnel_layout_lookup_item:
 *
 * The one hit test behind hover, tooltip and click.
 *
 * Returns: the band (row) index at (x, y), or -1
 */
int
crm_funnel_layout_lookup_item (const CrmFunnelLayout *self,
                               double                 x,
                               double                 y)
{
  g_return_val_if_fail (self != NULL, -1);

  /* equally high rows: the index by division, so that neighbouring rows
   * never both or neither claim an edge through rounding */
  if (self->n_bands > 0 && self->plot.height > 0)
    {
      const CrmChartRect *first = &self->bands[0].hit;
      double row = floor ((y - self->plot.y) / (self->plot.height / self->n_bands));

      if (row >= 0 && row < self->n_bands && x >= first->x && x < first->x + first->width)
        return (int) row;
    }

  return -1;
}
