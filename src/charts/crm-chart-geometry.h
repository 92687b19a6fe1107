/* crm-chart-geometry.h: what the chart layouts are made of
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain values in widget coordinates (pixels at scale 1; points for
 * SVG/PDF): rectangles, measured labels and the palette the paint code
 * uses. No GTK: the GUI fills the palette from CSS, export uses the
 * built-in light one.
 */
#pragma once

#include <glib.h>
#include <pango/pango.h>

G_BEGIN_DECLS

typedef struct {
  double x;
  double y;
  double width;
  double height;
} CrmChartRect;

/* A piece of text with its measured extent; top-left at (x, y). A label
 * that does not fit where it belongs is not visible (the tooltip and the
 * accessible description still have its figures). */
typedef struct {
  char         *text;
  CrmChartRect  rect;
  gboolean      visible;
} CrmChartLabel;

typedef struct {
  double red;
  double green;
  double blue;
  double alpha;
} CrmChartColor;

typedef struct {
  CrmChartColor background;   /* alpha 0: leave the surface as it is */
  CrmChartColor text;
  CrmChartColor dim_text;     /* axis labels, figures */
  CrmChartColor grid;
  CrmChartColor absolute;     /* open leads, absolute volume */
  CrmChartColor weighted;     /* open leads, weighted volume */
  CrmChartColor won;          /* won leads (actuals) */
  CrmChartColor highlight;    /* outline of the hovered/focused item */
} CrmChartPalette;

/* What every layout starts from: its size, currency and text measure. */
typedef struct {
  double                width;
  double                height;
  char                  currency[4];
  PangoContext         *context;
  PangoFontDescription *font;
} CrmChartFrame;

/* Spacing shared by both charts. */
#define CRM_CHART_MARGIN   8.0
#define CRM_CHART_SPACING  6.0
#define CRM_CHART_SWATCH  12.0

void      crm_chart_palette_init_light (CrmChartPalette      *palette);

void      crm_chart_frame_init         (CrmChartFrame              *frame,
                                        const char                 *currency,
                                        double                      width,
                                        double                      height,
                                        PangoContext               *context,
                                        const PangoFontDescription *font);
void      crm_chart_frame_clear        (CrmChartFrame              *frame);
/* Font options that do not depend on the desktop (grey antialiasing, no
 * hinting, 96 dpi): export and the golden tests. */
void      crm_chart_context_set_fixed_options (PangoContext        *context);

gboolean  crm_chart_rect_contains      (const CrmChartRect   *rect,
                                        double                x,
                                        double                y);
gboolean  crm_chart_rect_intersects    (const CrmChartRect   *a,
                                        const CrmChartRect   *b);
gboolean  crm_chart_rect_inside        (const CrmChartRect   *inner,
                                        const CrmChartRect   *outer);

void      crm_chart_measure_text       (PangoContext               *context,
                                        const PangoFontDescription *font,
                                        const char                 *text,
                                        double                     *out_width,
                                        double                     *out_height);
void      crm_chart_label_set          (CrmChartLabel              *label,
                                        PangoContext               *context,
                                        const PangoFontDescription *font,
                                        const char                 *text);
void      crm_chart_label_set_centred  (CrmChartLabel              *label,
                                        PangoContext               *context,
                                        const PangoFontDescription *font,
                                        const char                 *text,
                                        double                      width,
                                        double                      height);
void      crm_chart_label_clear        (CrmChartLabel              *label);

/* Legend: swatches with their labels in one row from (x, y); entries
 * that do not fit in max_width are not visible. Returns the row height. */
typedef struct {
  CrmChartRect  swatch;
  CrmChartLabel label;
} CrmChartLegendEntry;

double    crm_chart_legend_layout      (CrmChartLegendEntry        *entries,
                                        guint                       n_entries,
                                        const char * const         *texts,
                                        PangoContext               *context,
                                        const PangoFontDescription *font,
                                        double                      x,
                                        double                      y,
                                        double                      max_width);

G_END_DECLS
