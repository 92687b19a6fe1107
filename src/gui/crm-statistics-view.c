/* crm-statistics-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Statistics view: the Leads view's filter bar over the funnel and the
 * monthly forecast and three tables (by status, by phase, by close month),
 * each with count, volume and weighted volume and a total row.
 *
 * Every figure comes from crm_store_query_stats(): the view never adds
 * anything up itself. One refresh asks six queries at once on the store's
 * worker threads (the three tables, the funnel's open leads by phase, the
 * forecast's open and won leads by month) and shows the six results
 * together when the last one is in, so tables and charts always agree.
 * Refreshes are coalesced: store signals (lead-changed, leads-changed,
 * key-values-changed, rates-changed) and filter changes only mark the view
 * dirty; one refresh starts in an idle, at most every REFRESH_INTERVAL_MS,
 * and only while the view is mapped (otherwise when it is next shown). A
 * new refresh cancels the queries of the one before. Old figures stay on
 * screen while new ones are counted; a spinner says so.
 *
 * Leads in a currency without an exchange rate are in no row; a banner
 * names them per currency with a button to the exchange rates.
 *
 * Activating a group (a chart band or bar, a table row) opens the Leads
 * view on exactly those leads: crm_statistics_view_dup_group_filter() makes
 * the filter. Export (charts as PNG/SVG/PDF, tables as CSV) and printing
 * are in crm-statistics-export.c.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-forecast-chart.h"
#include "crm-funnel-chart.h"
#include "crm-lead-filter-bar.h"
#include "crm-leads-view.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-statistics-view.h"
#include "crm-statistics-view-private.h"
#include "crm-stats-ui.h"
#include "crm-stats-item.h"
#include "crm-window.h"

/* ---------------------------------------------------------------- structs */

#define REFRESH_INTERVAL_MS 100

typedef enum {
  COLUMN_LABEL,
  COLUMN_COUNT,
  COLUMN_ABSOLUTE,
  COLUMN_WEIGHTED,
  N_COLUMNS
} Column;

/* One refresh: six queries in flight, shown together. */
typedef struct {
  CrmStatisticsView *self;            /* owned */
  GCancellable      *cancellable;
  CrmStats          *results[N_QUERIES];
  guint              pending;
  gint64             requested_at;    /* monotonic µs of the first change it answers */
} Refresh;

struct _CrmStatisticsView
{
  GtkWidget        parent_instance;

  CrmStore        *store;
  CrmStats        *stats[N_QUERIES];
  GtkColumnView   *tables[N_TABLES];
  GListStore      *table_items[N_TABLES];   /* CrmStatsItem */
  Refresh         *refresh;           /* the one in flight, not owned */
  guint            refresh_source;
  gboolean         dirty;
  gint64           dirty_since;       /* monotonic µs */
  gint64           last_started;      /* monotonic µs */
  gint64           last_latency;      /* µs from a change to its figures on screen */
  guint            generation;
  CrmMonth         forecast_from;
  CrmMonth         forecast_to;

  /* template */
  GtkWidget       *main_box;
  CrmLeadFilterBar *filter_bar;
  GtkSpinner      *refresh_spinner;
  GtkMenuButton   *export_button;
  GtkRevealer     *rates_revealer;
  GtkLabel        *rates_label;
  GtkStack        *stack;
  GtkSpinner      *loading_spinner;
  GtkFlowBox      *charts_flow;
  GtkFlowBox      *tables_flow;
  GtkWidget       *funnel_card;
  GtkWidget       *forecast_card;
  GtkLabel        *forecast_caption;
  CrmFunnelChart  *funnel_chart;
  CrmForecastChart *forecast_chart;
};

G_DEFINE_FINAL_TYPE (CrmStatisticsView, crm_statistics_view, GTK_TYPE_WIDGET)

/* ----------------------------------------------------- enums and statics */

