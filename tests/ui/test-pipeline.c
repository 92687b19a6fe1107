/* test-pipeline.c: the Pipeline board through the real GUI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real CrmApplication and CrmWindow on a real store (SQLite in a
 * temporary file), the board shown on the display (Xvfb in CI). Leads are
 * made through the store; the board is driven through its actions and
 * crm_pipeline_view_move_lead (), the function a drop on a column calls;
 * the dialog is answered through its responses. Each step checks the
 * store (phase, probability, history), the setting and the widgets
 * (column counts and sums, focus, stale marks).
 */
#include "config.h"

#include <string.h>

#include "crm-application.h"
#include "crm-core-error.h"
#include "crm-lead-detail.h"
#include "crm-leads-view.h"
#include "crm-money.h"
#include "crm-pipeline-preferences.h"
#include "crm-pipeline-view.h"
#include "crm-preferences-window.h"
#include "crm-store.h"
#include "crm-ui-test.h"
#include "crm-window.h"

#define TIMEOUT_MS 30000
#define DAY        (24 * 60 * 60)

static gboolean have_display;

typedef struct {
  CrmStore         *store;
  CrmApplication   *app;
  CrmWindow        *window;
  CrmPipelineView  *view;
  GSettings        *settings;
  gint64            alpha, bravo, charlie, old, fresh;
  const char       *phase;       /* for conditions */
  guint             count;
  gint64            lead;
  gint64            usd_rate_micros;
} Board;

/* ---------------------------------------------------------- waiting */


#define WAIT_UNTIL(condition, b) \
  G_STMT_START { \
    if (!crm_ui_test_wait_until ((CrmUiTestCondition) (condition), (b), TIMEOUT_MS)) \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                           "timed out waiting until " #condition); \
  } G_STMT_END

#define spin crm_ui_test_spin

/* ---------------------------------------------------------- helpers */

