/* test-charts.c: chart geometry, ticks, figures and export (no display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure C against libcrm-charts: nice ticks over many ranges, compact
 * figures, funnel and forecast shapes (proportions, weighted inside
 * absolute, order), label placement (inside the chart, no overlaps) at
 * many sizes, hit testing (centres, edges, gaps, outside), empty data,
 * one phase, huge and zero values, 100+ months, the accessible text
 * and export's refusals.
 */
#define G_LOG_DOMAIN "crm-test"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "crm-chart-export.h"
#include "crm-chart-test-util.h"
#include "crm-chart-text.h"
#include "crm-chart-ticks.h"
#include "crm-forecast-layout.h"
#include "crm-funnel-layout.h"
#include "crm-month.h"

#define NBSP "\u00a0"

static PangoContext *context;
static PangoFontDescription *font;

/* Sizes every layout test runs at: tiny, small, usual, wide, huge. */
static const struct { double width, height; } sizes[] = {
  { 64, 64 }, { 160, 120 }, { 320, 200 }, { 640, 360 }, { 1200, 300 }, { 3000, 2000 },
};

/* ------------------------------------------------------------- helpers */

static gboolean
is_nice (gint64 step)
{
  while (step % 10 == 0)
    step /= 10;

  return step == 1 || step == 2 || step == 5;
}

static gint64
previous_nice (gint64 step)
{
  gint64 magnitude = 1;

  while (step / magnitude >= 10)
    magnitude *= 10;
  switch (step / magnitude)
    {
    case 1: return magnitude / 2;   /* 5 × 10^(n-1); 0 below 1 */
    case 2: return magnitude;
    default: return 2 * magnitude;
    }
}

/* Every visible label inside the chart, and no two overlapping. */
static void
assert_labels_apart (const CrmChartLabel **labels,
                     guint                 n,
                     double                width,
                     double                height)
{
  CrmChartRect bounds = { 0, 0, width, height };

  for (guint i = 0; i < n; i++)
    {
      if (!labels[i]->visible)
        continue;
      if (!crm_chart_rect_inside (&labels[i]->rect, &bounds))
        g_error ("label “%s” at %g,%g %gx%g is outside %gx%g", labels[i]->text,
                 labels[i]->rect.x, labels[i]->rect.y, labels[i]->rect.width,
                 labels[i]->rect.height, width, height);
      for (guint j = i + 1; j < n; j++)
        if (labels[j]->visible && crm_chart_rect_intersects (&labels[i]->rect, &labels[j]->rect))
          g_error ("labels “%s” and “%s” overlap at %gx%g", labels[i]->text,
                   labels[j]->text, width, height);
    }
}

static GPtrArray *
funnel_labels (const CrmFunnelLayout *layout)
{
  GPtrArray *labels = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (layout->legend); i++)
    g_ptr_array_add (labels, (gpointer) &layout->legend[i].label);
  for (guint i = 0; i < layout->n_bands; i++)
    {
      g_ptr_array_add (labels, (gpointer) &layout->bands[i].name);
      g_ptr_array_add (labels, (gpointer) &layout->bands[i].figures);
    }

  return labels;
}

static GPtrArray *
forecast_labels (const CrmForecastLayout *layout)
{
  GPtrArray *labels = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (layout->legend); i++)
    g_ptr_array_add (labels, (gpointer) &layout->legend[i].label);
  for (guint i = 0; i < layout->n_tick_marks; i++)
    g_ptr_array_add (labels, (gpointer) &layout->tick_marks[i].label);
  for (guint i = 0; i < layout->n_groups; i++)
    g_ptr_array_add (labels, (gpointer) &layout->groups[i].label);

  return labels;
}

static void
assert_funnel_sane (const CrmFunnelLayout *layout)
{
  g_autoptr(GPtrArray) labels = funnel_labels (layout);
  CrmChartRect bounds = { 0, 0, layout->frame.width, layout->frame.height };

  assert_labels_apart ((const CrmChartLabel **) labels->pdata, labels->len,
                       layout->frame.width, layout->frame.height);
  for (guint i = 0; i < layout->n_bands; i++)
    {
      const CrmFunnelBand *band = &layout->bands[i];

      g_assert_true (crm_chart_rect_inside (&band->weighted, &band->absolute));
      g_assert_true (crm_chart_rect_inside (&band->absolute, &layout->plot));
      g_assert_true (crm_chart_rect_inside (&band->hit, &bounds));
      /* labels never cover a band */
      if (band->name.visible)
        g_assert_false (crm_chart_rect_intersects (&band->name.rect, &band->absolute));
      if (band->figures.visible)
        g_assert_false (crm_chart_rect_intersects (&band->figures.rect, &band->absolute));
      if (i > 0)
        g_assert_cmpfloat (band->absolute.y, >, layout->bands[i - 1].absolute.y);
    }
}

static void
assert_forecast_sane (const CrmForecastLayout *layout)
{
  g_autoptr(GPtrArray) labels = forecast_labels (layout);
  double bottom = layout->plot.y + layout->plot.height;

  assert_labels_apart ((const CrmChartLabel **) labels->pdata, labels->len,
                       layout->frame.width, layout->frame.height);
  for (guint i = 0; i < layout->n_groups; i++)
    {
      const CrmForecastGroup *group = &layout->groups[i];

      g_assert_true (crm_chart_rect_inside (&group->absolute, &layout->plot));
      g_assert_true (crm_chart_rect_inside (&group->weighted, &layout->plot));
      g_assert_true (crm_chart_rect_inside (&group->won, &layout->plot));
      /* side by side: absolute, weighted, won; all on the baseline */
      g_assert_cmpfloat_with_epsilon (group->absolute.x + group->absolute.width, group->weighted.x, 1e-9);
      g_assert_cmpfloat_with_epsilon (group->weighted.x + group->weighted.width, group->won.x, 1e-9);
      g_assert_cmpfloat_with_epsilon (group->absolute.y + group->absolute.height, bottom, 1e-9);
      g_assert_cmpfloat (group->weighted.height, <=, group->absolute.height);
      if (group->label.visible)
        g_assert_false (crm_chart_rect_intersects (&group->label.rect, &layout->plot));
    }
  for (guint i = 1; i < layout->n_tick_marks && layout->plot.height > 0; i++)
    g_assert_cmpfloat (layout->tick_marks[i].y, <, layout->tick_marks[i - 1].y);
}

