/* test-templates.c: every composite template instantiates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gtk4-builder-tool cannot validate templates that use libadwaita or our
 * own types, so each widget with a template is created (and destroyed)
 * here on the floor versions (GTK 4.8, libadwaita 1.2): a typo in a .ui
 * file, a renamed template child or a missing resource fails this test
 * instead of the app at start-up. Runs under Xvfb; skips without a
 * display.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "crm-application.h"
#include "crm-contacts-view.h"
#include "crm-exchange-rates-group.h"
#include "crm-forecast-chart.h"
#include "crm-funnel-chart.h"
#include "crm-forecast-chart.h"
#include "crm-funnel-chart.h"
#include "crm-history-row.h"
#include "crm-lead-detail.h"
#include "crm-lead-filter-bar.h"
#include "crm-leads-view.h"
#include "crm-month.h"
#include "crm-pipeline-preferences.h"
#include "crm-pipeline-view.h"
#include "crm-preferences-window.h"
#include "crm-probability-chart.h"
#include "crm-report-dialog.h"
#include "crm-statistics-view.h"
#include "crm-stats.h"
#include "crm-store.h"
#include "crm-sync-indicator.h"
#include "crm-sync-issues-window.h"
#include "crm-sync-preferences.h"
#include "crm-ui-test.h"
#include "crm-window.h"

static gboolean have_display;

typedef struct {
  char     *path;
  CrmStore *store;
} Fixture;

/* ---------------------------------------------------------------- helpers */

static gboolean
skip_without_display (void)
{
  if (!have_display)
    {
      g_test_skip ("no display: run under xvfb-run (gtk_init_check() failed)");
      return TRUE;
    }
  return FALSE;
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static guint counter;

  fx->path = g_strdup_printf ("%s/templates-%u.db", crm_ui_test_tmp_dir (), counter++);
  fx->store = crm_store_open (fx->path, &error);
  g_assert_no_error (error);
  g_assert_true (CRM_IS_STORE (fx->store));
  crm_store_set_author (fx->store, "Template Tester");
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (&fx->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fx->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_free (fx->path);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

#define template_child crm_ui_test_template_child

#define assert_child(widget, type, name, child_type) \
  G_STMT_START { \
    GObject *_c = template_child ((widget), (type), (name)); \
    g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (_c, (child_type))); \
  } G_STMT_END

static guint
count_descendants (GtkWidget *widget,
                   GType      type)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        n++;
      n += count_descendants (child, type);
    }

  return n;
}

static gint64
create_lead (CrmStore *store)
{
  g_autoptr(GError) error = NULL;
  CrmFieldValue values[] = {
    { "title", "Template lead" },
    { "volume_minor", "500000" },
    { "probability", "30" },
  };
  gint64 id = crm_store_create_lead (store, values, G_N_ELEMENTS (values), &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
count_change (guint *changes)
{
  (*changes)++;
}

/* ------------------------------------------------------------------ tests */

static void
test_window (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(CrmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  if (skip_without_display ())
    return;

  app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (crm_application_get_settings (app));

  crm_application_set_store (app, fx->store);
  g_assert_true (crm_application_get_store (app) == fx->store);

  /* activate must use the given store instead of the user's database */
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  g_assert_true (CRM_IS_WINDOW (window));
  g_assert_true (ADW_IS_APPLICATION_WINDOW (window));

  assert_child (window, CRM_TYPE_WINDOW, "main_stack", GTK_TYPE_STACK);
  assert_child (window, CRM_TYPE_WINDOW, "view_stack", ADW_TYPE_VIEW_STACK);
  assert_child (window, CRM_TYPE_WINDOW, "toast_overlay", ADW_TYPE_TOAST_OVERLAY);
  assert_child (window, CRM_TYPE_WINDOW, "leads_view", CRM_TYPE_LEADS_VIEW);
  assert_child (window, CRM_TYPE_WINDOW, "contacts_view", CRM_TYPE_CONTACTS_VIEW);
  assert_child (window, CRM_TYPE_WINDOW, "sample_button", GTK_TYPE_BUTTON);
  assert_child (window, CRM_TYPE_WINDOW, "sync_indicator", CRM_TYPE_SYNC_INDICATOR);
  assert_child (window, CRM_TYPE_WINDOW, "no_leads_page", ADW_TYPE_VIEW_STACK_PAGE);
  assert_child (window, CRM_TYPE_WINDOW, "no_leads_status", ADW_TYPE_STATUS_PAGE);
  /* a local database has every module */
  g_assert_false (adw_view_stack_page_get_visible (template_child (window, CRM_TYPE_WINDOW, "no_leads_page")));
  g_assert_true (CRM_IS_LEADS_VIEW (crm_window_get_leads_view (CRM_WINDOW (window))));
  g_assert_cmpstr (gtk_actionable_get_action_name (template_child (window, CRM_TYPE_WINDOW, "sample_button")),
                   ==, "win.load-sample");

  /* an empty database shows the welcome page */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (window, CRM_TYPE_WINDOW, "main_stack")),
                   ==, "welcome");

  spin ();
  gtk_window_destroy (window);
  spin ();
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static void
test_leads_view (Fixture       *fx,
                 gconstpointer  data)
{
  CrmLeadsView *view;
  GListModel *columns;

  if (skip_without_display ())
    return;

  view = g_object_ref_sink (g_object_new (CRM_TYPE_LEADS_VIEW, NULL));
  g_assert_true (CRM_IS_LEADS_VIEW (view));

  assert_child (view, CRM_TYPE_LEADS_VIEW, "leaflet", ADW_TYPE_LEAFLET);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "filter_bar", CRM_TYPE_LEAD_FILTER_BAR);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "list_stack", GTK_TYPE_STACK);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "column_view", GTK_TYPE_COLUMN_VIEW);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "count_label", GTK_TYPE_LABEL);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "absolute_label", GTK_TYPE_LABEL);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "weighted_label", GTK_TYPE_LABEL);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "detail", CRM_TYPE_LEAD_DETAIL);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "detail_stack", GTK_TYPE_STACK);
  assert_child (view, CRM_TYPE_LEADS_VIEW, "back_button", GTK_TYPE_BUTTON);
  g_assert_true (CRM_IS_LEAD_DETAIL (crm_leads_view_get_detail (view)));

  /* the ten columns are made in code, each sortable */
  columns = gtk_column_view_get_columns (template_child (view, CRM_TYPE_LEADS_VIEW, "column_view"));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 10);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_nonnull (gtk_column_view_column_get_title (column));
      g_assert_nonnull (gtk_column_view_column_get_sorter (column));
      g_assert_nonnull (gtk_column_view_column_get_factory (column));
    }

  /* without a store there is no model and nothing selected */
  g_assert_null (crm_leads_view_get_model (view));
  g_assert_null (crm_leads_view_get_selected_lead (view));

  crm_leads_view_set_store (view, fx->store, NULL);
  g_assert_true (CRM_IS_LEAD_LIST_MODEL (crm_leads_view_get_model (view)));
  spin ();

  g_object_run_dispose (G_OBJECT (view));
  g_object_unref (view);
}

