/* crm-pipeline-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Pipeline board: one CrmPipelineColumn per active sales phase, in
 * phase order, side by side in a horizontally scrolling box (a narrow
 * window scrolls; each column scrolls its cards on its own). The column
 * headers' sums are one statistic by phase (crm_store_query_stats_async),
 * so they agree with the Statistics view to the cent.
 *
 * The board follows the filters of the Leads view (owner, sales unit,
 * type, close months, search; not the status and phase, which the columns
 * set): it watches the Leads view's list model and takes its filter when
 * that changes, but only while the board is on screen, so typing a search
 * in the Leads view does not query every column. Off screen the columns'
 * models are paused too: an edit elsewhere does not query six columns;
 * they catch up once when the board is shown again.
 *
 * Moving a lead to another phase — a card dropped on a column, or the
 * pipeline.move-left / move-right actions on the focused card — is one
 * function, crm_pipeline_view_move_lead (). The phase changes through the
 * store's validated write path, crm_store_update_lead (), so the change is
 * logged in the lead's history like any other. A lead with a probability
 * of its own (not its phase's default) either keeps it or takes the new
 * phase's default: the user is asked (AdwMessageDialog), unless the
 * pipeline-probability setting says "keep" or "phase-default" (the
 * dialog's "Don't ask again", also in Preferences). A lead that still has
 * its phase's default follows the new phase's default, as everywhere.
 * After a move the focus follows the card into its new column, and a
 * toast offers to undo it.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-money.h"
#include "crm-pipeline-view.h"
#include "crm-stats-ui.h"
#include "crm-stats.h"
#include "crm-window.h"

struct _CrmPipelineView
{
  GtkWidget         parent_instance;

  CrmStore         *store;
  GSettings        *settings;
  CrmLeadListModel *follow;
  CrmLeadFilter    *base;
  GPtrArray        *columns;        /* CrmPipelineColumn, in phase order */
  AdwToast         *undo_toast;     /* the last move's, while it is shown */
  GCancellable     *sums_cancellable;
  guint             sums_source;
  guint             filter_dirty : 1;
  guint             columns_dirty : 1;
  guint             read_only : 1;     /* the team server's read-only user */

  /* template */
  GtkRevealer      *filter_revealer;
  GtkStack         *board_stack;
  GtkBox           *columns_box;
};

G_DEFINE_FINAL_TYPE (CrmPipelineView, crm_pipeline_view, GTK_TYPE_WIDGET)

/* What to do with a lead's own probability when it changes phase */
typedef enum {
  PROBABILITY_ASK,
  PROBABILITY_KEEP,
  PROBABILITY_PHASE_DEFAULT,
} ProbabilityChoice;

/* ---------------------------------------------------------------- helpers */

static gboolean
filter_has_conditions (const CrmLeadFilter *filter)
{
  return filter != NULL &&
         ((filter->search != NULL && *filter->search != '\0') ||
          (filter->owner != NULL && *filter->owner != '\0') ||
          (filter->unit != NULL && *filter->unit != '\0') ||
          (filter->lead_type != NULL && *filter->lead_type != '\0') ||
          filter->contact_id != 0 ||
          filter->close_from != CRM_MONTH_NONE ||
          filter->close_to != CRM_MONTH_NONE);
}

static void
apply_filter (CrmPipelineView *self)
{
  self->filter_dirty = FALSE;
  gtk_revealer_set_reveal_child (self->filter_revealer, filter_has_conditions (self->base));

  for (guint i = 0; i < self->columns->len; i++)
    crm_pipeline_column_set_filter (g_ptr_array_index (self->columns, i), self->base);
}

/* The sums in the column headers come from one statistic by phase over
 * the board's leads (the Leads view's filters, open statuses): in the
 * company currency, leads in other currencies converted with the rate
 * table, exactly as the Statistics view and `leadsctl stats` have them.
 * Leads whose currency has no rate are in no sum; the headers' tooltip
 * says which. */
