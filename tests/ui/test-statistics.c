/* test-statistics.c: the Statistics view on a real store, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real CrmApplication and CrmWindow on the sample database (300 leads
 * in four currencies). Each check compares what the view shows (its
 * results, the text of its table cells, the Leads view it opens, the
 * files it writes) with an independent question to the store:
 *
 *   - the tables show exactly the figures of crm_store_query_stats();
 *   - leads in a currency without an exchange rate are named in the
 *     banner, never counted; a rate set in the store counts them;
 *   - an edit through the store changes the figures without reopening;
 *   - a group (table row, funnel band, forecast bar) opens the Leads view
 *     on exactly the leads the store lists for that group, as many as the
 *     group counts;
 *   - CSV export writes the table (RFC 4180 quoting, exact decimals);
 *   - charts export as valid PNG, SVG and PDF files of the size asked
 *     for, and the printed report is one PDF page;
 *   - nothing matching shows the empty state.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "crm-application.h"
#include "crm-chart-export.h"
#include "crm-forecast-chart.h"
#include "crm-funnel-chart.h"
#include "crm-lead-filter-bar.h"
#include "crm-leads-view.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-statistics-view.h"
#include "crm-store.h"
#include "crm-ui-test.h"
#include "crm-window.h"

#define TIMEOUT_MS 30000

static gboolean have_display;

typedef struct {
  CrmStore          *store;
  CrmApplication    *app;
  CrmWindow         *window;
  CrmStatisticsView *view;
  CrmLeadsView      *leads;
  guint              seen_generation;
} Fixture;

/* ---------------------------------------------------------- waiting */

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*ConditionFunc) (Fixture *fx);

static void
wait_until (ConditionFunc  condition,
            Fixture       *fx,
            const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  guint tick = g_timeout_add (10, wake_up_cb, NULL);

  while (!condition (fx) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  if (!condition (fx))
    g_error ("timed out waiting until %s", what);
}

#define WAIT_UNTIL(condition, fx) wait_until ((condition), (fx), #condition)

static gboolean
window_mapped (Fixture *fx)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fx->window));
}

/* a result newer than the last one looked at, and nothing pending */
static gboolean
fresh_figures (Fixture *fx)
{
  return crm_statistics_view_get_generation (fx->view) > fx->seen_generation &&
         !crm_statistics_view_get_loading (fx->view);
}

static void
wait_for_figures (Fixture *fx)
{
  WAIT_UNTIL (fresh_figures, fx);
  fx->seen_generation = crm_statistics_view_get_generation (fx->view);
}

static gboolean
leads_listed (Fixture *fx)
{
  CrmLeadListModel *model = crm_leads_view_get_model (fx->leads);

  return !crm_lead_list_model_get_loading (model) &&
         crm_lead_filter_equal (crm_lead_list_model_get_filter (model), crm_leads_view_get_filter (fx->leads));
}

static gboolean
leads_mapped_and_listed (Fixture *fx)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fx->leads)) &&
         !crm_lead_list_model_get_loading (crm_leads_view_get_model (fx->leads));
}

