/* crm-chart-export.h: a chart as PNG, SVG or PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <pango/pango.h>

#include "crm-chart-geometry.h"
#include "crm-types.h"

G_BEGIN_DECLS

#define CRM_CHART_ERROR (crm_chart_error_quark ())

typedef enum {
  CRM_CHART_ERROR_FORMAT,      /* not .png, .svg or .pdf */
  CRM_CHART_ERROR_WIDTH,       /* width out of range */
  CRM_CHART_ERROR_HEIGHT,      /* height out of range */
  CRM_CHART_ERROR_RANGE,       /* month range empty or too long */
  CRM_CHART_ERROR_WRITE,       /* the file could not be written */
} CrmChartError;

typedef enum {
  CRM_CHART_FUNNEL,
  CRM_CHART_FORECAST,
} CrmChartKind;

/* Pixels for PNG, points for SVG and PDF. */
#define CRM_CHART_MIN_SIZE   64
#define CRM_CHART_MAX_SIZE 8000
/* 100 years of months */
#define CRM_CHART_MAX_MONTHS 1200

/* What a chart shows: the funnel uses @phases; the forecast @open, @won
 * and the range @from … @to. */
typedef struct {
  CrmChartKind  kind;
  CrmStats     *phases;
  CrmStats     *open;
  CrmStats     *won;
  CrmMonth      from;
  CrmMonth      to;
} CrmChartData;

GQuark    crm_chart_error_quark        (void);
gboolean  crm_chart_check_range        (CrmMonth                    from,
                                        CrmMonth                    to,
                                        GError                    **error);
gboolean  crm_chart_check_output       (const char                 *path,
                                        int                         width,
                                        int                         height,
                                        GError                    **error);
gboolean  crm_chart_export             (const CrmChartData         *data,
                                        const char                 *path,
                                        int                         width,
                                        int                         height,
                                        const CrmChartPalette      *palette,
                                        const PangoFontDescription *font,
                                        GError                    **error);

G_END_DECLS
