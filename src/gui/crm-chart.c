/* crm-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base of CrmFunnelChart and CrmForecastChart (Sysprof's lesson):
 * the subclass turns its data into geometry with libcrm-charts (no GTK)
 * and paints it; this class keeps the geometry for the current size and
 * font, and routes every interaction through the one hit test:
 *
 * - pointer motion → the hovered item (painted last, highlighted);
 * - a query for a tooltip → the item under the pointer (or the focused
 *   one for a keyboard tooltip) → its exact figures;
 * - a click (primary button) → the item → "activate" in the subclass;
 * - keys, as actions with their shortcuts: chart.previous (Left, Up),
 *   chart.next (Right, Down), chart.first (Home), chart.last (End) move
 *   the focused item; chart.activate (Return, KP_Enter, space)
 *   activates it.
 *
 * Colours come from CSS each time it paints (crm_chart_get_palette()),
 * so a switch to the dark or high-contrast style repaints correctly.
 * The snapshot is a Cairo node; libcrm-charts snaps rectangles to device
 * pixels through the Cairo transformation, so scale 2 stays crisp.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"


#include "crm-chart.h"
#include "crm-style.h"

/* ---------------------------------------------------------------- structs */

typedef struct
{
  double                 layout_width;
  double                 layout_height;
  PangoFontDescription  *layout_font;    /* NULL: no layout yet */
  int                    hovered;        /* -1: none */
  int                    focused;        /* -1: none yet */
} CrmChartPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CrmChart, crm_chart, GTK_TYPE_WIDGET)

/* ------------------------------------------------------ auxiliary methods */

static void
ensure_layout (CrmChart *self)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);
  GtkWidget *widget = GTK_WIDGET (self);
  PangoContext *context = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *font = pango_context_get_font_description (context);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);

  if (priv->layout_font != NULL &&
      priv->layout_width == width && priv->layout_height == height &&
      pango_font_description_equal (priv->layout_font, font))
    return;

  g_clear_pointer (&priv->layout_font, pango_font_description_free);
  priv->layout_font = pango_font_description_copy (font);
  priv->layout_width = width;
  priv->layout_height = height;

  CRM_CHART_GET_CLASS (self)->relayout (self, width, height, context, font);
}

static int
get_n_items (CrmChart *self)
{
  ensure_layout (self);

  return CRM_CHART_GET_CLASS (self)->get_n_items (self);
}

static void
set_hovered (CrmChart *self,
             int       item)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);

  if (priv->hovered == item)
    return;

  priv->hovered = item;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
color_from_rgba (CrmChartColor *color,
                 const GdkRGBA *rgba,
                 double         alpha)
{
  color->red = rgba->red;
  color->green = rgba->green;
  color->blue = rgba->blue;
  color->alpha = rgba->alpha * alpha;
}

static void
lookup_into (CrmChart      *self,
             const char    *name,
             const char    *fallback,
             CrmChartColor *color)
{
  GdkRGBA rgba;

  if (crm_style_lookup_color (GTK_WIDGET (self), name, &rgba) ||
      crm_style_lookup_color (GTK_WIDGET (self), fallback, &rgba))
    color_from_rgba (color, &rgba, 1.0);
}

/* --------------------------------------------------------------- callbacks */

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              CrmChart                 *self)
{
  set_hovered (self, crm_chart_lookup_item (self, x, y));
}

static void
on_leave_cb (GtkEventControllerMotion *controller,
             CrmChart                 *self)
{
  set_hovered (self, -1);
}

static void
on_click_released_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      CrmChart        *self)
{
  int item = crm_chart_lookup_item (self, x, y);

  if (item < 0)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  crm_chart_set_focused_item (self, item);
  crm_chart_activate_item (self, item);
}

