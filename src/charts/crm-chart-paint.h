/* crm-chart-paint.h: drawing the charts onto any Cairo context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "crm-forecast-layout.h"
#include "crm-funnel-layout.h"

G_BEGIN_DECLS

/* @highlighted: the hovered or focused item (painted last, outlined), or -1 */
void crm_funnel_paint   (const CrmFunnelLayout   *layout,
                         cairo_t                 *cr,
                         const CrmChartPalette   *palette,
                         int                      highlighted);
void crm_forecast_paint (const CrmForecastLayout *layout,
                         cairo_t                 *cr,
                         const CrmChartPalette   *palette,
                         int                      highlighted,
                         CrmForecastPart          highlighted_part);

G_END_DECLS