const CrmStatisticsTable crm_statistics_tables[N_TABLES] = {
  { "status", CRM_STATS_BY_STATUS, N_("By Status"), N_("Status") },
  { "phase", CRM_STATS_BY_PHASE, N_("By Phase"), N_("Phase") },
  { "month", CRM_STATS_BY_MONTH, N_("By Close Month"), N_("Close month") },
};

static const struct {
  const char *title;
  gboolean    numeric;
} columns[N_COLUMNS] = {
  { NULL, FALSE },   /* the table's group title */
  { N_("Leads"), TRUE },
  { N_("Volume"), TRUE },
  { N_("Weighted"), TRUE },
};

/* ------------------------------------------------------ auxiliary methods */

static void
refresh_free (Refresh *refresh)
{
  g_clear_object (&refresh->self);
  g_clear_object (&refresh->cancellable);
  for (guint i = 0; i < N_QUERIES; i++)
    g_clear_object (&refresh->results[i]);
}

static Refresh *
refresh_ref (Refresh *refresh)
{
  return g_rc_box_acquire (refresh);
}

static void
refresh_unref (Refresh *refresh)
{
  g_rc_box_release_full (refresh, (GDestroyNotify) refresh_free);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Refresh, refresh_unref)

/* The text of one cell; shared by the tables, CSV and print. */
char *
_crm_statistics_format_cell (CrmStats          *stats,
                             const CrmStatsRow *row,
                             guint              column)
{
  switch (column)
    {
    case COLUMN_LABEL:
      return g_strdup (row->label);
    case COLUMN_COUNT:
      return g_strdup_printf ("%'lld", (long long) row->count);
    case COLUMN_ABSOLUTE:
      return crm_money_format (row->absolute_minor, crm_stats_get_currency (stats));
    case COLUMN_WEIGHTED:
      return crm_money_format (row->weighted_minor, crm_stats_get_currency (stats));
    default:
      g_assert_not_reached ();
    }
}

/* The close months the forecast shows: the filter's range, or this month
 * and the next eleven (a missing end is eleven months from the other). */
static void
forecast_range (CrmStatisticsView *self,
                CrmMonth          *out_from,
                CrmMonth          *out_to)
{
  const CrmLeadFilter *filter = crm_lead_filter_bar_get_filter (self->filter_bar);
  CrmMonth from = filter->close_from;
  CrmMonth to = filter->close_to;

  if (from == CRM_MONTH_NONE && to == CRM_MONTH_NONE)
    from = crm_month_current ();
  if (from == CRM_MONTH_NONE)
    from = crm_month_add (to, -11);
  if (to == CRM_MONTH_NONE || to < from)
    to = crm_month_add (from, 11);

  *out_from = from;
  *out_to = to;
}

/* The filter of one query, or NULL when no lead can match it (the funnel
 * of a view filtered to won leads). */
static CrmLeadFilter *
query_filter (CrmStatisticsView *self,
              Query              query)
{
  const CrmLeadFilter *shown = crm_lead_filter_bar_get_filter (self->filter_bar);
  CrmLeadFilter *filter = crm_lead_filter_copy (shown);
  CrmStatusFilter want = CRM_STATUS_FILTER_ANY;

  if (query == QUERY_FUNNEL || query == QUERY_OPEN)
    want = CRM_STATUS_FILTER_OPEN;
  else if (query == QUERY_WON)
    want = CRM_STATUS_FILTER_WON;

  if (want != CRM_STATUS_FILTER_ANY)
    {
      if (filter->status_class != CRM_STATUS_FILTER_ANY && filter->status_class != want)
        {
          crm_lead_filter_free (filter);
          return NULL;
        }
      filter->status_class = want;
    }

  if (query == QUERY_OPEN || query == QUERY_WON)
    {
      filter->close_from = self->forecast_from;
      filter->close_to = self->forecast_to;
    }

  return filter;
}

static CrmStatsBy
query_by (Query query)
{
  switch (query)
    {
    case QUERY_STATUS:
      return CRM_STATS_BY_STATUS;
    case QUERY_PHASE:
    case QUERY_FUNNEL:
      return CRM_STATS_BY_PHASE;
    case QUERY_MONTH:
    case QUERY_OPEN:
    case QUERY_WON:
    case N_QUERIES:
    default:
      return CRM_STATS_BY_MONTH;
    }
}

