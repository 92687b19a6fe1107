/* crm-chart-paint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Paints a finished layout: no measuring and no decisions here, only
 * drawing, so the widget, export and the golden tests show the same.
 * Rectangles are snapped to device pixels (through the context's
 * transformation, so scale 2 and the export surfaces are crisp too);
 * the highlighted item is drawn last, with an outline.
 */
#define G_LOG_DOMAIN "crm-charts"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "crm-chart-paint.h"

/* ------------------------------------------------------ auxiliary methods */

static void
set_source (cairo_t             *cr,
            const CrmChartColor *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

/* Round the corners to whole device pixels. */
static void
snap_rect (cairo_t            *cr,
           const CrmChartRect *rect,
           CrmChartRect       *out)
{
  double x0 = rect->x, y0 = rect->y;
  double x1 = rect->x + rect->width, y1 = rect->y + rect->height;
  gboolean visible = rect->width > 0 && rect->height > 0;

  cairo_user_to_device (cr, &x0, &y0);
  cairo_user_to_device (cr, &x1, &y1);
  x0 = round (x0);
  y0 = round (y0);
  x1 = round (x1);
  y1 = round (y1);
  /* something above zero keeps one device pixel */
  if (visible && x1 <= x0)
    x1 = x0 + 1;
  if (visible && y1 <= y0)
    y0 = y1 - 1;
  cairo_device_to_user (cr, &x0, &y0);
  cairo_device_to_user (cr, &x1, &y1);

  *out = (CrmChartRect) { x0, y0, x1 - x0, y1 - y0 };
}

/* Adds the snapped rectangle to the path, so many bars of one colour
 * fill at once. */
static void
add_rect (cairo_t            *cr,
          const CrmChartRect *rect)
{
  CrmChartRect snapped;

  if (rect->width <= 0 || rect->height <= 0)
    return;

  snap_rect (cr, rect, &snapped);
  cairo_rectangle (cr, snapped.x, snapped.y, snapped.width, snapped.height);
}

static void
fill_rect (cairo_t             *cr,
           const CrmChartRect  *rect,
           const CrmChartColor *color)
{
  add_rect (cr, rect);
  set_source (cr, color);
  cairo_fill (cr);
}

/* An outline of two device pixels just outside the rectangle. */
static void
outline_rect (cairo_t             *cr,
              const CrmChartRect  *rect,
              const CrmChartColor *color)
{
  CrmChartRect snapped;
  double line = 2.0, unused = 0;

  snap_rect (cr, rect, &snapped);
  cairo_device_to_user_distance (cr, &line, &unused);
  set_source (cr, color);
  cairo_set_line_width (cr, line);
  cairo_rectangle (cr, snapped.x - line / 2, snapped.y - line / 2,
                   snapped.width + line, snapped.height + line);
  cairo_stroke (cr);
}

/* A horizontal hairline through the middle of a device pixel row. */
static void
hairline (cairo_t             *cr,
          double               x0,
          double               x1,
          double               y,
          const CrmChartColor *color)
{
  double line = 1.0, unused = 0, dx = x0;

  cairo_user_to_device (cr, &dx, &y);
  y = floor (y) + 0.5;
  cairo_device_to_user (cr, &dx, &y);
  cairo_device_to_user_distance (cr, &line, &unused);

  set_source (cr, color);
  cairo_set_line_width (cr, line);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

static void
draw_label (cairo_t                    *cr,
            const CrmChartFrame        *frame,
            const CrmChartLabel        *label,
            const CrmChartColor        *color,
            PangoAlignment              alignment)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (!label->visible || label->text == NULL || label->rect.width <= 0)
    return;

  layout = pango_layout_new (frame->context);
  pango_layout_set_font_description (layout, frame->font);
  pango_layout_set_text (layout, label->text, -1);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_width (layout, (int) ceil (label->rect.width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);

  set_source (cr, color);
  cairo_move_to (cr, label->rect.x, label->rect.y);
  pango_cairo_show_layout (cr, layout);
}

/* The background, then either the empty state (returns FALSE: nothing
 * more to paint) or the legend. */
static gboolean
paint_frame (cairo_t                    *cr,
             const CrmChartFrame        *frame,
             const CrmChartPalette      *palette,
             gboolean                    empty,
             const CrmChartLabel        *empty_label,
             const CrmChartLegendEntry  *entries,
             const CrmChartColor       **colors,
             guint                       n_entries)
{
  if (palette->background.alpha > 0)
    {
      set_source (cr, &palette->background);
      cairo_rectangle (cr, 0, 0, frame->width, frame->height);
      cairo_fill (cr);
    }

  if (empty)
    {
      draw_label (cr, frame, empty_label, &palette->dim_text, PANGO_ALIGN_CENTER);
      return FALSE;
    }

  for (guint i = 0; i < n_entries; i++)
    {
      if (!entries[i].label.visible)
        continue;
      fill_rect (cr, &entries[i].swatch, colors[i]);
      draw_label (cr, frame, &entries[i].label, &palette->text, PANGO_ALIGN_LEFT);
    }

  return TRUE;
}

/* ------------------------------------------------------------- the funnel */

static void
paint_band (cairo_t               *cr,
            const CrmFunnelLayout *layout,
            const CrmFunnelBand   *band,
            const CrmChartPalette *palette)
{
  fill_rect (cr, &band->absolute, &palette->absolute);
  fill_rect (cr, &band->weighted, &palette->weighted);
  draw_label (cr, &layout->frame, &band->name, &palette->text, PANGO_ALIGN_RIGHT);
  draw_label (cr, &layout->frame, &band->figures, &palette->dim_text, PANGO_ALIGN_LEFT);
}

void
crm_funnel_paint (const CrmFunnelLayout *layout,
                  cairo_t               *cr,
                  const CrmChartPalette *palette,
                  int                    highlighted)
{
  const CrmChartColor *legend_colors[] = { &palette->absolute, &palette->weighted };

  g_return_if_fail (layout != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (palette != NULL);

  cairo_save (cr);
  if (!paint_frame (cr, &layout->frame, palette, layout->n_bands == 0, &layout->empty,
                    layout->legend, legend_colors, G_N_ELEMENTS (layout->legend)))
    {
      cairo_restore (cr);
      return;
    }

  for (guint i = 0; i < layout->n_bands; i++)
    if ((int) i != highlighted)
      paint_band (cr, layout, &layout->bands[i], palette);

  if (highlighted >= 0 && (guint) highlighted < layout->n_bands)
    {
      const CrmFunnelBand *band = &layout->bands[highlighted];
      CrmChartRect target = band->absolute;

      paint_band (cr, layout, band, palette);
      /* a phase without volume: outline the middle of its row */
      if (target.width <= 0)
        target = (CrmChartRect) { layout->plot.x + layout->plot.width / 2 - 1, band->absolute.y,
                                  2, band->absolute.height };
      outline_rect (cr, &target, &palette->highlight);
    }

  cairo_restore (cr);
}

/* ----------------------------------------------------------- the forecast */

static void
paint_group (cairo_t                 *cr,
             const CrmForecastGroup  *group,
             const CrmChartPalette   *palette)
{
  fill_rect (cr, &group->absolute, &palette->absolute);
  fill_rect (cr, &group->weighted, &palette->weighted);
  fill_rect (cr, &group->won, &palette->won);
}

void
crm_forecast_paint (const CrmForecastLayout *layout,
                    cairo_t                 *cr,
                    const CrmChartPalette   *palette,
                    int                      highlighted,
                    CrmForecastPart          highlighted_part)
{
  const CrmChartColor *legend_colors[] = { &palette->absolute, &palette->weighted, &palette->won };
  double plot_right, plot_bottom;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (palette != NULL);

  cairo_save (cr);
  if (!paint_frame (cr, &layout->frame, palette, layout->n_groups == 0, &layout->empty,
                    layout->legend, legend_colors, G_N_ELEMENTS (layout->legend)))
    {
      cairo_restore (cr);
      return;
    }

  plot_right = layout->plot.x + layout->plot.width;
  plot_bottom = layout->plot.y + layout->plot.height;

  for (guint i = 0; i < layout->n_tick_marks; i++)
    {
      const CrmForecastTick *tick = &layout->tick_marks[i];

      hairline (cr, layout->plot.x, plot_right, tick->y, &palette->grid);
      draw_label (cr, &layout->frame, &tick->label, &palette->dim_text, PANGO_ALIGN_RIGHT);
    }

  /* the bars colour by colour, each colour one fill */
  for (guint part = 0; part < 3; part++)
    {
      static const gsize offsets[] = {
        G_STRUCT_OFFSET (CrmForecastGroup, absolute),
        G_STRUCT_OFFSET (CrmForecastGroup, weighted),
        G_STRUCT_OFFSET (CrmForecastGroup, won),
      };

      for (guint i = 0; i < layout->n_groups; i++)
        add_rect (cr, G_STRUCT_MEMBER_P (&layout->groups[i], offsets[part]));
      set_source (cr, legend_colors[part]);
      cairo_fill (cr);
    }
  for (guint i = 0; i < layout->n_groups; i++)
    draw_label (cr, &layout->frame, &layout->groups[i].label, &palette->dim_text, PANGO_ALIGN_CENTER);

  hairline (cr, layout->plot.x, plot_right, plot_bottom, &palette->dim_text);

  if (highlighted >= 0 && (guint) highlighted < layout->n_groups)
    {
      const CrmForecastGroup *group = &layout->groups[highlighted];
      CrmChartRect target;

      paint_group (cr, group, palette);
      if (highlighted_part == CRM_FORECAST_PART_WON)
        target = group->won;
      else
        target = (CrmChartRect) { group->absolute.x, MIN (group->absolute.y, group->weighted.y),
                                  group->absolute.width + group->weighted.width,
                                  plot_bottom - MIN (group->absolute.y, group->weighted.y) };
      if (target.height <= 0)
        target = (CrmChartRect) { target.x, plot_bottom - 1, target.width, 1 };
      outline_rect (cr, &target, &palette->highlight);
    }

  cairo_restore (cr);
}