static void
test_lead_filter_bar (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  CrmLeadFilterBar *bar;
  guint changes = 0;

  if (skip_without_display ())
    return;

  bar = g_object_ref_sink (g_object_new (CRM_TYPE_LEAD_FILTER_BAR, "show-phase", FALSE, NULL));
  g_assert_true (CRM_IS_LEAD_FILTER_BAR (bar));
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "search_entry", GTK_TYPE_SEARCH_ENTRY);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "status_button", GTK_TYPE_MENU_BUTTON);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "class_box", GTK_TYPE_BOX);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "status_box", GTK_TYPE_BOX);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "no_month_check", GTK_TYPE_CHECK_BUTTON);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "filter_button", GTK_TYPE_MENU_BUTTON);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "phase_label", GTK_TYPE_LABEL);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "phase_dropdown", GTK_TYPE_DROP_DOWN);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "owner_dropdown", GTK_TYPE_DROP_DOWN);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "unit_dropdown", GTK_TYPE_DROP_DOWN);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "type_dropdown", GTK_TYPE_DROP_DOWN);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "from_entry", GTK_TYPE_ENTRY);
  assert_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "to_entry", GTK_TYPE_ENTRY);
  g_assert_false (gtk_widget_get_visible (template_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "phase_dropdown")));

  /* by default: open leads, nothing else */
  g_assert_cmpint (crm_lead_filter_bar_get_filter (bar)->status_class, ==, CRM_STATUS_FILTER_OPEN);

  crm_lead_filter_bar_set_store (bar, fx->store);
  create_lead (fx->store);
  g_signal_connect_swapped (bar, "changed", G_CALLBACK (count_change), &changes);

  /* a filter made elsewhere is shown as it is, with one "changed" */
  filter->status_class = CRM_STATUS_FILTER_WON;
  filter->owner = g_strdup ("Nobody Yet");
  filter->search = g_strdup ("turbine");
  filter->close_from = crm_month_new (2027, 1);
  filter->close_to = crm_month_new (2027, 3);
  crm_lead_filter_bar_set_filter (bar, filter);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (crm_lead_filter_equal (crm_lead_filter_bar_get_filter (bar), filter));
  g_assert_cmpstr (gtk_editable_get_text (template_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "from_entry")), ==, "2027-01");

  /* a month that does not parse is marked on the entry and never becomes a bound */
  gtk_editable_set_text (template_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "to_entry"), "2027-13");
  g_assert_true (gtk_widget_has_css_class (template_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "to_entry"), "error"));
  g_assert_cmpint (crm_lead_filter_bar_get_filter (bar)->close_to, ==, CRM_MONTH_NONE);
  g_assert_cmpint (crm_lead_filter_bar_get_filter (bar)->close_from, ==, crm_month_new (2027, 1));

  /* a range that ends before it begins: marked, not applied */
  gtk_editable_set_text (template_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "to_entry"), "2026-12");
  g_assert_true (gtk_widget_has_css_class (template_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "to_entry"), "error"));
  g_assert_cmpint (crm_lead_filter_bar_get_filter (bar)->close_to, ==, CRM_MONTH_NONE);
  gtk_editable_set_text (template_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "to_entry"), "2027-02");
  g_assert_false (gtk_widget_has_css_class (template_child (bar, CRM_TYPE_LEAD_FILTER_BAR, "to_entry"), "error"));
  g_assert_cmpint (crm_lead_filter_bar_get_filter (bar)->close_to, ==, crm_month_new (2027, 2));

  crm_lead_filter_bar_clear (bar);
  g_assert_true (crm_lead_filter_is_empty (crm_lead_filter_bar_get_filter (bar)));

  g_object_run_dispose (G_OBJECT (bar));
  g_object_unref (bar);
}