static void
on_sums_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CrmPipelineView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStats) stats = crm_store_query_stats_finish (CRM_STORE (source), result, &error);
  g_autofree char *tooltip = NULL;
  const char *currency;

  if (stats == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot sum up the board: %s", error->message);
      return;
    }
  if (self->columns == NULL)
    return;

  currency = crm_stats_get_currency (stats);
  tooltip = crm_stats_ui_dup_sums_tooltip (stats);
  for (guint i = 0; i < self->columns->len; i++)
    {
      CrmPipelineColumn *column = g_ptr_array_index (self->columns, i);
      const CrmStatsRow *row = crm_stats_lookup_row (stats, crm_key_value_get_key (crm_pipeline_column_get_phase (column)));
      g_autofree char *absolute = crm_money_format (row != NULL ? row->absolute_minor : 0, currency);
      g_autofree char *weighted = crm_money_format (row != NULL ? row->weighted_minor : 0, currency);

      crm_pipeline_column_set_sums (column, absolute, weighted, tooltip);
    }
}

static gboolean
query_sums_cb (gpointer user_data)
{
  CrmPipelineView *self = user_data;
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_copy (self->base);

  self->sums_source = 0;

  g_cancellable_cancel (self->sums_cancellable);
  g_clear_object (&self->sums_cancellable);
  self->sums_cancellable = g_cancellable_new ();

  filter->status_class = CRM_STATUS_FILTER_OPEN;
  g_clear_pointer (&filter->status, g_free);
  g_clear_pointer (&filter->phase, g_free);
  crm_store_query_stats_async (self->store, CRM_STATS_BY_PHASE, filter, CRM_MONTH_NONE, CRM_MONTH_NONE,
                               self->sums_cancellable, on_sums_done_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

/* Once for many changes (every column reloads after an edit) */
static void
update_sums (CrmPipelineView *self)
{
  if (self->sums_source == 0 && self->store != NULL)
    self->sums_source = g_idle_add_full (G_PRIORITY_DEFAULT, query_sums_cb, self, NULL);
}

static guint
column_index (CrmPipelineView *self,
              const char      *phase)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      CrmPipelineColumn *column = g_ptr_array_index (self->columns, i);

      if (g_strcmp0 (crm_key_value_get_key (crm_pipeline_column_get_phase (column)), phase) == 0)
        return i;
    }

  return G_MAXUINT;
}

/* The column whose card has the keyboard focus, else one with a selected
 * card; and that card's lead. */
static CrmPipelineColumn *
focus_column (CrmPipelineView *self,
              gint64          *out_lead)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  CrmPipelineColumn *fallback = NULL;

  *out_lead = 0;
  for (guint i = 0; i < self->columns->len; i++)
    {
      CrmPipelineColumn *column = g_ptr_array_index (self->columns, i);
      gint64 lead = crm_pipeline_column_get_focus_lead (column);

      if (lead == 0)
        continue;
      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (column)))
        {
          *out_lead = lead;
          return column;
        }
      if (fallback == NULL)
        fallback = column;
    }

  if (fallback != NULL)
    *out_lead = crm_pipeline_column_get_focus_lead (fallback);
  return fallback;
}

static void on_column_loading_cb      (CrmPipelineView   *self);
static void on_column_lead_dropped_cb (CrmPipelineView   *self,
                                       gint64             lead_id,
                                       CrmPipelineColumn *column);
static void on_column_lead_activated_cb (CrmPipelineView *self,
                                         gint64           lead_id);
static void on_column_focus_enter_cb  (GtkEventControllerFocus *controller,
                                       CrmPipelineView         *self);

/* One column per active phase: kept when the phases are the same (only
 * their labels or stale days changed), else built again. */
