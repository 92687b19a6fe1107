/* crm-chart-geometry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rectangles, measured labels, the legend row and the built-in palette
 * shared by the funnel and the forecast layouts.
 */
#define G_LOG_DOMAIN "crm-charts"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "crm-chart-geometry.h"

/* ------------------------------------------------------------- palette */

static void
set_color (CrmChartColor *color,
           guint32        rgb,
           double         alpha)
{
  color->red = ((rgb >> 16) & 0xff) / 255.0;
  color->green = ((rgb >> 8) & 0xff) / 255.0;
  color->blue = (rgb & 0xff) / 255.0;
  color->alpha = alpha;
}

/**
 * crm_chart_palette_init_light:
 *
 * The colours of libadwaita's light style (accent blue, success green):
 * what export and the golden tests use, and what the widget falls back
 * to for a colour the style does not define.
 */
void
crm_chart_palette_init_light (CrmChartPalette *palette)
{
  g_return_if_fail (palette != NULL);

  set_color (&palette->background, 0xffffff, 1.0);
  set_color (&palette->text, 0x000000, 0.8);
  set_color (&palette->dim_text, 0x000000, 0.6);
  set_color (&palette->grid, 0x000000, 0.15);
  set_color (&palette->absolute, 0x99c1f1, 1.0);
  set_color (&palette->weighted, 0x1c71d8, 1.0);
  set_color (&palette->won, 0x26a269, 1.0);
  set_color (&palette->highlight, 0xe66100, 1.0);
}

/* --------------------------------------------------------------- frame */

void
crm_chart_frame_init (CrmChartFrame              *frame,
                      const char                 *currency,
                      double                      width,
                      double                      height,
                      PangoContext               *context,
                      const PangoFontDescription *font)
{
  frame->width = MAX (width, 1);
  frame->height = MAX (height, 1);
  g_strlcpy (frame->currency, currency, sizeof frame->currency);
  frame->context = g_object_ref (context);
  frame->font = pango_font_description_copy (font);
}

void
crm_chart_frame_clear (CrmChartFrame *frame)
{
  g_clear_object (&frame->context);
  g_clear_pointer (&frame->font, pango_font_description_free);
}

void
crm_chart_context_set_fixed_options (PangoContext *context)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 96.0);
  cairo_font_options_destroy (options);
}

/* ---------------------------------------------------------- rectangles */

/* Half-open: the right and bottom edges belong to the neighbour. */
gboolean
crm_chart_rect_contains (const CrmChartRect *rect,
                         double              x,
                         double              y)
{
  return x >= rect->x && x < rect->x + rect->width &&
         y >= rect->y && y < rect->y + rect->height;
}

gboolean
crm_chart_rect_intersects (const CrmChartRect *a,
                           const CrmChartRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

gboolean
crm_chart_rect_inside (const CrmChartRect *inner,
                       const CrmChartRect *outer)
{
  const double eps = 1e-6;

  return inner->x >= outer->x - eps && inner->y >= outer->y - eps &&
         inner->x + inner->width <= outer->x + outer->width + eps &&
         inner->y + inner->height <= outer->y + outer->height + eps;
}

/* -------------------------------------------------------------- labels */

void
crm_chart_measure_text (PangoContext               *context,
                        const PangoFontDescription *font,
                        const char                 *text,
                        double                     *out_width,
                        double                     *out_height)
{
  g_autoptr(PangoLayout) layout = pango_layout_new (context);
  int width, height;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &width, &height);

  /* whole pixels, so a label never ends up a fraction too narrow */
  *out_width = ceil ((double) width / PANGO_SCALE);
  *out_height = ceil ((double) height / PANGO_SCALE);
}

void
crm_chart_label_set (CrmChartLabel              *label,
                     PangoContext               *context,
                     const PangoFontDescription *font,
                     const char                 *text)
{
  g_free (label->text);
  label->text = g_strdup (text);
  crm_chart_measure_text (context, font, text, &label->rect.width, &label->rect.height);
  label->visible = TRUE;
}

/* The empty state: one label in the middle of the chart. */
void
crm_chart_label_set_centred (CrmChartLabel              *label,
                             PangoContext               *context,
                             const PangoFontDescription *font,
                             const char                 *text,
                             double                      width,
                             double                      height)
{
  crm_chart_label_set (label, context, font, text);
  label->rect.x = MAX (0, (width - label->rect.width) / 2);
  label->rect.y = MAX (0, (height - label->rect.height) / 2);
  label->rect.width = MIN (label->rect.width, width);
}

void
crm_chart_label_clear (CrmChartLabel *label)
{
  g_clear_pointer (&label->text, g_free);
}

/* -------------------------------------------------------------- legend */

double
crm_chart_legend_layout (CrmChartLegendEntry        *entries,
                         guint                       n_entries,
                         const char * const         *texts,
                         PangoContext               *context,
                         const PangoFontDescription *font,
                         double                      x,
                         double                      y,
                         double                      max_width)
{
  double right = x + max_width;
  double row_height = CRM_CHART_SWATCH;
  gboolean full = FALSE;

  for (guint i = 0; i < n_entries; i++)
    {
      crm_chart_label_set (&entries[i].label, context, font, texts[i]);
      row_height = MAX (row_height, entries[i].label.rect.height);
    }

  for (guint i = 0; i < n_entries; i++)
    {
      CrmChartLegendEntry *entry = &entries[i];
      double entry_width = CRM_CHART_SWATCH + CRM_CHART_SPACING / 2 + entry->label.rect.width;

      entry->swatch.x = x;
      entry->swatch.y = y + (row_height - CRM_CHART_SWATCH) / 2;
      entry->swatch.width = CRM_CHART_SWATCH;
      entry->swatch.height = CRM_CHART_SWATCH;
      entry->label.rect.x = x + CRM_CHART_SWATCH + CRM_CHART_SPACING / 2;
      entry->label.rect.y = y + (row_height - entry->label.rect.height) / 2;

      /* once one entry does not fit, the rest are hidden too */
      full = full || x + entry_width > right;
      entry->label.visible = !full;
      if (full)
        entry->swatch.width = entry->swatch.height = 0;

      x += entry_width + 2 * CRM_CHART_SPACING;
    }

  return row_height;
}