/* ---------------------------------------------------------- helpers */

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static CrmStats *
query (Fixture    *fx,
       CrmStatsBy  by)
{
  const CrmLeadFilter *filter = crm_lead_filter_bar_get_filter (crm_statistics_view_get_filter_bar (fx->view));
  g_autoptr(GError) error = NULL;
  CrmStats *stats = crm_store_query_stats (fx->store, by, filter, filter->close_from, filter->close_to,
                                           NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  return stats;
}

static void
assert_rows_equal (const CrmStatsRow *a,
                   const CrmStatsRow *b)
{
  g_assert_cmpstr (a->key, ==, b->key);
  g_assert_cmpstr (a->label, ==, b->label);
  g_assert_cmpint (a->count, ==, b->count);
  g_assert_cmpint (a->absolute_minor, ==, b->absolute_minor);
  g_assert_cmpint (a->weighted_minor, ==, b->weighted_minor);
}

static void
collect_cells (GtkWidget  *widget,
               GPtrArray  *labels)
{
  if (GTK_IS_LABEL (widget) && g_object_get_data (G_OBJECT (widget), "crm-stats-item") != NULL)
    g_ptr_array_add (labels, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cells (child, labels);
}

/* What a cell must read, computed here from the store's result. */
static char *
expected_cell (CrmStats          *stats,
               const CrmStatsRow *row,
               guint              column)
{
  switch (column)
    {
    case 0:
      return g_strdup (row->label);
    case 1:
      return g_strdup_printf ("%'lld", (long long) row->count);
    case 2:
      return crm_money_format (row->absolute_minor, crm_stats_get_currency (stats));
    case 3:
      return crm_money_format (row->weighted_minor, crm_stats_get_currency (stats));
    default:
      g_assert_not_reached ();
    }
}

/* The view's result equals the store's answer, and every cell on screen
 * reads the store's figure. */
static void
assert_table_shows_store (Fixture    *fx,
                          CrmStatsBy  by)
{
  g_autoptr(CrmStats) expected = query (fx, by);
  CrmStats *shown = crm_statistics_view_get_stats (fx->view, by);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_rows = crm_stats_get_n_rows (expected);

  g_assert_nonnull (shown);
  g_assert_cmpstr (crm_stats_get_currency (shown), ==, crm_stats_get_currency (expected));
  g_assert_cmpuint (crm_stats_get_n_rows (shown), ==, n_rows);
  for (guint i = 0; i < n_rows; i++)
    assert_rows_equal (crm_stats_get_row (shown, i), crm_stats_get_row (expected, i));
  assert_rows_equal (crm_stats_get_total (shown), crm_stats_get_total (expected));

  collect_cells (GTK_WIDGET (crm_statistics_view_get_table (fx->view, by)), labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      GObject *item = g_object_get_data (G_OBJECT (label), "crm-stats-item");
      guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "crm-column"));
      const CrmStatsRow *row = NULL;
      g_autofree char *text = NULL;
      guint position = G_MAXUINT;
      GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (crm_statistics_view_get_table (fx->view, by)));

      for (guint p = 0; p < g_list_model_get_n_items (model); p++)
        {
          g_autoptr(GObject) candidate = g_list_model_get_item (model, p);

          if (candidate == item)
            position = p;
        }
      g_assert_cmpuint (position, <=, n_rows);
      row = position < n_rows ? crm_stats_get_row (expected, position) : crm_stats_get_total (expected);
      text = expected_cell (expected, row, column);
      g_assert_cmpstr (gtk_label_get_label (label), ==, text);
      g_hash_table_add (seen, g_strdup_printf ("%u/%u", position, column));
    }

  /* every row and the total, all four columns, are on screen */
  g_assert_cmpuint (g_hash_table_size (seen), ==, (n_rows + 1) * 4);
}

static void
set_rate (Fixture    *fx,
          const char *currency,
          const char *rate)
{
  g_autoptr(GError) error = NULL;
  gint64 micros = 0;

  g_assert_true (crm_money_parse_rate (rate, &micros, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_set_rate (fx->store, currency, micros, &error));
  g_assert_no_error (error);
}

static GArray *
listed_ids (Fixture *fx)
{
  CrmLeadListModel *model = crm_leads_view_get_model (fx->leads);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CrmLead) lead = g_list_model_get_item (G_LIST_MODEL (model), i);
      gint64 id = crm_lead_get_id (lead);

      g_array_append_val (ids, id);
    }
  return ids;
}