static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard_tooltip,
                     GtkTooltip *tooltip,
                     CrmChart   *self)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);
  int item = keyboard_tooltip ? priv->focused : crm_chart_lookup_item (self, x, y);
  g_autofree char *text = NULL;

  if (item < 0)
    return FALSE;

  text = crm_chart_dup_tooltip (self, item);
  gtk_tooltip_set_text (tooltip, text);

  return text != NULL;
}

static void
move_focus (CrmChart *self,
            int       delta,
            gboolean  absolute)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);
  int n = get_n_items (self);
  int item;

  if (n == 0)
    return;

  if (absolute)
    item = delta < 0 ? 0 : n - 1;
  else if (priv->focused < 0)
    item = delta > 0 ? 0 : n - 1;
  else
    item = CLAMP (priv->focused + delta, 0, n - 1);

  crm_chart_set_focused_item (self, item);
}

/* chart.previous, chart.next, chart.first, chart.last */
static void
action_move (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmChart *self = CRM_CHART (widget);

  if (g_str_equal (action_name, "chart.previous"))
    move_focus (self, -1, FALSE);
  else if (g_str_equal (action_name, "chart.next"))
    move_focus (self, 1, FALSE);
  else if (g_str_equal (action_name, "chart.first"))
    move_focus (self, -1, TRUE);
  else
    move_focus (self, 1, TRUE);
}

static void
action_activate (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrmChart *self = CRM_CHART (widget);
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);

  if (priv->focused >= 0 && priv->focused < get_n_items (self))
    crm_chart_activate_item (self, priv->focused);
}

/* -------------------------------------------------------------- overrides */

static void
crm_chart_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  CrmChart *self = CRM_CHART (widget);
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  CrmChartPalette palette;
  int highlighted;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  ensure_layout (self);
  crm_chart_get_palette (self, &palette);

  /* the pointer wins over the keyboard; the focused item shows while
   * the chart has the focus */
  highlighted = priv->hovered;
  if (highlighted < 0 && gtk_widget_has_focus (widget))
    highlighted = priv->focused;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  CRM_CHART_GET_CLASS (self)->paint (self, cr, &palette, highlighted);
  cairo_destroy (cr);
}

static void
crm_chart_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 480;
    }
  else
    {
      *minimum = 120;
      *natural = 300;
    }
}

static void
crm_chart_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  CrmChart *self = CRM_CHART (widget);
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);

  /* the pointer may now be over another item */
  priv->hovered = -1;
}

static void
crm_chart_state_flags_changed (GtkWidget     *widget,
                               GtkStateFlags  previous)
{
  /* focus in/out shows or hides the focused item */
  if ((gtk_widget_get_state_flags (widget) ^ previous) & (GTK_STATE_FLAG_FOCUSED | GTK_STATE_FLAG_FOCUS_VISIBLE))
    gtk_widget_queue_draw (widget);

  GTK_WIDGET_CLASS (crm_chart_parent_class)->state_flags_changed (widget, previous);
}

static void
crm_chart_finalize (GObject *object)
{
  CrmChart *self = CRM_CHART (object);
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);

  g_clear_pointer (&priv->layout_font, pango_font_description_free);

  G_OBJECT_CLASS (crm_chart_parent_class)->finalize (object);
}

static void
crm_chart_class_init (CrmChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = crm_chart_finalize;
  widget_class->snapshot = crm_chart_snapshot;
  widget_class->measure = crm_chart_measure;
  widget_class->size_allocate = crm_chart_size_allocate;
  widget_class->state_flags_changed = crm_chart_state_flags_changed;

  gtk_widget_class_install_action (widget_class, "chart.previous", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "chart.next", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "chart.first", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "chart.last", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "chart.activate", NULL, action_activate);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "chart.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "chart.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Up, 0, "chart.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "chart.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "chart.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Down, 0, "chart.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "chart.first", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "chart.last", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "chart.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "chart.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "chart.activate", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
crm_chart_init (CrmChart *self)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  priv->hovered = -1;
  priv->focused = -1;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_add_css_class (widget, "leads-chart");

  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion_cb), self, 0);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave_cb), self, 0);
  gtk_widget_add_controller (widget, motion);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (on_click_released_cb), self, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (widget, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), self, 0);
}