static gint64
make_lead (Board      *b,
           const char *title,
           const char *phase,
           const char *probability,
           const char *volume_minor,
           const char *close_month)
{
  g_autoptr(GError) error = NULL;
  CrmFieldValue values[] = {
    { "title", title },
    { "phase", phase },
    { "volume_minor", volume_minor },
    { "currency", "EUR" },
    { "close_month", close_month },
    { "probability", probability },
  };
  gint64 id = crm_store_create_lead (b->store, values, probability != NULL ? 6 : 5, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static CrmLead *
lead (Board  *b,
      gint64  id)
{
  g_autoptr(GError) error = NULL;
  CrmLead *l = crm_store_get_lead (b->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (l);
  return l;   /* full reference */
}

static CrmPipelineColumn *
column (Board      *b,
        const char *phase)
{
  CrmPipelineColumn *c = crm_pipeline_view_find_column (b->view, phase);

  g_assert_nonnull (c);
  return c;
}

static guint
column_count (Board      *b,
              const char *phase)
{
  return g_list_model_get_n_items (G_LIST_MODEL (crm_pipeline_column_get_model (column (b, phase))));
}

static AdwMessageDialog *
open_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

typedef struct {
  CrmPipelineColumn *column;
  char              *expected[3];
} HeaderWait;

static gboolean
header_shows (gpointer data)
{
  HeaderWait *w = data;
  g_autofree char *header = crm_pipeline_column_dup_header_text (w->column);

  for (guint i = 0; i < G_N_ELEMENTS (w->expected); i++)
    if (strstr (header, w->expected[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* The header shows the count and the sums of exactly the store's open
 * leads of the phase (that the board's filters let through), added up
 * here independently: in EUR, the company currency, USD converted with
 * the rate the test set (b->usd_rate_micros; 0: none, then USD leads are
 * counted but in no sum). The sums come asynchronously: waited for. */
static void
assert_column_figures (Board      *b,
                       const char *phase)
{
  /* the column's filter (the Leads view's filters, the phase, open) */
  g_autoptr(CrmLeadFilter) filter =
    crm_lead_filter_copy (crm_lead_list_model_get_filter (crm_pipeline_column_get_model (column (b, phase))));
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *header = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *weighted = NULL;
  HeaderWait w = { column (b, phase), { NULL, } };
  gint64 sum = 0, weighted_sum = 0;

  g_assert_cmpint (filter->status_class, ==, CRM_STATUS_FILTER_OPEN);
  g_assert_cmpstr (filter->phase, ==, phase);
  ids = crm_store_query_lead_ids (b->store, filter, 0, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CrmLead) l = lead (b, g_array_index (ids, gint64, i));
      gint64 volume = crm_lead_get_volume_minor (l);

      if (g_strcmp0 (crm_lead_get_currency (l), "USD") == 0)
        {
          if (b->usd_rate_micros == 0)
            continue;
          /* the test's rates and volumes convert exactly */
          g_assert_cmpint ((volume * b->usd_rate_micros) % 1000000, ==, 0);
          volume = volume * b->usd_rate_micros / 1000000;
        }
      else
        g_assert_cmpstr (crm_lead_get_currency (l), ==, "EUR");

      sum += volume;
      weighted_sum += volume * crm_lead_get_probability (l);
    }
  /* whole euros: the weighted sum needs no rounding */
  g_assert_cmpint (weighted_sum % 100, ==, 0);

  absolute = crm_money_format (sum, "EUR");
  weighted = crm_money_format (weighted_sum / 100, "EUR");
  w.expected[0] = g_strdup_printf ("| %u |", ids->len);
  w.expected[1] = g_strdup_printf ("Volume %s", absolute);
  w.expected[2] = g_strdup_printf ("Weighted %s", weighted);

  crm_ui_test_wait_until (header_shows, &w, TIMEOUT_MS);
  header = crm_pipeline_column_dup_header_text (column (b, phase));
  g_test_message ("%s: %s", phase, header);
  for (guint i = 0; i < G_N_ELEMENTS (w.expected); i++)
    {
      if (strstr (header, w.expected[i]) == NULL)
        g_error ("%s: “%s” shows no “%s”", phase, header, w.expected[i]);
      g_free (w.expected[i]);
    }
}

static gboolean
has_phase_event (Board      *b,
                 gint64      id,
                 const char *from,
                 const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) history = crm_store_lead_history (b->store, id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i);

      if (g_strcmp0 (crm_history_item_get_field (item), "phase") == 0 &&
          g_strcmp0 (crm_history_item_get_old_value (item), from) == 0 &&
          g_strcmp0 (crm_history_item_get_new_value (item), to) == 0 &&
          g_strcmp0 (crm_history_item_get_author (item), "Pipeline Tester") == 0)
        return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------- conditions */

static gboolean
window_mapped (Board *b)
{
  return gtk_widget_get_mapped (GTK_WIDGET (b->window));
}

static gboolean
board_loaded (Board *b)
{
  return gtk_widget_get_mapped (GTK_WIDGET (b->view)) &&
         crm_pipeline_view_get_n_columns (b->view) > 0 &&
         !crm_pipeline_view_get_loading (b->view);
}

static gboolean
column_has_count (Board *b)
{
  return !crm_pipeline_view_get_loading (b->view) && column_count (b, b->phase) == b->count;
}

static gboolean
column_focuses_lead (Board *b)
{
  CrmPipelineColumn *c = column (b, b->phase);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (b->window));

  return crm_pipeline_column_get_focus_lead (c) == b->lead &&
         focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (crm_pipeline_column_get_list_view (c)));
}

static gboolean
dialog_open (Board *b)
{
  return open_dialog () != NULL;
}

static gboolean
undo_shown (Board *b)
{
  GtkButton *undo = crm_ui_test_find_button (GTK_WIDGET (b->window), "_Undo");

  return undo != NULL && gtk_widget_get_mapped (GTK_WIDGET (undo));
}

static gboolean
dialog_closed (Board *b)
{
  return open_dialog () == NULL;
}

static gboolean
card_built (Board *b)
{
  return crm_pipeline_column_find_card (column (b, b->phase), b->lead) != NULL;
}

static gboolean
lead_view_shows_lead (Board *b)
{
  CrmLeadsView *leads = crm_window_get_leads_view (b->window);
  CrmLead *shown = crm_leads_view_get_selected_lead (leads);

  return gtk_widget_get_mapped (GTK_WIDGET (leads)) && shown != NULL && crm_lead_get_id (shown) == b->lead;
}

/* ------------------------------------------------------------ steps */

/* One column per active phase, in phase order, with their figures */
static void
step_columns (Board *b)
{
  g_autoptr(GListModel) phases = crm_store_list_key_values (b->store, "phase", FALSE);

  g_assert_cmpuint (crm_pipeline_view_get_n_columns (b->view), ==, g_list_model_get_n_items (phases));
  for (guint i = 0; i < g_list_model_get_n_items (phases); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (phases, i);
      CrmPipelineColumn *c = crm_pipeline_view_get_column (b->view, i);

      g_assert_cmpstr (crm_key_value_get_key (crm_pipeline_column_get_phase (c)), ==, crm_key_value_get_key (kv));
      assert_column_figures (b, crm_key_value_get_key (kv));
    }

  g_assert_cmpuint (column_count (b, "qualification"), ==, 3);
  /* sorted by close month: Charlie (2027-01) before Alpha (2027-02) before Bravo (2027-03) */
  g_assert_cmpint (crm_lead_list_model_get_id (crm_pipeline_column_get_model (column (b, "qualification")), 0), ==, b->charlie);
  g_assert_cmpint (crm_lead_list_model_get_id (crm_pipeline_column_get_model (column (b, "qualification")), 1), ==, b->alpha);
  g_assert_cmpint (crm_lead_list_model_get_id (crm_pipeline_column_get_model (column (b, "qualification")), 2), ==, b->bravo);
}

/* The keyboard: Alpha (the phase's default probability) moves right and
 * left without a question, follows the new phase's default, and keeps
 * the focus. */
static void
step_keyboard (Board *b)
{
  g_autoptr(CrmLead) alpha = lead (b, b->alpha);

  crm_pipeline_column_focus_lead (column (b, "qualification"), b->alpha);
  b->phase = "qualification";
  b->lead = b->alpha;
  WAIT_UNTIL (column_focuses_lead, b);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b->view), "pipeline.move-right", NULL));
  spin ();
  g_assert_null (open_dialog ());
  g_assert_cmpstr (crm_lead_get_phase (alpha), ==, "needs_analysis");
  g_assert_cmpint (crm_lead_get_probability (alpha), ==, 30);
  g_assert_true (has_phase_event (b, b->alpha, "qualification", "needs_analysis"));

  b->phase = "needs_analysis";
  b->count = 1;
  WAIT_UNTIL (column_has_count, b);
  WAIT_UNTIL (column_focuses_lead, b);
  /* one selected card on the board: the focused one */
  g_assert_cmpint (crm_pipeline_column_get_focus_lead (column (b, "qualification")), ==, 0);
  b->phase = "qualification";
  b->count = 2;
  WAIT_UNTIL (column_has_count, b);
  assert_column_figures (b, "qualification");
  assert_column_figures (b, "needs_analysis");

  /* and back, with the key binding's action on the focused card */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b->view), "pipeline.move-left", NULL));
  spin ();
  g_assert_cmpstr (crm_lead_get_phase (alpha), ==, "qualification");
  g_assert_cmpint (crm_lead_get_probability (alpha), ==, 20);
  g_assert_true (has_phase_event (b, b->alpha, "needs_analysis", "qualification"));
  b->count = 3;
  WAIT_UNTIL (column_has_count, b);
  b->phase = "qualification";
  b->lead = b->alpha;
  WAIT_UNTIL (column_focuses_lead, b);
  assert_column_figures (b, "qualification");
  assert_column_figures (b, "needs_analysis");

  /* a move offers Undo: back where it was, logged too */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b->view), "pipeline.move-right", NULL));
  spin ();
  g_assert_cmpstr (crm_lead_get_phase (alpha), ==, "needs_analysis");
  WAIT_UNTIL (undo_shown, b);
  g_signal_emit_by_name (crm_ui_test_find_button (GTK_WIDGET (b->window), "_Undo"), "clicked");
  spin ();
  g_assert_cmpstr (crm_lead_get_phase (alpha), ==, "qualification");
  g_assert_cmpint (crm_lead_get_probability (alpha), ==, 20);
  b->count = 3;
  WAIT_UNTIL (column_has_count, b);
  WAIT_UNTIL (column_focuses_lead, b);
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
        return controller;   /* still owned by the widget */
    }

  return NULL;
}

