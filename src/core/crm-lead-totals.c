/* crm-lead-totals.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sums are kept per currency: adding euros to dollars 1:1 would be a lie.
 * Converting to the company currency is the statistics layer's business.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "crm-lead-totals.h"
#include "crm-money.h"

G_DEFINE_BOXED_TYPE (CrmLeadTotals, crm_lead_totals, crm_lead_totals_copy, crm_lead_totals_free)

CrmLeadTotals *
crm_lead_totals_new (void)
{
  CrmLeadTotals *self = g_new0 (CrmLeadTotals, 1);

  self->sums = g_array_new (FALSE, TRUE, sizeof (CrmCurrencySum));

  return self;
}

CrmLeadTotals *
crm_lead_totals_copy (const CrmLeadTotals *self)
{
  CrmLeadTotals *copy = crm_lead_totals_new ();

  copy->count = self->count;
  g_array_append_vals (copy->sums, self->sums->data, self->sums->len);

  return copy;
}

void
crm_lead_totals_free (CrmLeadTotals *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->sums);
  g_free (self);
}

/**
 * crm_lead_totals_add:
 * @volume_times_probability: Σ(volume_minor × probability) of the group
 *
 * Adds one group of leads of one currency. The weighted sum is divided
 * by 100 here, once per currency group, rounding half away from zero.
 */
void
crm_lead_totals_add (CrmLeadTotals *self,
                     const char    *currency,
                     gint64         count,
                     gint64         absolute_minor,
                     gint64         volume_times_probability)
{
  CrmCurrencySum sum = { { 0 }, 0, 0, 0 };
  guint i;

  g_return_if_fail (self != NULL);
  g_return_if_fail (currency != NULL);

  g_strlcpy (sum.currency, currency, sizeof sum.currency);
  sum.count = count;
  sum.absolute_minor = absolute_minor;
  sum.weighted_minor = crm_money_divide_round (volume_times_probability, 100);

  for (i = 0; i < self->sums->len; i++)
    if (strcmp (g_array_index (self->sums, CrmCurrencySum, i).currency, sum.currency) > 0)
      break;

  g_array_insert_val (self->sums, i, sum);
  self->count += count;
}

static char *
format_sums (const CrmLeadTotals *self,
             gboolean             weighted,
             gboolean             short_form)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint main_index = 0;

  if (self->sums->len == 0)
    return crm_money_format (0, "EUR");

  /* the short form names the currency with the most leads and counts the others */
  for (guint i = 1; i < self->sums->len; i++)
    if (g_array_index (self->sums, CrmCurrencySum, i).count >
        g_array_index (self->sums, CrmCurrencySum, main_index).count)
      main_index = i;

  for (guint i = 0; i < self->sums->len; i++)
    {
      const CrmCurrencySum *sum = &g_array_index (self->sums, CrmCurrencySum, i);
      g_autofree char *text = NULL;

      if (short_form && i != main_index)
        continue;

      text = crm_money_format (weighted ? sum->weighted_minor : sum->absolute_minor, sum->currency);
      if (out->len > 0)
        g_string_append (out, " + ");
      g_string_append (out, text);
    }

  if (short_form && self->sums->len > 1)
    g_string_append_printf (out,
                            g_dngettext (GETTEXT_PACKAGE, " + %u other currency", " + %u other currencies",
                                         self->sums->len - 1),
                            self->sums->len - 1);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
crm_lead_totals_format_absolute (const CrmLeadTotals *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return format_sums (self, FALSE, FALSE);
}

char *
crm_lead_totals_format_weighted (const CrmLeadTotals *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return format_sums (self, TRUE, FALSE);
}

/* "€1,234.00 + 2 other currencies": for places with little room. */
char *
crm_lead_totals_format_short (const CrmLeadTotals *self,
                              gboolean             weighted)
{
  g_return_val_if_fail (self != NULL, NULL);

  return format_sums (self, weighted, TRUE);
}
