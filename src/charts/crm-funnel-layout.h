/* crm-funnel-layout.h: the geometry of the funnel chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pango.h>

#include "crm-chart-geometry.h"
#include "crm-types.h"

G_BEGIN_DECLS

/* One band per row of the by-phase statistic, in row order. */
typedef struct {
  char          *key;        /* the phase key */
  gint64         count;
  gint64         absolute_minor;
  gint64         weighted_minor;
  CrmChartRect   absolute;   /* centred; width ∝ absolute volume */
  CrmChartRect   weighted;   /* centred inside absolute; width ∝ weighted volume */
  CrmChartRect   hit;        /* the whole row: hover, tooltip and click */
  CrmChartLabel  name;       /* the phase, left of the bands */
  CrmChartLabel  figures;    /* count and sums, right of the bands */
} CrmFunnelBand;

typedef struct {
  CrmChartFrame         frame;       /* size, currency, text measure */
  CrmChartLegendEntry  legend[2];   /* absolute, weighted */
  CrmChartRect         plot;        /* where the bands are centred */
  CrmFunnelBand       *bands;
  guint                n_bands;     /* 0 in the empty state */
  CrmChartLabel        empty;       /* "No open leads", visible when empty */
} CrmFunnelLayout;

CrmFunnelLayout *crm_funnel_layout_new          (CrmStats                   *phases,
                                                 double                      width,
                                                 double                      height,
                                                 PangoContext               *context,
                                                 const PangoFontDescription *font);
void             crm_funnel_layout_free         (CrmFunnelLayout            *layout);
int              crm_funnel_layout_lookup_item  (const CrmFunnelLayout      *layout,
                                                 double                      x,
                                                 double                      y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmFunnelLayout, crm_funnel_layout_free)

G_END_DECLS
