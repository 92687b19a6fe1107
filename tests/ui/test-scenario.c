/* test-scenario.c: the scenario, end to end through the real GUI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real CrmApplication with a real store (SQLite in a temporary file)
 * and a real CrmWindow shown on the display (Xvfb in CI). The test acts
 * through the app's own actions and public API, spins the main loop until
 * the effect is visible and checks the real state each time: the store,
 * the list model, the widgets.
 *
 *   a) empty database: welcome page; "win.load-sample" fills the list
 *   b) "win.new-lead" creates a lead and opens it
 *   c) typing title, volume and probability saves them; invalid input is
 *      refused with the reason and stores nothing
 *   d) a contact report ("lead.new-report") re-estimates the probability:
 *      report and logged change in the store and in the detail's history
 *   e) search (title and report text) and the footer sums
 *   f) next phase, won, delete and the toast's undo
 *   g) sorting by the Volume column sorts in SQL
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "crm-application.h"
#include "crm-lead-detail.h"
#include "crm-leads-view.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-report-dialog.h"
#include "crm-store.h"
#include "crm-ui-test.h"
#include "crm-window.h"

#define TIMEOUT_MS 30000   /* generous: CI machines can be slow and busy */

/* unique in the sample data; the report word is found only through FTS
 * over the reports */
#define LEAD_TITLE  "Zanzibar Turbine Retrofit"
#define REPORT_WORD "xylophonic"

static gboolean have_display;

typedef struct {
  CrmStore         *store;
  CrmApplication   *app;
  CrmWindow        *window;
  CrmLeadsView     *view;
  CrmLeadDetail    *detail;
  CrmLeadListModel *model;
  GtkStack         *main_stack;
  gint64            lead_id;
  guint             expected_rows;
  const char       *search;
  CrmReportDialog  *dialog;
  GtkButton        *undo_button;
} Scenario;

/* ---------------------------------------------------------- waiting */

typedef gboolean (*ConditionFunc) (Scenario *s);

/* Spins the default main context until @condition holds, at most
 * @timeout_ms. Returns whether it holds. */
static gboolean
wait_until (ConditionFunc  condition,
            Scenario      *s,
            guint          timeout_ms)
{
  return crm_ui_test_wait_until ((CrmUiTestCondition) condition, s, timeout_ms);
}

#define WAIT_UNTIL(condition, s) \
  G_STMT_START { \
    if (!wait_until ((condition), (s), TIMEOUT_MS)) \
      { \
        g_autofree char *_msg = g_strdup_printf ("timed out after %u ms waiting until %s", \
                                                 TIMEOUT_MS, #condition); \
        g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, _msg); \
      } \
  } G_STMT_END

/* ---------------------------------------------------------- helpers */

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
spin (void)
{
  crm_ui_test_spin ();
}

static CrmLead *
store_lead (Scenario *s)
{
  g_autoptr(GError) error = NULL;
  CrmLead *lead = crm_store_get_lead (s->store, s->lead_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lead);
  return lead;
}

static guint
count_all_leads (Scenario *s)
{
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = crm_store_query_lead_ids (s->store, filter, 0, NULL, &error);

  g_assert_no_error (error);
  return ids->len;
}

/* Through a query, which leaves deleted leads out. (crm_store_get_lead()
 * would answer with a live instance even after the lead was deleted.) */
static gboolean
store_has_lead (Scenario *s)
{
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = crm_store_query_lead_ids (s->store, filter, 0, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == s->lead_id)
      return TRUE;
  return FALSE;
}

static guint
model_n_items (Scenario *s)
{
  return g_list_model_get_n_items (G_LIST_MODEL (s->model));
}

static gboolean
model_has_lead (Scenario *s)
{
  return crm_lead_list_model_find (s->model, s->lead_id) != G_MAXUINT;
}

