/* crm-chart-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the charts say in words: figure labels, tooltips with the exact
 * figures and the descriptions screen readers get.
 */
#define G_LOG_DOMAIN "crm-charts"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-chart-text.h"
#include "crm-chart-ticks.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-stats.h"

/* ------------------------------------------------------ auxiliary methods */

/* The three figures of an item as text. */
typedef struct {
  char *leads;
  char *absolute;
  char *weighted;
} Figures;

static void
figures_clear (Figures *figures)
{
  g_clear_pointer (&figures->leads, g_free);
  g_clear_pointer (&figures->absolute, g_free);
  g_clear_pointer (&figures->weighted, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Figures, figures_clear)

static void
figures_init (Figures    *figures,
              gint64      count,
              gint64      absolute_minor,
              gint64      weighted_minor,
              const char *currency,
              gboolean    compact)
{
  figures->leads = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld lead", "%lld leads",
                                                 (gulong) MIN (count, G_MAXLONG)),
                                    (long long) count);
  if (compact)
    {
      figures->absolute = crm_chart_format_compact (absolute_minor, currency, absolute_minor, 1);
      figures->weighted = crm_chart_format_compact (weighted_minor, currency, weighted_minor, 1);
    }
  else
    {
      figures->absolute = crm_money_format (absolute_minor, currency);
      figures->weighted = crm_money_format (weighted_minor, currency);
    }
}

/* "12 leads, €1,234.56 absolute, €456.78 weighted" */
static char *
format_sums (gint64      count,
             gint64      absolute_minor,
             gint64      weighted_minor,
             const char *currency)
{
  g_auto(Figures) f = { NULL, };

  figures_init (&f, count, absolute_minor, weighted_minor, currency, FALSE);
  /* TRANSLATORS: accessible description of a chart item: "12 leads,
   * €1,234.56 absolute, €456.78 weighted" */
  return g_strdup_printf (_("%s, %s absolute, %s weighted"), f.leads, f.absolute, f.weighted);
}

/* ------------------------------------------------------------- public API */

/* The label beside a funnel band: "12 leads · €1,234.56 · €456.78". */
char *
crm_chart_text_figures (gint64      count,
                        gint64      absolute_minor,
                        gint64      weighted_minor,
                        const char *currency,
                        gboolean    compact)
{
  g_auto(Figures) f = { NULL, };

  figures_init (&f, count, absolute_minor, weighted_minor, currency, compact);
  /* TRANSLATORS: the figures beside a funnel band: count, absolute and
   * weighted volume */
  return g_strdup_printf (_("%s · %s · %s"), f.leads, f.absolute, f.weighted);
}

char *
crm_chart_text_funnel_tooltip (const char *phase,
                               gint64      count,
                               gint64      absolute_minor,
                               gint64      weighted_minor,
                               const char *currency)
{
  g_auto(Figures) f = { NULL, };

  figures_init (&f, count, absolute_minor, weighted_minor, currency, FALSE);
  /* TRANSLATORS: tooltip of a funnel band: phase, count, absolute and
   * weighted volume, one per line */
  return g_strdup_printf (_("%s\n%s\nAbsolute: %s\nWeighted: %s"),
                          phase, f.leads, f.absolute, f.weighted);
}

char *
crm_chart_text_forecast_tooltip (CrmMonth    month,
                                 gboolean    won,
                                 gint64      count,
                                 gint64      absolute_minor,
                                 gint64      weighted_minor,
                                 const char *currency)
{
  g_autofree char *name = crm_month_format (month);
  g_auto(Figures) f = { NULL, };

  figures_init (&f, count, absolute_minor, weighted_minor, currency, FALSE);
  if (won)
    /* TRANSLATORS: tooltip of a won bar of the forecast: month, count, volume */
    return g_strdup_printf (_("%s, won\n%s\nVolume: %s"), name, f.leads, f.absolute);

  /* TRANSLATORS: tooltip of an open bar of the forecast: month, count,
   * absolute and weighted volume */
  return g_strdup_printf (_("%s, open\n%s\nAbsolute: %s\nWeighted: %s"),
                          name, f.leads, f.absolute, f.weighted);
}