static void
update_columns (CrmPipelineView *self)
{
  g_autoptr(GListModel) phases = crm_store_list_key_values (self->store, "phase", FALSE);
  guint n = g_list_model_get_n_items (phases);
  gboolean same = n == self->columns->len;

  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (phases, i);
      CrmPipelineColumn *column = g_ptr_array_index (self->columns, i);

      same = g_strcmp0 (crm_key_value_get_key (kv), crm_key_value_get_key (crm_pipeline_column_get_phase (column))) == 0;
    }

  if (same)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrmKeyValue) kv = g_list_model_get_item (phases, i);

          crm_pipeline_column_set_phase (g_ptr_array_index (self->columns, i), kv);
        }
    }
  else
    {
      for (guint i = 0; i < self->columns->len; i++)
        gtk_box_remove (self->columns_box, g_ptr_array_index (self->columns, i));
      g_ptr_array_set_size (self->columns, 0);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrmKeyValue) kv = g_list_model_get_item (phases, i);
          GtkWidget *column = crm_pipeline_column_new (self->store, kv);
          GtkEventController *focus;

          g_signal_connect_object (crm_pipeline_column_get_model (CRM_PIPELINE_COLUMN (column)),
                                   "notify::loading",
                                   G_CALLBACK (on_column_loading_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (column, "lead-dropped",
                                   G_CALLBACK (on_column_lead_dropped_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (column, "lead-activated",
                                   G_CALLBACK (on_column_lead_activated_cb), self, G_CONNECT_SWAPPED);
          focus = gtk_event_controller_focus_new ();
          g_signal_connect_object (focus, "enter", G_CALLBACK (on_column_focus_enter_cb), self, 0);
          gtk_widget_add_controller (column, focus);
          gtk_box_append (self->columns_box, column);
          g_ptr_array_add (self->columns, column);
          crm_pipeline_column_set_filter (CRM_PIPELINE_COLUMN (column), self->base);
        }
    }

  gtk_stack_set_visible_child_name (self->board_stack, n > 0 ? "board" : "empty");
}

static void write_move (CrmPipelineView *self,
                        gint64           lead_id,
                        const char      *phase,
                        int              probability,
                        gboolean         undoable);

static void
on_undo_toast_dismissed_cb (CrmPipelineView *self,
                            AdwToast        *toast)
{
  if (self->undo_toast == toast)
    g_clear_object (&self->undo_toast);
}

static void
on_undo_move_cb (AdwToast        *toast,
                 CrmPipelineView *self)
{
  gint64 lead_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "lead-id"));
  const char *phase = g_object_get_data (G_OBJECT (toast), "phase");
  int probability = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toast), "probability"));

  write_move (self, lead_id, phase, probability, FALSE);
}

/* Writes the move (a probability < 0: the store's rule decides), lets the
 * focus follow the card, and offers to undo it: back to the phase and the
 * probability it had, logged as a change like the move. */
static void
write_move (CrmPipelineView *self,
            gint64           lead_id,
            const char      *phase,
            int              probability,
            gboolean         undoable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = crm_store_get_lead (self->store, lead_id, NULL);
  g_autofree char *p = probability >= 0 ? g_strdup_printf ("%d", probability) : NULL;
  g_autofree char *old_phase = NULL;
  int old_probability;
  CrmFieldValue values[2] = {
    { "phase", phase },
    { "probability", p },
  };
  guint target = column_index (self, phase);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (lead == NULL)
    return;
  old_phase = g_strdup (crm_lead_get_phase (lead));
  old_probability = crm_lead_get_probability (lead);

  if (!crm_store_update_lead (self->store, lead_id, values, p != NULL ? 2 : 1, &error))
    {
      crm_window_show_error_of (GTK_WIDGET (self), error);
      return;
    }

  if (target != G_MAXUINT)
    crm_pipeline_column_focus_lead (g_ptr_array_index (self->columns, target), lead_id);

  if (undoable && CRM_IS_WINDOW (root))
    {
      CrmKeyValue *kv = crm_store_lookup_key_value (self->store, "phase", phase);
      g_autofree char *title = NULL;
      g_autofree char *markup = NULL;
      AdwToast *toast = self->undo_toast;

      /* TRANSLATORS: toast after moving a lead on the board: its title, the new phase */
      title = g_strdup_printf (_("“%s” moved to %s"), crm_lead_get_title (lead),
                               kv != NULL ? crm_key_value_get_label (kv) : phase);
      markup = g_markup_escape_text (title, -1);

      /* One toast for the latest move: moving many cards in a row does not
       * queue a toast each (nor dismisses one in its show animation, which
       * libadwaita 1.2.2 does not survive, see crm-preferences-window.c). */
      if (toast == NULL)
        {
          toast = adw_toast_new (markup);
          adw_toast_set_button_label (toast, _("_Undo"));
          g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_move_cb), self, 0);
          g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed_cb), self,
                                   G_CONNECT_SWAPPED);
          self->undo_toast = g_object_ref (toast);
          crm_window_add_toast (CRM_WINDOW (root), toast);
        }
      else
        adw_toast_set_title (toast, markup);

      g_object_set_data (G_OBJECT (toast), "lead-id", GSIZE_TO_POINTER (lead_id));
      g_object_set_data_full (G_OBJECT (toast), "phase", g_steal_pointer (&old_phase), g_free);
      g_object_set_data (G_OBJECT (toast), "probability", GINT_TO_POINTER (old_probability));
    }
}