static gint64
detail_lead_id (Scenario *s)
{
  CrmLead *lead = crm_lead_detail_get_lead (s->detail);

  return lead != NULL ? crm_lead_get_id (lead) : 0;
}

static void
set_search (Scenario   *s,
            const char *text)
{
  s->search = text;
  crm_leads_view_set_search (s->view, text);
  g_assert_cmpstr (crm_lead_list_model_get_filter (s->model)->search, ==, *text ? text : NULL);
}

static void
activate (gpointer    widget,
          const char *action)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (widget), action, NULL))
    g_error ("action %s not found from %s", action, G_OBJECT_TYPE_NAME (widget));
}

/* All label texts below @widget, one per line. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static guint
history_n_rows (Scenario *s)
{
  GtkListBox *list = crm_lead_detail_get_history_list (s->detail);
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static GtkColumnViewColumn *
find_column (GtkColumnView *column_view,
             const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;   /* still owned by the column view */
    }

  return NULL;
}

/* ------------------------------------------------------- conditions */

static gboolean
window_mapped (Scenario *s)
{
  return gtk_widget_get_mapped (GTK_WIDGET (s->window));
}

static gboolean
welcome_page_shown (Scenario *s)
{
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (s->window), CRM_TYPE_WINDOW,
                                                                  "sample_button"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (s->main_stack), "welcome") == 0 &&
         gtk_widget_get_mapped (button);
}

static gboolean
sample_listed (Scenario *s)
{
  return !crm_lead_list_model_get_loading (s->model) && model_n_items (s) > 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (s->view));
}

static gboolean
lead_listed (Scenario *s)
{
  return !crm_lead_list_model_get_loading (s->model) && model_has_lead (s);
}

static gboolean
lead_not_listed (Scenario *s)
{
  return !crm_lead_list_model_get_loading (s->model) && !model_has_lead (s);
}

static gboolean
lead_listed_and_shown (Scenario *s)
{
  return lead_listed (s) && detail_lead_id (s) == s->lead_id;
}

static gboolean
report_dialog_open (Scenario *s)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  s->dialog = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CRM_IS_REPORT_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        s->dialog = CRM_REPORT_DIALOG (window);
    }

  return s->dialog != NULL;
}

static gboolean
report_dialog_closed (Scenario *s)
{
  return !report_dialog_open (s);
}

static gboolean
history_complete (Scenario *s)
{
  return history_n_rows (s) == s->expected_rows;
}

/* the model ran the query for the current search */
static gboolean
search_done (Scenario *s)
{
  return !crm_lead_list_model_get_loading (s->model) &&
         g_strcmp0 (crm_lead_list_model_get_filter (s->model)->search, *s->search ? s->search : NULL) == 0;
}

static gboolean
undo_button_shown (Scenario *s)
{
  GtkWidget *overlay = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (s->window), CRM_TYPE_WINDOW,
                                                                   "toast_overlay"));

  s->undo_button = crm_ui_test_find_button (overlay, "_Undo");
  return s->undo_button != NULL && gtk_widget_get_mapped (GTK_WIDGET (s->undo_button));
}

static gboolean
model_sorted_settled (Scenario *s)
{
  return !crm_lead_list_model_get_loading (s->model) && model_n_items (s) > 1;
}

/* The footer as the store's statistics engine figures it for the list's
 * current filter: "N leads | Volume … | Weighted …[ | + N currencies not
 * counted]" */
