/* crm-leads-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Leads view: search and filters over a sortable GtkColumnView of
 * CrmLeadListModel, a footer with count and sums of what is shown, and the
 * detail of the selected lead beside it (folded on narrow windows).
 *
 * The footer's sums are one total in the company currency from the
 * statistics engine (crm_store_query_stats_async () with the list's own
 * filter, on a worker thread, as the Statistics view asks): leads whose
 * currency has no exchange rate are not in it and are named in a short
 * "+ 2 currencies not counted" with the list in its tooltip. A new query
 * starts whenever the list has loaded (filter, search or an edit) and
 * cancels the one before; until it answers the old figures stay.
 *
 * Sorting and filtering happen in SQL: the column view's sorter is only
 * used to learn which column the user clicked. GTK 4.8 has no API for the
 * primary sort column, so each column's sorter records itself when asked
 * to compare; one probe comparison through the column view's sorter then
 * tells the primary column and, from the sign, the direction.
 *
 * The "lead.*" actions (report, phases, won, lost, delete, duplicate) live
 * here so that their shortcuts work in the list and in the detail alike.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-lead-detail.h"
#include "crm-lead-filter-bar.h"
#include "crm-leads-view.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-report-dialog.h"
#include "crm-stats-ui.h"
#include "crm-store-sync.h"
#include "crm-sync-ui.h"
#include "crm-window.h"

typedef enum {
  COLUMN_TITLE,
  COLUMN_CONTACT,
  COLUMN_PHASE,
  COLUMN_STATUS,
  COLUMN_VOLUME,
  COLUMN_PROBABILITY,
  COLUMN_WEIGHTED,
  COLUMN_CLOSE_MONTH,
  COLUMN_OWNER,
  COLUMN_LAST_ACTIVITY,
  N_COLUMNS
} Column;

static const struct {
  const char  *id;
  const char  *title;
  CrmLeadSort  sort;
  gboolean     numeric;
  int          width;
} columns[N_COLUMNS] = {
  { "title", N_("Title"), CRM_LEAD_SORT_TITLE, FALSE, 200 },
  { "contact", N_("Contact"), CRM_LEAD_SORT_CONTACT, FALSE, 160 },
  { "phase", N_("Phase"), CRM_LEAD_SORT_PHASE, FALSE, 130 },
  { "status", N_("Status"), CRM_LEAD_SORT_STATUS, FALSE, 110 },
  { "volume", N_("Volume"), CRM_LEAD_SORT_VOLUME, TRUE, 110 },
  { "probability", N_("Prob."), CRM_LEAD_SORT_PROBABILITY, TRUE, 60 },
  { "weighted", N_("Weighted"), CRM_LEAD_SORT_WEIGHTED, TRUE, 110 },
  { "close_month", N_("Close"), CRM_LEAD_SORT_CLOSE_MONTH, FALSE, 100 },
  { "owner", N_("Owner"), CRM_LEAD_SORT_OWNER, FALSE, 120 },
  { "last_activity", N_("Last Activity"), CRM_LEAD_SORT_LAST_ACTIVITY, FALSE, 100 },
};

struct _CrmLeadsView
{
  GtkWidget           parent_instance;

  CrmStore           *store;
  GSettings          *settings;
  CrmLeadListModel   *model;
  GtkSingleSelection *selection;
  CrmLeadFilter      *filter;
  GtkColumnViewColumn *view_columns[N_COLUMNS];
  GSimpleActionGroup *column_actions;   /* "columns.<id>": which columns show */
  gint64              selected_id;
  gint64              pending_select_id;
  guint               selecting : 1;        /* selection set by code, not by the user */
  guint               read_only : 1;        /* the team server's read-only user */
  GCancellable       *footer_cancellable;   /* the footer's statistic in flight */

  /* template */
  AdwLeaflet         *leaflet;
  CrmLeadFilterBar   *filter_bar;
  GtkStack           *list_stack;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;
  GtkLabel           *absolute_label;
  GtkLabel           *weighted_label;
  GtkLabel           *unconverted_label;
  CrmLeadDetail      *detail;
  GtkStack           *detail_stack;
  GtkButton          *back_button;
};

G_DEFINE_FINAL_TYPE (CrmLeadsView, crm_leads_view, GTK_TYPE_WIDGET)

static int probed_column = -1;