/* ---------------------------------------------------------------- actions */

/* The index of the column with the focused (else selected) card, and
 * that card's lead; G_MAXUINT when no card is */
static guint
focus_index (CrmPipelineView *self,
             gint64          *out_lead)
{
  CrmPipelineColumn *column = focus_column (self, out_lead);

  if (column == NULL)
    return G_MAXUINT;

  return column_index (self, crm_key_value_get_key (crm_pipeline_column_get_phase (column)));
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);
  int delta = g_str_equal (action_name, "pipeline.move-right") ? 1 : -1;
  gint64 lead_id;
  guint index = focus_index (self, &lead_id);
  CrmPipelineColumn *target;

  if (index == G_MAXUINT)
    return;
  if ((delta < 0 && index == 0) || index + delta >= self->columns->len)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  target = g_ptr_array_index (self->columns, index + delta);
  crm_pipeline_view_move_lead (self, lead_id, crm_key_value_get_key (crm_pipeline_column_get_phase (target)));
}

/* Left and Right: the focus goes to the card at the same height in the
 * neighbouring column that has cards (the board scrolls to it). */
static void
focus_column_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);
  int delta = g_str_equal (action_name, "pipeline.focus-right") ? 1 : -1;
  gint64 lead_id;
  guint index = focus_index (self, &lead_id);
  guint position;

  if (index == G_MAXUINT)
    {
      /* nothing focused yet: the first card of the board */
      for (guint i = 0; i < self->columns->len; i++)
        if (crm_pipeline_column_focus_position (g_ptr_array_index (self->columns, i), 0))
          return;
      return;
    }

  position = crm_pipeline_column_get_focus_position (g_ptr_array_index (self->columns, index));
  for (int i = (int) index + delta; i >= 0 && i < (int) self->columns->len; i += delta)
    if (crm_pipeline_column_focus_position (g_ptr_array_index (self->columns, i), position))
      return;

  gtk_widget_error_bell (widget);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);
  gint64 lead_id;

  if (focus_column (self, &lead_id) != NULL)
    on_column_lead_activated_cb (self, lead_id);
}

/* -------------------------------------------------------------- callbacks */

static void
on_column_loading_cb (CrmPipelineView *self)
{
  update_sums (self);
}

/* One selected card on the board: the one with the focus */
static void
on_column_focus_enter_cb (GtkEventControllerFocus *controller,
                          CrmPipelineView         *self)
{
  GtkWidget *entered = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  for (guint i = 0; i < self->columns->len; i++)
    if (g_ptr_array_index (self->columns, i) != (gpointer) entered)
      crm_pipeline_column_unselect (g_ptr_array_index (self->columns, i));
}

static void
on_column_lead_dropped_cb (CrmPipelineView   *self,
                           gint64             lead_id,
                           CrmPipelineColumn *column)
{
  crm_pipeline_view_move_lead (self, lead_id, crm_key_value_get_key (crm_pipeline_column_get_phase (column)));
}