static char *
footer_from_stats (Scenario *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStats) stats = crm_store_query_stats (s->store, CRM_STATS_BY_STATUS,
                                                     crm_lead_list_model_get_filter (s->model),
                                                     CRM_MONTH_NONE, CRM_MONTH_NONE, NULL, &error);
  const CrmStatsRow *total;
  g_autofree char *absolute = NULL;
  g_autofree char *weighted = NULL;
  guint n = model_n_items (s);
  GString *text;

  g_assert_no_error (error);
  total = crm_stats_get_total (stats);
  absolute = crm_money_format (total->absolute_minor, crm_stats_get_currency (stats));
  weighted = crm_money_format (total->weighted_minor, crm_stats_get_currency (stats));
  text = g_string_new (NULL);
  g_string_append_printf (text, "%u %s | Volume %s | Weighted %s", n, n == 1 ? "lead" : "leads", absolute, weighted);
  if (crm_stats_get_n_unconverted (stats) == 1)
    g_string_append (text, " | + 1 currency not counted");
  else if (crm_stats_get_n_unconverted (stats) > 1)
    g_string_append_printf (text, " | + %u currencies not counted", crm_stats_get_n_unconverted (stats));
  return g_string_free (text, FALSE);
}

/* the footer shows the store's figures for what the list shows */
static gboolean
footer_matches_stats (Scenario *s)
{
  g_autofree char *footer = NULL;
  g_autofree char *expected = NULL;

  if (crm_lead_list_model_get_loading (s->model))
    return FALSE;
  footer = crm_leads_view_dup_footer_text (s->view);
  expected = footer_from_stats (s);
  return g_strcmp0 (footer, expected) == 0;
}

/* ------------------------------------------------------------ steps */

static void
step_a_welcome_and_sample (Scenario *s)
{
  g_autofree char *footer = NULL;
  g_autofree char *count = NULL;

  g_test_message ("a) welcome page, then sample data");

  g_assert_true (crm_store_is_empty (s->store));
  WAIT_UNTIL (welcome_page_shown, s);

  activate (s->window, "win.load-sample");
  g_assert_false (crm_store_is_empty (s->store));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (s->main_stack), ==, "content");

  WAIT_UNTIL (sample_listed, s);
  g_assert_false (crm_lead_list_model_get_loading (s->model));

  /* the default filter shows the open leads, in the footer too */
  {
    g_autoptr(GArray) ids = crm_store_query_lead_ids (s->store, crm_lead_list_model_get_filter (s->model),
                                                      0, NULL, NULL);

    g_assert_cmpuint (model_n_items (s), ==, ids->len);
    g_assert_cmpuint (model_n_items (s), <, count_all_leads (s));
  }
  footer = crm_leads_view_dup_footer_text (s->view);
  count = g_strdup_printf ("%u leads | ", model_n_items (s));
  g_assert_true (g_str_has_prefix (footer, count));
}

static void
step_b_new_lead (Scenario *s)
{
  g_autoptr(CrmLead) lead = NULL;
  guint before = count_all_leads (s);

  g_test_message ("b) win.new-lead");

  activate (s->window, "win.new-lead");

  g_assert_cmpuint (count_all_leads (s), ==, before + 1);
  s->lead_id = detail_lead_id (s);
  g_assert_cmpint (s->lead_id, >, 0);
  g_assert_true (crm_leads_view_get_selected_lead (s->view) == crm_lead_detail_get_lead (s->detail));

  lead = store_lead (s);
  g_assert_cmpstr (crm_lead_get_title (lead), ==, "New lead");
  g_assert_cmpint (crm_lead_get_status_class (lead), ==, CRM_STATUS_CLASS_OPEN);

  /* it shows up in the list and stays open in the detail */
  WAIT_UNTIL (lead_listed_and_shown, s);
}

