/* crm-funnel-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The funnel of open leads by phase as a widget: CrmFunnelLayout and
 * crm_funnel_paint() from libcrm-charts on the CrmChart base, which
 * brings hover, tooltip, click and keyboard. Activating a band (click,
 * Enter) emits ::phase-activated with the phase key, so the Statistics
 * view can open the Leads view filtered to exactly those leads.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-chart-paint.h"
#include "crm-chart-text.h"
#include "crm-funnel-chart.h"
#include "crm-stats.h"

/* ---------------------------------------------------------------- structs */

struct _CrmFunnelChart
{
  CrmChart          parent_instance;

  CrmStats         *stats;    /* by phase, open leads; NULL: nothing yet */
  CrmFunnelLayout  *layout;
};

G_DEFINE_FINAL_TYPE (CrmFunnelChart, crm_funnel_chart, CRM_TYPE_CHART)

enum {
  PROP_0,
  PROP_STATS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PHASE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------- CrmChart methods */

static void
crm_funnel_chart_relayout (CrmChart                   *chart,
                           double                      width,
                           double                      height,
                           PangoContext               *context,
                           const PangoFontDescription *font)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (chart);
  g_autoptr(CrmStats) empty = NULL;

  g_clear_pointer (&self->layout, crm_funnel_layout_free);
  if (self->stats == NULL)
    empty = crm_stats_new (CRM_STATS_BY_PHASE, "EUR");
  self->layout = crm_funnel_layout_new (self->stats != NULL ? self->stats : empty,
                                        width, height, context, font);
}

static int
crm_funnel_chart_get_n_items (CrmChart *chart)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (chart);

  return self->layout != NULL ? (int) self->layout->n_bands : 0;
}

static int
crm_funnel_chart_lookup_item (CrmChart *chart,
                              double    x,
                              double    y)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (chart);

  return crm_funnel_layout_lookup_item (self->layout, x, y);
}

static void
crm_funnel_chart_paint (CrmChart              *chart,
                        cairo_t               *cr,
                        const CrmChartPalette *palette,
                        int                    highlighted)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (chart);

  crm_funnel_paint (self->layout, cr, palette, highlighted);
}

static char *
crm_funnel_chart_dup_tooltip (CrmChart *chart,
                              int       item)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (chart);
  const CrmFunnelBand *band = &self->layout->bands[item];

  return crm_chart_text_funnel_tooltip (band->name.text, band->count, band->absolute_minor,
                                        band->weighted_minor, self->layout->frame.currency);
}

static void
crm_funnel_chart_activate_item (CrmChart *chart,
                                int       item)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (chart);

  g_signal_emit (self, signals[PHASE_ACTIVATED], 0, self->layout->bands[item].key);
}

/* -------------------------------------------------------------- overrides */

static void
crm_funnel_chart_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (object);

  switch (prop_id)
    {
    case PROP_STATS:
      g_value_set_object (value, self->stats);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_funnel_chart_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (object);

  switch (prop_id)
    {
    case PROP_STATS:
      crm_funnel_chart_set_stats (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_funnel_chart_finalize (GObject *object)
{
  CrmFunnelChart *self = CRM_FUNNEL_CHART (object);

  g_clear_object (&self->stats);
  g_clear_pointer (&self->layout, crm_funnel_layout_free);

  G_OBJECT_CLASS (crm_funnel_chart_parent_class)->finalize (object);
}

static void
crm_funnel_chart_class_init (CrmFunnelChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrmChartClass *chart_class = CRM_CHART_CLASS (klass);

  object_class->get_property = crm_funnel_chart_get_property;
  object_class->set_property = crm_funnel_chart_set_property;
  object_class->finalize = crm_funnel_chart_finalize;

  chart_class->relayout = crm_funnel_chart_relayout;
  chart_class->get_n_items = crm_funnel_chart_get_n_items;
  chart_class->lookup_item = crm_funnel_chart_lookup_item;
  chart_class->paint = crm_funnel_chart_paint;
  chart_class->dup_tooltip = crm_funnel_chart_dup_tooltip;
  chart_class->activate_item = crm_funnel_chart_activate_item;

  /**
   * CrmFunnelChart:stats:
   *
   * The by-phase statistic of open leads the funnel shows.
   */
  properties[PROP_STATS] =
    g_param_spec_object ("stats", NULL, NULL, CRM_TYPE_STATS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmFunnelChart::phase-activated:
   * @phase: the phase key of the band
   *
   * A band was clicked or activated with the keyboard.
   */
  signals[PHASE_ACTIVATED] =
    g_signal_new ("phase-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "funnelchart");
}

static void
crm_funnel_chart_init (CrmFunnelChart *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "funnel-chart");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Funnel of the open leads by phase"),
                                  -1);
}

/* ------------------------------------------------------------- public API */

GtkWidget *
crm_funnel_chart_new (void)
{
  return g_object_new (CRM_TYPE_FUNNEL_CHART, NULL);
}

CrmStats *
crm_funnel_chart_get_stats (CrmFunnelChart *self)
{
  g_return_val_if_fail (CRM_IS_FUNNEL_CHART (self), NULL);

  return self->stats;
}

/**
 * crm_funnel_chart_set_stats:
 * @phases: (nullable): a by-phase statistic of open leads
 */
void
crm_funnel_chart_set_stats (CrmFunnelChart *self,
                            CrmStats       *phases)
{
  g_autofree char *description = NULL;

  g_return_if_fail (CRM_IS_FUNNEL_CHART (self));
  g_return_if_fail (phases == NULL || CRM_IS_STATS (phases));

  if (!g_set_object (&self->stats, phases))
    return;

  if (phases != NULL)
    description = crm_chart_text_funnel_description (phases);
  crm_chart_set_description (CRM_CHART (self), description != NULL ? description : _("No open leads"));
  crm_chart_invalidate (CRM_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS]);
}