/* A drag from the card of @id in @from, dropped on the column of @to,
 * through the card's GtkDragSource and the column's GtkDropTarget (no
 * pointer: GTK 4.8 under Xvfb has no drag without a real pointer). */
static void
drag_and_drop (Board      *b,
               gint64      id,
               const char *from,
               const char *to)
{
  g_autoptr(GdkContentProvider) content = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  CrmPipelineCard *card;
  GtkDragSource *source;
  GtkDropTarget *target;
  gboolean accepted = FALSE;

  b->phase = from;
  b->lead = id;
  WAIT_UNTIL (card_built, b);
  card = crm_pipeline_column_find_card (column (b, from), id);
  source = find_controller (GTK_WIDGET (card), GTK_TYPE_DRAG_SOURCE);
  g_assert_nonnull (source);
  g_assert_cmpint (gtk_drag_source_get_actions (source), ==, GDK_ACTION_MOVE);
  g_signal_emit_by_name (source, "prepare", 10.0, 10.0, &content);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_INT64);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_value_get_int64 (&value), ==, id);

  target = find_controller (GTK_WIDGET (column (b, to)), GTK_TYPE_DROP_TARGET);
  g_assert_nonnull (target);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
}

/* Answers the open dialog with @response, "Don't ask again" as given. */
static void
answer (Board      *b,
        const char *keep_label,
        const char *default_label,
        const char *response,
        gboolean    remember)
{
  AdwMessageDialog *dialog;
  GtkWidget *button;

  WAIT_UNTIL (dialog_open, b);
  dialog = open_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "keep"), ==, keep_label);
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "default"), ==, default_label);
  g_assert_true (GTK_IS_CHECK_BUTTON (adw_message_dialog_get_extra_child (dialog)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (adw_message_dialog_get_extra_child (dialog)), remember);
  /* as the user does: the response's button */
  button = GTK_WIDGET (crm_ui_test_find_button (GTK_WIDGET (dialog),
                                                adw_message_dialog_get_response_label (dialog, response)));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));
  WAIT_UNTIL (dialog_closed, b);
}

