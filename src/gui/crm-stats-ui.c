/* crm-stats-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Statistics view's banner, the Leads list's footer and the
 * Pipeline's column sums say about a statistic's currency and the leads
 * it could not count (no exchange rate for their currency), in one place.
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

/**
 * crm_stats_ui_dup_sums_tooltip:
 *
 * Returns: the tooltip of sums in the statistic's currency: "In EUR, other
 *   currencies converted with the exchange rates", and on a second line the
 *   leads not counted, if any
 */
char *
crm_stats_ui_dup_sums_tooltip (CrmStats *stats)
{
  g_autofree char *list = NULL;
  g_autofree char *missing = NULL;

  g_return_val_if_fail (CRM_IS_STATS (stats), NULL);

  list = crm_stats_ui_describe_unconverted (stats);
  if (list != NULL)
    /* TRANSLATORS: on a line of its own; %s is a list such as "3 leads in USD ($12,000.00), 1 lead in CHF (CHF 500.00)" */
    missing = g_strdup_printf (_("\nNot counted, no exchange rate: %s"), list);

  /* TRANSLATORS: tooltip of sums; %s: the company currency, "EUR"; the
   * second %s is empty or a new line with the leads not counted */
  return g_strdup_printf (_("In %s, other currencies converted with the exchange rates%s"),
                          crm_stats_get_currency (stats), missing != NULL ? missing : "");
}