static void
test_statistics_view (Fixture       *fx,
                      gconstpointer  data)
{
  CrmStatisticsView *view;
  static const struct { const char *name; GType (*type) (void); } children[] = {
    { "main_box", gtk_box_get_type },
    { "filter_bar", crm_lead_filter_bar_get_type },
    { "refresh_spinner", gtk_spinner_get_type },
    { "export_button", gtk_menu_button_get_type },
    { "rates_revealer", gtk_revealer_get_type },
    { "rates_label", gtk_label_get_type },
    { "stack", gtk_stack_get_type },
    { "loading_spinner", gtk_spinner_get_type },
    { "charts_flow", gtk_flow_box_get_type },
    { "tables_flow", gtk_flow_box_get_type },
    { "funnel_card", gtk_box_get_type },
    { "forecast_card", gtk_box_get_type },
    { "forecast_caption", gtk_label_get_type },
  };

  if (skip_without_display ())
    return;

  view = g_object_ref_sink (g_object_new (CRM_TYPE_STATISTICS_VIEW, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    assert_child (view, CRM_TYPE_STATISTICS_VIEW, children[i].name, children[i].type ());

  /* the three tables and both charts are made in code */
  g_assert_true (GTK_IS_COLUMN_VIEW (crm_statistics_view_get_table (view, CRM_STATS_BY_STATUS)));
  g_assert_true (GTK_IS_COLUMN_VIEW (crm_statistics_view_get_table (view, CRM_STATS_BY_PHASE)));
  g_assert_true (GTK_IS_COLUMN_VIEW (crm_statistics_view_get_table (view, CRM_STATS_BY_MONTH)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (crm_statistics_view_get_table (view, CRM_STATS_BY_MONTH))),
                    ==, 4);
  g_assert_true (CRM_IS_FUNNEL_CHART (crm_statistics_view_get_funnel_chart (view)));
  g_assert_true (CRM_IS_FORECAST_CHART (crm_statistics_view_get_forecast_chart (view)));

  /* before any result: nothing to show, loading */
  g_assert_null (crm_statistics_view_get_stats (view, CRM_STATS_BY_STATUS));
  g_assert_true (crm_statistics_view_get_loading (view));
  crm_statistics_view_set_store (view, fx->store);
  spin ();

  g_object_run_dispose (G_OBJECT (view));
  g_object_unref (view);
}

static void
test_exchange_rates_group (Fixture       *fx,
                           gconstpointer  data)
{
  CrmExchangeRatesGroup *group;
  g_autoptr(GError) error = NULL;

  if (skip_without_display ())
    return;

  group = g_object_ref_sink (g_object_new (CRM_TYPE_EXCHANGE_RATES_GROUP, NULL));
  g_assert_true (ADW_IS_PREFERENCES_GROUP (group));
  g_assert_cmpuint (crm_exchange_rates_group_get_n_rows (group), ==, 0);

  crm_exchange_rates_group_set_store (group, fx->store);
  g_assert_true (crm_store_set_rate (fx->store, "USD", 923400, &error));
  g_assert_no_error (error);
  crm_exchange_rates_group_refresh (group);
  g_assert_cmpuint (crm_exchange_rates_group_get_n_rows (group), ==, 1);

  /* not g_object_run_dispose(): AdwPreferencesGroup 1.2 cannot be disposed twice */
  g_object_unref (group);
}

static void
test_lead_detail (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(CrmLead) lead = NULL;
  CrmLeadDetail *detail;
  static const struct { const char *name; GType (*type) (void); } children[] = {
    { "title_label", gtk_label_get_type },
    { "subtitle_label", gtk_label_get_type },
    { "title_row", adw_action_row_get_type },
    { "title_entry", gtk_entry_get_type },
    { "contact_row", adw_action_row_get_type },
    { "contact_button", gtk_menu_button_get_type },
    { "contact_search", gtk_search_entry_get_type },
    { "contact_list", gtk_list_box_get_type },
    { "volume_row", adw_action_row_get_type },
    { "volume_entry", gtk_entry_get_type },
    { "currency_dropdown", gtk_drop_down_get_type },
    { "probability_row", adw_action_row_get_type },
    { "probability_spin", gtk_spin_button_get_type },
    { "reset_probability_button", gtk_button_get_type },
    { "phase_row", adw_combo_row_get_type },
    { "status_row", adw_combo_row_get_type },
    { "close_row", adw_action_row_get_type },
    { "close_entry", gtk_entry_get_type },
    { "owner_row", adw_action_row_get_type },
    { "owner_entry", gtk_entry_get_type },
    { "type_row", adw_combo_row_get_type },
    { "unit_row", adw_combo_row_get_type },
    { "source_row", adw_combo_row_get_type },
    { "lost_reason_row", adw_action_row_get_type },
    { "description_view", gtk_text_view_get_type },
    { "chart", crm_probability_chart_get_type },
    { "history_list", gtk_list_box_get_type },
  };

  if (skip_without_display ())
    return;

  detail = g_object_ref_sink (g_object_new (CRM_TYPE_LEAD_DETAIL, NULL));
  g_assert_true (CRM_IS_LEAD_DETAIL (detail));

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    assert_child (detail, CRM_TYPE_LEAD_DETAIL, children[i].name, children[i].type ());

  g_assert_true (crm_lead_detail_get_history_list (detail) ==
                 template_child (detail, CRM_TYPE_LEAD_DETAIL, "history_list"));
  g_assert_null (crm_lead_detail_get_lead (detail));

  /* with a lead, the fields show it and the history has its creation */
  crm_lead_detail_set_store (detail, fx->store);
  lead = crm_store_get_lead (fx->store, create_lead (fx->store), NULL);
  g_assert_nonnull (lead);
  crm_lead_detail_set_lead (detail, lead);
  g_assert_true (crm_lead_detail_get_lead (detail) == lead);
  g_assert_cmpstr (gtk_editable_get_text (template_child (detail, CRM_TYPE_LEAD_DETAIL, "title_entry")),
                   ==, "Template lead");
  g_assert_cmpstr (gtk_editable_get_text (template_child (detail, CRM_TYPE_LEAD_DETAIL, "volume_entry")),
                   ==, "5000.00");
  g_assert_nonnull (gtk_list_box_get_row_at_index (crm_lead_detail_get_history_list (detail), 0));

  crm_lead_detail_set_lead (detail, NULL);
  spin ();
  g_object_run_dispose (G_OBJECT (detail));
  g_object_unref (detail);
}

static void
test_history_row (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GError) error = NULL;
  gboolean seen_report = FALSE, seen_change = FALSE;
  gint64 id, report;

  if (skip_without_display ())
    return;

  id = create_lead (fx->store);
  report = crm_store_add_activity (fx->store, id, "call", 0, "Kick-off", "Talked about the budget",
                                   55, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report, >, 0);

  history = crm_store_lead_history (fx->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (history), >=, 2);

  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i);
      gboolean is_report = crm_history_item_is_report (item);

      for (int show_lead = 0; show_lead <= 1; show_lead++)
        {
          GtkWidget *row = g_object_ref_sink (crm_history_row_new (item, show_lead));
          GtkLabel *lead_label;

          g_assert_true (CRM_IS_HISTORY_ROW (row));
          g_assert_true (GTK_IS_LIST_BOX_ROW (row));
          assert_child (row, CRM_TYPE_HISTORY_ROW, "icon", GTK_TYPE_IMAGE);
          assert_child (row, CRM_TYPE_HISTORY_ROW, "title_label", GTK_TYPE_LABEL);
          assert_child (row, CRM_TYPE_HISTORY_ROW, "meta_label", GTK_TYPE_LABEL);
          assert_child (row, CRM_TYPE_HISTORY_ROW, "text_label", GTK_TYPE_LABEL);
          assert_child (row, CRM_TYPE_HISTORY_ROW, "lead_label", GTK_TYPE_LABEL);

          g_assert_true (gtk_widget_has_css_class (row, is_report ? "report" : "change"));
          g_assert_cmpstr (gtk_label_get_label (template_child (row, CRM_TYPE_HISTORY_ROW, "title_label")), !=, "");
          g_assert_nonnull (strstr (gtk_label_get_label (template_child (row, CRM_TYPE_HISTORY_ROW, "meta_label")),
                                    "Template Tester"));
          lead_label = template_child (row, CRM_TYPE_HISTORY_ROW, "lead_label");
          g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (lead_label)), ==, show_lead);
          if (show_lead)
            g_assert_cmpstr (gtk_label_get_label (lead_label), ==, "Template lead");

          if (is_report)
            {
              const char *text = gtk_label_get_label (template_child (row, CRM_TYPE_HISTORY_ROW, "text_label"));

              seen_report = TRUE;
              g_assert_nonnull (strstr (gtk_label_get_label (template_child (row, CRM_TYPE_HISTORY_ROW, "title_label")),
                                        "Kick-off"));
              g_assert_nonnull (strstr (text, "55"));
              g_assert_nonnull (strstr (text, "Talked about the budget"));
            }
          else if (g_strcmp0 (crm_history_item_get_field (item), "probability") == 0)
            {
              seen_change = TRUE;
              g_assert_nonnull (strstr (gtk_label_get_label (template_child (row, CRM_TYPE_HISTORY_ROW, "title_label")),
                                        "55"));
            }

          g_object_run_dispose (G_OBJECT (row));
          g_object_unref (row);
        }
    }

  g_assert_true (seen_report);
  g_assert_true (seen_change);
}