/* The drop path: a lead with a probability of its own asks once. */
static void
step_drop_keep (Board *b)
{
  g_autoptr(CrmLead) bravo = lead (b, b->bravo);
  g_autoptr(CrmLead) charlie = lead (b, b->charlie);
  g_autofree char *choice = NULL;

  /* dropped, and cancelled: nothing changes */
  drag_and_drop (b, b->bravo, "qualification", "proposal");
  answer (b, "_Keep 40 %", "_Use 50 %", "cancel", TRUE);
  g_assert_cmpstr (crm_lead_get_phase (bravo), ==, "qualification");
  g_assert_false (has_phase_event (b, b->bravo, "qualification", "proposal"));
  choice = g_settings_get_string (b->settings, "pipeline-probability");
  g_assert_cmpstr (choice, ==, "ask");
  g_clear_pointer (&choice, g_free);

  /* keep, and don't ask again */
  crm_pipeline_view_move_lead (b->view, b->bravo, "proposal");
  answer (b, "_Keep 40 %", "_Use 50 %", "keep", TRUE);
  g_assert_cmpstr (crm_lead_get_phase (bravo), ==, "proposal");
  g_assert_cmpint (crm_lead_get_probability (bravo), ==, 40);
  g_assert_true (has_phase_event (b, b->bravo, "qualification", "proposal"));
  choice = g_settings_get_string (b->settings, "pipeline-probability");
  g_assert_cmpstr (choice, ==, "keep");
  g_clear_pointer (&choice, g_free);

  /* asked once: Charlie (35 %), dropped, moves without a question and keeps it */
  drag_and_drop (b, b->charlie, "qualification", "proposal");
  spin ();
  g_assert_null (open_dialog ());
  g_assert_cmpstr (crm_lead_get_phase (charlie), ==, "proposal");
  g_assert_cmpint (crm_lead_get_probability (charlie), ==, 35);
  g_assert_true (has_phase_event (b, b->charlie, "qualification", "proposal"));

  b->phase = "proposal";
  b->count = 2;
  WAIT_UNTIL (column_has_count, b);
  b->lead = b->charlie;
  WAIT_UNTIL (column_focuses_lead, b);
  b->phase = "qualification";
  b->count = 1;
  WAIT_UNTIL (column_has_count, b);
  assert_column_figures (b, "proposal");
  assert_column_figures (b, "qualification");
}