static void
on_column_lead_activated_cb (CrmPipelineView *self,
                             gint64           lead_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CRM_IS_WINDOW (root))
    crm_window_show_lead (CRM_WINDOW (root), lead_id);
}

static void
on_follow_changed_cb (CrmPipelineView *self)
{
  const CrmLeadFilter *filter;

  if (crm_lead_list_model_get_loading (self->follow))
    {
      filter = crm_lead_list_model_get_filter (self->follow);
      if (crm_lead_filter_equal (filter, self->base))
        return;

      crm_lead_filter_free (self->base);
      self->base = crm_lead_filter_copy (filter);
      self->filter_dirty = TRUE;
    }

  if (self->filter_dirty && gtk_widget_get_mapped (GTK_WIDGET (self)))
    apply_filter (self);
}

static void
on_key_values_changed_cb (CrmPipelineView *self,
                          const char      *kind)
{
  if (g_strcmp0 (kind, "phase") != 0)
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_columns (self);
  else
    self->columns_dirty = TRUE;
}

static void
on_probability_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            CrmPipelineView  *self)
{
  GtkCheckButton *remember = GTK_CHECK_BUTTON (adw_message_dialog_get_extra_child (dialog));
  gint64 lead_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "lead-id"));
  const char *phase = g_object_get_data (G_OBJECT (dialog), "phase");
  int own = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "own"));
  int phase_default = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "default"));
  gboolean keep = g_strcmp0 (response, "keep") == 0;

  if (!keep && g_strcmp0 (response, "default") != 0)
    return;

  if (gtk_check_button_get_active (remember) && self->settings != NULL)
    g_settings_set_string (self->settings, "pipeline-probability", keep ? "keep" : "phase-default");

  write_move (self, lead_id, phase, keep ? own : phase_default, TRUE);
}

/* -------------------------------------------------------------- overrides */

static void
update_on_map (CrmPipelineView *self)
{
  /* Nothing is queried before the board is shown the first time */
  if (self->columns_dirty && self->store != NULL)
    {
      self->columns_dirty = FALSE;
      update_columns (self);
    }
  if (self->filter_dirty)
    apply_filter (self);
}

static void
set_paused (CrmPipelineView *self,
            gboolean         paused)
{
  for (guint i = 0; i < self->columns->len; i++)
    crm_lead_list_model_set_paused (crm_pipeline_column_get_model (g_ptr_array_index (self->columns, i)), paused);
}

static void
crm_pipeline_view_map (GtkWidget *widget)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);

  GTK_WIDGET_CLASS (crm_pipeline_view_parent_class)->map (widget);

  set_paused (self, FALSE);
  update_on_map (self);
}

/* Off screen, the columns do not query after every edit elsewhere: they
 * catch up once when the board is shown again. */
static void
crm_pipeline_view_unmap (GtkWidget *widget)
{
  set_paused (CRM_PIPELINE_VIEW (widget), TRUE);

  GTK_WIDGET_CLASS (crm_pipeline_view_parent_class)->unmap (widget);
}

static void
crm_pipeline_view_dispose (GObject *object)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->sums_source, g_source_remove);
  g_cancellable_cancel (self->sums_cancellable);
  g_clear_object (&self->sums_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PIPELINE_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_object (&self->undo_toast);
  g_clear_object (&self->follow);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_pipeline_view_parent_class)->dispose (object);
}

static void
crm_pipeline_view_finalize (GObject *object)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (object);

  crm_lead_filter_free (self->base);

  G_OBJECT_CLASS (crm_pipeline_view_parent_class)->finalize (object);
}