static void
test_report_dialog (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(CrmLead) lead = NULL;
  GtkWindow *dialog;
  gint64 id;

  if (skip_without_display ())
    return;

  id = create_lead (fx->store);
  lead = crm_store_get_lead (fx->store, id, NULL);
  dialog = crm_report_dialog_new (fx->store, lead, NULL);
  g_assert_nonnull (dialog);
  g_assert_true (CRM_IS_REPORT_DIALOG (dialog));
  g_assert_true (ADW_IS_WINDOW (dialog));
  g_assert_true (gtk_window_get_modal (dialog));

  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "lead_label", GTK_TYPE_LABEL);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "error_label", GTK_TYPE_LABEL);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "kind_row", ADW_TYPE_COMBO_ROW);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "when_row", ADW_TYPE_ACTION_ROW);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "when_entry", GTK_TYPE_ENTRY);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "subject_entry", GTK_TYPE_ENTRY);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "text_view", GTK_TYPE_TEXT_VIEW);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "probability_switch", GTK_TYPE_SWITCH);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "probability_spin", GTK_TYPE_SPIN_BUTTON);
  assert_child (dialog, CRM_TYPE_REPORT_DIALOG, "phase_row", ADW_TYPE_COMBO_ROW);

  g_assert_cmpstr (gtk_label_get_label (template_child (dialog, CRM_TYPE_REPORT_DIALOG, "lead_label")),
                   ==, "Template lead");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (template_child (dialog, CRM_TYPE_REPORT_DIALOG, "probability_spin")),
                   ==, 30);
  g_assert_nonnull (adw_combo_row_get_model (template_child (dialog, CRM_TYPE_REPORT_DIALOG, "kind_row")));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (template_child (dialog, CRM_TYPE_REPORT_DIALOG, "kind_row"))),
                    >, 0);

  /* a report with neither subject nor text is refused, with the reason shown */
  crm_report_dialog_fill (CRM_REPORT_DIALOG (dialog), "", "", -1, NULL);
  g_assert_cmpint (crm_report_dialog_save (CRM_REPORT_DIALOG (dialog)), ==, 0);
  g_assert_true (gtk_widget_get_visible (template_child (dialog, CRM_TYPE_REPORT_DIALOG, "error_label")));
  g_assert_cmpstr (gtk_label_get_label (template_child (dialog, CRM_TYPE_REPORT_DIALOG, "error_label")), !=, "");

  gtk_window_present (dialog);
  spin ();
  gtk_window_destroy (dialog);
  spin ();
}