/* the status filters as stored in the status-filter key */
static const char *status_filter_names[] = { "open", "won", "lost", "any" };
static const CrmStatusFilter status_filters[] = {
  CRM_STATUS_FILTER_OPEN, CRM_STATUS_FILTER_WON, CRM_STATUS_FILTER_LOST, CRM_STATUS_FILTER_ANY,
};

/* ---------------------------------------------------------------- helpers */

static char *
format_cell (CrmLead *lead,
             Column   column)
{
  switch (column)
    {
    case COLUMN_TITLE:
      return g_strdup (crm_lead_get_title (lead));
    case COLUMN_CONTACT:
      return g_strdup (crm_lead_get_contact_name (lead));
    case COLUMN_PHASE:
      return g_strdup (crm_lead_get_phase_label (lead));
    case COLUMN_STATUS:
      return g_strdup (crm_lead_get_status_label (lead));
    case COLUMN_VOLUME:
      return crm_money_format (crm_lead_get_volume_minor (lead), crm_lead_get_currency (lead));
    case COLUMN_PROBABILITY:
      return g_strdup_printf (_("%d %%"), crm_lead_get_probability (lead));
    case COLUMN_WEIGHTED:
      return crm_money_format (crm_lead_get_weighted_minor (lead), crm_lead_get_currency (lead));
    case COLUMN_CLOSE_MONTH:
      return crm_month_format (crm_lead_get_close_month (lead));
    case COLUMN_OWNER:
      return g_strdup (crm_lead_get_owner (lead));
    case COLUMN_LAST_ACTIVITY:
      if (crm_lead_get_last_activity (lead) > 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (crm_lead_get_last_activity (lead));

          return g_date_time_format (dt, "%x");
        }
      return g_strdup ("");
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* The title cell starts with the lead's sync state as a small icon
 * (local only, pending, conflict; nothing when synced), read from the
 * lead's row like every other column, so it costs no query. */
static void
update_sync_icon (GtkListItem *item,
                  CrmLead     *lead)
{
  GtkWidget *image = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  CrmLeadsView *view = g_object_get_data (G_OBJECT (item), "view");
  CrmStore *store = view != NULL ? view->store : NULL;
  CrmRecordSyncState state = crm_lead_get_sync_state (lead);
  const char *icon = NULL;

  if (state == CRM_RECORD_SYNC_LOCAL_ONLY)
    icon = store != NULL && crm_store_sync_is_bound (store) ? "computer-symbolic" : NULL;
  else
    icon = crm_sync_ui_record_state_icon (state);

  gtk_widget_set_visible (image, icon != NULL);
  if (icon == NULL)
    return;
  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
  gtk_widget_set_tooltip_text (image, crm_sync_ui_record_state_text (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  crm_sync_ui_record_state_text (state), -1);
  if (state == CRM_RECORD_SYNC_CONFLICT)
    gtk_widget_add_css_class (image, "warning");
  else
    gtk_widget_remove_css_class (image, "warning");
}

static void
update_cell (GtkListItem *item)
{
  CrmLead *lead = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkLabel *label;
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "column"));
  g_autofree char *text = NULL;

  if (lead == NULL)
    return;

  if (column == COLUMN_TITLE)
    {
      update_sync_icon (item, lead);
      label = GTK_LABEL (gtk_widget_get_last_child (child));
    }
  else
    label = GTK_LABEL (child);

  text = format_cell (lead, column);
  gtk_label_set_label (label, text ? text : "");

  if (column == COLUMN_PROBABILITY)
    {
      gboolean custom = crm_lead_get_phase_probability (lead) >= 0 &&
                        crm_lead_get_phase_probability (lead) != crm_lead_get_probability (lead);

      if (custom)
        gtk_widget_add_css_class (GTK_WIDGET (label), "custom-probability");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "custom-probability");
    }
  else if (column == COLUMN_STATUS)
    {
      CrmStatusClass status_class = crm_lead_get_status_class (lead);

      gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
      if (status_class == CRM_STATUS_CLASS_WON)
        gtk_widget_add_css_class (GTK_WIDGET (label), "success");
      else if (status_class == CRM_STATUS_CLASS_LOST)
        gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
on_cell_lead_notify_cb (GObject    *lead,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  update_cell (GTK_LIST_ITEM (user_data));
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), columns[column].numeric ? 1.0 : 0.0);
  if (columns[column].numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (column == COLUMN_TITLE)
    {
      CrmLeadsView *self = g_object_get_data (G_OBJECT (factory), "view");
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *image = gtk_image_new ();

      gtk_widget_add_css_class (label, "lead-title");
      gtk_widget_add_css_class (image, "dim-label");
      gtk_widget_set_visible (image, FALSE);
      gtk_box_append (GTK_BOX (box), image);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_item_set_child (item, box);
      g_object_set_data (G_OBJECT (item), "view", self);
    }
  else
    gtk_list_item_set_child (item, label);
  g_object_set_data (G_OBJECT (item), "column", user_data);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  CrmLead *lead = gtk_list_item_get_item (item);
  gulong handler;

  update_cell (item);
  handler = g_signal_connect (lead, "notify", G_CALLBACK (on_cell_lead_notify_cb), item);
  g_object_set_data (G_OBJECT (item), "handler", GSIZE_TO_POINTER (handler));
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  CrmLead *lead = gtk_list_item_get_item (item);
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "handler"));

  if (lead != NULL && handler != 0)
    g_signal_handler_disconnect (lead, handler);
  g_object_set_data (G_OBJECT (item), "handler", NULL);
}