/* The other answer: the new phase's default, first once, then for good */
static void
step_drop_default (Board *b)
{
  g_autoptr(CrmLead) bravo = lead (b, b->bravo);
  g_autoptr(CrmLead) charlie = lead (b, b->charlie);
  g_autofree char *choice = NULL;

  g_settings_set_string (b->settings, "pipeline-probability", "ask");

  crm_pipeline_view_move_lead (b->view, b->charlie, "negotiation");
  answer (b, "_Keep 35 %", "_Use 70 %", "default", FALSE);
  g_assert_cmpstr (crm_lead_get_phase (charlie), ==, "negotiation");
  g_assert_cmpint (crm_lead_get_probability (charlie), ==, 70);
  choice = g_settings_get_string (b->settings, "pipeline-probability");
  g_assert_cmpstr (choice, ==, "ask");
  g_clear_pointer (&choice, g_free);

  /* not remembered: asked again */
  crm_pipeline_view_move_lead (b->view, b->bravo, "negotiation");
  answer (b, "_Keep 40 %", "_Use 70 %", "default", TRUE);
  g_assert_cmpint (crm_lead_get_probability (bravo), ==, 70);
  choice = g_settings_get_string (b->settings, "pipeline-probability");
  g_assert_cmpstr (choice, ==, "phase-default");
  g_clear_pointer (&choice, g_free);

  /* remembered: Bravo at 45 % (its own again) takes the default of Decision */
  {
    g_autoptr(GError) error = NULL;
    CrmFieldValue p = { "probability", "45" };

    g_assert_true (crm_store_update_lead (b->store, b->bravo, &p, 1, &error));
    g_assert_no_error (error);
  }
  crm_pipeline_view_move_lead (b->view, b->bravo, "decision");
  spin ();
  g_assert_null (open_dialog ());
  g_assert_cmpstr (crm_lead_get_phase (bravo), ==, "decision");
  g_assert_cmpint (crm_lead_get_probability (bravo), ==, 90);
  g_assert_true (has_phase_event (b, b->bravo, "negotiation", "decision"));

  b->phase = "decision";
  b->count = 1;
  WAIT_UNTIL (column_has_count, b);
  b->phase = "negotiation";
  WAIT_UNTIL (column_has_count, b);
  b->phase = "proposal";
  b->count = 0;
  WAIT_UNTIL (column_has_count, b);
  assert_column_figures (b, "decision");
  assert_column_figures (b, "negotiation");
  assert_column_figures (b, "proposal");

  /* an empty column says so, and how to fill it */
  {
    GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (column (b, "proposal")),
                                                                CRM_TYPE_PIPELINE_COLUMN, "stack"));

    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
    stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (column (b, "decision")),
                                                      CRM_TYPE_PIPELINE_COLUMN, "stack"));
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  }
}

/* A lead 40 days without a contact report is marked in "Lead" (30 days);
 * one with a report 5 days ago is not; the mark follows the setting. */