/* strstr() over binary data (a PDF has NUL bytes) */
static gboolean
find_bytes (const char *data,
            gsize       length,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The Leads view lists exactly the leads the store lists for @group's
 * filter: @count of them. Takes @group. */
static void
assert_listed_are (Fixture *fx,
                   char    *group,
                   gint64   count)
{
  g_autofree char *owned = group;
  g_autoptr(CrmLeadFilter) filter = crm_statistics_view_dup_group_filter (fx->view, group);
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) shown = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (filter);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (fx->window), CRM_TYPE_WINDOW, "view_stack"))),
                   ==, "leads");
  expected = crm_store_query_lead_ids (fx->store, filter, 0, NULL, &error);
  g_assert_no_error (error);
  shown = listed_ids (fx);
  g_array_sort (expected, compare_ids);
  g_array_sort (shown, compare_ids);
  g_assert_cmpuint (shown->len, ==, expected->len);
  g_assert_cmpint (shown->len, ==, count);
  for (guint i = 0; i < shown->len; i++)
    g_assert_cmpint (g_array_index (shown, gint64, i), ==, g_array_index (expected, gint64, i));
}

/* Activates @group and checks the Leads view it opens. */
static void
assert_group_opens_leads (Fixture    *fx,
                          const char *group,
                          gint64      count)
{
  crm_window_show_view (fx->window, "statistics");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->view), "stats.show-leads", "s", group));
  WAIT_UNTIL (leads_listed, fx);
  assert_listed_are (fx, g_strdup (group), count);
}

/* ---------------------------------------------------------- fixture */

/* One application and window for the whole program (an application
 * exports itself on the session bus once); each test gets a fresh store
 * with the sample in a new window. */
static CrmApplication *app;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  static guint counter;

  path = g_strdup_printf ("%s/statistics-%u.db", crm_ui_test_tmp_dir (), counter++);
  fx->store = crm_store_open (path, &error);
  g_assert_no_error (error);
  crm_store_set_author (fx->store, "Statistics Tester");
  g_assert_true (crm_store_load_sample (fx->store, &error));
  g_assert_no_error (error);

  /* the sample brings exchange rates; without them its leads in CHF, GBP
   * and USD show the "not counted" path, which the tests set rates on */
  {
    g_autoptr(GArray) rates = crm_store_list_rates (fx->store);

    for (guint i = 0; i < rates->len; i++)
      {
        g_assert_true (crm_store_remove_rate (fx->store, g_array_index (rates, CrmExchangeRate, i).currency, &error));
        g_assert_no_error (error);
      }
  }

  if (app == NULL)
    {
      app = crm_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  fx->app = g_object_ref (app);
  crm_application_set_store (fx->app, fx->store);
  g_application_activate (G_APPLICATION (fx->app));

  fx->window = CRM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fx->app)));
  g_assert_true (CRM_IS_WINDOW (fx->window));
  fx->view = crm_window_get_statistics_view (fx->window);
  fx->leads = crm_window_get_leads_view (fx->window);
  g_assert_true (CRM_IS_STATISTICS_VIEW (fx->view));
  WAIT_UNTIL (window_mapped, fx);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-view", "s", "statistics"));
  wait_for_figures (fx);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fx->window));
  spin ();
  g_clear_object (&fx->app);
  g_clear_object (&fx->store);
}

/* ------------------------------------------------------------ tests */

static void
test_tables (Fixture       *fx,
             gconstpointer  data)
{
  GtkRevealer *banner;
  CrmStats *by_status;
  gint64 counted_before;

  /* statistics count every status by default */
  g_assert_cmpint (crm_lead_filter_bar_get_filter (crm_statistics_view_get_filter_bar (fx->view))->status_class,
                   ==, CRM_STATUS_FILTER_ANY);
  assert_table_shows_store (fx, CRM_STATS_BY_STATUS);
  assert_table_shows_store (fx, CRM_STATS_BY_PHASE);
  assert_table_shows_store (fx, CRM_STATS_BY_MONTH);

  /* the sample has leads in CHF, GBP and USD and no rates: named, not counted */
  by_status = crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_STATUS);
  g_assert_cmpuint (crm_stats_get_n_unconverted (by_status), ==, 3);
  banner = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (fx->view), CRM_TYPE_STATISTICS_VIEW, "rates_revealer"));
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  {
    const char *text = gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (fx->view),
                                                                                    CRM_TYPE_STATISTICS_VIEW, "rates_label")));
    for (guint i = 0; i < crm_stats_get_n_unconverted (by_status); i++)
      {
        const CrmStatsUnconverted *entry = crm_stats_get_unconverted (by_status, i);
        g_autofree char *part = g_strdup_printf ("%lld leads in %s", (long long) entry->count, entry->currency);

        g_assert_nonnull (strstr (text, part));
      }
  }

  /* a rate set in the store (Preferences does the same) counts them */
  counted_before = crm_stats_get_total (by_status)->count;
  set_rate (fx, "USD", "0.9");
  wait_for_figures (fx);
  by_status = crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_STATUS);
  g_assert_cmpuint (crm_stats_get_n_unconverted (by_status), ==, 2);
  g_assert_cmpint (crm_stats_get_total (by_status)->count, >, counted_before);
  assert_table_shows_store (fx, CRM_STATS_BY_STATUS);
  set_rate (fx, "CHF", "1.05");
  set_rate (fx, "GBP", "1.17");
  wait_for_figures (fx);
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  assert_table_shows_store (fx, CRM_STATS_BY_PHASE);
  assert_table_shows_store (fx, CRM_STATS_BY_MONTH);
}

