/* crm-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV as RFC 4180 has it: fields with a comma, quote or line break quoted,
 * quotes doubled, CRLF after every record. A machine format: money as an
 * exact decimal in the currency ("1234.56", never locale-formatted and
 * never through floating point) beside the integer minor units.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include <string.h>

#include "crm-csv.h"
#include "crm-money.h"

/* One record, @cells NULL-terminated. */
void
crm_csv_append_row (GString            *out,
                    const char * const *cells)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (cells != NULL);

  for (guint i = 0; cells[i] != NULL; i++)
    {
      const char *cell = cells[i];

      if (i > 0)
        g_string_append_c (out, ',');

      if (strpbrk (cell, ",\"\r\n") == NULL)
        {
          g_string_append (out, cell);
          continue;
        }

      g_string_append_c (out, '"');
      for (const char *p = cell; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }

  g_string_append (out, "\r\n");
}

static void
append_stats_row (GString           *out,
                  CrmStats          *stats,
                  const CrmStatsRow *row,
                  const char        *key)
{
  const char *currency = crm_stats_get_currency (stats);
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, row->count);
  g_autofree char *absolute = crm_money_format_plain (row->absolute_minor, currency, '.');
  g_autofree char *absolute_minor = g_strdup_printf ("%" G_GINT64_FORMAT, row->absolute_minor);
  g_autofree char *weighted = crm_money_format_plain (row->weighted_minor, currency, '.');
  g_autofree char *weighted_minor = g_strdup_printf ("%" G_GINT64_FORMAT, row->weighted_minor);
  const char *cells[] = {
    key, row->label ? row->label : "", count, absolute, absolute_minor, weighted, weighted_minor, currency, NULL,
  };

  crm_csv_append_row (out, cells);
}

/**
 * crm_csv_append_stats:
 *
 * A statistic as CSV: a header, one record per group in display order and
 * the total with the key "total". Columns: key (status or phase key,
 * "YYYY-MM", empty for no close month), label, count, absolute,
 * absolute_minor, weighted, weighted_minor, currency. Then one record
 * with the key "unconverted" per currency that has no exchange rate (in
 * that currency, without weighted figures).
 */
void
crm_csv_append_stats (GString  *out,
                      CrmStats *stats)
{
  static const char *header[] = {
    "key", "label", "count", "absolute", "absolute_minor", "weighted", "weighted_minor", "currency", NULL,
  };

  g_return_if_fail (out != NULL);
  g_return_if_fail (CRM_IS_STATS (stats));

  crm_csv_append_row (out, header);
  for (guint i = 0; i < crm_stats_get_n_rows (stats); i++)
    {
      const CrmStatsRow *row = crm_stats_get_row (stats, i);

      append_stats_row (out, stats, row, row->key ? row->key : "");
    }
  append_stats_row (out, stats, crm_stats_get_total (stats), "total");

  /* the leads in a currency without exchange rate: in no row above */
  for (guint i = 0; i < crm_stats_get_n_unconverted (stats); i++)
    {
      const CrmStatsUnconverted *u = crm_stats_get_unconverted (stats, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, u->count);
      g_autofree char *absolute = crm_money_format_plain (u->absolute_minor, u->currency, '.');
      g_autofree char *absolute_minor = g_strdup_printf ("%" G_GINT64_FORMAT, u->absolute_minor);
      const char *cells[] = { "unconverted", "", count, absolute, absolute_minor, "", "", u->currency, NULL };

      crm_csv_append_row (out, cells);
    }
}