static void
step_stale (Board *b)
{
  g_autoptr(CrmKeyValue) phase = NULL;
  g_autoptr(GError) error = NULL;
  CrmPipelineCard *old, *fresh;
  GtkWindow *prefs;
  GtkSpinButton *spin_button;
  CrmPipelinePreferences *page;

  phase = g_object_ref (crm_store_lookup_key_value (b->store, "phase", "lead"));
  g_assert_cmpint (crm_key_value_get_stale_days (phase), ==, 30);

  b->phase = "lead";
  b->lead = b->old;
  WAIT_UNTIL (card_built, b);
  b->lead = b->fresh;
  WAIT_UNTIL (card_built, b);

  old = crm_pipeline_column_find_card (column (b, "lead"), b->old);
  fresh = crm_pipeline_column_find_card (column (b, "lead"), b->fresh);
  g_assert_true (crm_pipeline_card_get_stale (old));
  g_assert_cmpstr (crm_pipeline_card_get_stale_text (old), ==, "No contact report for 40 days");
  g_assert_false (crm_pipeline_card_get_stale (fresh));
  g_assert_null (crm_pipeline_card_get_stale_text (fresh));

  /* Preferences: 45 days for "Lead", through the page's spin button */
  prefs = crm_preferences_window_new (b->store, GTK_WINDOW (b->window));
  gtk_window_present (prefs);
  spin ();
  page = CRM_PIPELINE_PREFERENCES (gtk_widget_get_template_child (GTK_WIDGET (prefs), CRM_TYPE_PREFERENCES_WINDOW,
                                                                  "pipeline_page"));
  spin_button = crm_pipeline_preferences_get_stale_spin (page, "lead");
  g_assert_nonnull (spin_button);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_button), ==, 30);
  gtk_spin_button_set_value (spin_button, 45);
  spin ();
  g_assert_cmpint (crm_key_value_get_stale_days (crm_store_lookup_key_value (b->store, "phase", "lead")), ==, 45);
  gtk_window_destroy (prefs);
  spin ();

  /* the card follows at once */
  WAIT_UNTIL (card_built, b);
  old = crm_pipeline_column_find_card (column (b, "lead"), b->old);
  g_assert_false (crm_pipeline_card_get_stale (old));

  /* refused: a status has no stale days, and nothing changes */
  g_assert_false (crm_store_set_key_value_stale_days (b->store,
                                                      crm_key_value_get_id (crm_store_lookup_key_value (b->store, "status", "open")),
                                                      10, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_store_set_key_value_stale_days (b->store, crm_key_value_get_id (phase), -1, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“-1”"));
  g_clear_error (&error);
  g_assert_cmpint (crm_key_value_get_stale_days (crm_store_lookup_key_value (b->store, "phase", "lead")), ==, 45);

  /* 35 days: marked again */
  g_assert_true (crm_store_set_key_value_stale_days (b->store, crm_key_value_get_id (phase), 35, &error));
  g_assert_no_error (error);
  spin ();
  old = crm_pipeline_column_find_card (column (b, "lead"), b->old);
  g_assert_nonnull (old);
  g_assert_true (crm_pipeline_card_get_stale (old));
}

/* Enter (the list's activation) opens the lead in the Leads view */
static void
step_open (Board *b)
{
  crm_pipeline_column_focus_lead (column (b, "qualification"), b->alpha);
  b->phase = "qualification";
  b->lead = b->alpha;
  WAIT_UNTIL (column_focuses_lead, b);

  /* Left: the card at the same height in the column before (clamped),
   * the only selected card of the board */
  {
    CrmLeadListModel *leads = crm_pipeline_column_get_model (column (b, "lead"));
    guint position = crm_lead_list_model_find (crm_pipeline_column_get_model (column (b, "qualification")), b->alpha);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b->view), "pipeline.focus-left", NULL));
    b->phase = "lead";
    b->lead = crm_lead_list_model_get_id (leads, MIN (position, g_list_model_get_n_items (G_LIST_MODEL (leads)) - 1));
    WAIT_UNTIL (column_focuses_lead, b);
    g_assert_cmpint (crm_pipeline_column_get_focus_lead (column (b, "qualification")), ==, 0);

    /* and back with Right */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b->view), "pipeline.focus-right", NULL));
    b->phase = "qualification";
    b->lead = crm_lead_list_model_get_id (crm_pipeline_column_get_model (column (b, "qualification")),
                                          MIN (crm_lead_list_model_find (leads, b->lead),
                                               column_count (b, "qualification") - 1));
    WAIT_UNTIL (column_focuses_lead, b);
    g_assert_cmpint (crm_pipeline_column_get_focus_lead (column (b, "lead")), ==, 0);
  }

  crm_pipeline_column_focus_lead (column (b, "qualification"), b->alpha);
  b->lead = b->alpha;
  WAIT_UNTIL (column_focuses_lead, b);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b->view), "pipeline.open", NULL));
  WAIT_UNTIL (lead_view_shows_lead, b);
}