static void
step_c_edit_fields (Scenario *s)
{
  g_autoptr(CrmLead) lead = NULL;
  const char *error;

  g_test_message ("c) edit title, volume, probability; invalid input refused");

  g_assert_true (crm_lead_detail_set_field_text (s->detail, "title", LEAD_TITLE));
  g_assert_true (crm_lead_detail_set_field_text (s->detail, "volume", "1234.56"));
  g_assert_true (crm_lead_detail_set_field_text (s->detail, "probability", "40"));
  g_assert_null (crm_lead_detail_get_field_error (s->detail, "title"));
  g_assert_null (crm_lead_detail_get_field_error (s->detail, "volume"));

  lead = store_lead (s);
  g_assert_cmpstr (crm_lead_get_title (lead), ==, LEAD_TITLE);
  g_assert_cmpstr (crm_lead_get_currency (lead), ==, "EUR");
  g_assert_cmpint (crm_lead_get_volume_minor (lead), ==, 123456);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 40);
  g_assert_cmpint (crm_lead_get_close_month (lead), ==, 0);

  /* a negative amount */
  g_assert_false (crm_lead_detail_set_field_text (s->detail, "volume", "-5"));
  error = crm_lead_detail_get_field_error (s->detail, "volume");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "negative"));
  g_assert_cmpint (crm_lead_get_volume_minor (lead), ==, 123456);

  /* grouping in the wrong places */
  g_assert_false (crm_lead_detail_set_field_text (s->detail, "volume", "12,34,5"));
  error = crm_lead_detail_get_field_error (s->detail, "volume");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "12,34,5"));
  g_assert_nonnull (strstr (error, "not an amount"));
  g_assert_cmpint (crm_lead_get_volume_minor (lead), ==, 123456);

  /* no month 13 */
  g_assert_false (crm_lead_detail_set_field_text (s->detail, "close_month", "2027-13"));
  error = crm_lead_detail_get_field_error (s->detail, "close_month");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "13"));
  g_assert_nonnull (strstr (error, "month"));
  g_assert_cmpint (crm_lead_get_close_month (lead), ==, 0);

  /* still stored as before, also when read back from the database */
  g_clear_object (&lead);
  lead = store_lead (s);
  g_assert_cmpint (crm_lead_get_volume_minor (lead), ==, 123456);
  g_assert_cmpint (crm_lead_get_close_month (lead), ==, 0);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 40);

  /* correcting the input clears the reason */
  g_assert_true (crm_lead_detail_set_field_text (s->detail, "volume", "1234.56"));
  g_assert_null (crm_lead_detail_get_field_error (s->detail, "volume"));
  g_assert_true (crm_lead_detail_set_field_text (s->detail, "close_month", "2027-03"));
  g_assert_null (crm_lead_detail_get_field_error (s->detail, "close_month"));
  {
    g_autofree char *iso = crm_month_to_iso (crm_lead_get_close_month (lead));

    g_assert_cmpstr (iso, ==, "2027-03");
  }
  g_assert_cmpint (crm_lead_get_volume_minor (lead), ==, 123456);

  /* the next follow-up: a real date, typed in either form */
  g_assert_false (crm_lead_detail_set_field_text (s->detail, "next_follow_up", "2026-02-30"));
  g_assert_nonnull (strstr (crm_lead_detail_get_field_error (s->detail, "next_follow_up"), "not a date"));
  g_assert_null (crm_lead_get_next_follow_up (lead));
  g_assert_true (crm_lead_detail_set_field_text (s->detail, "next_follow_up", "4.12.2026"));
  g_assert_null (crm_lead_detail_get_field_error (s->detail, "next_follow_up"));
  g_assert_cmpstr (crm_lead_get_next_follow_up (lead), ==, "2026-12-04");
  g_assert_true (crm_lead_detail_set_field_text (s->detail, "next_follow_up", ""));
  g_assert_null (crm_lead_get_next_follow_up (lead));
}

static guint
store_history_length (Scenario *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) history = crm_store_lead_history (s->store, s->lead_id, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (history);
}