/* ------------------------------------------------------------- ticks */

static void
test_ticks_table (void)
{
  static const struct { gint64 max; guint steps; gint64 step; guint n; gint64 axis; } cases[] = {
    { 0, 5, 1, 1, 1 },
    { -5, 5, 1, 1, 1 },
    { 1, 5, 1, 1, 1 },
    { 1, 1, 1, 1, 1 },
    { 7, 5, 2, 4, 8 },
    { 10, 5, 2, 5, 10 },
    { 100, 5, 20, 5, 100 },
    { 100, 10, 10, 10, 100 },
    { 101, 5, 50, 3, 150 },
    { 999, 4, 500, 2, 1000 },
    { 1000, 4, 500, 2, 1000 },
    { 1000, 1, 1000, 1, 1000 },
    { 123456, 6, 50000, 3, 150000 },
    { G_GINT64_CONSTANT (1000000000000000), 5, G_GINT64_CONSTANT (200000000000000), 5,
      G_GINT64_CONSTANT (1000000000000000) },
    { G_GINT64_CONSTANT (1000000000000001), 5, G_GINT64_CONSTANT (500000000000000), 3,
      G_GINT64_CONSTANT (1500000000000000) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CrmChartTicks ticks;

      crm_chart_ticks_compute (cases[i].max, cases[i].steps, &ticks);
      g_test_message ("max %" G_GINT64_FORMAT " in %u: step %" G_GINT64_FORMAT " × %u",
                      cases[i].max, cases[i].steps, ticks.step, ticks.n_steps);
      g_assert_cmpint (ticks.step, ==, cases[i].step);
      g_assert_cmpuint (ticks.n_steps, ==, cases[i].n);
      g_assert_cmpint (ticks.axis_max, ==, cases[i].axis);
      g_assert_cmpint (crm_chart_ticks_value (&ticks, ticks.n_steps), ==, ticks.axis_max);
    }
}

/* For every magnitude and many values: the step is 1-2-5 × 10^n, the
 * axis covers the value in at most max_steps steps, and the next
 * smaller nice step would need more. */
static void
test_ticks_properties (void)
{
  static const gint64 mantissas[] = { 1, 2, 3, 5, 7, 9, 10, 11, 19, 25, 49, 99 };

  for (gint64 magnitude = 1; magnitude <= G_GINT64_CONSTANT (10000000000000000); magnitude *= 10)
    for (guint m = 0; m < G_N_ELEMENTS (mantissas); m++)
      for (guint max_steps = 1; max_steps <= 10; max_steps++)
        {
          gint64 max = mantissas[m] * magnitude;
          gint64 smaller;
          CrmChartTicks ticks;

          crm_chart_ticks_compute (max, max_steps, &ticks);
          g_assert_true (is_nice (ticks.step));
          g_assert_cmpuint (ticks.n_steps, >=, 1);
          g_assert_cmpuint (ticks.n_steps, <=, max_steps);
          g_assert_cmpint (ticks.axis_max, >=, max);
          g_assert_cmpint (ticks.axis_max, ==, ticks.step * (gint64) ticks.n_steps);
          g_assert_cmpint (ticks.axis_max - ticks.step, <, max);
          smaller = previous_nice (ticks.step);
          if (smaller > 0)
            g_assert_cmpint ((max + smaller - 1) / smaller, >, max_steps);
        }
}

static void
test_ticks_extremes (void)
{
  CrmChartTicks ticks;

  /* the largest sum a statistic can hold: no overflow, axis ends at it */
  crm_chart_ticks_compute (G_MAXINT64, 5, &ticks);
  g_assert_true (is_nice (ticks.step));
  g_assert_cmpint (ticks.axis_max, ==, G_MAXINT64);
  g_assert_cmpint (ticks.step * (gint64) ticks.n_steps, <=, G_MAXINT64);
  g_assert_cmpuint (ticks.n_steps, >=, 1);

  crm_chart_ticks_compute (G_MAXINT64 / 3, 8, &ticks);
  g_assert_cmpint (ticks.axis_max, >=, G_MAXINT64 / 3);
  g_assert_true (is_nice (ticks.step));

  /* 0 steps asked: one step */
  crm_chart_ticks_compute (500, 0, &ticks);
  g_assert_cmpuint (ticks.n_steps, ==, 1);
  g_assert_cmpint (ticks.step, ==, 500);
}

/* --------------------------------------------------------- compact figures */

static void
test_compact (void)
{
  static const struct { gint64 minor; const char *currency; gint64 unit_of; guint decimals; const char *text; } cases[] = {
    { 123456789, "EUR", 123456789, 1, "€1.2" NBSP "M" },
    { 123456789, "EUR", 123456789, 3, "€1.235" NBSP "M" },
    { 125000000, "EUR", 125000000, 1, "€1.3" NBSP "M" },          /* half away from zero */
    { 50000000, "EUR", 200000000, 1, "€0.5" NBSP "M" },
    { 0, "EUR", 200000000, 1, "€0.0" NBSP "M" },
    { 150000, "EUR", 150000, 1, "€1.5" NBSP "k" },
    { 99999, "EUR", 99999, 1, "€999.99" },                          /* below a thousand: in full */
    { 5000000, "JPY", 5000000, 0, "¥5" NBSP "M" },
    { G_GINT64_CONSTANT (1000000000000000), "EUR", G_GINT64_CONSTANT (1000000000000000), 0, "€10" NBSP "T" },
    { G_MAXINT64, "EUR", G_MAXINT64, 0, "€92,234" NBSP "T" },
    { 2500000000000, "USD", 2500000000000, 1, "$25.0" NBSP "B" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_chart_format_compact (cases[i].minor, cases[i].currency,
                                                        cases[i].unit_of, cases[i].decimals);

      g_test_message ("%" G_GINT64_FORMAT " %s -> %s", cases[i].minor, cases[i].currency, text);
      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* decimals that show every tick exactly */
  g_assert_cmpuint (crm_chart_compact_decimals (50000000, "EUR", 200000000), ==, 1);
  g_assert_cmpuint (crm_chart_compact_decimals (100000000, "EUR", 200000000), ==, 0);
  g_assert_cmpuint (crm_chart_compact_decimals (25, "EUR", 200000000), ==, 3);
  g_assert_cmpuint (crm_chart_compact_decimals (5000, "EUR", 5000), ==, 0);   /* in full */
}

static void
test_tick_labels (void)
{
  static const struct { gint64 max; guint steps; const char *currency; gboolean compact; guint index; const char *text; } cases[] = {
    { 20, 4, "EUR", FALSE, 1, "€0.05" },
    { 200, 4, "EUR", FALSE, 1, "€0.50" },
    { 200, 4, "EUR", FALSE, 0, "€0.00" },
    { 8000000, 4, "EUR", FALSE, 1, "€20,000" },
    { 8000000, 4, "EUR", FALSE, 0, "€0" },
    { 8000000, 4, "EUR", TRUE, 3, "€60" NBSP "k" },
    { 200000000, 4, "EUR", TRUE, 3, "€1.5" NBSP "M" },
    { 200000000, 4, "EUR", TRUE, 4, "€2.0" NBSP "M" },
    { 2000000, 4, "JPY", TRUE, 1, "¥0.5" NBSP "M" },
    { 90000, 9, "KWD", FALSE, 1, "KWD" NBSP "10" },
    { 4999, 5, "EUR", TRUE, 1, "€10" },   /* compact below a thousand: in full */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CrmChartTicks ticks;
      g_autofree char *text = NULL;

      crm_chart_ticks_compute (cases[i].max, cases[i].steps, &ticks);
      text = crm_chart_format_tick (crm_chart_ticks_value (&ticks, cases[i].index),
                                    cases[i].currency, &ticks, cases[i].compact);
      g_test_message ("tick %u of %" G_GINT64_FORMAT " %s: %s", cases[i].index, cases[i].max,
                      cases[i].currency, text);
      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* from a million major units the axis prefers the compact form */
  {
    CrmChartTicks ticks;

    crm_chart_ticks_compute (80000000, 4, &ticks);
    g_assert_false (crm_chart_ticks_prefer_compact (&ticks, "EUR"));
    crm_chart_ticks_compute (100000000, 5, &ticks);
    g_assert_true (crm_chart_ticks_prefer_compact (&ticks, "EUR"));
  }
}

static void
test_compact_locale (void)
{
  g_autofree char *text = NULL;

  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      setlocale (LC_ALL, "C.UTF-8");
      g_test_skip ("no de_DE.UTF-8 locale");
      return;
    }

  /* the decimal comma and the currency after the figure, as for money */
  text = crm_chart_format_compact (123456789, "EUR", 123456789, 1);
  setlocale (LC_ALL, "C.UTF-8");
  g_assert_cmpstr (text, ==, "1,2" NBSP "M" NBSP "€");
}

/* -------------------------------------------------------------- funnel */

static void
test_funnel_shapes (void)
{
  g_autoptr(CrmStats) phases = crm_chart_test_phases ();
  g_autoptr(CrmFunnelLayout) layout = crm_funnel_layout_new (phases, 640, 360, context, font);
  double centre = layout->plot.x + layout->plot.width / 2;

  g_assert_cmpuint (layout->n_bands, ==, 5);
  assert_funnel_sane (layout);

  for (guint i = 0; i < layout->n_bands; i++)
    {
      const CrmFunnelBand *band = &layout->bands[i];
      const CrmStatsRow *row = crm_stats_get_row (phases, i);

      /* row order, the row's key and figures */
      g_assert_cmpstr (band->key, ==, row->key);
      g_assert_cmpstr (band->name.text, ==, row->label);
      g_assert_cmpint (band->absolute_minor, ==, row->absolute_minor);
      /* width ∝ volume; the largest (Lead, 4.8 M) fills the plot */
      g_assert_cmpfloat_with_epsilon (band->absolute.width,
                                      layout->plot.width * row->absolute_minor / 480000000.0, 1e-6);
      g_assert_cmpfloat_with_epsilon (band->weighted.width,
                                      layout->plot.width * row->weighted_minor / 480000000.0, 1e-6);
      /* centred */
      g_assert_cmpfloat_with_epsilon (band->absolute.x + band->absolute.width / 2, centre, 1e-6);
      g_assert_cmpfloat_with_epsilon (band->weighted.x + band->weighted.width / 2, centre, 1e-6);
      g_assert_true (band->name.visible);
      g_assert_true (band->figures.visible);
    }
  g_assert_cmpfloat_with_epsilon (layout->bands[0].absolute.width, layout->plot.width, 1e-9);
  /* a phase without volume: no band, but its row is there */
  g_assert_cmpfloat (layout->bands[2].absolute.width, ==, 0);
  g_assert_cmpfloat (layout->bands[2].hit.height, >, 0);
  /* figures in full where they fit */
  {
    g_autoptr(CrmFunnelLayout) wide = crm_funnel_layout_new (phases, 1000, 360, context, font);

    assert_funnel_sane (wide);
    g_assert_cmpstr (wide->bands[4].figures.text, ==, "5 leads · €980,000.50 · €784,000.40");
    g_assert_true (wide->bands[4].figures.visible);
  }
}

static void
test_funnel_labels_all_sizes (void)
{
  g_autoptr(CrmStats) phases = crm_chart_test_phases ();

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(CrmFunnelLayout) layout =
        crm_funnel_layout_new (phases, sizes[s].width, sizes[s].height, context, font);

      g_test_message ("funnel at %gx%g", sizes[s].width, sizes[s].height);
      assert_funnel_sane (layout);
    }

  /* narrow: figures go compact before they disappear */
  {
    g_autoptr(CrmFunnelLayout) layout = crm_funnel_layout_new (phases, 520, 300, context, font);

    assert_funnel_sane (layout);
    g_assert_true (layout->bands[0].figures.visible);
    g_assert_nonnull (strstr (layout->bands[0].figures.text, NBSP "M"));
  }
}

static void
test_funnel_hit (void)
{
  g_autoptr(CrmStats) phases = crm_chart_test_phases ();
  g_autoptr(CrmFunnelLayout) layout = crm_funnel_layout_new (phases, 640, 360, context, font);

  for (guint i = 0; i < layout->n_bands; i++)
    {
      const CrmFunnelBand *band = &layout->bands[i];
      const CrmChartRect *hit = &band->hit;

      /* centre of the band, its name, the row's corners */
      g_assert_cmpint (crm_funnel_layout_lookup_item (layout, band->absolute.x + band->absolute.width / 2,
                                                      band->absolute.y + band->absolute.height / 2), ==, i);
      g_assert_cmpint (crm_funnel_layout_lookup_item (layout, band->name.rect.x + 1,
                                                      band->name.rect.y + 1), ==, i);
      g_assert_cmpint (crm_funnel_layout_lookup_item (layout, hit->x, hit->y), ==, i);
      g_assert_cmpint (crm_funnel_layout_lookup_item (layout, hit->x + hit->width - 0.01,
                                                      hit->y + hit->height - 0.01), ==, i);
      /* the gap below a band belongs to its row */
      g_assert_cmpint (crm_funnel_layout_lookup_item (layout, hit->x + hit->width / 2,
                                                      band->absolute.y + band->absolute.height + 0.1), ==, i);
      /* the bottom edge belongs to the next row (half-open rows) */
      g_assert_cmpint (crm_funnel_layout_lookup_item (layout, hit->x + 1, hit->y + hit->height), ==,
                       i + 1 < layout->n_bands ? (int) i + 1 : -1);
    }

  /* legend, margins, outside */
  g_assert_cmpint (crm_funnel_layout_lookup_item (layout, layout->legend[0].swatch.x + 1,
                                                  layout->legend[0].swatch.y + 1), ==, -1);
  g_assert_cmpint (crm_funnel_layout_lookup_item (layout, 1, layout->bands[0].hit.y + 2), ==, -1);
  g_assert_cmpint (crm_funnel_layout_lookup_item (layout, 639, layout->bands[0].hit.y + 2), ==, -1);
  g_assert_cmpint (crm_funnel_layout_lookup_item (layout, -5, -5), ==, -1);
  g_assert_cmpint (crm_funnel_layout_lookup_item (layout, 320, 1000), ==, -1);
}

static void
test_funnel_empty (void)
{
  static const CrmChartTestRow zero[] = {
    { "lead", "Lead", 0, 0, 0 },
    { "proposal", "Proposal", 0, 0, 0 },
  };
  g_autoptr(CrmStats) none = crm_chart_test_stats (CRM_STATS_BY_PHASE, NULL, 0);
  g_autoptr(CrmStats) zeros = crm_chart_test_stats (CRM_STATS_BY_PHASE, zero, G_N_ELEMENTS (zero));
  CrmStats *cases[] = { none, zeros };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        g_autoptr(CrmFunnelLayout) layout =
          crm_funnel_layout_new (cases[c], sizes[s].width, sizes[s].height, context, font);
        g_autofree char *description = crm_chart_text_funnel_description (cases[c]);

        g_assert_cmpuint (layout->n_bands, ==, 0);
        g_assert_true (layout->empty.visible);
        g_assert_cmpstr (layout->empty.text, ==, "No open leads");
        g_assert_cmpfloat (layout->empty.rect.x + layout->empty.rect.width, <=, sizes[s].width);
        g_assert_cmpint (crm_funnel_layout_lookup_item (layout, sizes[s].width / 2, sizes[s].height / 2), ==, -1);
        g_assert_cmpstr (description, ==, "No open leads");
      }
}

static void
test_funnel_one_phase (void)
{
  static const CrmChartTestRow one[] = { { "proposal", "Proposal", 1, 12345, 6173 } };
  g_autoptr(CrmStats) phases = crm_chart_test_stats (CRM_STATS_BY_PHASE, one, 1);
  g_autoptr(CrmFunnelLayout) layout = crm_funnel_layout_new (phases, 640, 360, context, font);

  g_assert_cmpuint (layout->n_bands, ==, 1);
  assert_funnel_sane (layout);
  g_assert_cmpfloat_with_epsilon (layout->bands[0].absolute.width, layout->plot.width, 1e-9);
  g_assert_cmpfloat_with_epsilon (layout->bands[0].weighted.width,
                                  layout->plot.width * 6173 / 12345.0, 1e-6);
  /* one band is not stretched over the whole height */
  g_assert_cmpfloat (layout->bands[0].absolute.height, <, 100);
  g_assert_cmpstr (layout->bands[0].figures.text, ==, "1 lead · €123.45 · €61.73");
}

static void
test_funnel_huge_and_zero (void)
{
  static const CrmChartTestRow rows[] = {
    { "a", "Huge", 1000000, G_MAXINT64, G_MAXINT64 / 2 },
    { "b", "Tiny", 1, 1, 1 },
    { "c", "Zero", 7, 0, 0 },
    { "d", "Max volume", 1, G_GINT64_CONSTANT (1000000000000000), G_GINT64_CONSTANT (1000000000000000) },
  };
  g_autoptr(CrmStats) phases = crm_chart_test_stats (CRM_STATS_BY_PHASE, rows, G_N_ELEMENTS (rows));

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(CrmFunnelLayout) layout =
        crm_funnel_layout_new (phases, sizes[s].width, sizes[s].height, context, font);

      assert_funnel_sane (layout);
      if (layout->plot.width > 0)
        {
          /* a volume above zero is at least one pixel; zero is nothing */
          g_assert_cmpfloat (layout->bands[1].absolute.width, >=, 1.0);
          g_assert_cmpfloat (layout->bands[2].absolute.width, ==, 0);
          g_assert_cmpfloat_with_epsilon (layout->bands[0].absolute.width, layout->plot.width, 1e-6);
        }
    }
}