static gboolean
filter_applied (Board *b)
{
  GtkRevealer *bar = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (b->view), CRM_TYPE_PIPELINE_VIEW,
                                                                  "filter_revealer"));

  return column_has_count (b) && gtk_revealer_get_reveal_child (bar) == (b->lead != 0);
}

/* The board follows the Leads view's filters (here: the owner), and
 * applies them when it is shown again */
static void
step_filters (Board *b)
{
  CrmLeadsView *leads = crm_window_get_leads_view (b->window);
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  g_autoptr(GError) error = NULL;
  CrmFieldValue owner = { "owner", "Ann" };
  guint before = column_count (b, "lead");

  g_assert_true (crm_store_update_lead (b->store, b->old, &owner, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (before, >, 1);

  filter->status_class = CRM_STATUS_FILTER_OPEN;
  filter->owner = g_strdup ("Ann");
  crm_leads_view_set_filter (leads, filter);
  spin ();
  /* the board is not on screen: nothing queried yet */
  g_assert_null (crm_lead_list_model_get_filter (crm_pipeline_column_get_model (column (b, "lead")))->owner);

  /* nor after an edit: the columns are paused */
  g_assert_true (crm_lead_list_model_get_paused (crm_pipeline_column_get_model (column (b, "lead"))));
  {
    CrmFieldValue title = { "title", "Old, renamed" };

    g_assert_true (crm_store_update_lead (b->store, b->old, &title, 1, &error));
    g_assert_no_error (error);
    spin ();
    g_assert_false (crm_pipeline_view_get_loading (b->view));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b->window), "win.show-view", "s", "pipeline"));
  g_assert_false (crm_lead_list_model_get_paused (crm_pipeline_column_get_model (column (b, "lead"))));
  b->phase = "lead";
  b->count = 1;
  b->lead = 1;   /* the bar says the board is filtered */
  WAIT_UNTIL (filter_applied, b);
  g_assert_cmpint (crm_lead_list_model_get_id (crm_pipeline_column_get_model (column (b, "lead")), 0), ==, b->old);
  b->phase = "qualification";
  b->count = 0;
  WAIT_UNTIL (filter_applied, b);
  assert_column_figures (b, "qualification");

  /* all owners again, while the board is shown */
  g_clear_pointer (&filter->owner, g_free);
  crm_leads_view_set_filter (leads, filter);
  b->phase = "lead";
  b->count = before;
  b->lead = 0;
  WAIT_UNTIL (filter_applied, b);
  assert_column_figures (b, "lead");
}

static gboolean
header_tooltip_mentions_usd (Board *b)
{
  GtkWidget *header = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (column (b, "proposal")),
                                                                 CRM_TYPE_PIPELINE_COLUMN, "header"));
  const char *tooltip = gtk_widget_get_tooltip_text (header);

  return tooltip != NULL && strstr (tooltip, "\nNot counted, no exchange rate: 1 lead in USD (") != NULL;
}

/* The sums are in the company currency: a lead in USD is in no sum while
 * USD has no rate (the tooltip says so), and converted once it has one */