static void
step_d_contact_report (Scenario *s)
{
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = NULL;
  gboolean seen_report = FALSE, seen_change = FALSE;
  gboolean row_report = FALSE, row_change = FALSE;
  GtkListBox *list;
  gint64 report_id;
  guint n_history;

  g_test_message ("d) a contact report re-estimates the probability");

  /* the history shows what the store has so far */
  s->expected_rows = store_history_length (s);
  g_assert_cmpuint (s->expected_rows, >, 0);
  WAIT_UNTIL (history_complete, s);

  activate (s->view, "lead.new-report");
  WAIT_UNTIL (report_dialog_open, s);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (s->dialog)) == GTK_WINDOW (s->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (s->dialog)));

  crm_report_dialog_fill (s->dialog, "Budget call",
                          "They liked the " REPORT_WORD " demo and want an offer", 65, NULL);
  report_id = crm_report_dialog_save (s->dialog);
  g_assert_cmpint (report_id, >, 0);
  gtk_window_close (GTK_WINDOW (s->dialog));
  WAIT_UNTIL (report_dialog_closed, s);

  /* the store: new probability, the report and the change it caused */
  lead = store_lead (s);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 65);
  g_assert_cmpint (crm_lead_get_last_activity (lead), >, 0);

  history = crm_store_lead_history (s->store, s->lead_id, &error);
  g_assert_no_error (error);
  n_history = g_list_model_get_n_items (history);
  g_assert_cmpuint (n_history, ==, s->expected_rows + 2);

  for (guint i = 0; i < n_history; i++)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i);

      if (crm_history_item_is_report (item))
        {
          g_assert_false (seen_report);
          seen_report = TRUE;
          g_assert_cmpint (crm_history_item_get_activity_id (item), ==, report_id);
          g_assert_cmpstr (crm_history_item_get_subject (item), ==, "Budget call");
          g_assert_nonnull (strstr (crm_history_item_get_text (item), REPORT_WORD));
          g_assert_cmpint (crm_history_item_get_probability (item), ==, 65);
          g_assert_cmpstr (crm_history_item_get_author (item), ==, "Scenario Tester");
        }
      else if (g_strcmp0 (crm_history_item_get_field (item), "probability") == 0 &&
               g_strcmp0 (crm_history_item_get_new_value (item), "65") == 0)
        {
          g_assert_false (seen_change);
          seen_change = TRUE;
          g_assert_cmpstr (crm_history_item_get_old_value (item), ==, "40");
          g_assert_cmpint (crm_history_item_get_activity_id (item), ==, report_id);
        }
    }
  g_assert_true (seen_report);
  g_assert_true (seen_change);

  /* the detail: the spin button and the history list follow */
  s->expected_rows = n_history;
  WAIT_UNTIL (history_complete, s);
  list = crm_lead_detail_get_history_list (s->detail);
  for (guint i = 0; i < s->expected_rows; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
      g_autoptr(GString) labels = g_string_new (NULL);

      collect_labels (GTK_WIDGET (row), labels);
      if (strstr (labels->str, REPORT_WORD) != NULL)
        {
          row_report = TRUE;
          g_assert_nonnull (strstr (labels->str, "Budget call"));
          g_assert_nonnull (strstr (labels->str, "65"));
        }
      else if (strstr (labels->str, "40") != NULL && strstr (labels->str, "65") != NULL)
        row_change = TRUE;
    }
  g_assert_true (row_report);
  g_assert_true (row_change);
}