static void
test_live_update (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(CrmLeadFilter) open = crm_lead_filter_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(CrmLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *volume = NULL;
  const CrmStatsRow *row;
  gint64 before;
  CrmFieldValue value = { "volume_minor", NULL };

  /* an open lead in the company currency */
  open->status_class = CRM_STATUS_FILTER_OPEN;
  ids = crm_store_query_lead_ids (fx->store, open, 0, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ids->len && lead == NULL; i++)
    {
      g_autoptr(CrmLead) candidate = crm_store_get_lead (fx->store, g_array_index (ids, gint64, i), NULL);

      if (g_strcmp0 (crm_lead_get_currency (candidate), crm_store_get_default_currency (fx->store)) == 0)
        lead = g_steal_pointer (&candidate);
    }
  g_assert_nonnull (lead);

  row = crm_stats_lookup_row (crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_PHASE), crm_lead_get_phase (lead));
  g_assert_nonnull (row);
  before = row->absolute_minor;

  /* the edit goes through the store, as the detail pane's would */
  volume = g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_volume_minor (lead) + 12345);
  value.value = volume;
  g_assert_true (crm_store_update_lead (fx->store, crm_lead_get_id (lead), &value, 1, &error));
  g_assert_no_error (error);

  wait_for_figures (fx);
  row = crm_stats_lookup_row (crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_PHASE), crm_lead_get_phase (lead));
  g_assert_cmpint (row->absolute_minor, ==, before + 12345);
  assert_table_shows_store (fx, CRM_STATS_BY_PHASE);
  assert_table_shows_store (fx, CRM_STATS_BY_STATUS);
  assert_table_shows_store (fx, CRM_STATS_BY_MONTH);

  /* a lead marked won moves between the status rows */
  g_assert_true (crm_store_mark_won (fx->store, crm_lead_get_id (lead), &error));
  g_assert_no_error (error);
  wait_for_figures (fx);
  assert_table_shows_store (fx, CRM_STATS_BY_STATUS);

  /* The Leads view, off screen meanwhile, keeps its list paused (the
   * statistics have the reader to themselves); shown again, it lists the
   * open leads as they are now: the won lead is gone. */
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (fx->leads)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-view", "s", "leads"));
  WAIT_UNTIL (leads_mapped_and_listed, fx);
  {
    g_autoptr(GArray) now_open = crm_store_query_lead_ids (fx->store, crm_leads_view_get_filter (fx->leads), 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (crm_lead_list_model_find (crm_leads_view_get_model (fx->leads), crm_lead_get_id (lead)), ==, G_MAXUINT);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (crm_leads_view_get_model (fx->leads))), ==, now_open->len);
  }
}

