/* crm-chart-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixed statistics for the chart tests, built with the same
 * CrmStats API the store uses, and a Pango context with the pinned font
 * and fixed font options, independent of the desktop and the locale.
 */
#define G_LOG_DOMAIN "crm-test"

#include "config.h"

#include <locale.h>
#include <pango/pangocairo.h>

#include "crm-chart-geometry.h"
#include "crm-chart-test-util.h"
#include "crm-month.h"

void
crm_chart_test_init (void)
{
  /* months, decimal points and messages as in the C locale */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
}

PangoContext *
crm_chart_test_context (void)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (map);

  crm_chart_context_set_fixed_options (context);

  return context;
}

PangoFontDescription *
crm_chart_test_font (void)
{
  return pango_font_description_from_string (CRM_CHART_TEST_FONT);
}

CrmStats *
crm_chart_test_stats (CrmStatsBy             by,
                      const CrmChartTestRow *rows,
                      guint                  n_rows)
{
  CrmStats *stats = crm_stats_new (by, "EUR");
  CrmStatsRow total = { (char *) "", (char *) "Total", CRM_MONTH_NONE, 0, 0, 0 };

  for (guint i = 0; i < n_rows; i++)
    {
      CrmStatsRow row = {
        (char *) rows[i].key, (char *) rows[i].label, CRM_MONTH_NONE,
        rows[i].count, rows[i].absolute_minor, rows[i].weighted_minor,
      };

      if (by == CRM_STATS_BY_MONTH && rows[i].key[0] != '\0')
        g_assert_true (crm_month_parse (rows[i].key, &row.month, NULL));
      crm_stats_append_row (stats, &row);
      total.count += row.count;
      total.absolute_minor += row.absolute_minor;
      total.weighted_minor += row.weighted_minor;
    }
  crm_stats_set_total (stats, &total);

  return stats;
}

/* Five phases of a typical pipeline, the third without volume. */
CrmStats *
crm_chart_test_phases (void)
{
  static const CrmChartTestRow rows[] = {
    { "lead", "Lead", 40, 480000000, 48000000 },
    { "qualification", "Qualification", 22, 310000000, 77500000 },
    { "analysis", "Needs analysis", 3, 0, 0 },
    { "proposal", "Proposal", 12, 215000000, 107500000 },
    { "negotiation", "Negotiation", 5, 98000050, 78400040 },
  };

  return crm_chart_test_stats (CRM_STATS_BY_PHASE, rows, G_N_ELEMENTS (rows));
}

/* n_months from @from with volumes that vary by month (a fixed
 * pattern), plus a "no close month" row the charts must leave out. */
CrmStats *
crm_chart_test_months (CrmMonth from,
                       guint    n_months,
                       gint64   scale,
                       gboolean won)
{
  static const int pattern[] = { 7, 3, 9, 0, 5, 12, 4, 8, 1, 6, 10, 2, 11 };
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CrmChartTestRow));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  CrmChartTestRow none = { "", "No close month", 99, 999 * scale, 999 * scale };

  for (guint i = 0; i < n_months; i++)
    {
      int p = pattern[(i + (won ? 5 : 0)) % G_N_ELEMENTS (pattern)];
      char *key;
      CrmChartTestRow row;

      if (won && i % 3 == 2)
        continue;   /* months without won leads */
      key = crm_month_to_iso (from + (CrmMonth) i);
      row = (CrmChartTestRow) { key, key, p, p * scale, p * scale * (won ? 100 : 35) / 100 };
      g_ptr_array_add (keys, key);
      g_array_append_val (rows, row);
    }
  g_array_append_val (rows, none);

  return crm_chart_test_stats (CRM_STATS_BY_MONTH, (CrmChartTestRow *) rows->data, rows->len);
}