static void
update_banner (CrmStatisticsView *self)
{
  CrmStats *stats = self->stats[QUERY_STATUS];
  g_autofree char *list = stats != NULL ? crm_stats_ui_describe_unconverted (stats) : NULL;

  if (list != NULL)
    {
      /* TRANSLATORS: %s is a list such as "3 leads in USD ($12,000.00), 1 lead in CHF (CHF 500.00)" */
      g_autofree char *text = g_strdup_printf (_("Not counted, no exchange rate: %s"), list);

      gtk_label_set_label (self->rates_label, text);
    }
  gtk_revealer_set_reveal_child (self->rates_revealer, list != NULL);
}

static void
set_table (CrmStatisticsView *self,
           guint              table)
{
  if (self->stats[table] != NULL)
    crm_stats_item_list_update (self->table_items[table], self->stats[table]);
}

static void
update_forecast_caption (CrmStatisticsView *self)
{
  g_autofree char *from = crm_month_format (self->forecast_from);
  g_autofree char *to = crm_month_format (self->forecast_to);
  g_autofree char *text = NULL;

  /* TRANSLATORS: the forecast chart's caption, "Open leads by expected close month, March 2027 – February 2028; won volume as actuals" */
  text = g_strdup_printf (_("Open leads by expected close month, %s – %s; won volume as actuals"), from, to);
  gtk_label_set_label (self->forecast_caption, text);
}

static void
show_results (CrmStatisticsView *self,
              Refresh           *refresh)
{
  CrmStats *total_stats;
  const CrmStatsRow *total;

  for (guint i = 0; i < N_QUERIES; i++)
    g_set_object (&self->stats[i], refresh->results[i]);

  for (guint i = 0; i < N_TABLES; i++)
    set_table (self, i);
  _crm_statistics_view_update_charts (self);
  update_forecast_caption (self);
  update_banner (self);

  total_stats = self->stats[QUERY_STATUS];
  total = crm_stats_get_total (total_stats);
  if (total->count == 0 && crm_stats_get_n_unconverted (total_stats) == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "content");

  self->last_latency = g_get_monotonic_time () - refresh->requested_at;
  self->generation++;
  g_debug ("statistics %u shown %.1f ms after the change", self->generation, self->last_latency / 1000.0);
}

static void
set_busy (CrmStatisticsView *self,
          gboolean           busy)
{
  gtk_spinner_set_spinning (self->refresh_spinner, busy && self->stats[QUERY_STATUS] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), busy && self->stats[QUERY_STATUS] != NULL);
}

/* What one query's callback needs: its refresh and its slot. */
typedef struct {
  Refresh *refresh;
  Query    query;
} QueryCall;

static void
on_query_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  QueryCall *call = user_data;
  g_autoptr(Refresh) refresh = call->refresh;
  Query query = call->query;
  g_autoptr(GError) error = NULL;
  CrmStats *stats;
  CrmStatisticsView *self = refresh->self;

  g_free (call);

  stats = crm_store_query_stats_finish (CRM_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->refresh != refresh)
    {
      g_clear_object (&stats);
      return;
    }

  if (stats == NULL)
    {
      g_cancellable_cancel (refresh->cancellable);
      self->refresh = NULL;
      set_busy (self, FALSE);
      _crm_statistics_report_error (GTK_WIDGET (self), error);
      return;
    }

  refresh->results[query] = stats;
  if (--refresh->pending > 0)
    return;

  self->refresh = NULL;
  set_busy (self, FALSE);
  show_results (self, refresh);
}

/* ---------------------------------------------------------------- charts */

static void
on_phase_activated_cb (CrmFunnelChart    *chart,
                       const char        *phase,
                       CrmStatisticsView *self)
{
  g_autofree char *group = g_strdup_printf ("funnel:%s", phase);

  gtk_widget_activate_action (GTK_WIDGET (self), "stats.show-leads", "s", group);
}