char *
crm_chart_text_funnel_description (CrmStats *phases)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean any = FALSE;

  g_return_val_if_fail (CRM_IS_STATS (phases), NULL);

  g_string_append (out, _("Funnel of the open leads by phase."));
  for (guint i = 0; i < crm_stats_get_n_rows (phases); i++)
    {
      const CrmStatsRow *row = crm_stats_get_row (phases, i);

      g_autofree char *sums = format_sums (row->count, row->absolute_minor, row->weighted_minor,
                                           crm_stats_get_currency (phases));

      any = any || row->count > 0;
      g_string_append_c (out, ' ');
      /* TRANSLATORS: one phase in the funnel's accessible description:
       * the phase, then "12 leads, €… absolute, €… weighted" */
      g_string_append_printf (out, _("%s: %s."), row->label, sums);
    }

  if (!any)
    {
      g_string_truncate (out, 0);
      g_string_append (out, _("No open leads"));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
crm_chart_text_forecast_description (CrmStats *open,
                                     CrmStats *won,
                                     CrmMonth  from,
                                     CrmMonth  to)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *first = crm_month_format (from);
  g_autofree char *last = crm_month_format (to);
  g_autoptr(GHashTable) open_rows = NULL;
  g_autoptr(GHashTable) won_rows = NULL;
  const char *currency;
  gboolean any = FALSE;

  g_return_val_if_fail (CRM_IS_STATS (open), NULL);
  g_return_val_if_fail (CRM_IS_STATS (won), NULL);

  currency = crm_stats_get_currency (open);
  open_rows = crm_chart_month_rows (open);
  won_rows = crm_chart_month_rows (won);

  /* TRANSLATORS: start of the forecast chart's accessible description */
  g_string_append_printf (out, _("Forecast by expected close month from %s to %s; months without leads are left out."),
                          first, last);
  for (CrmMonth month = from; month <= to; month++)
    {
      gint64 open_count, open_absolute, open_weighted;
      gint64 won_count, won_absolute, won_weighted;
      g_autofree char *name = NULL;
      g_autofree char *sums = NULL;
      g_auto(Figures) won_figures = { NULL, };

      crm_chart_month_figures (open_rows, month, &open_count, &open_absolute, &open_weighted);
      crm_chart_month_figures (won_rows, month, &won_count, &won_absolute, &won_weighted);
      if (open_count == 0 && won_count == 0)
        continue;

      any = TRUE;
      name = crm_month_format (month);
      figures_init (&won_figures, won_count, won_absolute, won_weighted, currency, FALSE);
      sums = format_sums (open_count, open_absolute, open_weighted, currency);
      g_string_append_c (out, ' ');
      /* TRANSLATORS: one month in the forecast's accessible description:
       * month, the open leads ("12 leads, €… absolute, €… weighted"),
       * then the won leads' count and volume */
      g_string_append_printf (out, _("%s: open %s; won %s, %s."), name, sums,
                              won_figures.leads, won_figures.absolute);
    }

  if (!any)
    {
      g_string_truncate (out, 0);
      /* TRANSLATORS: the forecast chart without any lead in its months */
      g_string_append_printf (out, _("No open or won leads from %s to %s"), first, last);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

GHashTable *
crm_chart_month_rows (CrmStats *stats)
{
  GHashTable *rows = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (CRM_IS_STATS (stats), rows);

  for (guint i = 0; i < crm_stats_get_n_rows (stats); i++)
    {
      const CrmStatsRow *row = crm_stats_get_row (stats, i);

      if (row->month != CRM_MONTH_NONE)
        g_hash_table_insert (rows, GINT_TO_POINTER (row->month), (gpointer) row);
    }

  return rows;
}

void
crm_chart_month_figures (GHashTable *rows,
                         CrmMonth    month,
                         gint64     *out_count,
                         gint64     *out_absolute_minor,
                         gint64     *out_weighted_minor)
{
  const CrmStatsRow *row = g_hash_table_lookup (rows, GINT_TO_POINTER (month));

  *out_count = row != NULL ? row->count : 0;
  *out_absolute_minor = row != NULL ? MAX (row->absolute_minor, 0) : 0;
  *out_weighted_minor = row != NULL ? CLAMP (row->weighted_minor, 0, *out_absolute_minor) : 0;
}
