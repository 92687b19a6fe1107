/* crm-chart.h: the base of the interactive Cairo charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-chart-geometry.h"
#include "crm-gui-types.h"

G_BEGIN_DECLS

#define CRM_TYPE_CHART (crm_chart_get_type ())

G_DECLARE_DERIVABLE_TYPE (CrmChart, crm_chart, CRM, CHART, GtkWidget)

/* A chart is a list of items (funnel bands, forecast bars) that a
 * subclass lays out from its data; the base does the rest: hover,
 * tooltip, click, keyboard focus and activation, colours from CSS. */
struct _CrmChartClass
{
  GtkWidgetClass parent_class;

  /* build the geometry for this size and font (called when they or the
   * data changed: see crm_chart_invalidate()) */
  void   (*relayout)       (CrmChart                   *self,
                            double                      width,
                            double                      height,
                            PangoContext               *context,
                            const PangoFontDescription *font);
  int    (*get_n_items)    (CrmChart                   *self);
  int    (*lookup_item)    (CrmChart                   *self,
                            double                      x,
                            double                      y);
  void   (*paint)          (CrmChart                   *self,
                            cairo_t                    *cr,
                            const CrmChartPalette      *palette,
                            int                         highlighted);
  char * (*dup_tooltip)    (CrmChart                   *self,
                            int                         item);
  void   (*activate_item)  (CrmChart                   *self,
                            int                         item);

  gpointer padding[8];
};

void      crm_chart_invalidate          (CrmChart         *self);
void      crm_chart_set_description     (CrmChart         *self,
                                         const char       *description);
void      crm_chart_get_palette         (CrmChart         *self,
                                         CrmChartPalette  *palette);
int       crm_chart_lookup_item         (CrmChart         *self,
                                         double            x,
                                         double            y);
int       crm_chart_get_hovered_item    (CrmChart         *self);
int       crm_chart_get_focused_item    (CrmChart         *self);
void      crm_chart_set_focused_item    (CrmChart         *self,
                                         int               item);
char     *crm_chart_dup_tooltip         (CrmChart         *self,
                                         int               item);
void      crm_chart_activate_item       (CrmChart         *self,
                                         int               item);

G_END_DECLS