static void
on_month_activated_cb (CrmForecastChart  *chart,
                       const char        *month,
                       gboolean           won,
                       CrmStatisticsView *self)
{
  g_autofree char *group = g_strdup_printf ("%s:%s", won ? "actual" : "forecast", month);

  gtk_widget_activate_action (GTK_WIDGET (self), "stats.show-leads", "s", group);
}

void
_crm_statistics_view_add_charts (CrmStatisticsView *self)
{
  self->funnel_chart = CRM_FUNNEL_CHART (crm_funnel_chart_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->funnel_chart), -1, 280);
  gtk_widget_set_vexpand (GTK_WIDGET (self->funnel_chart), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->funnel_chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Funnel"), -1);
  g_signal_connect_object (self->funnel_chart, "phase-activated", G_CALLBACK (on_phase_activated_cb), self, 0);
  gtk_box_append (GTK_BOX (self->funnel_card), GTK_WIDGET (self->funnel_chart));

  self->forecast_chart = CRM_FORECAST_CHART (crm_forecast_chart_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->forecast_chart), -1, 280);
  gtk_widget_set_vexpand (GTK_WIDGET (self->forecast_chart), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->forecast_chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Monthly Forecast"), -1);
  g_signal_connect_object (self->forecast_chart, "month-activated", G_CALLBACK (on_month_activated_cb), self, 0);
  gtk_box_append (GTK_BOX (self->forecast_card), GTK_WIDGET (self->forecast_chart));
}

void
_crm_statistics_view_update_charts (CrmStatisticsView *self)
{
  crm_funnel_chart_set_stats (self->funnel_chart, self->stats[QUERY_FUNNEL]);
  crm_forecast_chart_set_range (self->forecast_chart, self->forecast_from, self->forecast_to);
  crm_forecast_chart_set_stats (self->forecast_chart, self->stats[QUERY_OPEN], self->stats[QUERY_WON]);
}

CrmFunnelChart *
crm_statistics_view_get_funnel_chart (CrmStatisticsView *self)
{
  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), NULL);

  return self->funnel_chart;
}

CrmForecastChart *
crm_statistics_view_get_forecast_chart (CrmStatisticsView *self)
{
  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), NULL);

  return self->forecast_chart;
}

/* ---------------------------------------------------------- the refresh */

static void start_refresh (CrmStatisticsView *self);

static gboolean
refresh_cb (gpointer user_data)
{
  CrmStatisticsView *self = user_data;

  self->refresh_source = 0;
  start_refresh (self);

  return G_SOURCE_REMOVE;
}

/* Marks the figures stale; one refresh follows in an idle (or at most
 * every REFRESH_INTERVAL_MS), when the view is on screen. */
static void
queue_refresh (CrmStatisticsView *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait_ms;

  if (!self->dirty)
    self->dirty_since = now;
  self->dirty = TRUE;

  if (self->store == NULL || self->refresh_source != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  wait_ms = (self->last_started + REFRESH_INTERVAL_MS * G_TIME_SPAN_MILLISECOND - now) / G_TIME_SPAN_MILLISECOND;
  /* default priority: starting the queries costs next to nothing, and
   * waiting behind a redraw would add a frame to the latency */
  if (wait_ms <= 0)
    self->refresh_source = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_cb, self, NULL);
  else
    self->refresh_source = g_timeout_add_full (G_PRIORITY_DEFAULT, wait_ms, refresh_cb, self, NULL);
}

static CrmStats *
empty_result (CrmStatisticsView *self,
              CrmStatsBy         by)
{
  CrmStats *stats = crm_stats_new (by, crm_store_get_default_currency (self->store));
  CrmStatsRow total = { (char *) "", (char *) _("Total"), CRM_MONTH_NONE, 0, 0, 0 };

  crm_stats_set_total (stats, &total);
  return stats;
}

