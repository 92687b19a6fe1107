/* bench-charts.c: how long the charts take to lay out and paint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * leads-chart-bench times, for fixed data, what the Statistics view does
 * on every change of figures or size: the layout (CrmFunnelLayout,
 * CrmForecastLayout: measuring every label) and the paint onto a Cairo
 * image surface, and what export does (PNG, SVG, PDF, encoding
 * included). Median, min and max wall time of --repeat runs. A
 * benchmark, not a test: `meson test --benchmark charts --verbose`.
 */
#define G_LOG_DOMAIN "crm-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <pango/pangocairo.h>

#include "bench-util.h"
#include "crm-chart-export.h"
#include "crm-chart-paint.h"
#include "crm-month.h"
#include "crm-stats.h"

#define WIDTH  800
#define HEIGHT 500
#define JAN_2027 (2027 * 12)

static int repeat = 20;

typedef void (*BenchFunc) (gpointer data);

static void
run (const char *name,
     BenchFunc   func,
     gpointer    data)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));

  func (data);   /* warm up: fonts, caches */
  for (int i = 0; i < repeat; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      func (data);
      ms = bench_ms_since (start);
      g_array_append_val (samples, ms);
    }
  g_print ("| %-40s | %8.2f | %8.2f | %8.2f |\n", name, bench_median (samples),
           bench_percentile (samples, 0), bench_percentile (samples, 100));
}

static CrmStats *
make_phases (guint n)
{
  CrmStats *stats = crm_stats_new (CRM_STATS_BY_PHASE, "EUR");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("phase-%u", i);
      CrmStatsRow row = { key, key, CRM_MONTH_NONE, 100 + i, (gint64) (n - i) * 123456789, (gint64) (n - i) * 43210987 };

      crm_stats_append_row (stats, &row);
    }

  return stats;
}

static CrmStats *
make_months (guint n,
             guint seed)
{
  CrmStats *stats = crm_stats_new (CRM_STATS_BY_MONTH, "EUR");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = crm_month_to_iso (JAN_2027 + (int) i);
      gint64 volume = (gint64) ((i * 7919 + seed) % 1000) * 1000000;
      CrmStatsRow row = { key, key, JAN_2027 + (int) i, 10 + i % 17, volume, volume / 3 };

      crm_stats_append_row (stats, &row);
    }

  return stats;
}

typedef struct {
  CrmChartData          data;
  PangoContext         *context;
  PangoFontDescription *font;
  cairo_surface_t      *surface;
  const char           *path;
} Bench;

static void
bench_layout (gpointer user_data)
{
  Bench *b = user_data;

  if (b->data.kind == CRM_CHART_FUNNEL)
    crm_funnel_layout_free (crm_funnel_layout_new (b->data.phases, WIDTH, HEIGHT, b->context, b->font));
  else
    crm_forecast_layout_free (crm_forecast_layout_new (b->data.open, b->data.won, b->data.from, b->data.to,
                                                       WIDTH, HEIGHT, b->context, b->font));
}

static void
bench_layout_and_paint (gpointer user_data)
{
  Bench *b = user_data;
  cairo_t *cr = cairo_create (b->surface);
  CrmChartPalette palette;

  crm_chart_palette_init_light (&palette);
  if (b->data.kind == CRM_CHART_FUNNEL)
    {
      g_autoptr(CrmFunnelLayout) layout =
        crm_funnel_layout_new (b->data.phases, WIDTH, HEIGHT, b->context, b->font);

      crm_funnel_paint (layout, cr, &palette, 1);
    }
  else
    {
      g_autoptr(CrmForecastLayout) layout =
        crm_forecast_layout_new (b->data.open, b->data.won, b->data.from, b->data.to,
                                 WIDTH, HEIGHT, b->context, b->font);

      crm_forecast_paint (layout, cr, &palette, 1, CRM_FORECAST_PART_WON);
    }
  cairo_destroy (cr);
  cairo_surface_flush (b->surface);
}

static void
bench_export (gpointer user_data)
{
  Bench *b = user_data;
  g_autoptr(GError) error = NULL;

  if (!crm_chart_export (&b->data, b->path, WIDTH, HEIGHT, NULL, b->font, &error))
    g_error ("%s", error->message);
}

int
main (int    argc,
      char **argv)
{
  const GOptionEntry entries[] = {
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Runs of each step (default 20)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStats) phases = make_phases (10);
  g_autofree char *dir = NULL;
  static const guint months[] = { 12, 120, 1200 };
  static const char *formats[] = { "png", "svg", "pdf" };
  Bench b = { { 0 } };

  setlocale (LC_ALL, "C.UTF-8");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || repeat < 1)
    {
      g_printerr ("leads-chart-bench: %s\n", error != NULL ? error->message : "--repeat must be at least 1");
      return 2;
    }

  dir = g_dir_make_tmp ("leads-chart-bench-XXXXXX", NULL);
  b.context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  crm_chart_context_set_fixed_options (b.context);
  b.font = pango_font_description_from_string ("DejaVu Sans 10");
  b.surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);

  {
    g_autofree char *load = NULL;

    /* the machine is shared: say how busy it was */
    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      g_print ("load average at start: %s", load);
  }
  g_print ("%d runs each, %d × %d, DejaVu Sans 10; milliseconds\n\n", repeat, WIDTH, HEIGHT);
  g_print ("| %-40s | %8s | %8s | %8s |\n", "step", "median", "min", "max");
  g_print ("| %-40s | %8s | %8s | %8s |\n", "---", "---:", "---:", "---:");

  b.data = (CrmChartData) { CRM_CHART_FUNNEL, phases, NULL, NULL, 0, 0 };
  run ("funnel, 10 phases: layout", bench_layout, &b);
  run ("funnel, 10 phases: layout + paint", bench_layout_and_paint, &b);

  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    {
      g_autoptr(CrmStats) open = make_months (months[i], 3);
      g_autoptr(CrmStats) won = make_months (months[i], 11);
      g_autofree char *name = NULL;

      b.data = (CrmChartData) { CRM_CHART_FORECAST, NULL, open, won, JAN_2027, JAN_2027 + (int) months[i] - 1 };
      name = g_strdup_printf ("forecast, %u months: layout", months[i]);
      run (name, bench_layout, &b);
      g_free (name);
      name = g_strdup_printf ("forecast, %u months: layout + paint", months[i]);
      run (name, bench_layout_and_paint, &b);

      if (months[i] == 12)
        for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
          {
            g_autofree char *file = g_strdup_printf ("chart.%s", formats[f]);
            g_autofree char *path = g_build_filename (dir, file, NULL);
            g_autofree char *label = g_strdup_printf ("forecast, 12 months: export %s", formats[f]);

            b.path = path;
            run (label, bench_export, &b);
            g_remove (path);
          }
    }

  cairo_surface_destroy (b.surface);
  pango_font_description_free (b.font);
  g_object_unref (b.context);
  g_rmdir (dir);

  return 0;
}
