/* test-chart-widgets.c: the funnel and forecast widgets, driven like a user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real CrmFunnelChart and CrmForecastChart in a window under Xvfb. The
 * pointer is moved and clicked by emitting the widgets' own event
 * controllers' signals at points the test computes with libcrm-charts
 * (the centre of a band or bar); the keyboard goes through the chart.*
 * actions the arrow keys and Enter are bound to. Checked: the hovered
 * item, the tooltip's exact figures, the key (and open/won) of the
 * activation signal, the accessible description with the numbers, and
 * colours from ui/style.css that follow the dark style.
 */
#define G_LOG_DOMAIN "crm-test"

#include "config.h"

#include <string.h>

#include "crm-chart-text.h"
#include "crm-forecast-chart.h"
#include "crm-forecast-layout.h"
#include "crm-funnel-chart.h"
#include "crm-funnel-layout.h"
#include "crm-month.h"
#include "crm-stats.h"
#include "crm-style.h"
#include "crm-ui-test.h"

#define JAN_2027 (2027 * 12)

typedef struct {
  char    *key;
  gboolean won;
  guint    n;
} Activation;

/* ---------------------------------------------------------------- helpers */

static CrmStats *
make_stats (CrmStatsBy   by,
            const char **keys,
            const gint64 (*figures)[3],
            guint        n)
{
  CrmStats *stats = crm_stats_new (by, "EUR");

  for (guint i = 0; i < n; i++)
    {
      CrmStatsRow row = { (char *) keys[i], (char *) keys[i], CRM_MONTH_NONE,
                          figures[i][0], figures[i][1], figures[i][2] };

      if (by == CRM_STATS_BY_MONTH)
        g_assert_true (crm_month_parse (keys[i], &row.month, NULL));
      crm_stats_append_row (stats, &row);
    }

  return stats;
}

static CrmStats *
make_phases (void)
{
  static const char *keys[] = { "lead", "offer", "negotiation" };
  static const gint64 figures[][3] = {
    { 40, 480000000, 48000000 }, { 12, 215000000, 107500000 }, { 5, 98000050, 78400040 },
  };

  return make_stats (CRM_STATS_BY_PHASE, keys, figures, G_N_ELEMENTS (keys));
}

/* A window of a fixed size holding the chart, shown and allocated. */
static GtkWindow *
show_in_window (GtkWidget *chart)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 640, 400);
  gtk_window_set_child (window, chart);
  gtk_window_present (window);
  for (guint i = 0; i < 1000 && gtk_widget_get_width (chart) <= 0; i++)
    {
      g_main_context_iteration (NULL, TRUE);
    }
  crm_ui_test_spin ();
  g_assert_cmpint (gtk_widget_get_width (chart), >, 0);

  return window;
}

static gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;   /* the widget keeps it alive */
    }

  g_error ("%s has no %s", G_OBJECT_TYPE_NAME (widget), g_type_name (type));
}

static void
pointer_move (GtkWidget *chart,
              double     x,
              double     y)
{
  g_signal_emit_by_name (find_controller (chart, GTK_TYPE_EVENT_CONTROLLER_MOTION), "motion", x, y);
}

static void
pointer_click (GtkWidget *chart,
               double     x,
               double     y)
{
  g_signal_emit_by_name (find_controller (chart, GTK_TYPE_GESTURE_CLICK), "released", 1, x, y);
}

static void
on_phase_activated (GtkWidget  *chart,
                    const char *key,
                    Activation *activation)
{
  g_free (activation->key);
  activation->key = g_strdup (key);
  activation->n++;
}

static void
on_month_activated (GtkWidget  *chart,
                    const char *key,
                    gboolean    won,
                    Activation *activation)
{
  g_free (activation->key);
  activation->key = g_strdup (key);
  activation->won = won;
  activation->n++;
}

/* The geometry the widget uses, computed the same way: its size, its
 * Pango context and font. */
static CrmFunnelLayout *
funnel_layout_of (GtkWidget *chart,
                  CrmStats  *stats)
{
  PangoContext *context = gtk_widget_get_pango_context (chart);

  return crm_funnel_layout_new (stats, gtk_widget_get_width (chart), gtk_widget_get_height (chart),
                                context, pango_context_get_font_description (context));
}