static void
start_refresh (CrmStatisticsView *self)
{
  g_autoptr(Refresh) refresh = NULL;
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store == NULL)
    return;

  if (self->refresh != NULL)
    {
      g_cancellable_cancel (self->refresh->cancellable);
      self->refresh = NULL;
    }

  refresh = g_rc_box_new0 (Refresh);
  refresh->self = g_object_ref (self);
  refresh->cancellable = g_cancellable_new ();
  refresh->requested_at = self->dirty ? self->dirty_since : g_get_monotonic_time ();
  self->refresh = refresh;
  self->dirty = FALSE;
  self->last_started = g_get_monotonic_time ();

  forecast_range (self, &self->forecast_from, &self->forecast_to);
  refresh->pending = N_QUERIES;
  for (guint q = 0; q < N_QUERIES; q++)
    {
      g_autoptr(CrmLeadFilter) filter = query_filter (self, q);
      CrmMonth from = filter != NULL ? filter->close_from : CRM_MONTH_NONE;
      CrmMonth to = filter != NULL ? filter->close_to : CRM_MONTH_NONE;
      QueryCall *call;

      if (filter == NULL)
        {
          refresh->results[q] = empty_result (self, query_by (q));
          refresh->pending--;
          continue;
        }

      call = g_new (QueryCall, 1);
      call->refresh = refresh_ref (refresh);
      call->query = q;
      crm_store_query_stats_async (self->store, query_by (q), filter, from, to,
                                   refresh->cancellable, on_query_done_cb, call);
    }

  set_busy (self, TRUE);
}

/* -------------------------------------------------------------- callbacks */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), columns[column].numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), column == COLUMN_LABEL ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  if (columns[column].numeric)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "crm-column", user_data);
  gtk_list_item_set_child (item, label);
}

static void
update_cell (GtkListItem *item)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "crm-column"));
  CrmStatsItem *stats_item = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = _crm_statistics_format_cell (crm_stats_item_get_stats (stats_item),
                                                       crm_stats_item_get_row (stats_item), column);

  gtk_label_set_label (GTK_LABEL (label), text);
  if (crm_stats_item_is_total (stats_item))
    gtk_widget_add_css_class (label, "stats-total");
  else
    gtk_widget_remove_css_class (label, "stats-total");
}

static void
on_cell_item_notify_cb (GObject    *stats_item,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  update_cell (GTK_LIST_ITEM (user_data));
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  CrmStatsItem *stats_item = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  gulong handler;

  g_object_set_data (G_OBJECT (item), "crm-column", user_data);
  update_cell (item);
  handler = g_signal_connect (stats_item, "notify::stats", G_CALLBACK (on_cell_item_notify_cb), item);
  g_object_set_data (G_OBJECT (item), "crm-handler", GSIZE_TO_POINTER (handler));
  g_object_set_data (G_OBJECT (label), "crm-stats-item", stats_item);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  CrmStatsItem *stats_item = gtk_list_item_get_item (item);
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "crm-handler"));

  if (stats_item != NULL && handler != 0)
    g_signal_handler_disconnect (stats_item, handler);
  g_object_set_data (G_OBJECT (item), "crm-handler", NULL);
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "crm-stats-item", NULL);
}

/* "status:KEY", "phase:KEY", "month:YYYY-MM", "month:" or "" (total). */
static char *
table_group (guint         table,
             CrmStatsItem *item)
{
  if (crm_stats_item_is_total (item))
    return g_strdup ("");

  return g_strdup_printf ("%s:%s", crm_statistics_tables[table].id, crm_stats_item_get_row (item)->key);
}

static void
on_table_activate_cb (GtkColumnView *view,
                      guint          position,
                      gpointer       user_data)
{
  CrmStatisticsView *self = user_data;
  g_autoptr(CrmStatsItem) item = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), position);
  guint table = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), "crm-table"));
  g_autofree char *group = NULL;

  if (item == NULL)
    return;

  group = table_group (table, item);
  gtk_widget_activate_action (GTK_WIDGET (self), "stats.show-leads", "s", group);
}