static void
test_probability_chart (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GListModel) history = NULL;
  CrmProbabilityChart *chart;
  gint64 id;

  if (skip_without_display ())
    return;

  chart = g_object_ref_sink (g_object_new (CRM_TYPE_PROBABILITY_CHART, NULL));
  g_assert_true (CRM_IS_PROBABILITY_CHART (chart));
  g_assert_true (GTK_IS_WIDGET (chart));

  id = create_lead (fx->store);
  g_assert_cmpint (crm_store_add_activity (fx->store, id, "call", 0, "Call", NULL, 60, NULL, NULL), >, 0);
  history = crm_store_lead_history (fx->store, id, NULL);
  g_assert_nonnull (history);
  crm_probability_chart_set_history (chart, history, 60);
  g_assert_cmpuint (crm_probability_chart_get_n_steps (chart), >=, 1);

  g_object_unref (chart);
}

/* The chart widgets have no template; like the templated widgets they are
 * created, shown with data and destroyed on the floor versions. */
static void
test_chart_widgets (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(CrmStats) phases = crm_stats_new (CRM_STATS_BY_PHASE, "EUR");
  g_autoptr(CrmStats) open = crm_stats_new (CRM_STATS_BY_MONTH, "EUR");
  g_autoptr(CrmStats) won = crm_stats_new (CRM_STATS_BY_MONTH, "EUR");
  CrmStatsRow phase = { (char *) "offer", (char *) "Offer", CRM_MONTH_NONE, 2, 300000, 150000 };
  CrmStatsRow month = { NULL, NULL, crm_month_current (), 1, 250000, 50000 };
  g_autofree char *key = crm_month_to_iso (crm_month_current ());
  GtkWidget *funnel, *forecast, *box;
  GtkWindow *window;

  if (skip_without_display ())
    return;

  month.key = month.label = key;
  crm_stats_append_row (phases, &phase);
  crm_stats_append_row (open, &month);

  funnel = crm_funnel_chart_new ();
  forecast = crm_forecast_chart_new ();
  g_assert_true (CRM_IS_CHART (funnel));
  g_assert_true (CRM_IS_CHART (forecast));
  crm_funnel_chart_set_stats (CRM_FUNNEL_CHART (funnel), phases);
  crm_forecast_chart_set_stats (CRM_FORECAST_CHART (forecast), open, won);
  g_assert_true (crm_funnel_chart_get_stats (CRM_FUNNEL_CHART (funnel)) == phases);
  g_assert_true (crm_forecast_chart_get_open_stats (CRM_FORECAST_CHART (forecast)) == open);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), funnel);
  gtk_box_append (GTK_BOX (box), forecast);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, box);
  gtk_window_present (window);
  spin ();

  g_assert_true (gtk_widget_has_css_class (funnel, "funnel-chart"));
  g_assert_true (gtk_widget_has_css_class (forecast, "forecast-chart"));
  g_assert_cmpint (crm_chart_lookup_item (CRM_CHART (funnel), -1, -1), ==, -1);

  gtk_window_destroy (window);
  spin ();
}