/* The probe: records which column's sorter ran, and always answers
 * "smaller" so the column view stops at the primary column. */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  probed_column = GPOINTER_TO_INT (user_data);
  return GTK_ORDERING_SMALLER;
}

static void
apply_filter (CrmLeadsView *self)
{
  if (self->model != NULL)
    crm_lead_list_model_set_filter (self->model, self->filter);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LIST_VIEW (child))
        return child;
      if ((found = find_list_view (child)) != NULL)
        return found;
    }

  return NULL;
}

static void
select_id (CrmLeadsView *self,
           gint64        id)
{
  guint position = crm_lead_list_model_find (self->model, id);
  GtkWidget *list_view;

  if (position == G_MAXUINT)
    return;

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
  list_view = find_list_view (GTK_WIDGET (self->column_view));
  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

/* The bar's filter with the view's sort. */
static void
read_filters (CrmLeadsView *self)
{
  const CrmLeadFilter *shown = crm_lead_filter_bar_get_filter (self->filter_bar);
  CrmLeadSort sort = self->filter->sort;
  gboolean descending = self->filter->descending;

  crm_lead_filter_free (self->filter);
  self->filter = crm_lead_filter_copy (shown);
  self->filter->sort = sort;
  self->filter->descending = descending;

  if (self->settings != NULL && self->filter->status == NULL && !crm_lead_filter_has_statuses (self->filter))
    for (guint i = 0; i < G_N_ELEMENTS (status_filters); i++)
      if (status_filters[i] == self->filter->status_class)
        g_settings_set_string (self->settings, "status-filter", status_filter_names[i]);
  apply_filter (self);
}

static void
on_footer_stats_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CrmLeadsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStats) stats = crm_store_query_stats_finish (CRM_STORE (source), result, &error);
  const CrmStatsRow *total;
  const char *currency;
  g_autofree char *absolute = NULL;
  g_autofree char *weighted = NULL;
  g_autofree char *absolute_text = NULL;
  g_autofree char *weighted_text = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *unconverted = NULL;
  guint n_unconverted;

  if (stats == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot sum up the leads shown: %s", error->message);
      return;
    }
  if (self->store == NULL)
    return;

  total = crm_stats_get_total (stats);
  currency = crm_stats_get_currency (stats);
  absolute = crm_money_format (total->absolute_minor, currency);
  weighted = crm_money_format (total->weighted_minor, currency);
  /* TRANSLATORS: footer sum of the volume of the leads shown */
  absolute_text = g_strdup_printf (_("Volume %s"), absolute);
  /* TRANSLATORS: footer sum of volume × probability of the leads shown */
  weighted_text = g_strdup_printf (_("Weighted %s"), weighted);
  tooltip = crm_stats_ui_dup_sums_tooltip (stats);

  gtk_label_set_label (self->absolute_label, absolute_text);
  gtk_label_set_label (self->weighted_label, weighted_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->absolute_label), tooltip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->weighted_label), tooltip);

  n_unconverted = crm_stats_get_n_unconverted (stats);
  unconverted = crm_stats_ui_describe_unconverted (stats);
  if (unconverted != NULL)
    {
      g_autofree char *label = NULL;
      g_autofree char *list = NULL;

      /* TRANSLATORS: in the Leads list's footer, after the sums */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "+ %u currency not counted", "+ %u currencies not counted",
                                            n_unconverted),
                               n_unconverted);
      /* TRANSLATORS: %s is a list such as "3 leads in USD ($12,000.00), 1 lead in CHF (CHF 500.00)" */
      list = g_strdup_printf (_("Not counted, no exchange rate: %s"), unconverted);
      gtk_label_set_label (self->unconverted_label, label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->unconverted_label), list);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->unconverted_label), unconverted != NULL);
}