static void
test_funnel_many_phases (void)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CrmChartTestRow));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CrmStats) phases = NULL;

  for (guint i = 0; i < 40; i++)
    {
      char *key = g_strdup_printf ("phase-%u with a long name", i);
      CrmChartTestRow row = { key, key, i + 1, (i + 1) * 100000, (i + 1) * 40000 };

      g_ptr_array_add (keys, key);
      g_array_append_val (rows, row);
    }
  phases = crm_chart_test_stats (CRM_STATS_BY_PHASE, (CrmChartTestRow *) rows->data, rows->len);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(CrmFunnelLayout) layout =
        crm_funnel_layout_new (phases, sizes[s].width, sizes[s].height, context, font);

      assert_funnel_sane (layout);
      g_assert_cmpuint (layout->n_bands, ==, 40);
    }
}

/* ------------------------------------------------------------ forecast */

#define JAN_2027 (2027 * 12)

static void
test_forecast_shapes (void)
{
  g_autoptr(CrmStats) open = crm_chart_test_months (JAN_2027, 12, 1000000, FALSE);
  g_autoptr(CrmStats) won = crm_chart_test_months (JAN_2027, 12, 1000000, TRUE);
  g_autoptr(CrmForecastLayout) layout =
    crm_forecast_layout_new (open, won, JAN_2027, JAN_2027 + 11, 640, 360, context, font);
  g_autoptr(GHashTable) open_rows = crm_chart_month_rows (open);
  double bottom = layout->plot.y + layout->plot.height;

  g_assert_cmpuint (layout->n_groups, ==, 12);
  assert_forecast_sane (layout);

  for (guint i = 0; i < layout->n_groups; i++)
    {
      const CrmForecastGroup *group = &layout->groups[i];
      gint64 count, absolute, weighted;

      g_assert_cmpint (group->month, ==, JAN_2027 + (int) i);
      crm_chart_month_figures (open_rows, group->month, &count, &absolute, &weighted);
      g_assert_cmpint (group->open_absolute_minor, ==, absolute);
      /* height ∝ value on the axis */
      if (absolute > 0)
        g_assert_cmpfloat_with_epsilon (group->absolute.height,
                                        MAX (1.0, layout->plot.height * absolute / (double) layout->ticks.axis_max), 1e-6);
      else
        g_assert_cmpfloat (group->absolute.height, ==, 0);
      if (weighted > 0)
        g_assert_cmpfloat_with_epsilon (group->weighted.y,
                                        MIN (bottom - 1, bottom - layout->plot.height * weighted / (double) layout->ticks.axis_max), 1e-6);
      /* every third month has no won leads */
      if (i % 3 == 2)
        {
          g_assert_cmpint (group->won_count, ==, 0);
          g_assert_cmpfloat (group->won.height, ==, 0);
        }
      /* equally wide columns, left to right */
      g_assert_cmpfloat_with_epsilon (group->hit.width, layout->plot.width / 12, 1e-9);
      g_assert_cmpfloat_with_epsilon (group->hit.x, layout->plot.x + i * layout->plot.width / 12, 1e-9);
    }

  /* 12 months fit at 640 px: every month labelled, the first with its year */
  g_assert_cmpuint (layout->label_every, ==, 1);
  g_assert_cmpstr (layout->groups[0].label.text, ==, "Jan\n2027");
  g_assert_cmpstr (layout->groups[1].label.text, ==, "Feb");
  for (guint i = 0; i < layout->n_groups; i++)
    g_assert_true (layout->groups[i].label.visible);

  /* ticks: 0 at the bottom, nice steps, the top at axis_max */
  g_assert_cmpint (layout->tick_marks[0].value_minor, ==, 0);
  g_assert_cmpfloat_with_epsilon (layout->tick_marks[0].y, bottom, 1e-9);
  g_assert_cmpfloat_with_epsilon (layout->tick_marks[layout->n_tick_marks - 1].y, layout->plot.y, 1e-9);
  g_assert_true (is_nice (layout->ticks.step));
  g_assert_cmpstr (layout->tick_marks[0].label.text, ==, "€0");
  g_assert_null (strchr (layout->tick_marks[1].label.text, '.'));
  /* the "no close month" row (999 × scale) is not in the chart */
  g_assert_cmpint (layout->ticks.axis_max, <, 999 * 1000000);
}