static void
test_groups_open_leads (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CrmFieldValue values[] = { { "title", "No month yet" }, { "volume_minor", "100000" } };
  CrmStats *stats;
  const CrmStatsRow *row;

  /* every lead counted, one without a close month */
  set_rate (fx, "USD", "0.9");
  set_rate (fx, "CHF", "1.05");
  set_rate (fx, "GBP", "1.17");
  g_assert_cmpint (crm_store_create_lead (fx->store, values, G_N_ELEMENTS (values), &error), >, 0);
  g_assert_no_error (error);
  wait_for_figures (fx);

  stats = crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_PHASE);
  row = crm_stats_get_row (stats, 1);
  {
    g_autofree char *group = g_strdup_printf ("phase:%s", row->key);

    assert_group_opens_leads (fx, group, row->count);
  }

  stats = crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_STATUS);
  row = crm_stats_get_row (stats, 0);
  {
    g_autofree char *group = g_strdup_printf ("status:%s", row->key);

    assert_group_opens_leads (fx, group, row->count);
  }

  stats = crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_MONTH);
  row = crm_stats_get_row (stats, 0);
  {
    g_autofree char *group = g_strdup_printf ("month:%s", row->key);

    assert_group_opens_leads (fx, group, row->count);
  }
  row = crm_stats_lookup_row (stats, "");
  g_assert_nonnull (row);
  g_assert_cmpint (row->count, >=, 1);
  assert_group_opens_leads (fx, "month:", row->count);

  /* the total: all of them */
  assert_group_opens_leads (fx, "", crm_stats_get_total (stats)->count);

  /* a table row activated with Enter does the same */
  {
    GtkColumnView *table = crm_statistics_view_get_table (fx->view, CRM_STATS_BY_PHASE);

    crm_window_show_view (fx->window, "statistics");
    row = crm_stats_get_row (crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_PHASE), 0);
    g_signal_emit_by_name (table, "activate", 0);
    WAIT_UNTIL (leads_listed, fx);
    g_assert_cmpstr (crm_leads_view_get_filter (fx->leads)->phase, ==, row->key);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (crm_leads_view_get_model (fx->leads))), ==, row->count);
  }

  /* a funnel band (click or Enter both activate the item): its open leads of the phase */
  {
    CrmFunnelChart *funnel = crm_statistics_view_get_funnel_chart (fx->view);
    CrmStats *phases = crm_funnel_chart_get_stats (funnel);

    g_assert_nonnull (phases);
    g_assert_cmpuint (crm_stats_get_n_rows (phases), >, 1);
    row = crm_stats_get_row (phases, 1);
    crm_window_show_view (fx->window, "statistics");
    crm_chart_activate_item (CRM_CHART (funnel), 1);
    WAIT_UNTIL (leads_listed, fx);
    assert_listed_are (fx, g_strdup_printf ("funnel:%s", row->key), row->count);
    g_assert_cmpstr (crm_leads_view_get_filter (fx->leads)->phase, ==, row->key);
  }

  /* a forecast bar: the open leads closing that month, or the won ones */
  {
    CrmForecastChart *forecast = crm_statistics_view_get_forecast_chart (fx->view);
    CrmStats *open_stats = crm_forecast_chart_get_open_stats (forecast);
    CrmStats *won_stats = crm_forecast_chart_get_won_stats (forecast);
    guint month = 0;

    /* the first month with open leads */
    while (month < crm_stats_get_n_rows (open_stats) && crm_stats_get_row (open_stats, month)->count == 0)
      month++;
    g_assert_cmpuint (month, <, crm_stats_get_n_rows (open_stats));
    row = crm_stats_get_row (open_stats, month);
    crm_window_show_view (fx->window, "statistics");
    crm_chart_activate_item (CRM_CHART (forecast), 2 * month);
    WAIT_UNTIL (leads_listed, fx);
    assert_listed_are (fx, g_strdup_printf ("forecast:%s", row->key), row->count);
    g_assert_cmpint (crm_leads_view_get_filter (fx->leads)->close_from, ==, row->month);
    g_assert_cmpint (crm_leads_view_get_filter (fx->leads)->close_to, ==, row->month);

    row = crm_stats_lookup_row (won_stats, row->key);
    g_assert_nonnull (row);
    crm_window_show_view (fx->window, "statistics");
    crm_chart_activate_item (CRM_CHART (forecast), 2 * month + 1);
    WAIT_UNTIL (leads_listed, fx);
    assert_listed_are (fx, g_strdup_printf ("actual:%s", row->key), row->count);
  }

  /* malformed groups open nothing */
  g_assert_null (crm_statistics_view_dup_group_filter (fx->view, "month:2027-13"));
  g_assert_null (crm_statistics_view_dup_group_filter (fx->view, "colour:red"));
}