static void
update_footer (CrmLeadsView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *count = NULL;

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u lead", "%'u leads", n), n);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");

  /* the sums: the statistics engine, for exactly what the list shows */
  g_cancellable_cancel (self->footer_cancellable);
  g_clear_object (&self->footer_cancellable);
  self->footer_cancellable = g_cancellable_new ();
  crm_store_query_stats_async (self->store, CRM_STATS_BY_STATUS, crm_lead_list_model_get_filter (self->model),
                               CRM_MONTH_NONE, CRM_MONTH_NONE, self->footer_cancellable,
                               on_footer_stats_cb, g_object_ref (self));
}

static void
show_error (CrmLeadsView *self,
            const GError *error)
{
  crm_window_show_error_of (GTK_WIDGET (self), error);
}

static gint64
selected_lead_id (CrmLeadsView *self)
{
  CrmLead *lead = crm_lead_detail_get_lead (self->detail);

  return lead != NULL ? crm_lead_get_id (lead) : 0;
}

static void
update_actions (CrmLeadsView *self)
{
  CrmLead *lead = crm_lead_detail_get_lead (self->detail);
  gboolean has = lead != NULL && !self->read_only;
  gboolean open = has && crm_lead_get_status_class (lead) == CRM_STATUS_CLASS_OPEN;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.new-report", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.next-phase", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.previous-phase", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.won", has && crm_lead_get_status_class (lead) != CRM_STATUS_CLASS_WON);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.lost", has && crm_lead_get_status_class (lead) != CRM_STATUS_CLASS_LOST);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.delete", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.duplicate", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.open-contact",
                                 lead != NULL && crm_lead_get_contact_id (lead) > 0);
}

/* -------------------------------------------------------------- callbacks */

static void
on_selection_changed_cb (CrmLeadsView *self)
{
  g_autoptr(CrmLead) lead = NULL;
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position != GTK_INVALID_LIST_POSITION)
    lead = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (lead != NULL && crm_lead_get_uuid (lead) != NULL)
    {
      self->selected_id = crm_lead_get_id (lead);
      crm_lead_detail_set_lead (self->detail, lead);
      gtk_stack_set_visible_child_name (self->detail_stack, "detail");

      /* folded, picking a lead opens it */
      if (!self->selecting && adw_leaflet_get_folded (self->leaflet))
        adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
    }
  else if (crm_lead_list_model_get_loading (self->model) && self->selected_id != 0)
    {
      /* the row moved; restored when the query is done */
    }
  else
    {
      self->selected_id = 0;
      crm_lead_detail_set_lead (self->detail, NULL);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
    }

  update_actions (self);
}

static void
on_model_loading_cb (CrmLeadsView *self)
{
  gint64 want;

  if (crm_lead_list_model_get_loading (self->model))
    return;

  update_footer (self);

  want = self->pending_select_id ? self->pending_select_id : self->selected_id;
  self->pending_select_id = 0;
  if (want != 0)
    {
      guint position = crm_lead_list_model_find (self->model, want);

      if (position != G_MAXUINT && position != gtk_single_selection_get_selected (self->selection))
        select_id (self, want);
      else if (position == G_MAXUINT)
        {
          /* filtered out or deleted: keep showing it unless deleted */
          g_autoptr(CrmLead) lead = crm_store_get_lead (self->store, want, NULL);

          if (lead == NULL)
            {
              self->selected_id = 0;
              crm_lead_detail_set_lead (self->detail, NULL);
              gtk_stack_set_visible_child_name (self->detail_stack, "empty");
            }
        }
    }
  update_actions (self);
}

static void
on_column_view_sorter_changed_cb (CrmLeadsView *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  GtkOrdering order;
  g_autoptr(CrmLead) a = crm_lead_new ();
  g_autoptr(CrmLead) b = crm_lead_new ();

  probed_column = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (probed_column < 0)
    return;

  self->filter->sort = columns[probed_column].sort;
  self->filter->descending = order == GTK_ORDERING_LARGER;

  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "sort-column", columns[probed_column].id);
      g_settings_set_boolean (self->settings, "sort-descending", self->filter->descending);
    }

  apply_filter (self);
}

static void
on_filter_changed_cb (CrmLeadsView *self)
{
  read_filters (self);
}