static void
on_filter_changed_cb (CrmStatisticsView *self)
{
  queue_refresh (self);
}

static void
on_clear_filters_cb (CrmStatisticsView *self)
{
  crm_lead_filter_bar_clear (self->filter_bar);
}

static void
on_store_changed_cb (CrmStatisticsView *self)
{
  queue_refresh (self);
}

/* ---------------------------------------------------------------- actions */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrmStatisticsView *self = CRM_STATISTICS_VIEW (widget);

  if (!self->dirty)
    self->dirty_since = g_get_monotonic_time ();
  self->dirty = TRUE;
  start_refresh (self);
}

static void
show_leads_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmStatisticsView *self = CRM_STATISTICS_VIEW (widget);
  g_autoptr(CrmLeadFilter) filter = crm_statistics_view_dup_group_filter (self, g_variant_get_string (parameter, NULL));
  GtkRoot *root = gtk_widget_get_root (widget);

  if (filter == NULL || !CRM_IS_WINDOW (root))
    return;

  crm_window_show_view (CRM_WINDOW (root), "leads");
  crm_leads_view_set_filter (crm_window_get_leads_view (CRM_WINDOW (root)), filter);
}

static void
export_menu_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmStatisticsView *self = CRM_STATISTICS_VIEW (widget);

  /* the shortcut is window-wide: only while the view is on screen */
  if (gtk_widget_get_mapped (widget))
    gtk_menu_button_popup (self->export_button);
}

/* -------------------------------------------------------------- overrides */

static void
crm_statistics_view_map (GtkWidget *widget)
{
  CrmStatisticsView *self = CRM_STATISTICS_VIEW (widget);

  GTK_WIDGET_CLASS (crm_statistics_view_parent_class)->map (widget);

  if (self->dirty)
    queue_refresh (self);
}

static void
crm_statistics_view_dispose (GObject *object)
{
  CrmStatisticsView *self = CRM_STATISTICS_VIEW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->refresh != NULL)
    {
      g_cancellable_cancel (self->refresh->cancellable);
      self->refresh = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_STATISTICS_VIEW);
  for (guint i = 0; i < N_QUERIES; i++)
    g_clear_object (&self->stats[i]);
  for (guint i = 0; i < N_TABLES; i++)
    g_clear_object (&self->table_items[i]);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_statistics_view_parent_class)->dispose (object);
}

static void
crm_statistics_view_class_init (CrmStatisticsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_statistics_view_dispose;
  widget_class->map = crm_statistics_view_map;

  g_type_ensure (CRM_TYPE_LEAD_FILTER_BAR);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-statistics-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, main_box);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, export_button);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, rates_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, rates_label);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, charts_flow);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, tables_flow);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, funnel_card);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, forecast_card);
  gtk_widget_class_bind_template_child (widget_class, CrmStatisticsView, forecast_caption);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_filters_cb);

  gtk_widget_class_install_action (widget_class, "stats.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "stats.show-leads", "s", show_leads_action);
  gtk_widget_class_install_action (widget_class, "stats.export", NULL, export_menu_action);
  _crm_statistics_export_install_actions (widget_class);
}