static CrmForecastLayout *
forecast_layout_of (GtkWidget *chart,
                    CrmStats  *open,
                    CrmStats  *won)
{
  PangoContext *context = gtk_widget_get_pango_context (chart);

  return crm_forecast_layout_new (open, won, JAN_2027, JAN_2027 + 11,
                                  gtk_widget_get_width (chart), gtk_widget_get_height (chart),
                                  context, pango_context_get_font_description (context));
}

/* ------------------------------------------------------------------ tests */

static void
test_funnel_pointer (void)
{
  g_autoptr(CrmStats) phases = make_phases ();
  g_autoptr(CrmFunnelLayout) layout = NULL;
  g_autofree char *tooltip = NULL;
  Activation activation = { NULL, FALSE, 0 };
  GtkWidget *chart;
  GtkWindow *window;

  if (crm_ui_test_skip_without_display ())
    return;

  chart = crm_funnel_chart_new ();
  crm_funnel_chart_set_stats (CRM_FUNNEL_CHART (chart), phases);
  g_signal_connect (chart, "phase-activated", G_CALLBACK (on_phase_activated), &activation);
  window = show_in_window (chart);
  layout = funnel_layout_of (chart, phases);
  g_assert_cmpuint (layout->n_bands, ==, 3);

  for (guint i = 0; i < layout->n_bands; i++)
    {
      const CrmFunnelBand *band = &layout->bands[i];
      double x = band->absolute.x + band->absolute.width / 2;
      double y = band->absolute.y + band->absolute.height / 2;

      pointer_move (chart, x, y);
      g_assert_cmpint (crm_chart_get_hovered_item (CRM_CHART (chart)), ==, i);
      pointer_click (chart, x, y);
      g_assert_cmpuint (activation.n, ==, i + 1);
      g_assert_cmpstr (activation.key, ==, band->key);
    }

  /* the tooltip of the last band has its exact figures */
  tooltip = crm_chart_dup_tooltip (CRM_CHART (chart), 2);
  g_assert_cmpstr (tooltip, ==, "negotiation\n5 leads\nAbsolute: €980,000.50\nWeighted: €784,000.40");

  /* outside any band: nothing hovered, a click does nothing */
  pointer_move (chart, 1, 1);
  g_assert_cmpint (crm_chart_get_hovered_item (CRM_CHART (chart)), ==, -1);
  pointer_click (chart, 1, 1);
  g_assert_cmpuint (activation.n, ==, 3);
  g_signal_emit_by_name (find_controller (chart, GTK_TYPE_EVENT_CONTROLLER_MOTION), "leave");
  g_assert_cmpint (crm_chart_get_hovered_item (CRM_CHART (chart)), ==, -1);

  gtk_window_destroy (window);
  crm_ui_test_spin ();
  g_free (activation.key);
}

static void
test_funnel_keyboard (void)
{
  g_autoptr(CrmStats) phases = make_phases ();
  g_autofree char *description = crm_chart_text_funnel_description (phases);
  Activation activation = { NULL, FALSE, 0 };
  GtkWidget *chart;
  GtkWindow *window;

  if (crm_ui_test_skip_without_display ())
    return;

  chart = crm_funnel_chart_new ();
  g_signal_connect (chart, "phase-activated", G_CALLBACK (on_phase_activated), &activation);
  window = show_in_window (chart);

  /* no data yet: nothing to focus or activate */
  g_assert_true (gtk_widget_get_focusable (chart));
  g_assert_true (gtk_widget_activate_action (chart, "chart.next", NULL));
  g_assert_cmpint (crm_chart_get_focused_item (CRM_CHART (chart)), ==, -1);

  crm_funnel_chart_set_stats (CRM_FUNNEL_CHART (chart), phases);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       description);
  g_assert_nonnull (strstr (description, "negotiation: 5 leads, €980,000.50 absolute, €784,000.40 weighted."));

  g_assert_true (gtk_widget_grab_focus (chart));
  gtk_widget_activate_action (chart, "chart.next", NULL);      /* Right/Down */
  g_assert_cmpint (crm_chart_get_focused_item (CRM_CHART (chart)), ==, 0);
  gtk_widget_activate_action (chart, "chart.next", NULL);
  g_assert_cmpint (crm_chart_get_focused_item (CRM_CHART (chart)), ==, 1);
  gtk_widget_activate_action (chart, "chart.activate", NULL);  /* Enter */
  g_assert_cmpuint (activation.n, ==, 1);
  g_assert_cmpstr (activation.key, ==, "offer");

  gtk_widget_activate_action (chart, "chart.last", NULL);      /* End */
  gtk_widget_activate_action (chart, "chart.next", NULL);      /* stays on the last */
  g_assert_cmpint (crm_chart_get_focused_item (CRM_CHART (chart)), ==, 2);
  gtk_widget_activate_action (chart, "chart.previous", NULL);  /* Left/Up */
  gtk_widget_activate_action (chart, "chart.previous", NULL);
  gtk_widget_activate_action (chart, "chart.previous", NULL);
  g_assert_cmpint (crm_chart_get_focused_item (CRM_CHART (chart)), ==, 0);
  gtk_widget_activate_action (chart, "chart.activate", NULL);
  g_assert_cmpstr (activation.key, ==, "lead");

  /* fewer bands: the focus stays on one that exists */
  gtk_widget_activate_action (chart, "chart.last", NULL);
  {
    static const char *keys[] = { "lead" };
    static const gint64 figures[][3] = { { 1, 100, 50 } };
    g_autoptr(CrmStats) one = make_stats (CRM_STATS_BY_PHASE, keys, figures, 1);

    crm_funnel_chart_set_stats (CRM_FUNNEL_CHART (chart), one);
    g_assert_cmpint (crm_chart_get_focused_item (CRM_CHART (chart)), ==, 0);
  }

  gtk_window_destroy (window);
  crm_ui_test_spin ();
  g_free (activation.key);
}

