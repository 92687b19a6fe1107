/* crm-probability-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small step chart of a lead's probability over time, drawn with Cairo
 * from the lead's history: it starts at creation and steps at every
 * logged probability change. Colours come from the widget's style so
 * dark and high-contrast styles are right; the steps are also given to
 * screen readers as the accessible description.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "crm-history-item.h"
#include "crm-probability-chart.h"
#include "crm-style.h"

typedef struct {
  gint64 at;
  int    probability;
} Step;

struct _CrmProbabilityChart
{
  GtkWidget  parent_instance;

  GArray    *steps;   /* Step, oldest first */
  gint64     end;
};

G_DEFINE_FINAL_TYPE (CrmProbabilityChart, crm_probability_chart, GTK_TYPE_WIDGET)

#define MARGIN 6.0

/* The accent follows the theme, so dark and high-contrast styles stay
 * right (crm-style.c reads the colours). */
static void
get_colors (GtkWidget *widget,
            GdkRGBA   *fg,
            GdkRGBA   *accent)
{
  crm_style_get_color (widget, fg);
  if (!crm_style_lookup_color (widget, "accent_color", accent))
    *accent = *fg;
}

static void
crm_probability_chart_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  CrmProbabilityChart *self = CRM_PROBABILITY_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  PangoLayout *labels[3];
  double margin_left = 0, margin_v = MARGIN;
  double plot_w, plot_h;
  GdkRGBA fg, accent;
  gint64 start, span;
  cairo_t *cr;

  if (self->steps->len == 0)
    return;

  /* the axis labels decide the margins, so "100 %" is never cut off */
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *text = g_strdup_printf (_("%d %%"), (int) i * 50);
      PangoRectangle extents;

      labels[i] = gtk_widget_create_pango_layout (widget, text);
      pango_layout_get_pixel_extents (labels[i], NULL, &extents);
      margin_left = MAX (margin_left, extents.width + 6 + MARGIN);
      margin_v = MAX (margin_v, extents.height / 2.0 + 1);
    }

  plot_w = width - margin_left - MARGIN;
  plot_h = height - 2 * margin_v;
  if (plot_w <= 0 || plot_h <= 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        g_object_unref (labels[i]);
      return;
    }

  get_colors (widget, &fg, &accent);

  start = g_array_index (self->steps, Step, 0).at;
  span = MAX (self->end - start, 1);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* grid at 0, 50 and 100 % */
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      double y = margin_v + plot_h * (1.0 - i * 0.5);
      PangoRectangle extents;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
      cairo_move_to (cr, margin_left, round (y) + 0.5);
      cairo_line_to (cr, margin_left + plot_w, round (y) + 0.5);
      cairo_stroke (cr);

      pango_layout_get_pixel_extents (labels[i], NULL, &extents);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      cairo_move_to (cr, margin_left - 6 - extents.width, y - extents.height / 2.0);
      pango_cairo_show_layout (cr, labels[i]);
      g_object_unref (labels[i]);
    }

  /* the steps */
  cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 1.0);
  cairo_set_line_width (cr, 2.0);
  for (guint i = 0; i < self->steps->len; i++)
    {
      const Step *step = &g_array_index (self->steps, Step, i);
      double x = margin_left + plot_w * (double) (step->at - start) / span;
      double y = margin_v + plot_h * (1.0 - step->probability / 100.0);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        {
          double previous_y;

          cairo_get_current_point (cr, NULL, &previous_y);
          cairo_line_to (cr, x, previous_y);
          cairo_line_to (cr, x, y);
        }
    }
  {
    double y = margin_v + plot_h * (1.0 - g_array_index (self->steps, Step, self->steps->len - 1).probability / 100.0);

    cairo_line_to (cr, margin_left + plot_w, y);
  }
  cairo_stroke (cr);

  for (guint i = 0; i < self->steps->len; i++)
    {
      const Step *step = &g_array_index (self->steps, Step, i);
      double x = margin_left + plot_w * (double) (step->at - start) / span;
      double y = margin_v + plot_h * (1.0 - step->probability / 100.0);

      cairo_arc (cr, x, y, 3.0, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  cairo_destroy (cr);
}

static void
crm_probability_chart_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 120;
  else
    *minimum = *natural = 120;
}

static void
crm_probability_chart_finalize (GObject *object)
{
  CrmProbabilityChart *self = CRM_PROBABILITY_CHART (object);

  g_array_unref (self->steps);

  G_OBJECT_CLASS (crm_probability_chart_parent_class)->finalize (object);
}

static void
crm_probability_chart_class_init (CrmProbabilityChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = crm_probability_chart_finalize;
  widget_class->snapshot = crm_probability_chart_snapshot;
  widget_class->measure = crm_probability_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "probabilitychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
crm_probability_chart_init (CrmProbabilityChart *self)
{
  self->steps = g_array_new (FALSE, FALSE, sizeof (Step));
  gtk_widget_add_css_class (GTK_WIDGET (self), "probability-chart");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Probability over time"),
                                  -1);
}

/**
 * crm_probability_chart_set_history:
 * @history: a lead's history, newest first
 * @current: the lead's probability now
 */
void
crm_probability_chart_set_history (CrmProbabilityChart *self,
                                   GListModel          *history,
                                   int                  current)
{
  g_autoptr(GString) description = g_string_new (NULL);
  guint n = g_list_model_get_n_items (history);
  gboolean have_start = FALSE;
  Step first = { 0, current };

  g_return_if_fail (CRM_IS_PROBABILITY_CHART (self));

  g_array_set_size (self->steps, 0);
  self->end = g_get_real_time () / G_USEC_PER_SEC;

  /* oldest first: walk the newest-first history backwards */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i - 1);
      const char *field = crm_history_item_get_field (item);
      Step step;

      if (crm_history_item_is_report (item))
        continue;

      if (g_strcmp0 (field, "created") == 0 && !have_start)
        {
          first.at = crm_history_item_get_at (item);
          have_start = TRUE;
          continue;
        }

      if (g_strcmp0 (field, "probability") != 0)
        continue;

      if (self->steps->len == 0)
        {
          first.probability = atoi (crm_history_item_get_old_value (item) ? crm_history_item_get_old_value (item) : "0");
          if (!have_start)
            first.at = crm_history_item_get_at (item);
          g_array_append_val (self->steps, first);
        }

      step.at = crm_history_item_get_at (item);
      step.probability = atoi (crm_history_item_get_new_value (item) ? crm_history_item_get_new_value (item) : "0");
      g_array_append_val (self->steps, step);
    }

  if (self->steps->len == 0 && have_start)
    g_array_append_val (self->steps, first);

  for (guint i = 0; i < self->steps->len; i++)
    {
      const Step *step = &g_array_index (self->steps, Step, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (step->at);
      g_autofree char *date = g_date_time_format (dt, "%x");

      if (description->len > 0)
        g_string_append (description, ", ");
      /* TRANSLATORS: one step of the probability chart for screen readers */
      g_string_append_printf (description, _("%s: %d %%"), date, step->probability);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
crm_probability_chart_get_n_steps (CrmProbabilityChart *self)
{
  g_return_val_if_fail (CRM_IS_PROBABILITY_CHART (self), 0);

  return self->steps->len;
}