static void
on_clear_filters_cb (CrmLeadsView *self)
{
  crm_lead_filter_bar_clear (self->filter_bar);
}

static void
on_activate_cb (CrmLeadsView *self,
                guint         position)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_back_clicked_cb (CrmLeadsView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_folded_changed_cb (CrmLeadsView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), adw_leaflet_get_folded (self->leaflet));
}

static void
save_visible_columns (CrmLeadsView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) visible = NULL;

  for (guint i = 0; i < N_COLUMNS; i++)
    if (gtk_column_view_column_get_visible (self->view_columns[i]))
      g_strv_builder_add (builder, columns[i].id);
  visible = g_strv_builder_end (builder);

  if (self->settings != NULL)
    g_settings_set_strv (self->settings, "visible-columns", (const char * const *) visible);
}

static void
on_column_action_change_state_cb (GSimpleAction *action,
                                  GVariant      *state,
                                  CrmLeadsView  *self)
{
  const char *name = g_action_get_name (G_ACTION (action));

  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_str_equal (columns[i].id, name))
      {
        /* the title stays: a row needs something to show */
        if (i == COLUMN_TITLE)
          return;
        gtk_column_view_column_set_visible (self->view_columns[i], g_variant_get_boolean (state));
      }

  g_simple_action_set_state (action, state);
  save_visible_columns (self);
}

/* ---------------------------------------------------------------- actions */

static void
new_report_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);
  CrmLead *lead = crm_lead_detail_get_lead (self->detail);
  GtkWindow *dialog;

  if (lead == NULL)
    return;

  dialog = crm_report_dialog_new (self->store, lead, GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_present (dialog);
}

static void
step_phase_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);
  g_autoptr(GError) error = NULL;
  int delta = g_str_equal (action_name, "lead.next-phase") ? 1 : -1;
  gint64 id = selected_lead_id (self);

  if (id != 0 && !crm_store_step_phase (self->store, id, delta, &error))
    show_error (self, error);
}

static void
won_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);
  g_autoptr(GError) error = NULL;
  gint64 id = selected_lead_id (self);

  if (id != 0 && !crm_store_mark_won (self->store, id, &error))
    show_error (self, error);
}

static void
on_lost_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CrmLeadsView     *self)
{
  GtkDropDown *reasons = g_object_get_data (G_OBJECT (dialog), "reasons");
  GPtrArray *keys = g_object_get_data (G_OBJECT (dialog), "keys");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "lead-id"));
  g_autoptr(GError) error = NULL;
  guint selected;

  if (g_strcmp0 (response, "lost") != 0)
    return;

  selected = gtk_drop_down_get_selected (reasons);
  if (!crm_store_mark_lost (self->store, id,
                            selected < keys->len ? g_ptr_array_index (keys, selected) : NULL,
                            &error))
    show_error (self, error);
}

static void
lost_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);
  CrmLead *lead = crm_lead_detail_get_lead (self->detail);
  g_autoptr(GListModel) values = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *dialog;
  GtkWidget *reasons;

  if (lead == NULL)
    {
      g_ptr_array_unref (keys);
      return;
    }

  values = crm_store_list_key_values (self->store, "lost_reason", FALSE);
  for (guint i = 0; i < g_list_model_get_n_items (values); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);

      g_ptr_array_add (keys, g_strdup (crm_key_value_get_key (kv)));
      gtk_string_list_append (labels, crm_key_value_get_label (kv));
    }
  g_ptr_array_add (keys, NULL);
  /* TRANSLATORS: no reason given for a lost lead */
  gtk_string_list_append (labels, _("No reason given"));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Mark Lead as Lost?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will be closed as lost. Why was it lost?"),
                                  crm_lead_get_title (lead));
  reasons = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reasons),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Lost reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), reasons);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "lost", _("Mark as _Lost"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "lost", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "lost");
  g_object_set_data (G_OBJECT (dialog), "reasons", reasons);
  g_object_set_data_full (G_OBJECT (dialog), "keys", keys, (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (dialog), "lead-id", GSIZE_TO_POINTER (crm_lead_get_id (lead)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_lost_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_undo_delete_cb (AdwToast     *toast,
                   CrmLeadsView *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "lead-id"));
  g_autoptr(GError) error = NULL;

  if (!crm_store_undelete_lead (self->store, id, &error))
    show_error (self, error);
  else
    self->pending_select_id = id;
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);
  CrmLead *lead = crm_lead_detail_get_lead (self->detail);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwToast *toast;
  gint64 id;

  if (lead == NULL)
    return;

  id = crm_lead_get_id (lead);
  /* TRANSLATORS: toast after deleting a lead */
  title = g_strdup_printf (_("“%s” deleted"), crm_lead_get_title (lead));

  if (!crm_store_delete_lead (self->store, id, &error))
    {
      show_error (self, error);
      return;
    }

  self->selected_id = 0;
  crm_lead_detail_set_lead (self->detail, NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "empty");

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (toast), "lead-id", GSIZE_TO_POINTER (id));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_delete_cb), self, 0);
  if (CRM_IS_WINDOW (root))
    crm_window_add_toast (CRM_WINDOW (root), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);
  g_autoptr(GError) error = NULL;
  gint64 id = selected_lead_id (self);
  gint64 copy;

  if (id == 0)
    return;

  copy = crm_store_duplicate_lead (self->store, id, &error);
  if (copy == 0)
    show_error (self, error);
  else
    {
      self->pending_select_id = copy;
      crm_leads_view_show_lead (self, copy);
    }
}