/* ------------------------------------------------------------- public API */

/**
 * crm_chart_invalidate:
 *
 * For subclasses: the data changed. The geometry is rebuilt before the
 * next paint or hit test; hover and focus stay on valid items.
 */
void
crm_chart_invalidate (CrmChart *self)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);

  g_return_if_fail (CRM_IS_CHART (self));

  g_clear_pointer (&priv->layout_font, pango_font_description_free);
  priv->hovered = -1;
  if (priv->focused >= get_n_items (self))
    priv->focused = get_n_items (self) - 1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* For subclasses: what a screen reader says, with the numbers. */
void
crm_chart_set_description (CrmChart   *self,
                           const char *description)
{
  g_return_if_fail (CRM_IS_CHART (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/**
 * crm_chart_get_palette:
 *
 * The chart's colours as the style gives them now: text from the CSS
 * `color`, the bars from @leads_chart_absolute_color,
 * @leads_chart_weighted_color, @leads_chart_won_color and
 * @leads_chart_highlight_color (ui/style.css), falling back to the
 * theme's accent, success and warning colours.
 */
void
crm_chart_get_palette (CrmChart        *self,
                       CrmChartPalette *palette)
{
  GdkRGBA fg;

  g_return_if_fail (CRM_IS_CHART (self));
  g_return_if_fail (palette != NULL);

  crm_chart_palette_init_light (palette);
  crm_style_get_color (GTK_WIDGET (self), &fg);

  palette->background.alpha = 0;   /* the widget's own background shows */
  color_from_rgba (&palette->text, &fg, 1.0);
  color_from_rgba (&palette->dim_text, &fg, 0.7);
  color_from_rgba (&palette->grid, &fg, 0.15);
  lookup_into (self, "leads_chart_absolute_color", "accent_bg_color", &palette->absolute);
  lookup_into (self, "leads_chart_weighted_color", "accent_color", &palette->weighted);
  lookup_into (self, "leads_chart_won_color", "success_color", &palette->won);
  lookup_into (self, "leads_chart_highlight_color", "warning_color", &palette->highlight);
}

/* The one hit test: the subclass's layout, at the current size. */
int
crm_chart_lookup_item (CrmChart *self,
                       double    x,
                       double    y)
{
  g_return_val_if_fail (CRM_IS_CHART (self), -1);

  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return -1;

  ensure_layout (self);

  return CRM_CHART_GET_CLASS (self)->lookup_item (self, x, y);
}

int
crm_chart_get_hovered_item (CrmChart *self)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);

  g_return_val_if_fail (CRM_IS_CHART (self), -1);

  return priv->hovered;
}

int
crm_chart_get_focused_item (CrmChart *self)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);

  g_return_val_if_fail (CRM_IS_CHART (self), -1);

  return priv->focused;
}

void
crm_chart_set_focused_item (CrmChart *self,
                            int       item)
{
  CrmChartPrivate *priv = crm_chart_get_instance_private (self);

  g_return_if_fail (CRM_IS_CHART (self));
  g_return_if_fail (item >= -1);

  if (priv->focused == item)
    return;

  priv->focused = item;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The tooltip text of an item: its exact figures. */
char *
crm_chart_dup_tooltip (CrmChart *self,
                       int       item)
{
  g_return_val_if_fail (CRM_IS_CHART (self), NULL);

  if (item < 0 || item >= get_n_items (self))
    return NULL;

  return CRM_CHART_GET_CLASS (self)->dup_tooltip (self, item);
}

void
crm_chart_activate_item (CrmChart *self,
                         int       item)
{
  g_return_if_fail (CRM_IS_CHART (self));

  if (item < 0 || item >= get_n_items (self))
    return;

  CRM_CHART_GET_CLASS (self)->activate_item (self, item);
}