/* One table: a card with its title, an export button and the column view. */
static GtkWidget *
make_table (CrmStatisticsView *self,
            guint              table)
{
  const CrmStatisticsTable *info = &crm_statistics_tables[table];
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (g_dgettext (GETTEXT_PACKAGE, info->title));
  GtkWidget *button = gtk_button_new_from_icon_name ("document-save-symbolic");
  GtkColumnView *view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  g_autofree char *tooltip = NULL;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "stats-card");
  gtk_widget_set_valign (card, GTK_ALIGN_START);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (header), title);

  /* TRANSLATORS: the export button of a table, "Export By Status as CSV" */
  tooltip = g_strdup_printf (_("Export “%s” as CSV"), g_dgettext (GETTEXT_PACKAGE, info->title));
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "stats.export-table");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", info->id);
  gtk_box_append (GTK_BOX (header), button);
  gtk_box_append (GTK_BOX (card), header);

  /* GTK 4.8: factories before the model, or cells stay empty */
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      const char *column_title = c == COLUMN_LABEL ? info->group_title : columns[c].title;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (g_dgettext (GETTEXT_PACKAGE, column_title), factory);
      gtk_column_view_column_set_expand (column, c == COLUMN_LABEL);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (view, column);
      g_object_unref (column);
    }
  gtk_column_view_set_show_row_separators (view, TRUE);
  gtk_column_view_set_single_click_activate (view, FALSE);
  gtk_column_view_set_reorderable (view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (view), "data-table");
  gtk_widget_add_css_class (GTK_WIDGET (view), "stats-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  g_dgettext (GETTEXT_PACKAGE, info->title), -1);
  g_object_set_data (G_OBJECT (view), "crm-table", GUINT_TO_POINTER (table));
  g_signal_connect_object (view, "activate", G_CALLBACK (on_table_activate_cb), self, 0);

  self->table_items[table] = g_list_store_new (CRM_TYPE_STATS_ITEM);
  {
    GtkNoSelection *selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->table_items[table])));

    gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
    g_object_unref (selection);
  }

  /* no scrolled window of its own: the page scrolls, every row shows */
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (view));

  self->tables[table] = view;
  return card;
}

/* Flow box children are not stops of their own for the keyboard. */
static void
unfocus_flow_children (GtkFlowBox *flow)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (flow));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

/* The view's shortcuts work wherever the focus is in the window while the
 * view is on screen (the header's buttons have it after a view switch),
 * not only inside the view as class bindings would. */
static void
add_shortcuts (CrmStatisticsView *self)
{
  static const struct { guint key; GdkModifierType mods; const char *action; } shortcuts[] = {
    { GDK_KEY_F5, 0, "stats.refresh" },
    { GDK_KEY_e, GDK_CONTROL_MASK, "stats.export" },
    { GDK_KEY_p, GDK_CONTROL_MASK, "stats.print" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_GLOBAL);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (shortcuts[i].key, shortcuts[i].mods),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
crm_statistics_view_init (CrmStatisticsView *self)
{
  g_autoptr(CrmLeadFilter) all = crm_lead_filter_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  add_shortcuts (self);

  for (guint i = 0; i < N_TABLES; i++)
    gtk_flow_box_append (self->tables_flow, make_table (self, i));
  _crm_statistics_view_add_charts (self);
  unfocus_flow_children (self->tables_flow);
  unfocus_flow_children (self->charts_flow);

  /* statistics count every status unless told otherwise */
  all->status_class = CRM_STATUS_FILTER_ANY;
  crm_lead_filter_bar_set_filter (self->filter_bar, all);

  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->dirty = TRUE;
  self->dirty_since = g_get_monotonic_time ();
}

/* ----------------------------------------------------------------- public */

void
crm_statistics_view_set_store (CrmStatisticsView *self,
                               CrmStore          *store)
{
  static const char *signals[] = { "lead-changed", "leads-changed", "key-values-changed", "rates-changed" };

  g_return_if_fail (CRM_IS_STATISTICS_VIEW (self));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  crm_lead_filter_bar_set_store (self->filter_bar, store);

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_signal_connect_object (store, signals[i], G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);

  queue_refresh (self);
}

CrmLeadFilterBar *
crm_statistics_view_get_filter_bar (CrmStatisticsView *self)
{
  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), NULL);

  return self->filter_bar;
}

/* The result shown in the table @by, or NULL before the first one. */
CrmStats *
crm_statistics_view_get_stats (CrmStatisticsView *self,
                               CrmStatsBy         by)
{
  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), NULL);

  for (guint i = 0; i < N_TABLES; i++)
    if (crm_statistics_tables[i].by == by)
      return self->stats[i];

  return NULL;
}

CrmStats *
_crm_statistics_view_get_query (CrmStatisticsView *self,
                                Query              query)
{
  return self->stats[query];
}

