/* crm-forecast-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The monthly forecast as a widget: CrmForecastLayout and
 * crm_forecast_paint() from libcrm-charts on the CrmChart base. Each
 * month has two items, its open bars (absolute and weighted) and its won
 * bar, so the keyboard walks Jan open, Jan won, Feb open, …; activating
 * one emits ::month-activated with the month key ("2027-03") and
 * whether it was the won bar, so the Statistics view can open the Leads
 * view filtered to exactly those leads. The range defaults to this month
 * and the next 11.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-chart-export.h"
#include "crm-chart-paint.h"
#include "crm-chart-text.h"
#include "crm-forecast-chart.h"
#include "crm-month.h"
#include "crm-stats.h"

/* ---------------------------------------------------------------- structs */

struct _CrmForecastChart
{
  CrmChart            parent_instance;

  CrmStats           *open;     /* by month, open leads; NULL: nothing yet */
  CrmStats           *won;      /* by month, won leads */
  CrmMonth            first;
  CrmMonth            last;
  CrmForecastLayout  *layout;
};

G_DEFINE_FINAL_TYPE (CrmForecastChart, crm_forecast_chart, CRM_TYPE_CHART)

enum {
  PROP_0,
  PROP_OPEN_STATS,
  PROP_WON_STATS,
  PROP_FIRST_MONTH,
  PROP_LAST_MONTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MONTH_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Two items per month: open, then won. */
#define ITEM(group, part) ((group) * 2 + ((part) == CRM_FORECAST_PART_WON ? 1 : 0))
#define ITEM_GROUP(item)  ((item) / 2)
#define ITEM_IS_WON(item) ((item) % 2 == 1)

/* ------------------------------------------------------ auxiliary methods */

static void
update_description (CrmForecastChart *self)
{
  g_autofree char *description = NULL;

  if (self->open != NULL && self->won != NULL)
    description = crm_chart_text_forecast_description (self->open, self->won, self->first, self->last);
  crm_chart_set_description (CRM_CHART (self),
                             description != NULL ? description : _("No open or won leads in these months"));
  crm_chart_invalidate (CRM_CHART (self));
}

/* ------------------------------------------------------- CrmChart methods */

static void
crm_forecast_chart_relayout (CrmChart                   *chart,
                             double                      width,
                             double                      height,
                             PangoContext               *context,
                             const PangoFontDescription *font)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (chart);
  g_autoptr(CrmStats) empty = NULL;

  g_clear_pointer (&self->layout, crm_forecast_layout_free);
  if (self->open == NULL || self->won == NULL)
    empty = crm_stats_new (CRM_STATS_BY_MONTH, "EUR");
  self->layout = crm_forecast_layout_new (self->open != NULL ? self->open : empty,
                                          self->won != NULL ? self->won : empty,
                                          self->first, self->last,
                                          width, height, context, font);
}

static int
crm_forecast_chart_get_n_items (CrmChart *chart)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (chart);

  return self->layout != NULL ? (int) self->layout->n_groups * 2 : 0;
}

static int
crm_forecast_chart_lookup_item (CrmChart *chart,
                                double    x,
                                double    y)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (chart);
  CrmForecastPart part;
  int group = crm_forecast_layout_lookup_item (self->layout, x, y, &part);

  return group < 0 ? -1 : ITEM (group, part);
}

static void
crm_forecast_chart_paint (CrmChart              *chart,
                          cairo_t               *cr,
                          const CrmChartPalette *palette,
                          int                    highlighted)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (chart);

  crm_forecast_paint (self->layout, cr, palette,
                      highlighted < 0 ? -1 : ITEM_GROUP (highlighted),
                      highlighted >= 0 && ITEM_IS_WON (highlighted) ? CRM_FORECAST_PART_WON
                                                                    : CRM_FORECAST_PART_OPEN);
}

static char *
crm_forecast_chart_dup_tooltip (CrmChart *chart,
                                int       item)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (chart);
  const CrmForecastGroup *group = &self->layout->groups[ITEM_GROUP (item)];

  if (ITEM_IS_WON (item))
    return crm_chart_text_forecast_tooltip (group->month, TRUE, group->won_count,
                                            group->won_absolute_minor, group->won_absolute_minor,
                                            self->layout->frame.currency);

  return crm_chart_text_forecast_tooltip (group->month, FALSE, group->open_count,
                                          group->open_absolute_minor, group->open_weighted_minor,
                                          self->layout->frame.currency);
}

static void
crm_forecast_chart_activate_item (CrmChart *chart,
                                  int       item)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (chart);

  g_signal_emit (self, signals[MONTH_ACTIVATED], 0,
                 self->layout->groups[ITEM_GROUP (item)].key, ITEM_IS_WON (item));
}

/* -------------------------------------------------------------- overrides */

