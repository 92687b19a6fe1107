/* crm-chart-ticks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nice ticks for a money axis, computed in integer minor units: the step
 * is the smallest of 1, 2, 5 × 10^n that covers the largest value in at
 * most max_steps steps. Compact figures ("1.2 M €") for labels that
 * would not fit in full; no floating point anywhere.
 */
#define G_LOG_DOMAIN "crm-charts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-chart-ticks.h"
#include "crm-currency.h"
#include "crm-money.h"

/* ----------------------------------------------------------------- ticks */

void
crm_chart_ticks_compute (gint64         max_value,
                         guint          max_steps,
                         CrmChartTicks *out_ticks)
{
  static const gint64 mantissas[] = { 1, 2, 5 };
  guint64 max = max_value > 0 ? (guint64) max_value : 0;
  guint64 magnitude = 1;

  g_return_if_fail (out_ticks != NULL);

  max_steps = MAX (max_steps, 1);

  if (max == 0)
    {
      /* nothing to show: one step of one minor unit */
      out_ticks->step = 1;
      out_ticks->n_steps = 1;
      out_ticks->axis_max = 1;
      return;
    }

  /* guint64 holds 5 × 10^18 and the step count of any gint64 value */
  for (;;)
    {
      for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
        {
          guint64 step = magnitude * (guint64) mantissas[i];
          guint64 n = (max + step - 1) / step;

          if (n <= max_steps || step >= (guint64) G_MAXINT64 / 2)
            {
              guint64 top = n * step;

              out_ticks->step = (gint64) step;
              out_ticks->n_steps = (guint) n;
              if (top > (guint64) G_MAXINT64 || top / step != n)
                {
                  /* the last tick would overflow: end the axis at the value */
                  out_ticks->n_steps = (guint) (max / step);
                  out_ticks->axis_max = (gint64) max;
                }
              else
                out_ticks->axis_max = (gint64) top;
              return;
            }
        }
      magnitude *= 10;
    }
}

gint64
crm_chart_ticks_value (const CrmChartTicks *ticks,
                       guint                index)
{
  g_return_val_if_fail (index <= ticks->n_steps, 0);

  return ticks->step * (gint64) index;
}

/* ------------------------------------------------------- compact figures */

/* The compact unit (1 = thousand … 4 = trillion) for a value in minor
 * units of a currency with @exponent decimals; 0 = show in full. */
static guint
compact_unit (gint64 unit_of,
              guint  exponent)
{
  guint unit = 0;

  if (unit_of < 0)
    unit_of = -(unit_of + 1);

  while (unit < 4 && exponent + 3 * (unit + 1) <= 18 &&
         unit_of >= crm_money_power_of_ten (exponent + 3 * (unit + 1)))
    unit++;

  return unit;
}

/* The decimals that show every multiple of @step exactly, at 10^@scale. */
static guint
step_decimals (gint64 step,
               guint  scale)
{
  guint decimals = scale;

  if (step <= 0)
    return 0;

  /* trailing zeros of the step need no decimals */
  while (decimals > 0 && step % 10 == 0)
    {
      step /= 10;
      decimals--;
    }

  return decimals;
}

/* |minor| / 10^scale with @decimals digits (at most @scale) after the
 * point, rounded half away from zero, in integers. */
static char *
format_scaled (gint64 minor,
               guint  scale,
               guint  decimals,
               char   decimal_point)
{
  guint64 abs_minor = minor < 0 ? (guint64) -(minor + 1) + 1 : (guint64) minor;
  guint64 divisor = (guint64) crm_money_power_of_ten (scale - decimals);
  guint64 scaled = abs_minor / divisor + ((abs_minor % divisor) * 2 >= divisor ? 1 : 0);

  if (decimals == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, scaled);

  return g_strdup_printf ("%" G_GUINT64_FORMAT "%c%0*" G_GUINT64_FORMAT,
                          scaled / (guint64) crm_money_power_of_ten (decimals), decimal_point,
                          (int) decimals, scaled % (guint64) crm_money_power_of_ten (decimals));
}

guint
crm_chart_compact_decimals (gint64      step,
                            const char *currency,
                            gint64      unit_of)
{
  guint exponent = crm_currency_exponent (currency);
  guint unit = compact_unit (unit_of, exponent);

  if (unit == 0)
    return 0;

  return MIN (step_decimals (step, exponent + 3 * unit), 3);
}

char *
crm_chart_format_compact (gint64      minor,
                          const char *currency,
                          gint64      unit_of,
                          guint       decimals)
{
  /* TRANSLATORS: compact money figures on chart axes and labels, the
   * number is %s: "1.2 k" (thousand), "1.2 M" (million), "1.2 B"
   * (billion), "1.2 T" (trillion); the currency is added around it */
  const char *suffixes[] = { NULL, N_("%s k"), N_("%s M"), N_("%s B"), N_("%s T") };
  guint exponent = crm_currency_exponent (currency);
  guint unit = compact_unit (unit_of, exponent);
  char decimal_point = crm_money_locale_decimal_point ();
  g_autofree char *number = NULL;
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *suffix = NULL;

  if (unit == 0)
    return crm_money_format (minor, currency);

  number = format_scaled (minor, exponent + 3 * unit, MIN (decimals, 3), decimal_point);

  /* The translation places the number; the unit after it becomes the
   * suffix of crm_money_decorate(), which groups digits and adds the
   * currency where the locale writes it. */
  parts = g_strsplit (_(suffixes[unit]), "%s", 2);
  /* no-break spaces, so "1.2 M €" never breaks apart */
  words = g_strsplit (parts[0] != NULL && parts[1] != NULL ? parts[1] : "", " ", -1);
  suffix = g_strjoinv ("\u00a0", words);

  return crm_money_decorate (number, suffix, currency, decimal_point, minor < 0);
}

/* From a million major units on, "€1.5 M" reads better than the full
 * figure even where that would fit. */
gboolean
crm_chart_ticks_prefer_compact (const CrmChartTicks *ticks,
                                const char          *currency)
{
  return compact_unit (ticks->axis_max, crm_currency_exponent (currency)) >= 2;
}

/**
 * crm_chart_format_tick:
 * @compact: "€1.5 M" rather than "€1,500,000"
 *
 * A tick label: decimals only where the step needs them ("€150,000",
 * "€0.05", "€2.5 M"), in the currency and the user's locale.
 */
char *
crm_chart_format_tick (gint64               minor,
                       const char          *currency,
                       const CrmChartTicks *ticks,
                       gboolean             compact)
{
  guint exponent = crm_currency_exponent (currency);
  g_autofree char *number = NULL;
  char decimal_point;

  if (compact && compact_unit (ticks->axis_max, exponent) > 0)
    return crm_chart_format_compact (minor, currency, ticks->axis_max,
                                     crm_chart_compact_decimals (ticks->step, currency, ticks->axis_max));

  /* money shows all its decimals or none: "€0.50", not "€0.5" */
  decimal_point = crm_money_locale_decimal_point ();
  number = format_scaled (minor, exponent, step_decimals (ticks->step, exponent) > 0 ? exponent : 0,
                          decimal_point);

  return crm_money_decorate (number, NULL, currency, decimal_point, minor < 0);
}