static void
test_contacts_view (Fixture       *fx,
                    gconstpointer  data)
{
  CrmContactsView *view;

  if (skip_without_display ())
    return;

  view = g_object_ref_sink (g_object_new (CRM_TYPE_CONTACTS_VIEW, NULL));
  g_assert_nonnull (view);
  g_assert_true (CRM_IS_CONTACTS_VIEW (view));
  g_assert_true (GTK_IS_WIDGET (view));
  g_assert_nonnull (gtk_widget_get_first_child (GTK_WIDGET (view)));

  crm_contacts_view_set_store (view, fx->store);
  spin ();

  /* both kinds of contact can be created from the view */
  {
    g_autoptr(GListModel) contacts = NULL;
    guint companies = 0, people = 0;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "contacts.new", "s", "person"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "contacts.new", "s", "company"));
    spin ();

    contacts = crm_store_list_contacts (fx->store, NULL, 0);
    for (guint i = 0; i < g_list_model_get_n_items (contacts); i++)
      {
        g_autoptr(CrmContact) contact = g_list_model_get_item (contacts, i);

        if (crm_contact_is_company (contact))
          companies++;
        else
          people++;
      }
    g_assert_cmpuint (people, ==, 1);
    g_assert_cmpuint (companies, ==, 1);
  }

  g_object_run_dispose (G_OBJECT (view));
  g_object_unref (view);
}

static void
test_preferences_window (Fixture       *fx,
                         gconstpointer  data)
{
  GtkWindow *window;

  if (skip_without_display ())
    return;

  window = crm_preferences_window_new (fx->store, NULL);
  g_assert_nonnull (window);
  g_assert_true (CRM_IS_PREFERENCES_WINDOW (window));
  g_assert_true (ADW_IS_PREFERENCES_WINDOW (window));
  g_assert_nonnull (gtk_widget_get_first_child (GTK_WIDGET (window)));

  gtk_window_present (window);
  spin ();
  gtk_window_destroy (window);
  spin ();
}

static void
test_sync_indicator (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(CrmSyncEngine) engine = NULL;
  g_autofree char *tokens = g_strdup_printf ("%s.token", fx->path);
  g_autoptr(CrmTokenStore) token_store = crm_token_store_new_file (tokens);
  GtkWidget *indicator;

  if (skip_without_display ())
    return;

  indicator = g_object_ref_sink (g_object_new (CRM_TYPE_SYNC_INDICATOR, NULL));
  assert_child (indicator, CRM_TYPE_SYNC_INDICATOR, "button", GTK_TYPE_MENU_BUTTON);
  assert_child (indicator, CRM_TYPE_SYNC_INDICATOR, "popover", GTK_TYPE_POPOVER);
  assert_child (indicator, CRM_TYPE_SYNC_INDICATOR, "icon", GTK_TYPE_IMAGE);
  assert_child (indicator, CRM_TYPE_SYNC_INDICATOR, "spinner", GTK_TYPE_SPINNER);
  assert_child (indicator, CRM_TYPE_SYNC_INDICATOR, "count_label", GTK_TYPE_LABEL);
  assert_child (indicator, CRM_TYPE_SYNC_INDICATOR, "error_label", GTK_TYPE_LABEL);
  assert_child (indicator, CRM_TYPE_SYNC_INDICATOR, "issues_button", GTK_TYPE_BUTTON);
  g_assert_cmpstr (gtk_actionable_get_action_name (template_child (indicator, CRM_TYPE_SYNC_INDICATOR, "sync_button")),
                   ==, "app.sync");
  g_assert_cmpstr (gtk_actionable_get_action_name (template_child (indicator, CRM_TYPE_SYNC_INDICATOR, "login_button")),
                   ==, "app.login");

  /* a database without a team server: no indicator */
  engine = crm_sync_engine_new (fx->store, token_store);
  crm_sync_indicator_set_engine (CRM_SYNC_INDICATOR (indicator), engine);
  g_assert_false (gtk_widget_get_visible (indicator));
  crm_sync_indicator_set_engine (CRM_SYNC_INDICATOR (indicator), NULL);

  g_object_unref (indicator);
}

