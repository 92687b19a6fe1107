/* crm-stats-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Statistics view's banner and the Leads list's footer say about
 * the leads a statistic could not count (no exchange rate for their
 * currency), in one place.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-money.h"
#include "crm-stats-ui.h"

/**
 * crm_stats_ui_describe_unconverted:
 *
 * Returns: (nullable): "3 leads in USD ($12,000.00), 1 lead in CHF
 *   (CHF 500.00)", or %NULL when every lead was counted
 */
char *
crm_stats_ui_describe_unconverted (CrmStats *stats)
{
  GString *list;

  g_return_val_if_fail (CRM_IS_STATS (stats), NULL);

  if (crm_stats_get_n_unconverted (stats) == 0)
    return NULL;

  list = g_string_new (NULL);
  for (guint i = 0; i < crm_stats_get_n_unconverted (stats); i++)
    {
      const CrmStatsUnconverted *entry = crm_stats_get_unconverted (stats, i);
      g_autofree char *money = crm_money_format (entry->absolute_minor, entry->currency);

      if (list->len > 0)
        g_string_append (list, ", ");
      /* TRANSLATORS: leads not counted for lack of an exchange rate: "3 leads in USD ($12,000.00)" */
      g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "%lld lead in %s (%s)", "%lld leads in %s (%s)",
                                                 (gulong) entry->count),
                              (long long) entry->count, entry->currency, money);
    }
  return g_string_free (list, FALSE);
}
