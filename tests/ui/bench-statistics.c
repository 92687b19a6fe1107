/* bench-statistics.c: the Statistics view after an edit, at scale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A benchmark, not a test (meson `benchmark()`, never run by CI; needs a
 * display: run under xvfb-run). The real application and window on a big
 * database (1,000,000 leads by default, generated once), the Statistics
 * view on screen. Each round edits one open lead through the store (as
 * the detail pane does) and measures
 *
 *   - edit -> fresh figures: from the start of the write until the view
 *     shows the six new results (tables and charts), and
 *   - the longest frame: the largest gap between two frame-clock ticks
 *     of the window during the round (a tick callback keeps the clock
 *     running); at 60 Hz a gap over 50 ms is a visibly frozen frame.
 *
 * Usage: bench-statistics [--db PATH] [--count N] [--rounds N]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "crm-application.h"
#include "crm-statistics-view.h"
#include "crm-store.h"
#include "crm-ui-test.h"
#include "crm-window.h"

static gint64 last_tick;
static gint64 longest_gap;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    longest_gap = MAX (longest_gap, now - last_tick);
  last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
iterate_until_generation (CrmStatisticsView *view,
                          guint              generation)
{
  while (crm_statistics_view_get_generation (view) < generation || crm_statistics_view_get_loading (view))
    g_main_context_iteration (NULL, TRUE);
}

static void
iterate_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *values)
{
  double sum = 0;

  g_array_sort (values, compare_double);
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  printf ("%-34s median %7.1f ms  mean %7.1f ms  max %7.1f ms  (%u rounds)\n", what,
          g_array_index (values, double, values->len / 2), sum / values->len,
          g_array_index (values, double, values->len - 1), values->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  int count = 1000000;
  int rounds = 20;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The database (generated when missing)", "PATH" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Leads to generate", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Edits to measure", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmApplication) app = NULL;
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) after_write = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(CrmLeadFilter) open = crm_lead_filter_new ();
  g_autoptr(GArray) ids = NULL;
  CrmStatisticsView *view;
  CrmWindow *window;
  gint64 start;
  gboolean generate;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!crm_ui_test_init (&argc, &argv, "bench-statistics"))
    {
      g_printerr ("no display: run under xvfb-run\n");
      return 77;
    }
  if (db == NULL)
    db = g_build_filename (crm_ui_test_tmp_dir (), "bench.db", NULL);

  generate = !g_file_test (db, G_FILE_TEST_EXISTS);
  store = crm_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (generate)
    {
      printf ("generating %d leads in %s\n", count, db);
      if (!crm_store_generate (store, count, 42, NULL, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  open->status_class = CRM_STATUS_FILTER_OPEN;
  ids = crm_store_query_lead_ids (store, open, 1000, NULL, &error);
  g_assert_no_error (error);
  printf ("database: %s\n", db);

  app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  crm_application_set_store (app, store);
  g_application_activate (G_APPLICATION (app));
  window = CRM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  view = crm_window_get_statistics_view (window);

  start = g_get_monotonic_time ();
  crm_window_show_view (window, "statistics");
  iterate_until_generation (view, 1);
  printf ("%-34s %7.1f ms\n", "first figures (window shown)", (g_get_monotonic_time () - start) / 1000.0);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, NULL, NULL);
  iterate_for (500);

  for (int r = 0; r < rounds; r++)
    {
      gint64 id = g_array_index (ids, gint64, (r * 37) % ids->len);
      g_autoptr(CrmLead) lead = crm_store_get_lead (store, id, NULL);
      g_autofree char *volume = g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_volume_minor (lead) + 100);
      CrmFieldValue value = { "volume_minor", volume };
      guint generation = crm_statistics_view_get_generation (view);
      gint64 written;
      double ms;

      iterate_for (200);
      last_tick = 0;
      longest_gap = 0;
      start = g_get_monotonic_time ();
      if (!crm_store_update_lead (store, id, &value, 1, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      written = g_get_monotonic_time ();
      iterate_until_generation (view, generation + 1);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (fresh, ms);
      ms = (g_get_monotonic_time () - written) / 1000.0;
      g_array_append_val (after_write, ms);
      /* the frames right after the figures changed count too */
      iterate_for (100);
      ms = longest_gap / 1000.0;
      g_array_append_val (frames, ms);
    }

  report ("edit -> fresh figures", fresh);
  report ("after the write -> fresh figures", after_write);
  report ("longest frame during a round", frames);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return crm_ui_test_run ();
}