static void
step_e_search_and_footer (Scenario *s)
{
  g_autofree char *volume = crm_money_format (123456, "EUR");
  g_autofree char *weighted = crm_money_format (crm_money_weighted (123456, 65), "EUR");
  g_autofree char *expected = g_strdup_printf ("1 lead | Volume %s | Weighted %s", volume, weighted);
  g_autofree char *expected_short = g_strdup_printf ("Volume %s", volume);
  g_autofree char *footer = NULL;
  GtkLabel *absolute_label;

  g_test_message ("e) search and footer sums");

  /* by title */
  set_search (s, LEAD_TITLE);
  WAIT_UNTIL (search_done, s);
  g_assert_cmpuint (model_n_items (s), ==, 1);
  g_assert_cmpuint (crm_lead_list_model_find (s->model, s->lead_id), ==, 0);
  WAIT_UNTIL (footer_matches_stats, s);
  footer = crm_leads_view_dup_footer_text (s->view);
  g_assert_cmpstr (footer, ==, expected);
  g_assert_cmpstr (volume, ==, "€1,234.56");
  absolute_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (s->view), CRM_TYPE_LEADS_VIEW,
                                                             "absolute_label"));
  g_assert_cmpstr (gtk_label_get_label (absolute_label), ==, expected_short);

  /* nothing matches */
  set_search (s, "qqqnomatchzz");
  WAIT_UNTIL (search_done, s);
  g_assert_cmpuint (model_n_items (s), ==, 0);
  WAIT_UNTIL (footer_matches_stats, s);
  g_clear_pointer (&footer, g_free);
  footer = crm_leads_view_dup_footer_text (s->view);
  g_assert_cmpstr (footer, ==, "0 leads | Volume €0.00 | Weighted €0.00");

  /* by a word only in the report's text: full-text search over reports */
  set_search (s, REPORT_WORD);
  WAIT_UNTIL (search_done, s);
  g_assert_cmpuint (model_n_items (s), ==, 1);
  g_assert_cmpuint (crm_lead_list_model_find (s->model, s->lead_id), ==, 0);
  WAIT_UNTIL (footer_matches_stats, s);
  g_clear_pointer (&footer, g_free);
  footer = crm_leads_view_dup_footer_text (s->view);
  g_assert_cmpstr (footer, ==, expected);
}

/* The footer's one converted total follows the filter and every edit,
 * and names the currencies it could not convert. */
static void
step_e2_footer_converted (Scenario *s)
{
  CrmFieldValue yen[] = { { "title", "Footer yen lead" }, { "volume_minor", "5000000" }, { "currency", "JPY" },
                          { "probability", "50" } };
  CrmFieldValue bigger[] = { { "volume_minor", "7000000" } };
  CrmFieldValue restore[] = { { "volume_minor", "123456" } };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *footer = NULL;
  GtkWidget *unconverted;
  gint64 id;

  g_test_message ("e2) footer: one converted total, live");

  /* all open leads (EUR, CHF, USD, GBP: all have rates) */
  set_search (s, "");
  WAIT_UNTIL (search_done, s);
  WAIT_UNTIL (footer_matches_stats, s);
  before = crm_leads_view_dup_footer_text (s->view);
  g_assert_null (strstr (before, "not counted"));
  g_assert_null (strstr (before, " + "));
  unconverted = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (s->view), CRM_TYPE_LEADS_VIEW,
                                                           "unconverted_label"));
  g_assert_false (gtk_widget_get_visible (unconverted));

  /* a lead in a currency without a rate: not in the sums, but said */
  id = crm_store_create_lead (s->store, yen, G_N_ELEMENTS (yen), &error);
  g_assert_no_error (error);
  WAIT_UNTIL (footer_matches_stats, s);
  footer = crm_leads_view_dup_footer_text (s->view);
  g_assert_true (g_str_has_suffix (footer, " | + 1 currency not counted"));
  g_assert_true (gtk_widget_get_visible (unconverted));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (unconverted), "1 lead in JPY"));

  /* an edit of a counted lead moves the total */
  g_clear_pointer (&footer, g_free);
  footer = crm_leads_view_dup_footer_text (s->view);
  g_assert_true (crm_store_update_lead (s->store, s->lead_id, bigger, G_N_ELEMENTS (bigger), &error));
  g_assert_no_error (error);
  WAIT_UNTIL (footer_matches_stats, s);
  {
    g_autofree char *after = crm_leads_view_dup_footer_text (s->view);

    g_assert_cmpstr (after, !=, footer);
  }

  /* a filter: only the leads it shows */
  set_search (s, "Footer yen");
  WAIT_UNTIL (search_done, s);
  WAIT_UNTIL (footer_matches_stats, s);
  g_clear_pointer (&footer, g_free);
  footer = crm_leads_view_dup_footer_text (s->view);
  g_assert_cmpstr (footer, ==, "1 lead | Volume €0.00 | Weighted €0.00 | + 1 currency not counted");

  /* as before, for the steps after this one */
  g_assert_true (crm_store_update_lead (s->store, s->lead_id, restore, G_N_ELEMENTS (restore), &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_delete_lead (s->store, id, &error));
  g_assert_no_error (error);
  set_search (s, "");
  WAIT_UNTIL (search_done, s);
  WAIT_UNTIL (footer_matches_stats, s);
}