static void
test_csv_export (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (crm_ui_test_tmp_dir (), "by-status.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CrmKeyValue *open;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(CrmStats) expected = NULL;
  guint n;

  /* a label with a comma and quotes must be quoted */
  open = crm_store_lookup_key_value (fx->store, "status", "open");
  g_assert_nonnull (open);
  g_assert_true (crm_store_rename_key_value (fx->store, crm_key_value_get_id (open), "Open, \"hot\"", &error));
  g_assert_no_error (error);
  wait_for_figures (fx);

  g_assert_true (crm_statistics_view_export_table (fx->view, CRM_STATS_BY_STATUS, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);

  expected = query (fx, CRM_STATS_BY_STATUS);
  lines = g_strsplit (contents, "\r\n", -1);
  n = g_strv_length (lines);
  /* header, rows, total, one line per currency without a rate, and the
   * empty rest after the last CRLF */
  g_assert_cmpuint (crm_stats_get_n_unconverted (expected), ==, 3);
  g_assert_cmpuint (n, ==, crm_stats_get_n_rows (expected) + 3 + crm_stats_get_n_unconverted (expected));
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_assert_cmpstr (lines[0], ==, "key,label,count,absolute,absolute_minor,weighted,weighted_minor,currency");
  for (guint i = 0; i <= crm_stats_get_n_rows (expected); i++)
    {
      const CrmStatsRow *row = i < crm_stats_get_n_rows (expected) ? crm_stats_get_row (expected, i)
                                                                    : crm_stats_get_total (expected);
      const char *currency = crm_stats_get_currency (expected);
      g_autofree char *label = NULL;
      g_autofree char *line = NULL;

      if (strpbrk (row->label, ",\"") != NULL)
        {
          g_autofree char *doubled = NULL;
          g_auto(GStrv) parts = g_strsplit (row->label, "\"", -1);

          doubled = g_strjoinv ("\"\"", parts);
          label = g_strdup_printf ("\"%s\"", doubled);
        }
      else
        label = g_strdup (row->label);

      /* exact decimals: minor units with two places for EUR */
      g_assert_cmpstr (currency, ==, "EUR");
      line = g_strdup_printf ("%s,%s,%lld,%lld.%02lld,%lld,%lld.%02lld,%lld,%s",
                              i < crm_stats_get_n_rows (expected) ? row->key : "total", label,
                              (long long) row->count,
                              (long long) (row->absolute_minor / 100), (long long) (row->absolute_minor % 100),
                              (long long) row->absolute_minor,
                              (long long) (row->weighted_minor / 100), (long long) (row->weighted_minor % 100),
                              (long long) row->weighted_minor, currency);
      g_assert_cmpstr (lines[i + 1], ==, line);
    }
  for (guint i = 0; i < crm_stats_get_n_unconverted (expected); i++)
    {
      const CrmStatsUnconverted *u = crm_stats_get_unconverted (expected, i);
      g_autofree char *line = g_strdup_printf ("unconverted,,%lld,%lld.%02lld,%lld,,,%s", (long long) u->count,
                                               (long long) (u->absolute_minor / 100),
                                               (long long) (u->absolute_minor % 100),
                                               (long long) u->absolute_minor, u->currency);

      g_assert_cmpstr (lines[crm_stats_get_n_rows (expected) + 2 + i], ==, line);
    }
  g_assert_nonnull (strstr (contents, "open,\"Open, \"\"hot\"\"\","));
}

/* Charts as PNG, SVG and PDF at the size asked for, rendered by the chart
 * library (no screenshot), and the one-page report as PDF. */
static void
test_chart_export (Fixture       *fx,
                   gconstpointer  data)
{
  static const char *charts[] = { "funnel", "forecast" };
  static const char *formats[] = { "png", "svg", "pdf" };
  g_autoptr(GError) error = NULL;

  for (guint c = 0; c < G_N_ELEMENTS (charts); c++)
    for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", charts[c], formats[f]);
        g_autofree char *path = g_build_filename (crm_ui_test_tmp_dir (), name, NULL);
        g_autofree char *contents = NULL;
        gsize length = 0;

        g_assert_true (crm_statistics_view_export_chart (fx->view, charts[c], path, 640, 400, &error));
        g_assert_no_error (error);
        g_assert_true (g_file_get_contents (path, &contents, &length, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (length, >, 500);

        if (f == 0)
          {
            g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);

            g_assert_no_error (error);
            g_assert_cmpint (memcmp (contents, "\x89PNG\r\n\x1a\n", 8), ==, 0);
            g_assert_cmpint (gdk_texture_get_width (texture), ==, 640);
            g_assert_cmpint (gdk_texture_get_height (texture), ==, 400);
          }
        else if (f == 1)
          {
            g_assert_nonnull (strstr (contents, "<svg"));
            g_assert_nonnull (strstr (contents, "width=\"640"));
            g_assert_nonnull (strstr (contents, "height=\"400"));
          }
        else
          {
            g_assert_cmpint (memcmp (contents, "%PDF-", 5), ==, 0);
            g_assert_true (find_bytes (contents, length, "/MediaBox [ 0 0 640 400 ]"));
          }
      }

  /* a size out of range or an unknown chart is refused, nothing written */
  {
    g_autofree char *path = g_build_filename (crm_ui_test_tmp_dir (), "tiny.png", NULL);

    g_assert_false (crm_statistics_view_export_chart (fx->view, "funnel", path, 10, 10, &error));
    g_assert_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_WIDTH);
    g_clear_error (&error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_false (crm_statistics_view_export_chart (fx->view, "pie", path, 640, 400, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  /* print: one page with both charts and the tables */
  {
    g_autofree char *path = g_build_filename (crm_ui_test_tmp_dir (), "report.pdf", NULL);
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (crm_statistics_view_print (fx->view, path, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, &length, &error));
    g_assert_cmpint (memcmp (contents, "%PDF-", 5), ==, 0);
    g_assert_true (find_bytes (contents, length, "/Count 1"));
  }
}

static void
test_empty_state (Fixture       *fx,
                  gconstpointer  data)
{
  GtkStack *stack;

  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fx->view), CRM_TYPE_STATISTICS_VIEW, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "content");

  crm_lead_filter_bar_set_search (crm_statistics_view_get_filter_bar (fx->view), "qqqzzzxxnothing");
  wait_for_figures (fx);
  g_assert_cmpint (crm_stats_get_total (crm_statistics_view_get_stats (fx->view, CRM_STATS_BY_STATUS))->count, ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  crm_lead_filter_bar_clear (crm_statistics_view_get_filter_bar (fx->view));
  wait_for_figures (fx);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "content");
}

static void
skip_without_display (void)
{
  g_test_skip ("no display: run under xvfb-run (gtk_init_check() failed)");
}

/* ------------------------------------------------------------- main */

int
main (int   argc,
      char *argv[])
{
  int ret;

  have_display = crm_ui_test_init (&argc, &argv, "test-statistics");

#define ADD(path, func) \
  g_test_add ("/ui/statistics/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  if (have_display)
    {
      ADD ("tables", test_tables);
      ADD ("live-update", test_live_update);
      ADD ("groups-open-leads", test_groups_open_leads);
      ADD ("csv-export", test_csv_export);
      ADD ("chart-export", test_chart_export);
      ADD ("empty-state", test_empty_state);
    }
  else
    g_test_add_func ("/ui/statistics/no-display", skip_without_display);

#undef ADD

  ret = crm_ui_test_run ();
  g_clear_object (&app);

  return ret;
}