void
_crm_statistics_view_get_forecast_range (CrmStatisticsView *self,
                                         CrmMonth          *out_from,
                                         CrmMonth          *out_to)
{
  *out_from = self->forecast_from;
  *out_to = self->forecast_to;
}

GtkColumnView *
crm_statistics_view_get_table (CrmStatisticsView *self,
                               CrmStatsBy         by)
{
  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), NULL);

  for (guint i = 0; i < N_TABLES; i++)
    if (crm_statistics_tables[i].by == by)
      return self->tables[i];

  return NULL;
}

/* How many results were shown so far: a test waits for it to grow. */
guint
crm_statistics_view_get_generation (CrmStatisticsView *self)
{
  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), 0);

  return self->generation;
}

/* Whether figures are stale or being counted. */
gboolean
crm_statistics_view_get_loading (CrmStatisticsView *self)
{
  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), FALSE);

  return self->dirty || self->refresh != NULL;
}

/* Microseconds from the change that made the last figures stale until
 * they were on screen (the benchmark's figure). */
gint64
crm_statistics_view_get_last_latency (CrmStatisticsView *self)
{
  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), 0);

  return self->last_latency;
}

void
crm_statistics_view_refresh (CrmStatisticsView *self)
{
  g_return_if_fail (CRM_IS_STATISTICS_VIEW (self));

  queue_refresh (self);
}

/**
 * crm_statistics_view_dup_group_filter:
 * @group: "status:KEY", "phase:KEY", "month:YYYY-MM", "month:" (no close
 *   month) for a table row; "funnel:PHASE", "forecast:YYYY-MM" (open) and
 *   "actual:YYYY-MM" (won) for the charts; "" for the total
 *
 * Returns: (nullable): the filter for exactly the leads counted in
 *   @group with the view's filters, or NULL when @group is malformed
 */
CrmLeadFilter *
crm_statistics_view_dup_group_filter (CrmStatisticsView *self,
                                      const char        *group)
{
  g_autoptr(CrmLeadFilter) filter = NULL;
  const char *colon;
  g_autofree char *kind = NULL;
  const char *key;
  CrmMonth month = CRM_MONTH_NONE;

  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), NULL);
  g_return_val_if_fail (group != NULL, NULL);

  if (*group == '\0')
    return crm_lead_filter_copy (crm_lead_filter_bar_get_filter (self->filter_bar));

  colon = strchr (group, ':');
  if (colon == NULL)
    return NULL;
  kind = g_strndup (group, colon - group);
  key = colon + 1;

  if (g_str_equal (kind, "forecast") || g_str_equal (kind, "actual") || (g_str_equal (kind, "month") && *key != '\0'))
    {
      if (!crm_month_parse (key, &month, NULL))
        return NULL;
    }

  if (g_str_equal (kind, "funnel"))
    filter = query_filter (self, QUERY_FUNNEL);
  else if (g_str_equal (kind, "forecast"))
    filter = query_filter (self, QUERY_OPEN);
  else if (g_str_equal (kind, "actual"))
    filter = query_filter (self, QUERY_WON);
  else if (g_str_equal (kind, "status") || g_str_equal (kind, "phase") || g_str_equal (kind, "month"))
    filter = crm_lead_filter_copy (crm_lead_filter_bar_get_filter (self->filter_bar));
  else
    return NULL;

  /* the funnel of won leads: nothing */
  if (filter == NULL)
    return NULL;

  if (g_str_equal (kind, "status"))
    crm_lead_filter_set_string (&filter->status, key);
  else if (g_str_equal (kind, "phase") || g_str_equal (kind, "funnel"))
    crm_lead_filter_set_string (&filter->phase, key);
  else if (month != CRM_MONTH_NONE)
    {
      filter->close_from = month;
      filter->close_to = month;
    }
  else
    {
      filter->close_from = CRM_MONTH_NONE;
      filter->close_to = CRM_MONTH_NONE;
      filter->no_close_month = TRUE;
    }

  return g_steal_pointer (&filter);
}