static void
step_f_phase_won_delete_undo (Scenario *s)
{
  g_autoptr(CrmLead) lead = NULL;
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *phase_before = NULL;
  gboolean seen_phase = FALSE, seen_status = FALSE;

  g_test_message ("f) next phase, won, delete and undo");

  set_search (s, LEAD_TITLE);
  WAIT_UNTIL (search_done, s);
  g_assert_true (model_has_lead (s));
  g_assert_cmpint (detail_lead_id (s), ==, s->lead_id);

  /* next phase */
  lead = store_lead (s);
  phase_before = g_strdup (crm_lead_get_phase (lead));
  activate (s->view, "lead.next-phase");
  g_assert_cmpstr (crm_lead_get_phase (lead), !=, phase_before);
  g_clear_object (&lead);
  lead = store_lead (s);
  g_assert_cmpstr (crm_lead_get_phase (lead), !=, phase_before);

  /* won: status and probability 100; the open-leads list drops it, the
   * detail keeps showing it */
  activate (s->view, "lead.won");
  g_clear_object (&lead);
  lead = store_lead (s);
  g_assert_cmpint (crm_lead_get_status_class (lead), ==, CRM_STATUS_CLASS_WON);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 100);

  history = crm_store_lead_history (s->store, s->lead_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i);

      if (g_strcmp0 (crm_history_item_get_field (item), "phase") == 0 &&
          g_strcmp0 (crm_history_item_get_old_value (item), phase_before) == 0 &&
          g_strcmp0 (crm_history_item_get_new_value (item), crm_lead_get_phase (lead)) == 0)
        seen_phase = TRUE;
      if (g_strcmp0 (crm_history_item_get_field (item), "status") == 0 &&
          g_strcmp0 (crm_history_item_get_new_value (item), crm_lead_get_status (lead)) == 0)
        seen_status = TRUE;
    }
  g_assert_true (seen_phase);
  g_assert_true (seen_status);

  WAIT_UNTIL (lead_not_listed, s);
  g_assert_cmpint (detail_lead_id (s), ==, s->lead_id);

  /* showing it widens the filters */
  crm_leads_view_show_lead (s->view, s->lead_id);
  WAIT_UNTIL (lead_listed_and_shown, s);

  /* delete: gone from the store, the list and the detail */
  g_assert_true (store_has_lead (s));
  activate (s->view, "lead.delete");
  g_assert_false (store_has_lead (s));
  WAIT_UNTIL (lead_not_listed, s);
  g_assert_cmpint (detail_lead_id (s), ==, 0);

  /* the toast's Undo brings it back, selected */
  WAIT_UNTIL (undo_button_shown, s);
  g_signal_emit_by_name (s->undo_button, "clicked");
  g_assert_true (store_has_lead (s));
  g_clear_object (&lead);
  lead = store_lead (s);
  g_assert_cmpstr (crm_lead_get_title (lead), ==, LEAD_TITLE);
  g_assert_cmpint (crm_lead_get_status_class (lead), ==, CRM_STATUS_CLASS_WON);
  WAIT_UNTIL (lead_listed_and_shown, s);
}

