/* crm-chart-test-util.h: fixed data and a pinned font for the chart tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pango.h>

#include "crm-stats.h"

G_BEGIN_DECLS

/* The golden images and the geometry tests use this font from the
 * Debian package fonts-dejavu-core (in tools/leads-dev PACKAGES). */
#define CRM_CHART_TEST_FONT "DejaVu Sans 10"

typedef struct {
  const char *key;
  const char *label;
  gint64      count;
  gint64      absolute_minor;
  gint64      weighted_minor;
} CrmChartTestRow;

void          crm_chart_test_init          (void);
PangoContext *crm_chart_test_context       (void);
PangoFontDescription *crm_chart_test_font  (void);
CrmStats     *crm_chart_test_stats         (CrmStatsBy             by,
                                            const CrmChartTestRow *rows,
                                            guint                  n_rows);
CrmStats     *crm_chart_test_phases        (void);
CrmStats     *crm_chart_test_months        (CrmMonth               from,
                                            guint                  n_months,
                                            gint64                 scale,
                                            gboolean               won);

G_END_DECLS