static void
open_contact_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);
  CrmLead *lead = crm_lead_detail_get_lead (self->detail);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (lead != NULL && crm_lead_get_contact_id (lead) > 0 && CRM_IS_WINDOW (root))
    crm_window_show_contact (CRM_WINDOW (root), crm_lead_get_contact_id (lead));
}

/* -------------------------------------------------------------- overrides */

/* Off screen (another page of the window is shown), store changes only
 * mark the list stale: it queries once when it is shown again, instead of
 * listing up to a million leads after every edit made elsewhere, on the
 * reader connection that the Statistics and Pipeline queries share. */
static void
crm_leads_view_map (GtkWidget *widget)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);

  GTK_WIDGET_CLASS (crm_leads_view_parent_class)->map (widget);

  if (self->model != NULL)
    crm_lead_list_model_set_paused (self->model, FALSE);
}

static void
crm_leads_view_unmap (GtkWidget *widget)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (widget);

  if (self->model != NULL)
    crm_lead_list_model_set_paused (self->model, TRUE);

  GTK_WIDGET_CLASS (crm_leads_view_parent_class)->unmap (widget);
}

static void
crm_leads_view_dispose (GObject *object)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (object);

  /* tearing down the column view removes its columns, which changes its
   * sorter: don't react to that with column_view already cleared */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                          on_column_view_sorter_changed_cb, self);

  g_cancellable_cancel (self->footer_cancellable);
  g_clear_object (&self->footer_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_LEADS_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->column_actions);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_leads_view_parent_class)->dispose (object);
}

static void
crm_leads_view_finalize (GObject *object)
{
  CrmLeadsView *self = CRM_LEADS_VIEW (object);

  crm_lead_filter_free (self->filter);

  G_OBJECT_CLASS (crm_leads_view_parent_class)->finalize (object);
}

static void
crm_leads_view_class_init (CrmLeadsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_leads_view_dispose;
  widget_class->map = crm_leads_view_map;
  widget_class->unmap = crm_leads_view_unmap;
  object_class->finalize = crm_leads_view_finalize;

  g_type_ensure (CRM_TYPE_LEAD_DETAIL);
  g_type_ensure (CRM_TYPE_LEAD_FILTER_BAR);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-leads-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, absolute_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, weighted_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, unconverted_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, detail);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadsView, back_button);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_filters_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed_cb);

  gtk_widget_class_install_action (widget_class, "lead.new-report", NULL, new_report_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "lead.new-report", NULL);
  gtk_widget_class_install_action (widget_class, "lead.next-phase", NULL, step_phase_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "lead.next-phase", NULL);
  gtk_widget_class_install_action (widget_class, "lead.previous-phase", NULL, step_phase_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "lead.previous-phase", NULL);
  gtk_widget_class_install_action (widget_class, "lead.won", NULL, won_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_W, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "lead.won", NULL);
  gtk_widget_class_install_action (widget_class, "lead.lost", NULL, lost_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_L, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "lead.lost", NULL);
  gtk_widget_class_install_action (widget_class, "lead.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "lead.delete", NULL);
  gtk_widget_class_install_action (widget_class, "lead.duplicate", NULL, duplicate_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "lead.duplicate", NULL);
  gtk_widget_class_install_action (widget_class, "lead.open-contact", NULL, open_contact_action);
}