static void
test_sync_preferences (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(CrmSyncEngine) engine = NULL;
  g_autofree char *tokens = g_strdup_printf ("%s.token", fx->path);
  g_autoptr(CrmTokenStore) token_store = crm_token_store_new_file (tokens);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *page;

  if (skip_without_display ())
    return;

  page = g_object_ref_sink (g_object_new (CRM_TYPE_SYNC_PREFERENCES, NULL));
  g_assert_true (ADW_IS_PREFERENCES_PAGE (page));
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "url_row", ADW_TYPE_ENTRY_ROW);
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_row", ADW_TYPE_ENTRY_ROW);
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "password_row", ADW_TYPE_PASSWORD_ENTRY_ROW);
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_button", GTK_TYPE_BUTTON);
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_spinner", GTK_TYPE_SPINNER);
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "account_row", ADW_TYPE_ACTION_ROW);
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "logout_button", GTK_TYPE_BUTTON);
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "automatic_switch", GTK_TYPE_SWITCH);
  assert_child (page, CRM_TYPE_SYNC_PREFERENCES, "interval_spin", GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpstr (adw_preferences_page_get_name (ADW_PREFERENCES_PAGE (page)), ==, "team-server");

  /* not logged in: the form, no account; the interval follows the setting */
  engine = crm_sync_engine_new (fx->store, token_store);
  g_settings_set_uint (settings, "sync-interval", 7);
  crm_sync_preferences_set_engine (CRM_SYNC_PREFERENCES (page), engine, settings);
  g_assert_true (gtk_widget_get_visible (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_group")));
  g_assert_false (gtk_widget_get_visible (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "account_group")));
  g_assert_false (gtk_widget_get_sensitive (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_button")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "interval_spin")), ==, 7);

  g_object_unref (page);
}

static void
test_sync_issues_window (Fixture       *fx,
                         gconstpointer  data)
{
  GtkWindow *window;

  if (skip_without_display ())
    return;

  window = crm_sync_issues_window_new (fx->store, NULL);
  g_assert_true (CRM_IS_SYNC_ISSUES_WINDOW (window));
  assert_child (window, CRM_TYPE_SYNC_ISSUES_WINDOW, "stack", GTK_TYPE_STACK);
  assert_child (window, CRM_TYPE_SYNC_ISSUES_WINDOW, "list_box", GTK_TYPE_LIST_BOX);
  assert_child (window, CRM_TYPE_SYNC_ISSUES_WINDOW, "toast_overlay", ADW_TYPE_TOAST_OVERLAY);
  /* nothing open: the empty state */
  g_assert_cmpuint (crm_sync_issues_window_get_count (CRM_SYNC_ISSUES_WINDOW (window)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (window, CRM_TYPE_SYNC_ISSUES_WINDOW, "stack")),
                   ==, "empty");

  gtk_window_present (window);
  spin ();
  gtk_window_destroy (window);
  spin ();
}

static void
test_pipeline_card (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(CrmLead) lead = NULL;
  GtkWidget *card;

  if (skip_without_display ())
    return;

  lead = crm_store_get_lead (fx->store, create_lead (fx->store), NULL);
  card = g_object_ref_sink (crm_pipeline_card_new ());
  assert_child (card, CRM_TYPE_PIPELINE_CARD, "title_label", GTK_TYPE_LABEL);
  assert_child (card, CRM_TYPE_PIPELINE_CARD, "stale_image", GTK_TYPE_IMAGE);
  assert_child (card, CRM_TYPE_PIPELINE_CARD, "contact_label", GTK_TYPE_LABEL);
  assert_child (card, CRM_TYPE_PIPELINE_CARD, "volume_label", GTK_TYPE_LABEL);
  assert_child (card, CRM_TYPE_PIPELINE_CARD, "probability_label", GTK_TYPE_LABEL);
  assert_child (card, CRM_TYPE_PIPELINE_CARD, "close_label", GTK_TYPE_LABEL);

  crm_pipeline_card_set_lead (CRM_PIPELINE_CARD (card), lead);
  g_assert_cmpstr (gtk_label_get_label (template_child (card, CRM_TYPE_PIPELINE_CARD, "title_label")), ==, "Template lead");
  g_assert_cmpstr (gtk_label_get_label (template_child (card, CRM_TYPE_PIPELINE_CARD, "probability_label")), ==, "30 %");
  g_assert_false (crm_pipeline_card_get_stale (CRM_PIPELINE_CARD (card)));

  g_object_run_dispose (G_OBJECT (card));
  g_object_unref (card);
}

static void
test_pipeline_column (Fixture       *fx,
                      gconstpointer  data)
{
  CrmKeyValue *phase;
  GtkWidget *column;

  if (skip_without_display ())
    return;

  phase = crm_store_lookup_key_value (fx->store, "phase", "lead");
  g_assert_nonnull (phase);
  column = g_object_ref_sink (crm_pipeline_column_new (fx->store, phase));
  assert_child (column, CRM_TYPE_PIPELINE_COLUMN, "header", GTK_TYPE_BOX);
  assert_child (column, CRM_TYPE_PIPELINE_COLUMN, "phase_label", GTK_TYPE_LABEL);
  assert_child (column, CRM_TYPE_PIPELINE_COLUMN, "count_label", GTK_TYPE_LABEL);
  assert_child (column, CRM_TYPE_PIPELINE_COLUMN, "absolute_label", GTK_TYPE_LABEL);
  assert_child (column, CRM_TYPE_PIPELINE_COLUMN, "weighted_label", GTK_TYPE_LABEL);
  assert_child (column, CRM_TYPE_PIPELINE_COLUMN, "stack", GTK_TYPE_STACK);
  assert_child (column, CRM_TYPE_PIPELINE_COLUMN, "list_view", GTK_TYPE_LIST_VIEW);
  g_assert_cmpstr (gtk_label_get_label (template_child (column, CRM_TYPE_PIPELINE_COLUMN, "phase_label")), ==, "Lead");

  g_object_run_dispose (G_OBJECT (column));
  g_object_unref (column);
}

static void
test_pipeline_view (Fixture       *fx,
                    gconstpointer  data)
{
  GtkWidget *window;
  GtkWidget *view;

  if (skip_without_display ())
    return;

  create_lead (fx->store);
  view = g_object_new (CRM_TYPE_PIPELINE_VIEW, NULL);
  assert_child (view, CRM_TYPE_PIPELINE_VIEW, "filter_revealer", GTK_TYPE_REVEALER);
  assert_child (view, CRM_TYPE_PIPELINE_VIEW, "board_stack", GTK_TYPE_STACK);
  assert_child (view, CRM_TYPE_PIPELINE_VIEW, "columns_box", GTK_TYPE_BOX);
  crm_pipeline_view_set_store (CRM_PIPELINE_VIEW (view), fx->store, NULL, NULL);

  /* columns come when the board is shown */
  g_assert_cmpuint (crm_pipeline_view_get_n_columns (CRM_PIPELINE_VIEW (view)), ==, 0);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  spin ();
  g_assert_cmpuint (crm_pipeline_view_get_n_columns (CRM_PIPELINE_VIEW (view)), ==, 6);
  g_assert_cmpuint (count_descendants (view, CRM_TYPE_PIPELINE_COLUMN), ==, 6);

  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
}

static void
test_pipeline_preferences (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *page;

  if (skip_without_display ())
    return;

  settings = g_settings_new ("io.github.leadsdesk.Leads");
  page = g_object_ref_sink (g_object_new (CRM_TYPE_PIPELINE_PREFERENCES, NULL));
  assert_child (page, CRM_TYPE_PIPELINE_PREFERENCES, "probability_row", ADW_TYPE_COMBO_ROW);
  assert_child (page, CRM_TYPE_PIPELINE_PREFERENCES, "stale_group", ADW_TYPE_PREFERENCES_GROUP);
  crm_pipeline_preferences_set_store (CRM_PIPELINE_PREFERENCES (page), fx->store, settings);
  g_assert_nonnull (crm_pipeline_preferences_get_stale_spin (CRM_PIPELINE_PREFERENCES (page), "proposal"));

  /* the combo row and the setting are one */
  adw_combo_row_set_selected (crm_pipeline_preferences_get_probability_row (CRM_PIPELINE_PREFERENCES (page)), 2);
  {
    g_autofree char *choice = g_settings_get_string (settings, "pipeline-probability");

    g_assert_cmpstr (choice, ==, "phase-default");
  }
  g_settings_set_string (settings, "pipeline-probability", "keep");
  g_assert_cmpuint (adw_combo_row_get_selected (crm_pipeline_preferences_get_probability_row (CRM_PIPELINE_PREFERENCES (page))), ==, 1);
  g_settings_reset (settings, "pipeline-probability");

  /* no g_object_run_dispose (): AdwPreferencesPage 1.2 cannot be disposed twice */
  g_object_unref (page);
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  GObject *overlay;
  GSList *objects;
  guint n_shortcuts = 0;

  if (skip_without_display ())
    return;

  builder = gtk_builder_new ();
  g_assert_true (gtk_builder_add_from_resource (builder, "/io/github/leadsdesk/Leads/gtk/help-overlay.ui", &error));
  g_assert_no_error (error);

  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_nonnull (overlay);
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  g_assert_cmpuint (count_descendants (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SECTION), >=, 1);

  /* every shortcut shown has a title and an accelerator GTK can parse */
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;
      guint key = 0;
      GdkModifierType mods = 0;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;

      n_shortcuts++;
      g_object_get (l->data, "title", &title, "accelerator", &accelerator, NULL);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      g_assert_nonnull (accelerator);
      g_assert_true (gtk_accelerator_parse (accelerator, &key, &mods));
      g_assert_cmpuint (key, !=, 0);
    }
  g_slist_free (objects);
  g_assert_cmpuint (n_shortcuts, >=, 10);

  gtk_window_destroy (GTK_WINDOW (overlay));
  spin ();
}

/* ------------------------------------------------------------------- main */

int
main (int   argc,
      char *argv[])
{
  have_display = crm_ui_test_init (&argc, &argv, "test-templates");

#define ADD(path, func) \
  g_test_add ("/ui/templates/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("window", test_window);
  ADD ("leads-view", test_leads_view);
  ADD ("lead-filter-bar", test_lead_filter_bar);
  ADD ("lead-detail", test_lead_detail);
  ADD ("statistics-view", test_statistics_view);
  ADD ("exchange-rates-group", test_exchange_rates_group);
  ADD ("history-row", test_history_row);
  ADD ("report-dialog", test_report_dialog);
  ADD ("probability-chart", test_probability_chart);
  ADD ("chart-widgets", test_chart_widgets);
  ADD ("contacts-view", test_contacts_view);
  ADD ("preferences-window", test_preferences_window);
  ADD ("sync-indicator", test_sync_indicator);
  ADD ("sync-preferences", test_sync_preferences);
  ADD ("sync-issues-window", test_sync_issues_window);
  ADD ("pipeline-card", test_pipeline_card);
  ADD ("pipeline-column", test_pipeline_column);
  ADD ("pipeline-view", test_pipeline_view);
  ADD ("pipeline-preferences", test_pipeline_preferences);
  g_test_add_func ("/ui/templates/help-overlay", test_help_overlay);

#undef ADD

  return crm_ui_test_run ();
}