static void
test_forecast_labels_all_sizes (void)
{
  static const guint months[] = { 1, 2, 12, 13, 36, 120, 150, 600, 1200 };

  for (guint m = 0; m < G_N_ELEMENTS (months); m++)
    {
      g_autoptr(CrmStats) open = crm_chart_test_months (JAN_2027 + 4, months[m], 123457, FALSE);
      g_autoptr(CrmStats) won = crm_chart_test_months (JAN_2027 + 4, months[m], 123457, TRUE);

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autoptr(CrmForecastLayout) layout =
            crm_forecast_layout_new (open, won, JAN_2027 + 4, JAN_2027 + 4 + months[m] - 1,
                                     sizes[s].width, sizes[s].height, context, font);

          g_test_message ("forecast of %u months at %gx%g: labels every %u", months[m],
                          sizes[s].width, sizes[s].height, layout->label_every);
          g_assert_cmpuint (layout->n_groups, ==, months[m]);
          assert_forecast_sane (layout);
        }
    }
}

static void
test_forecast_many_months (void)
{
  g_autoptr(CrmStats) open = crm_chart_test_months (JAN_2027 + 2, 130, 500000, FALSE);
  g_autoptr(CrmStats) won = crm_chart_test_months (JAN_2027 + 2, 130, 500000, TRUE);
  g_autoptr(CrmForecastLayout) layout =
    crm_forecast_layout_new (open, won, JAN_2027 + 2, JAN_2027 + 131, 800, 300, context, font);
  guint n_visible = 0;

  assert_forecast_sane (layout);
  g_assert_cmpuint (layout->label_every, >=, 3);
  for (guint i = 0; i < layout->n_groups; i++)
    {
      const CrmForecastGroup *group = &layout->groups[i];

      if (!group->label.visible)
        continue;
      n_visible++;
      /* on calendar boundaries (or the first month) */
      g_assert_true (i == 0 || group->month % layout->label_every == 0);
    }
  g_assert_cmpuint (n_visible, >=, 5);
  g_assert_cmpuint (n_visible, <=, 130 / layout->label_every + 1);
  /* every column still hit-testable */
  for (guint i = 0; i < layout->n_groups; i++)
    g_assert_cmpint (crm_forecast_layout_lookup_item (layout, layout->groups[i].hit.x + layout->groups[i].hit.width / 2,
                                                      layout->plot.y + 1, NULL), ==, i);
}