static void
crm_pipeline_view_class_init (CrmPipelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_pipeline_view_dispose;
  object_class->finalize = crm_pipeline_view_finalize;
  widget_class->map = crm_pipeline_view_map;
  widget_class->unmap = crm_pipeline_view_unmap;

  g_type_ensure (CRM_TYPE_PIPELINE_COLUMN);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-pipeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, board_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, columns_box);

  gtk_widget_class_install_action (widget_class, "pipeline.move-left", NULL, move_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK | GDK_SHIFT_MASK,
                                       "pipeline.move-left", NULL);
  gtk_widget_class_install_action (widget_class, "pipeline.move-right", NULL, move_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK | GDK_SHIFT_MASK,
                                       "pipeline.move-right", NULL);
  gtk_widget_class_install_action (widget_class, "pipeline.open", NULL, open_action);
  /* Left and Right: bound in init (the lists would take them first) */
  gtk_widget_class_install_action (widget_class, "pipeline.focus-left", NULL, focus_column_action);
  gtk_widget_class_install_action (widget_class, "pipeline.focus-right", NULL, focus_column_action);
}

static void
crm_pipeline_view_init (CrmPipelineView *self)
{
  GtkEventController *shortcuts;

  self->columns = g_ptr_array_new ();
  self->base = crm_lead_filter_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* before the column's GtkListView, which swallows Left and Right */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Left, 0),
                                                          gtk_named_action_new ("pipeline.focus-left")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Right, 0),
                                                          gtk_named_action_new ("pipeline.focus-right")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

/* ----------------------------------------------------------------- public */

/**
 * crm_pipeline_view_set_store:
 * @settings: (nullable): the app's settings (pipeline-probability)
 * @follow: (nullable): the Leads view's model, whose filter the board follows
 */
void
crm_pipeline_view_set_store (CrmPipelineView  *self,
                             CrmStore         *store,
                             GSettings        *settings,
                             CrmLeadListModel *follow)
{
  g_return_if_fail (CRM_IS_PIPELINE_VIEW (self));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (follow == NULL || CRM_IS_LEAD_LIST_MODEL (follow));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;

  g_signal_connect_object (store, "key-values-changed",
                           G_CALLBACK (on_key_values_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "rates-changed",
                           G_CALLBACK (on_column_loading_cb), self, G_CONNECT_SWAPPED);

  if (follow != NULL)
    {
      self->follow = g_object_ref (follow);
      crm_lead_filter_free (self->base);
      self->base = crm_lead_filter_copy (crm_lead_list_model_get_filter (follow));
      g_signal_connect_object (follow, "notify::loading",
                               G_CALLBACK (on_follow_changed_cb), self, G_CONNECT_SWAPPED);
    }

  self->columns_dirty = TRUE;
  self->filter_dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_on_map (self);
}

guint
crm_pipeline_view_get_n_columns (CrmPipelineView *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), 0);

  return self->columns->len;
}

CrmPipelineColumn *
crm_pipeline_view_get_column (CrmPipelineView *self,
                              guint            index)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), NULL);

  if (index >= self->columns->len)
    return NULL;

  return g_ptr_array_index (self->columns, index);
}

CrmPipelineColumn *
crm_pipeline_view_find_column (CrmPipelineView *self,
                               const char      *phase)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), NULL);

  return crm_pipeline_view_get_column (self, column_index (self, phase));
}

/* Whether a column is still querying its leads */
gboolean
crm_pipeline_view_get_loading (CrmPipelineView *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), FALSE);

  for (guint i = 0; i < self->columns->len; i++)
    if (crm_lead_list_model_get_loading (crm_pipeline_column_get_model (g_ptr_array_index (self->columns, i))))
      return TRUE;

  return FALSE;
}

/**
 * crm_pipeline_view_move_lead:
 * @phase: the key of the phase to move the lead to
 *
 * Moves a lead to another phase: what a drop on a column and the move
 * actions do. Asks about the lead's own probability when it has one and
 * the pipeline-probability setting says so (see the top of this file).
 */
