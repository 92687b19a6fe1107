/* test-chart-golden.c: charts rendered headless, compared with references
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case renders fixed data with crm_chart_export() (the same layout
 * and paint code as the widgets) to a PNG and compares it with
 * tests/charts/golden/NAME.png: a pixel differs when one of its channels
 * is off by more than CHANNEL_TOLERANCE; the images match when at most
 * DIFFERING_SHARE of the pixels differ. A failing case leaves its
 * rendering beside the test binary (NAME-actual.png) for a look.
 *
 * The font is pinned (DejaVu Sans from fonts-dejavu-core), the locale
 * is C.UTF-8 and the month range is fixed, so the images do not depend
 * on the machine or the date. To regenerate the references on purpose:
 *
 *   LEADS_UPDATE_GOLDEN=1 meson test -C build test-chart-golden
 *
 * and commit the new PNGs in tests/charts/golden/ after looking at them.
 *
 * Also here: crispness. Bars painted at device scale 1 and 2 have no
 * blended edge pixels, because paint snaps rectangles to device pixels.
 */
#define G_LOG_DOMAIN "crm-test"

#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "crm-chart-export.h"
#include "crm-chart-paint.h"
#include "crm-chart-test-util.h"
#include "crm-month.h"

#define CHANNEL_TOLERANCE  24
#define DIFFERING_SHARE    0.002

#define JAN_2027 (2027 * 12)

typedef struct {
  const char *name;
  CrmChartKind kind;
  guint        n_months;      /* forecast */
  gint64       scale;         /* minor units per step of the pattern */
  gboolean     empty;
  int          width;
  int          height;
} GoldenCase;

static const GoldenCase cases[] = {
  { "funnel", CRM_CHART_FUNNEL, 0, 0, FALSE, 480, 300 },
  { "funnel-empty", CRM_CHART_FUNNEL, 0, 0, TRUE, 320, 200 },
  { "forecast", CRM_CHART_FORECAST, 12, 1000000, FALSE, 640, 320 },
  { "forecast-150-months", CRM_CHART_FORECAST, 150, G_GINT64_CONSTANT (70000000000), FALSE, 800, 300 },
  { "forecast-empty", CRM_CHART_FORECAST, 12, 1000000, TRUE, 320, 200 },
};

static PangoFontDescription *font;

/* ------------------------------------------------------------- helpers */

static void
render_case (const GoldenCase *c,
             const char       *path)
{
  g_autoptr(CrmStats) phases = NULL;
  g_autoptr(CrmStats) open = NULL;
  g_autoptr(CrmStats) won = NULL;
  g_autoptr(GError) error = NULL;
  CrmChartData data = { c->kind, NULL, NULL, NULL, JAN_2027, JAN_2027 };

  if (c->kind == CRM_CHART_FUNNEL)
    data.phases = phases = c->empty ? crm_chart_test_stats (CRM_STATS_BY_PHASE, NULL, 0)
                                    : crm_chart_test_phases ();
  else
    {
      data.open = open = crm_chart_test_months (JAN_2027, c->n_months, c->scale, FALSE);
      data.won = won = crm_chart_test_months (JAN_2027, c->n_months, c->scale, TRUE);
      /* the empty case: a range after all the data */
      data.from = c->empty ? JAN_2027 + (int) c->n_months : JAN_2027;
      data.to = data.from + (int) c->n_months - 1;
    }

  g_assert_true (crm_chart_export (&data, path, c->width, c->height, NULL, font, &error));
  g_assert_no_error (error);
}

static double
differing_share (cairo_surface_t *a,
                 cairo_surface_t *b)
{
  int width = cairo_image_surface_get_width (a);
  int height = cairo_image_surface_get_height (a);
  const guchar *pa = cairo_image_surface_get_data (a);
  const guchar *pb = cairo_image_surface_get_data (b);
  int sa = cairo_image_surface_get_stride (a);
  int sb = cairo_image_surface_get_stride (b);
  guint64 differing = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int ch = 0; ch < 4; ch++)
        if (ABS ((int) pa[y * sa + 4 * x + ch] - (int) pb[y * sb + 4 * x + ch]) > CHANNEL_TOLERANCE)
          {
            differing++;
            break;
          }

  return (double) differing / ((double) width * height);
}