static void
test_forecast_hit (void)
{
  g_autoptr(CrmStats) open = crm_chart_test_months (JAN_2027, 12, 1000000, FALSE);
  g_autoptr(CrmStats) won = crm_chart_test_months (JAN_2027, 12, 1000000, TRUE);
  g_autoptr(CrmForecastLayout) layout =
    crm_forecast_layout_new (open, won, JAN_2027, JAN_2027 + 11, 640, 360, context, font);
  double bottom = layout->plot.y + layout->plot.height;

  for (guint i = 0; i < layout->n_groups; i++)
    {
      const CrmForecastGroup *group = &layout->groups[i];
      CrmForecastPart part = -1;

      /* the centres of the three bars, just above the baseline */
      g_assert_cmpint (crm_forecast_layout_lookup_item (layout, group->absolute.x + group->absolute.width / 2,
                                                        bottom - 0.5, &part), ==, i);
      g_assert_cmpint (part, ==, CRM_FORECAST_PART_OPEN);
      g_assert_cmpint (crm_forecast_layout_lookup_item (layout, group->weighted.x + group->weighted.width / 2,
                                                        bottom - 0.5, &part), ==, i);
      g_assert_cmpint (part, ==, CRM_FORECAST_PART_OPEN);
      g_assert_cmpint (crm_forecast_layout_lookup_item (layout, group->won.x + group->won.width / 2,
                                                        bottom - 0.5, &part), ==, i);
      g_assert_cmpint (part, ==, CRM_FORECAST_PART_WON);
      /* the gaps: left of the bars is open, right of them won */
      g_assert_cmpint (crm_forecast_layout_lookup_item (layout, group->hit.x, layout->plot.y, &part), ==, i);
      g_assert_cmpint (part, ==, CRM_FORECAST_PART_OPEN);
      g_assert_cmpint (crm_forecast_layout_lookup_item (layout, group->hit.x + group->hit.width - 0.01,
                                                        layout->plot.y, &part), ==, i);
      g_assert_cmpint (part, ==, CRM_FORECAST_PART_WON);
      /* the month label belongs to the column */
      g_assert_cmpint (crm_forecast_layout_lookup_item (layout, group->label.rect.x + group->label.rect.width / 2,
                                                        group->label.rect.y + 1, NULL), ==, i);
    }

  /* the axis labels, the legend, above and right of the plot */
  g_assert_cmpint (crm_forecast_layout_lookup_item (layout, layout->tick_marks[1].label.rect.x + 1,
                                                    layout->tick_marks[1].y, NULL), ==, -1);
  g_assert_cmpint (crm_forecast_layout_lookup_item (layout, layout->legend[2].swatch.x + 1,
                                                    layout->legend[2].swatch.y + 1, NULL), ==, -1);
  g_assert_cmpint (crm_forecast_layout_lookup_item (layout, layout->plot.x + 10, layout->plot.y - 0.5, NULL), ==, -1);
  g_assert_cmpint (crm_forecast_layout_lookup_item (layout, layout->plot.x + layout->plot.width, bottom - 1, NULL), ==, -1);
  g_assert_cmpint (crm_forecast_layout_lookup_item (layout, 10000, 10000, NULL), ==, -1);
}