static void
test_forecast (void)
{
  static const char *open_keys[] = { "2027-01", "2027-03", "2027-12", "2028-01" };
  static const gint64 open_figures[][3] = {
    { 3, 3000000, 1050000 }, { 2, 12345678, 6172839 }, { 1, 500000, 250000 }, { 9, 999, 999 },
  };
  static const char *won_keys[] = { "2027-03" };
  static const gint64 won_figures[][3] = { { 4, 7000000, 7000000 } };
  g_autoptr(CrmStats) open = make_stats (CRM_STATS_BY_MONTH, open_keys, open_figures, 4);
  g_autoptr(CrmStats) won = make_stats (CRM_STATS_BY_MONTH, won_keys, won_figures, 1);
  g_autoptr(CrmForecastLayout) layout = NULL;
  g_autofree char *description = NULL;
  g_autofree char *tooltip = NULL;
  Activation activation = { NULL, FALSE, 0 };
  const CrmForecastGroup *march;
  GtkWidget *chart;
  GtkWindow *window;

  if (crm_ui_test_skip_without_display ())
    return;

  chart = crm_forecast_chart_new ();
  /* the default range: this month and the next 11 */
  g_assert_cmpint (crm_forecast_chart_get_first_month (CRM_FORECAST_CHART (chart)), ==, crm_month_current ());
  g_assert_cmpint (crm_forecast_chart_get_last_month (CRM_FORECAST_CHART (chart)), ==, crm_month_current () + 11);

  crm_forecast_chart_set_range (CRM_FORECAST_CHART (chart), JAN_2027, JAN_2027 + 11);
  crm_forecast_chart_set_stats (CRM_FORECAST_CHART (chart), open, won);
  g_signal_connect (chart, "month-activated", G_CALLBACK (on_month_activated), &activation);
  window = show_in_window (chart);
  layout = forecast_layout_of (chart, open, won);
  g_assert_cmpuint (layout->n_groups, ==, 12);

  description = crm_chart_text_forecast_description (open, won, JAN_2027, JAN_2027 + 11);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       description);
  g_assert_nonnull (strstr (description, "March 2027: open 2 leads, €123,456.78 absolute, €61,728.39 weighted; won 4 leads, €70,000.00."));
  g_assert_null (strstr (description, "January 2028"));   /* outside the range */

  /* the pointer on March's won bar, then on its weighted bar */
  march = &layout->groups[2];
  pointer_move (chart, march->won.x + march->won.width / 2, march->won.y + march->won.height / 2);
  g_assert_cmpint (crm_chart_get_hovered_item (CRM_CHART (chart)), ==, 2 * 2 + 1);
  tooltip = crm_chart_dup_tooltip (CRM_CHART (chart), 2 * 2 + 1);
  g_assert_cmpstr (tooltip, ==, "March 2027, won\n4 leads\nVolume: €70,000.00");
  pointer_click (chart, march->won.x + march->won.width / 2, march->won.y + march->won.height / 2);
  g_assert_cmpuint (activation.n, ==, 1);
  g_assert_cmpstr (activation.key, ==, "2027-03");
  g_assert_true (activation.won);

  pointer_move (chart, march->weighted.x + 1, march->weighted.y + march->weighted.height - 1);
  g_assert_cmpint (crm_chart_get_hovered_item (CRM_CHART (chart)), ==, 2 * 2);
  pointer_click (chart, march->weighted.x + 1, march->weighted.y + march->weighted.height - 1);
  g_assert_cmpstr (activation.key, ==, "2027-03");
  g_assert_false (activation.won);
  g_clear_pointer (&tooltip, g_free);
  tooltip = crm_chart_dup_tooltip (CRM_CHART (chart), 2 * 2);
  g_assert_cmpstr (tooltip, ==, "March 2027, open\n2 leads\nAbsolute: €123,456.78\nWeighted: €61,728.39");

  /* keyboard: Jan open, Jan won, Feb open, …; End is December's won bar */
  g_assert_true (gtk_widget_grab_focus (chart));
  gtk_widget_activate_action (chart, "chart.first", NULL);
  gtk_widget_activate_action (chart, "chart.next", NULL);
  g_assert_cmpint (crm_chart_get_focused_item (CRM_CHART (chart)), ==, 1);
  gtk_widget_activate_action (chart, "chart.activate", NULL);
  g_assert_cmpstr (activation.key, ==, "2027-01");
  g_assert_true (activation.won);
  gtk_widget_activate_action (chart, "chart.last", NULL);
  gtk_widget_activate_action (chart, "chart.previous", NULL);
  gtk_widget_activate_action (chart, "chart.activate", NULL);
  g_assert_cmpstr (activation.key, ==, "2027-12");
  g_assert_false (activation.won);
  g_assert_cmpuint (activation.n, ==, 4);

  gtk_window_destroy (window);
  crm_ui_test_spin ();
  g_free (activation.key);
}