static void
step_currency (Board *b)
{
  g_autoptr(GError) error = NULL;
  CrmFieldValue values[] = {
    { "title", "Dollar" },
    { "phase", "proposal" },
    { "volume_minor", "100000" },
    { "currency", "USD" },
  };
  gint64 id = crm_store_create_lead (b->store, values, G_N_ELEMENTS (values), &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  b->phase = "proposal";
  b->count = 1;
  WAIT_UNTIL (column_has_count, b);
  b->usd_rate_micros = 0;
  assert_column_figures (b, "proposal");
  WAIT_UNTIL (header_tooltip_mentions_usd, b);

  g_assert_true (crm_store_set_rate (b->store, "USD", 900000, &error));
  g_assert_no_error (error);
  b->usd_rate_micros = 900000;
  assert_column_figures (b, "proposal");
  g_assert_false (header_tooltip_mentions_usd (b));
}

/* ------------------------------------------------------------- test */

static void
test_pipeline (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Board b = { 0 };

  if (!have_display)
    {
      g_test_skip ("no display: run under xvfb-run (gtk_init_check() failed)");
      return;
    }

  path = g_build_filename (crm_ui_test_tmp_dir (), "pipeline.db", NULL);
  b.store = crm_store_open (path, &error);
  g_assert_no_error (error);
  crm_store_set_author (b.store, "Pipeline Tester");

  /* Qualification's default is 20 %: Alpha has it, Bravo and Charlie their own */
  b.alpha = make_lead (&b, "Alpha", "qualification", NULL, "100000", "2027-02");
  b.bravo = make_lead (&b, "Bravo", "qualification", "40", "200000", "2027-03");
  b.charlie = make_lead (&b, "Charlie", "qualification", "35", "300000", "2027-01");
  b.old = make_lead (&b, "Old", "lead", NULL, "50000", "2027-05");
  b.fresh = make_lead (&b, "Fresh", "lead", NULL, "70000", "2027-06");
  g_assert_cmpint (crm_store_add_activity (b.store, b.old, "call", now - 40 * DAY - 3600,
                                           "Call", "", -1, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_add_activity (b.store, b.fresh, "visit", now - 5 * DAY,
                                           "Visit", "", -1, NULL, &error), >, 0);
  g_assert_no_error (error);
  /* won leads are not on the board */
  g_assert_true (crm_store_mark_won (b.store, make_lead (&b, "Won", "decision", NULL, "990000", "2027-01"), &error));
  g_assert_no_error (error);

  b.app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (b.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (b.app), NULL, &error));
  g_assert_no_error (error);
  crm_application_set_store (b.app, b.store);
  g_application_activate (G_APPLICATION (b.app));

  b.window = CRM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (b.app)));
  g_assert_true (CRM_IS_WINDOW (b.window));
  b.settings = crm_application_get_settings (b.app);
  g_settings_set_string (b.settings, "pipeline-probability", "ask");
  b.view = CRM_PIPELINE_VIEW (gtk_widget_get_template_child (GTK_WIDGET (b.window), CRM_TYPE_WINDOW, "pipeline_view"));
  g_assert_true (CRM_IS_PIPELINE_VIEW (b.view));
  WAIT_UNTIL (window_mapped, &b);

  /* nothing is queried before the board is shown */
  g_assert_cmpuint (crm_pipeline_view_get_n_columns (b.view), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b.window), "win.show-view", "s", "pipeline"));
  WAIT_UNTIL (board_loaded, &b);

  step_columns (&b);
  step_keyboard (&b);
  step_drop_keep (&b);
  step_drop_default (&b);
  step_stale (&b);
  step_open (&b);
  step_filters (&b);
  step_currency (&b);

  gtk_window_destroy (GTK_WINDOW (b.window));
  spin ();
  g_clear_object (&b.app);
  g_clear_object (&b.store);
}

int
main (int   argc,
      char *argv[])
{
  have_display = crm_ui_test_init (&argc, &argv, "test-pipeline");

  g_test_add_func ("/ui/pipeline/board", test_pipeline);

  return crm_ui_test_run ();
}