static void
test_forecast_empty (void)
{
  g_autoptr(CrmStats) open = crm_chart_test_months (JAN_2027, 12, 1000000, FALSE);
  g_autoptr(CrmStats) won = crm_chart_test_months (JAN_2027, 12, 1000000, TRUE);
  g_autoptr(CrmStats) none = crm_chart_test_stats (CRM_STATS_BY_MONTH, NULL, 0);
  g_autofree char *description = NULL;

  /* data, but all outside the range */
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(CrmForecastLayout) layout =
        crm_forecast_layout_new (open, won, JAN_2027 + 24, JAN_2027 + 35,
                                 sizes[s].width, sizes[s].height, context, font);
      g_autoptr(CrmForecastLayout) empty =
        crm_forecast_layout_new (none, none, JAN_2027, JAN_2027,
                                 sizes[s].width, sizes[s].height, context, font);

      g_assert_cmpuint (layout->n_groups, ==, 0);
      g_assert_cmpuint (empty->n_groups, ==, 0);
      g_assert_cmpstr (layout->empty.text, ==, "No open or won leads in these months");
      g_assert_true (layout->empty.visible);
      g_assert_cmpint (crm_forecast_layout_lookup_item (layout, sizes[s].width / 2,
                                                        sizes[s].height / 2, NULL), ==, -1);
    }

  description = crm_chart_text_forecast_description (none, none, JAN_2027, JAN_2027 + 11);
  g_assert_cmpstr (description, ==, "No open or won leads from January 2027 to December 2027");
}