static void
check_volume_order (Scenario *s,
                    gboolean  descending)
{
  gint64 previous = descending ? G_MAXINT64 : G_MININT64;
  guint n = model_n_items (s);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmLead) lead = g_list_model_get_item (G_LIST_MODEL (s->model), i);
      gint64 volume = crm_lead_get_volume_minor (lead);

      if (descending)
        g_assert_cmpint (volume, <=, previous);
      else
        g_assert_cmpint (volume, >=, previous);
      previous = volume;
    }
}

static void
step_g_sort_by_volume (Scenario *s)
{
  GtkColumnView *column_view = GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (s->view),
                                                                              CRM_TYPE_LEADS_VIEW,
                                                                              "column_view"));
  GtkColumnViewColumn *volume = find_column (column_view, "Volume");
  GSettings *settings = crm_application_get_settings (s->app);
  const CrmLeadFilter *filter;
  g_autofree char *sort_column = NULL;

  g_test_message ("g) sort by the Volume column");

  g_assert_nonnull (volume);
  set_search (s, "");
  WAIT_UNTIL (search_done, s);
  g_assert_cmpuint (model_n_items (s), >, 100);

  gtk_column_view_sort_by_column (column_view, volume, GTK_SORT_DESCENDING);
  filter = crm_lead_list_model_get_filter (s->model);
  g_assert_cmpint (filter->sort, ==, CRM_LEAD_SORT_VOLUME);
  g_assert_true (filter->descending);
  WAIT_UNTIL (model_sorted_settled, s);
  check_volume_order (s, TRUE);

  sort_column = g_settings_get_string (settings, "sort-column");
  g_assert_cmpstr (sort_column, ==, "volume");
  g_assert_true (g_settings_get_boolean (settings, "sort-descending"));

  gtk_column_view_sort_by_column (column_view, volume, GTK_SORT_ASCENDING);
  filter = crm_lead_list_model_get_filter (s->model);
  g_assert_cmpint (filter->sort, ==, CRM_LEAD_SORT_VOLUME);
  g_assert_false (filter->descending);
  WAIT_UNTIL (model_sorted_settled, s);
  check_volume_order (s, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "sort-descending"));
}

/* ------------------------------------------------------------- test */

static void
test_scenario (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Scenario s = { 0 };

  if (skip_without_display ())
    return;

  path = g_build_filename (crm_ui_test_tmp_dir (), "scenario.db", NULL);
  s.store = crm_store_open (path, &error);
  g_assert_no_error (error);
  crm_store_set_author (s.store, "Scenario Tester");

  s.app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (s.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (s.app), NULL, &error));
  g_assert_no_error (error);
  crm_application_set_store (s.app, s.store);
  g_application_activate (G_APPLICATION (s.app));

  s.window = CRM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (s.app)));
  g_assert_true (CRM_IS_WINDOW (s.window));
  s.view = crm_window_get_leads_view (s.window);
  s.detail = crm_leads_view_get_detail (s.view);
  s.model = crm_leads_view_get_model (s.view);
  s.main_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (s.window), CRM_TYPE_WINDOW, "main_stack"));
  g_assert_nonnull (s.model);
  g_assert_true (crm_lead_list_model_get_store (s.model) == s.store);
  WAIT_UNTIL (window_mapped, &s);

  step_a_welcome_and_sample (&s);
  step_b_new_lead (&s);
  step_c_edit_fields (&s);
  step_d_contact_report (&s);
  step_e_search_and_footer (&s);
  step_e2_footer_converted (&s);
  step_f_phase_won_delete_undo (&s);
  step_g_sort_by_volume (&s);

  gtk_window_destroy (GTK_WINDOW (s.window));
  spin ();
  g_clear_object (&s.app);
  g_clear_object (&s.store);
}

/* ------------------------------------------------------------- main */

int
main (int   argc,
      char *argv[])
{
  have_display = crm_ui_test_init (&argc, &argv, "test-scenario");

  g_test_add_func ("/ui/scenario/issue", test_scenario);

  return crm_ui_test_run ();
}