static void
crm_leads_view_init (CrmLeadsView *self)
{
  self->filter = crm_lead_filter_new ();
  self->filter->status_class = CRM_STATUS_FILTER_OPEN;
  self->filter->sort = CRM_LEAD_SORT_UPDATED;
  self->filter->descending = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8: factories before the model, or cells stay empty */
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, GINT_TO_POINTER (i), NULL));
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "view", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), GINT_TO_POINTER (i));

      column = gtk_column_view_column_new (g_dgettext (GETTEXT_PACKAGE, columns[i].title), factory);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, columns[i].width);
      if (i == COLUMN_TITLE)
        gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
      self->view_columns[i] = column;
      g_object_unref (sorter);
      g_object_unref (column);
    }

  self->column_actions = g_simple_action_group_new ();
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (columns[i].id, NULL,
                                                                      g_variant_new_boolean (TRUE));

      g_simple_action_set_enabled (action, i != COLUMN_TITLE);
      g_signal_connect_object (action, "change-state",
                               G_CALLBACK (on_column_action_change_state_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", G_ACTION_GROUP (self->column_actions));

  update_actions (self);
}

/* ----------------------------------------------------------------- public */

void
crm_leads_view_set_store (CrmLeadsView *self,
                          CrmStore     *store,
                          GSettings    *settings)
{
  g_autofree char *sort_column = NULL;
  g_auto(GStrv) visible = NULL;
  gboolean descending = TRUE;

  g_return_if_fail (CRM_IS_LEADS_VIEW (self));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->settings = settings ? g_object_ref (settings) : NULL;
  crm_lead_detail_set_store (self->detail, store);

  self->model = crm_lead_list_model_new (store);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_model_loading_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "lead-changed",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  if (settings != NULL)
    {
      sort_column = g_settings_get_string (settings, "sort-column");
      descending = g_settings_get_boolean (settings, "sort-descending");
      visible = g_settings_get_strv (settings, "visible-columns");

      for (guint i = 0; i < N_COLUMNS; i++)
        {
          gboolean shown = i == COLUMN_TITLE || g_strv_contains ((const char * const *) visible, columns[i].id);

          gtk_column_view_column_set_visible (self->view_columns[i], shown);
          g_action_group_change_action_state (G_ACTION_GROUP (self->column_actions), columns[i].id,
                                              g_variant_new_boolean (shown));
        }

    }

  crm_lead_filter_bar_set_store (self->filter_bar, store);
  if (settings != NULL)
    {
      g_autofree char *status = g_settings_get_string (settings, "status-filter");
      g_autoptr(CrmLeadFilter) shown = crm_lead_filter_copy (crm_lead_filter_bar_get_filter (self->filter_bar));

      for (guint i = 0; i < G_N_ELEMENTS (status_filter_names); i++)
        if (g_strcmp0 (status, status_filter_names[i]) == 0)
          shown->status_class = status_filters[i];
      crm_lead_filter_bar_set_filter (self->filter_bar, shown);
    }

  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_strcmp0 (sort_column, columns[i].id) == 0)
      {
        gtk_column_view_sort_by_column (self->column_view, self->view_columns[i],
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
        self->filter->sort = columns[i].sort;
        self->filter->descending = descending;
      }

  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_column_view_sorter_changed_cb), self, G_CONNECT_SWAPPED);

  apply_filter (self);
  crm_lead_list_model_refresh (self->model);
}

CrmLeadListModel *
crm_leads_view_get_model (CrmLeadsView *self)
{
  g_return_val_if_fail (CRM_IS_LEADS_VIEW (self), NULL);

  return self->model;
}

CrmLead *
crm_leads_view_get_selected_lead (CrmLeadsView *self)
{
  g_return_val_if_fail (CRM_IS_LEADS_VIEW (self), NULL);

  return crm_lead_detail_get_lead (self->detail);
}

CrmLeadDetail *
crm_leads_view_get_detail (CrmLeadsView *self)
{
  g_return_val_if_fail (CRM_IS_LEADS_VIEW (self), NULL);

  return self->detail;
}