static void
test_forecast_huge_and_zero (void)
{
  static const CrmChartTestRow open_rows[] = {
    { "2027-01", "2027-01", 1000000, G_MAXINT64 / 2, G_MAXINT64 / 4 },
    { "2027-02", "2027-02", 3, 0, 0 },
    { "2027-03", "2027-03", 1, 1, 1 },
  };
  static const CrmChartTestRow won_rows[] = {
    { "2027-01", "2027-01", 1000000, G_MAXINT64, G_MAXINT64 },
  };
  g_autoptr(CrmStats) open = crm_chart_test_stats (CRM_STATS_BY_MONTH, open_rows, G_N_ELEMENTS (open_rows));
  g_autoptr(CrmStats) won = crm_chart_test_stats (CRM_STATS_BY_MONTH, won_rows, G_N_ELEMENTS (won_rows));

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(CrmForecastLayout) layout =
        crm_forecast_layout_new (open, won, JAN_2027, JAN_2027 + 2,
                                 sizes[s].width, sizes[s].height, context, font);

      assert_forecast_sane (layout);
      g_assert_cmpint (layout->ticks.axis_max, ==, G_MAXINT64);
      g_assert_cmpfloat_with_epsilon (layout->groups[0].won.y, layout->plot.y, 1e-6);
      g_assert_cmpfloat (layout->groups[1].absolute.height, ==, 0);
      if (layout->plot.height >= 1)
        g_assert_cmpfloat (layout->groups[2].absolute.height, >=, 1.0);
    }

  /* huge figures make the axis compact where the full ones would not fit */
  {
    g_autoptr(CrmForecastLayout) layout =
      crm_forecast_layout_new (open, won, JAN_2027, JAN_2027 + 2, 400, 300, context, font);

    g_assert_true (layout->compact);
    g_assert_nonnull (strstr (layout->tick_marks[1].label.text, NBSP "T"));
  }
}

static void
test_forecast_one_month_all_zero_values (void)
{
  static const CrmChartTestRow rows[] = { { "2027-05", "2027-05", 2, 0, 0 } };
  g_autoptr(CrmStats) open = crm_chart_test_stats (CRM_STATS_BY_MONTH, rows, 1);
  g_autoptr(CrmStats) won = crm_chart_test_stats (CRM_STATS_BY_MONTH, NULL, 0);
  g_autoptr(CrmForecastLayout) layout =
    crm_forecast_layout_new (open, won, JAN_2027 + 4, JAN_2027 + 4, 320, 200, context, font);

  /* leads without volume are not "empty": the month is there, flat */
  g_assert_cmpuint (layout->n_groups, ==, 1);
  assert_forecast_sane (layout);
  g_assert_cmpfloat (layout->groups[0].absolute.height, ==, 0);
  g_assert_cmpint (layout->ticks.axis_max, ==, 1);
  g_assert_cmpstr (layout->groups[0].label.text, ==, "May\n2027");
}

/* --------------------------------------------------------------- text */

static void
test_text (void)
{
  g_autoptr(CrmStats) phases = crm_chart_test_phases ();
  g_autoptr(CrmStats) open = crm_chart_test_months (JAN_2027, 3, 1000000, FALSE);
  g_autoptr(CrmStats) won = crm_chart_test_months (JAN_2027, 3, 1000000, TRUE);
  g_autofree char *funnel = crm_chart_text_funnel_description (phases);
  g_autofree char *forecast = crm_chart_text_forecast_description (open, won, JAN_2027, JAN_2027 + 2);
  g_autofree char *tooltip = crm_chart_text_funnel_tooltip ("Proposal", 12, 215000000, 107500000, "EUR");
  g_autofree char *won_tooltip = crm_chart_text_forecast_tooltip (JAN_2027 + 1, TRUE, 1, 300000, 300000, "EUR");

  g_assert_nonnull (strstr (funnel, "Negotiation: 5 leads, €980,000.50 absolute, €784,000.40 weighted."));
  g_assert_nonnull (strstr (funnel, "Needs analysis: 3 leads, €0.00 absolute, €0.00 weighted."));
  g_assert_nonnull (strstr (forecast, "January 2027: open 7 leads, €70,000.00 absolute, €24,500.00 weighted; won 12 leads, €120,000.00."));
  g_assert_nonnull (strstr (forecast, "March 2027: open 9 leads"));
  g_assert_nonnull (strstr (forecast, "won 0 leads, €0.00."));
  g_assert_cmpstr (tooltip, ==, "Proposal\n12 leads\nAbsolute: €2,150,000.00\nWeighted: €1,075,000.00");
  g_assert_cmpstr (won_tooltip, ==, "February 2027, won\n1 lead\nVolume: €3,000.00");
}