static void
crm_forecast_chart_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (object);

  switch (prop_id)
    {
    case PROP_OPEN_STATS:
      g_value_set_object (value, self->open);
      break;
    case PROP_WON_STATS:
      g_value_set_object (value, self->won);
      break;
    case PROP_FIRST_MONTH:
      g_value_set_int (value, self->first);
      break;
    case PROP_LAST_MONTH:
      g_value_set_int (value, self->last);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_forecast_chart_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (object);

  switch (prop_id)
    {
    case PROP_OPEN_STATS:
      crm_forecast_chart_set_stats (self, g_value_get_object (value), self->won);
      break;
    case PROP_WON_STATS:
      crm_forecast_chart_set_stats (self, self->open, g_value_get_object (value));
      break;
    case PROP_FIRST_MONTH:
      crm_forecast_chart_set_range (self, g_value_get_int (value), MAX (self->last, g_value_get_int (value)));
      break;
    case PROP_LAST_MONTH:
      crm_forecast_chart_set_range (self, MIN (self->first, g_value_get_int (value)), g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_forecast_chart_finalize (GObject *object)
{
  CrmForecastChart *self = CRM_FORECAST_CHART (object);

  g_clear_object (&self->open);
  g_clear_object (&self->won);
  g_clear_pointer (&self->layout, crm_forecast_layout_free);

  G_OBJECT_CLASS (crm_forecast_chart_parent_class)->finalize (object);
}

static void
crm_forecast_chart_class_init (CrmForecastChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrmChartClass *chart_class = CRM_CHART_CLASS (klass);

  object_class->get_property = crm_forecast_chart_get_property;
  object_class->set_property = crm_forecast_chart_set_property;
  object_class->finalize = crm_forecast_chart_finalize;

  chart_class->relayout = crm_forecast_chart_relayout;
  chart_class->get_n_items = crm_forecast_chart_get_n_items;
  chart_class->lookup_item = crm_forecast_chart_lookup_item;
  chart_class->paint = crm_forecast_chart_paint;
  chart_class->dup_tooltip = crm_forecast_chart_dup_tooltip;
  chart_class->activate_item = crm_forecast_chart_activate_item;

  properties[PROP_OPEN_STATS] =
    g_param_spec_object ("open-stats", NULL, NULL, CRM_TYPE_STATS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WON_STATS] =
    g_param_spec_object ("won-stats", NULL, NULL, CRM_TYPE_STATS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* months as year × 12 + (month − 1), see crm-month.h */
  properties[PROP_FIRST_MONTH] =
    g_param_spec_int ("first-month", NULL, NULL, 1, G_MAXINT32, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_MONTH] =
    g_param_spec_int ("last-month", NULL, NULL, 1, G_MAXINT32, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmForecastChart::month-activated:
   * @month: the month key, "YYYY-MM"
   * @won: whether the won bar (else the open bars) was activated
   *
   * A month's bars were clicked or activated with the keyboard.
   */
  signals[MONTH_ACTIVATED] =
    g_signal_new ("month-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_css_name (widget_class, "forecastchart");
}

static void
crm_forecast_chart_init (CrmForecastChart *self)
{
  self->first = crm_month_current ();
  self->last = crm_month_add (self->first, 11);

  gtk_widget_add_css_class (GTK_WIDGET (self), "forecast-chart");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Forecast by expected close month"),
                                  -1);
  update_description (self);
}

/* ------------------------------------------------------------- public API */

GtkWidget *
crm_forecast_chart_new (void)
{
  return g_object_new (CRM_TYPE_FORECAST_CHART, NULL);
}

/**
 * crm_forecast_chart_set_stats:
 * @open: (nullable): a by-month statistic of open leads
 * @won: (nullable): a by-month statistic of won leads
 */
void
crm_forecast_chart_set_stats (CrmForecastChart *self,
                              CrmStats         *open,
                              CrmStats         *won)
{
  gboolean open_changed, won_changed;

  g_return_if_fail (CRM_IS_FORECAST_CHART (self));
  g_return_if_fail (open == NULL || CRM_IS_STATS (open));
  g_return_if_fail (won == NULL || CRM_IS_STATS (won));

  open_changed = g_set_object (&self->open, open);
  won_changed = g_set_object (&self->won, won);
  if (!open_changed && !won_changed)
    return;

  update_description (self);
  if (open_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_STATS]);
  if (won_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WON_STATS]);
}

CrmStats *
crm_forecast_chart_get_open_stats (CrmForecastChart *self)
{
  g_return_val_if_fail (CRM_IS_FORECAST_CHART (self), NULL);

  return self->open;
}

CrmStats *
crm_forecast_chart_get_won_stats (CrmForecastChart *self)
{
  g_return_val_if_fail (CRM_IS_FORECAST_CHART (self), NULL);

  return self->won;
}

/**
 * crm_forecast_chart_set_range:
 * @first: the first month shown
 * @last: the last month shown, @first to @first + 1199
 */
void
crm_forecast_chart_set_range (CrmForecastChart *self,
                              CrmMonth          first,
                              CrmMonth          last)
{
  g_return_if_fail (CRM_IS_FORECAST_CHART (self));
  g_return_if_fail (crm_chart_check_range (first, last, NULL));

  if (self->first == first && self->last == last)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->first != first)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_MONTH]);
  if (self->last != last)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_MONTH]);
  self->first = first;
  self->last = last;
  update_description (self);
  g_object_thaw_notify (G_OBJECT (self));
}

CrmMonth
crm_forecast_chart_get_first_month (CrmForecastChart *self)
{
  g_return_val_if_fail (CRM_IS_FORECAST_CHART (self), CRM_MONTH_NONE);

  return self->first;
}

CrmMonth
crm_forecast_chart_get_last_month (CrmForecastChart *self)
{
  g_return_val_if_fail (CRM_IS_FORECAST_CHART (self), CRM_MONTH_NONE);

  return self->last;
}