void
crm_pipeline_view_move_lead (CrmPipelineView *self,
                             gint64           lead_id,
                             const char      *phase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmLead) lead = NULL;
  g_autofree char *choice_name = NULL;
  CrmKeyValue *old_kv, *new_kv;
  ProbabilityChoice choice = PROBABILITY_ASK;
  AdwMessageDialog *dialog;
  GtkWidget *remember;
  g_autofree char *keep_label = NULL;
  g_autofree char *default_label = NULL;
  int own, old_default, new_default;

  g_return_if_fail (CRM_IS_PIPELINE_VIEW (self));
  g_return_if_fail (phase != NULL);

  if (self->read_only)
    return;

  lead = crm_store_get_lead (self->store, lead_id, &error);
  if (lead == NULL)
    {
      crm_window_show_error_of (GTK_WIDGET (self), error);
      return;
    }
  if (g_strcmp0 (crm_lead_get_phase (lead), phase) == 0)
    return;

  old_kv = crm_store_lookup_key_value (self->store, "phase", crm_lead_get_phase (lead));
  new_kv = crm_store_lookup_key_value (self->store, "phase", phase);
  own = crm_lead_get_probability (lead);
  old_default = old_kv != NULL ? crm_key_value_get_probability (old_kv) : -1;
  new_default = new_kv != NULL ? crm_key_value_get_probability (new_kv) : -1;

  /* nothing to choose: the probability follows the phase (the store's
   * rule), or the new phase has no default or the same one */
  if (new_kv == NULL || new_default < 0 || own == new_default || own == old_default)
    {
      write_move (self, lead_id, phase, -1, TRUE);
      return;
    }

  if (self->settings != NULL)
    {
      choice_name = g_settings_get_string (self->settings, "pipeline-probability");
      if (g_strcmp0 (choice_name, "keep") == 0)
        choice = PROBABILITY_KEEP;
      else if (g_strcmp0 (choice_name, "phase-default") == 0)
        choice = PROBABILITY_PHASE_DEFAULT;
    }

  if (choice == PROBABILITY_KEEP)
    {
      write_move (self, lead_id, phase, own, TRUE);
      return;
    }
  if (choice == PROBABILITY_PHASE_DEFAULT)
    {
      write_move (self, lead_id, phase, new_default, TRUE);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Keep the Lead’s Probability?"), NULL));
  /* TRANSLATORS: %s: a lead's title, %s: a phase, %d: its own probability,
   * %d: the phase's default probability */
  adw_message_dialog_format_body (dialog,
                                  _("“%s” moves to %s. Its own probability is %d %%; leads in %s start with %d %%."),
                                  crm_lead_get_title (lead), crm_key_value_get_label (new_kv), own,
                                  crm_key_value_get_label (new_kv), new_default);
  /* TRANSLATORS: a response: keep the lead's own probability, "Keep 40 %" */
  keep_label = g_strdup_printf (_("_Keep %d %%"), own);
  /* TRANSLATORS: a response: take the new phase's default, "Use 60 %" */
  default_label = g_strdup_printf (_("_Use %d %%"), new_default);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "keep", keep_label,
                                    "default", default_label,
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "cancel");

  remember = gtk_check_button_new_with_mnemonic (_("_Don’t ask again"));
  gtk_widget_set_halign (remember, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remember, _("You can change this in Preferences"));
  adw_message_dialog_set_extra_child (dialog, remember);

  g_object_set_data (G_OBJECT (dialog), "lead-id", GSIZE_TO_POINTER (lead_id));
  g_object_set_data_full (G_OBJECT (dialog), "phase", g_strdup (phase), g_free);
  g_object_set_data (G_OBJECT (dialog), "own", GINT_TO_POINTER (own));
  g_object_set_data (G_OBJECT (dialog), "default", GINT_TO_POINTER (new_default));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_probability_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A read-only user cannot move cards: the move actions are off and a
 * drop does nothing. */
void
crm_pipeline_view_set_read_only (CrmPipelineView *self,
                                 gboolean         read_only)
{
  g_return_if_fail (CRM_IS_PIPELINE_VIEW (self));

  self->read_only = !!read_only;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pipeline.move-left", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pipeline.move-right", !read_only);
}