/* ------------------------------------------------------------- export */

static void
test_export_refusals (void)
{
  g_autoptr(CrmStats) phases = crm_chart_test_phases ();
  g_autofree char *dir = g_dir_make_tmp ("charts-XXXXXX", NULL);
  g_autofree char *bmp = g_build_filename (dir, "chart.bmp", NULL);
  g_autofree char *png = g_build_filename (dir, "chart.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "dir", "chart.png", NULL);
  CrmChartData data = { CRM_CHART_FUNNEL, phases, NULL, NULL, 0, 0 };
  CrmChartData forecast = { CRM_CHART_FORECAST, NULL, phases, phases, JAN_2027 + 5, JAN_2027 };
  g_autoptr(GError) error = NULL;

  g_assert_false (crm_chart_export (&data, bmp, 400, 300, NULL, font, &error));
  g_assert_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "chart.bmp"));
  g_clear_error (&error);

  g_assert_false (crm_chart_export (&data, png, 10, 300, NULL, font, &error));
  g_assert_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_WIDTH);
  g_assert_cmpstr (error->message, ==, "The width 10 is out of range; use 64 to 8000");
  g_clear_error (&error);

  g_assert_false (crm_chart_export (&data, png, 400, 9000, NULL, font, &error));
  g_assert_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_HEIGHT);
  g_clear_error (&error);

  /* the same checks before anything is computed */
  g_assert_true (crm_chart_check_output (png, 64, 8000, NULL));
  g_assert_false (crm_chart_check_output (png, 63, 300, &error));
  g_assert_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_WIDTH);
  g_clear_error (&error);
  g_assert_false (crm_chart_check_output (bmp, 400, 300, &error));
  g_assert_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_false (crm_chart_export (&forecast, png, 400, 300, NULL, font, &error));
  g_assert_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));

  g_assert_false (crm_chart_export (&data, missing, 400, 300, NULL, font, &error));
  g_assert_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "chart.png"));
  g_clear_error (&error);

  g_remove (dir);
}

static void
test_export_formats (void)
{
  static const struct { const char *name; const char *magic; gsize len; } formats[] = {
    { "chart.png", "\x89PNG\r\n\x1a\n", 8 },
    { "chart.SVG", "<?xml", 5 },
    { "chart.pdf", "%PDF-", 5 },
  };
  g_autoptr(CrmStats) open = crm_chart_test_months (JAN_2027, 12, 1000000, FALSE);
  g_autoptr(CrmStats) won = crm_chart_test_months (JAN_2027, 12, 1000000, TRUE);
  g_autofree char *dir = g_dir_make_tmp ("charts-XXXXXX", NULL);
  CrmChartData data = { CRM_CHART_FORECAST, NULL, open, won, JAN_2027, JAN_2027 + 11 };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (dir, formats[i].name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_assert_true (crm_chart_export (&data, path, 500, 300, NULL, font, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, formats[i].len);
      g_assert_cmpmem (contents, formats[i].len, formats[i].magic, formats[i].len);
      if (i == 1)
        g_assert_nonnull (strstr (contents, "width=\"500\""));
      g_remove (path);
    }

  g_remove (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  crm_chart_test_init ();
  g_test_init (&argc, &argv, NULL);

  context = crm_chart_test_context ();
  font = crm_chart_test_font ();

  g_test_add_func ("/charts/ticks/table", test_ticks_table);
  g_test_add_func ("/charts/ticks/properties", test_ticks_properties);
  g_test_add_func ("/charts/ticks/extremes", test_ticks_extremes);
  g_test_add_func ("/charts/compact/figures", test_compact);
  g_test_add_func ("/charts/compact/locale", test_compact_locale);
  g_test_add_func ("/charts/ticks/labels", test_tick_labels);
  g_test_add_func ("/charts/funnel/shapes", test_funnel_shapes);
  g_test_add_func ("/charts/funnel/labels", test_funnel_labels_all_sizes);
  g_test_add_func ("/charts/funnel/hit", test_funnel_hit);
  g_test_add_func ("/charts/funnel/empty", test_funnel_empty);
  g_test_add_func ("/charts/funnel/one-phase", test_funnel_one_phase);
  g_test_add_func ("/charts/funnel/huge-and-zero", test_funnel_huge_and_zero);
  g_test_add_func ("/charts/funnel/many-phases", test_funnel_many_phases);
  g_test_add_func ("/charts/forecast/shapes", test_forecast_shapes);
  g_test_add_func ("/charts/forecast/labels", test_forecast_labels_all_sizes);
  g_test_add_func ("/charts/forecast/many-months", test_forecast_many_months);
  g_test_add_func ("/charts/forecast/hit", test_forecast_hit);
  g_test_add_func ("/charts/forecast/empty", test_forecast_empty);
  g_test_add_func ("/charts/forecast/huge-and-zero", test_forecast_huge_and_zero);
  g_test_add_func ("/charts/forecast/zero-values", test_forecast_one_month_all_zero_values);
  g_test_add_func ("/charts/text", test_text);
  g_test_add_func ("/charts/export/refusals", test_export_refusals);
  g_test_add_func ("/charts/export/formats", test_export_formats);

  status = g_test_run ();

  g_object_unref (context);
  pango_font_description_free (font);

  return status;
}