/* Creates a lead and opens it with its title ready to type over. */
void
crm_leads_view_new_lead (CrmLeadsView *self)
{
  g_autoptr(GError) error = NULL;
  CrmFieldValue title = { "title", _("New lead") };
  g_autoptr(CrmLead) lead = NULL;
  gint64 id;

  g_return_if_fail (CRM_IS_LEADS_VIEW (self));

  id = crm_store_create_lead (self->store, &title, 1, &error);
  if (id == 0)
    {
      show_error (self, error);
      return;
    }

  /* a new lead is open: make sure the filter shows it */
  if (self->filter->status_class == CRM_STATUS_FILTER_WON || self->filter->status_class == CRM_STATUS_FILTER_LOST ||
      self->filter->status != NULL || crm_lead_filter_has_statuses (self->filter))
    {
      g_autoptr(CrmLeadFilter) shown = crm_lead_filter_copy (crm_lead_filter_bar_get_filter (self->filter_bar));

      shown->status_class = CRM_STATUS_FILTER_OPEN;
      crm_lead_filter_set_string (&shown->status, NULL);
      crm_lead_filter_set_statuses (shown, NULL);
      crm_lead_filter_bar_set_filter (self->filter_bar, shown);
    }

  lead = crm_store_get_lead (self->store, id, NULL);
  self->selected_id = id;
  self->pending_select_id = id;
  crm_lead_detail_set_lead (self->detail, lead);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  update_actions (self);
  crm_lead_detail_focus_title (self->detail);
}

void
crm_leads_view_focus_search (CrmLeadsView *self)
{
  g_return_if_fail (CRM_IS_LEADS_VIEW (self));

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  crm_lead_filter_bar_focus_search (self->filter_bar);
}

void
crm_leads_view_set_search (CrmLeadsView *self,
                           const char   *text)
{
  g_return_if_fail (CRM_IS_LEADS_VIEW (self));

  crm_lead_filter_bar_set_search (self->filter_bar, text);
}

/**
 * crm_leads_view_set_filter:
 * @filter: which leads to list (its sort is ignored: the view keeps its own)
 *
 * Lists exactly the leads of @filter, shown in the filter bar; for views
 * that open the leads behind a figure (a chart bar, a table row).
 */
void
crm_leads_view_set_filter (CrmLeadsView        *self,
                           const CrmLeadFilter *filter)
{
  g_return_if_fail (CRM_IS_LEADS_VIEW (self));
  g_return_if_fail (filter != NULL);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  crm_lead_filter_bar_set_filter (self->filter_bar, filter);
}

/* The filter of the list: the filter bar's plus the sort. */
const CrmLeadFilter *
crm_leads_view_get_filter (CrmLeadsView *self)
{
  g_return_val_if_fail (CRM_IS_LEADS_VIEW (self), NULL);

  return self->filter;
}

/* Shows lead @id, widening the filters if they hide it. */
void
crm_leads_view_show_lead (CrmLeadsView *self,
                          gint64        id)
{
  g_autoptr(CrmLead) lead = NULL;

  g_return_if_fail (CRM_IS_LEADS_VIEW (self));

  lead = crm_store_get_lead (self->store, id, NULL);
  if (lead == NULL)
    return;

  if (crm_lead_list_model_find (self->model, id) == G_MAXUINT)
    on_clear_filters_cb (self);

  self->selected_id = id;
  self->pending_select_id = id;
  select_id (self, id);
  crm_lead_detail_set_lead (self->detail, lead);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  update_actions (self);
}

/* "columns.<id>" actions: which columns show; for the window's menu. */
GActionGroup *
crm_leads_view_get_column_actions (CrmLeadsView *self)
{
  g_return_val_if_fail (CRM_IS_LEADS_VIEW (self), NULL);

  return G_ACTION_GROUP (self->column_actions);
}

char *
crm_leads_view_dup_footer_text (CrmLeadsView *self)
{
  g_return_val_if_fail (CRM_IS_LEADS_VIEW (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->unconverted_label)))
    return g_strdup_printf ("%s | %s | %s | %s",
                            gtk_label_get_label (self->count_label),
                            gtk_label_get_label (self->absolute_label),
                            gtk_label_get_label (self->weighted_label),
                            gtk_label_get_label (self->unconverted_label));
  return g_strdup_printf ("%s | %s | %s",
                          gtk_label_get_label (self->count_label),
                          gtk_label_get_label (self->absolute_label),
                          gtk_label_get_label (self->weighted_label));
}

/* A read-only user (team server): every editing action off, the detail
 * insensitive; looking, searching and filtering stay. */
void
crm_leads_view_set_read_only (CrmLeadsView *self,
                              gboolean      read_only)
{
  g_return_if_fail (CRM_IS_LEADS_VIEW (self));

  self->read_only = !!read_only;
  crm_lead_detail_set_read_only (self->detail, read_only);
  update_actions (self);
}