static void
test_golden (gconstpointer user_data)
{
  const GoldenCase *c = user_data;
  g_autofree char *file = g_strconcat (c->name, ".png", NULL);
  g_autofree char *golden = g_test_build_filename (G_TEST_DIST, "charts", "golden", file, NULL);
  g_autofree char *actual_name = g_strconcat (c->name, "-actual.png", NULL);
  g_autofree char *actual = g_test_build_filename (G_TEST_BUILT, actual_name, NULL);
  cairo_surface_t *expected_surface, *actual_surface;
  double share;

  render_case (c, actual);

  if (g_strcmp0 (g_getenv ("LEADS_UPDATE_GOLDEN"), "1") == 0)
    {
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (actual, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (golden, contents, length, NULL));
      g_test_message ("updated %s", golden);
      g_remove (actual);
      return;
    }

  expected_surface = cairo_image_surface_create_from_png (golden);
  if (cairo_surface_status (expected_surface) != CAIRO_STATUS_SUCCESS)
    g_error ("cannot read the reference %s (%s); make it with LEADS_UPDATE_GOLDEN=1",
             golden, cairo_status_to_string (cairo_surface_status (expected_surface)));
  actual_surface = cairo_image_surface_create_from_png (actual);
  g_assert_cmpint (cairo_surface_status (actual_surface), ==, CAIRO_STATUS_SUCCESS);

  g_assert_cmpint (cairo_image_surface_get_width (actual_surface), ==, c->width);
  g_assert_cmpint (cairo_image_surface_get_height (actual_surface), ==, c->height);
  g_assert_cmpint (cairo_image_surface_get_width (expected_surface), ==, c->width);
  g_assert_cmpint (cairo_image_surface_get_height (expected_surface), ==, c->height);

  share = differing_share (expected_surface, actual_surface);
  g_test_message ("%s: %.4f %% of the pixels differ (tolerance %.2f %%)",
                  c->name, share * 100, DIFFERING_SHARE * 100);
  if (share > DIFFERING_SHARE)
    g_error ("%s differs from %s in %.2f %% of its pixels; see %s", c->name, golden,
             share * 100, actual);

  cairo_surface_destroy (expected_surface);
  cairo_surface_destroy (actual_surface);
  g_remove (actual);
}

/* The colours along a row through the middle of every band, inside the
 * plot, are exactly the palette's: no edge pixel is a blend. */
static void
assert_crisp (double scale)
{
  g_autoptr(CrmStats) phases = crm_chart_test_phases ();
  PangoContext *context = crm_chart_test_context ();
  /* an odd size, so the band edges fall between pixels unless snapped */
  g_autoptr(CrmFunnelLayout) layout = crm_funnel_layout_new (phases, 433.3, 277.7, context, font);
  int width = (int) (434 * scale), height = (int) (278 * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  CrmChartPalette palette;
  const guchar *data;
  int stride;
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, scale, scale);
  crm_chart_palette_init_light (&palette);
  cr = cairo_create (surface);
  crm_funnel_paint (layout, cr, &palette, -1);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (guint i = 0; i < layout->n_bands; i++)
    {
      const CrmFunnelBand *band = &layout->bands[i];
      int y = (int) ((band->absolute.y + band->absolute.height / 2) * scale);
      int x0 = (int) (layout->plot.x * scale), x1 = (int) ((layout->plot.x + layout->plot.width) * scale);
      const CrmChartColor *allowed[] = { &palette.background, &palette.absolute, &palette.weighted };

      for (int x = x0; x < x1; x++)
        {
          guint32 pixel = *(const guint32 *) (data + y * stride + 4 * x);
          gboolean known = FALSE;

          for (guint k = 0; k < G_N_ELEMENTS (allowed); k++)
            {
              guint32 rgb = ((guint32) (allowed[k]->red * 255 + 0.5) << 16) |
                            ((guint32) (allowed[k]->green * 255 + 0.5) << 8) |
                            (guint32) (allowed[k]->blue * 255 + 0.5);

              known = known || (pixel & 0xffffff) == rgb;
            }
          if (!known)
            g_error ("scale %g, band %u: pixel %d,%d is %06x, a blend", scale, i, x, y,
                     pixel & 0xffffff);
        }
    }

  cairo_surface_destroy (surface);
  g_object_unref (context);
}

static void
test_crisp (void)
{
  assert_crisp (1.0);
  assert_crisp (2.0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  crm_chart_test_init ();
  g_test_init (&argc, &argv, NULL);

  font = crm_chart_test_font ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/charts/golden/", cases[i].name, NULL);

      g_test_add_data_func (path, &cases[i], test_golden);
    }
  g_test_add_func ("/charts/crisp", test_crisp);

  status = g_test_run ();
  pango_font_description_free (font);

  return status;
}