static double
brightness (const CrmChartColor *color)
{
  return 0.3 * color->red + 0.59 * color->green + 0.11 * color->blue;
}

static void
test_colors_follow_the_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  g_autoptr(CrmStats) phases = make_phases ();
  AdwStyleManager *manager;
  CrmChartPalette light, dark;
  GdkRGBA won;
  GtkWidget *chart;
  GtkWindow *window;

  if (crm_ui_test_skip_without_display ())
    return;

  /* what AdwApplication loads in the app */
  gtk_css_provider_load_from_resource (provider, "/io/github/leadsdesk/Leads/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  manager = adw_style_manager_get_default ();

  chart = crm_funnel_chart_new ();
  crm_funnel_chart_set_stats (CRM_FUNNEL_CHART (chart), phases);
  window = show_in_window (chart);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  crm_ui_test_spin ();
  crm_chart_get_palette (CRM_CHART (chart), &light);
  g_assert_true (crm_style_lookup_color (chart, "leads_chart_won_color", &won));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  crm_ui_test_spin ();
  crm_chart_get_palette (CRM_CHART (chart), &dark);

  /* text turns light on dark; the absolute band is a translucent accent */
  g_assert_cmpfloat (brightness (&light.text), <, 0.5);
  g_assert_cmpfloat (brightness (&dark.text), >, 0.5);
  g_assert_cmpfloat (light.absolute.alpha, <, 1.0);
  g_assert_cmpfloat (light.weighted.alpha, ==, 1.0);
  g_assert_cmpfloat (light.background.alpha, ==, 0);
  g_assert_false (light.won.red == light.weighted.red && light.won.green == light.weighted.green);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider));
  gtk_window_destroy (window);
  crm_ui_test_spin ();
}

int
main (int   argc,
      char *argv[])
{
  crm_ui_test_init (&argc, &argv, "test-chart-widgets");

  g_test_add_func ("/ui/charts/funnel/pointer", test_funnel_pointer);
  g_test_add_func ("/ui/charts/funnel/keyboard", test_funnel_keyboard);
  g_test_add_func ("/ui/charts/forecast", test_forecast);
  g_test_add_func ("/ui/charts/colors", test_colors_follow_the_style);

  return crm_ui_test_run ();
}
