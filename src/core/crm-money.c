/* crm-money.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money never touches floating point: amounts are parsed digit by digit
 * into integer minor units (cents for EUR, yen for JPY, fils for KWD) and
 * formatted back the same way.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-currency.h"
#include "crm-money.h"

/* ---------------------------------------------------------------- helpers */

/* 10^exponent, for exponents up to 18 */
gint64
crm_money_power_of_ten (guint exponent)
{
  gint64 p = 1;

  while (exponent-- > 0)
    p *= 10;

  return p;
}

char
crm_money_locale_decimal_point (void)
{
  const struct lconv *lc = localeconv ();

  if (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0] == ',')
    return ',';

  return '.';
}

/* ----------------------------------------------------------------- public */

/**
 * crm_money_parse:
 * @text: the amount as typed, in major units ("1234.56", "1.234,56 €")
 * @currency: the ISO 4217 code, deciding the number of decimal places
 * @decimal_point: '.' or ','; the other one is accepted as digit grouping
 * @out_minor: (out): the amount in minor units
 *
 * Spaces, the currency code and its symbol around the number are ignored.
 * Grouping separators are accepted only between groups of three digits.
 */
/* Like g_strstrip(), but also removes Unicode spaces such as the no-break
 * space that formatting puts between an amount and its symbol. */
static char *
strip_spaces (char *text)
{
  char *start = text;
  char *end;

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char_validated (start, -1)))
    start = g_utf8_next_char (start);
  memmove (text, start, strlen (start) + 1);

  end = text + strlen (text);
  while (end > text)
    {
      char *prev = g_utf8_find_prev_char (text, end);

      if (prev == NULL || !g_unichar_isspace (g_utf8_get_char_validated (prev, end - prev)))
        break;
      end = prev;
    }
  *end = '\0';

  return text;
}

gboolean
crm_money_parse (const char  *text,
                 const char  *currency,
                 char         decimal_point,
                 gint64      *out_minor,
                 GError     **error)
{
  g_autofree char *clean = NULL;
  const char *symbol;
  char group_sep;
  guint exponent;
  gint64 major = 0;
  gint64 minor = 0;
  guint n_decimals = 0;
  gboolean seen_digit = FALSE;
  gboolean seen_point = FALSE;
  guint group_len = 0;
  gboolean seen_group = FALSE;
  const char *p;

  g_return_val_if_fail (out_minor != NULL, FALSE);
  g_return_val_if_fail (decimal_point == '.' || decimal_point == ',', FALSE);

  if (text == NULL)
    text = "";

  exponent = crm_currency_exponent (currency);
  group_sep = decimal_point == '.' ? ',' : '.';

  clean = strip_spaces (g_strdup (text));

  /* Strip the currency code or symbol on either side. */
  symbol = crm_currency_symbol (currency);
  for (guint pass = 0; pass < 2; pass++)
    {
      const char *affixes[] = { currency, symbol };

      for (guint i = 0; i < G_N_ELEMENTS (affixes); i++)
        {
          gsize len;

          if (affixes[i] == NULL || *affixes[i] == '\0')
            continue;
          len = strlen (affixes[i]);
          if (g_str_has_prefix (clean, affixes[i]))
            memmove (clean, clean + len, strlen (clean + len) + 1);
          else if (g_str_has_suffix (clean, affixes[i]))
            clean[strlen (clean) - len] = '\0';
          strip_spaces (clean);
        }
    }

  if (*clean == '\0')
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED,
                   _("Enter an amount"));
      return FALSE;
    }

  if (clean[0] == '-' || g_str_has_prefix (clean, "−"))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_NEGATIVE_AMOUNT,
                   _("The amount must not be negative"));
      return FALSE;
    }

  if (clean[0] == '+')
    memmove (clean, clean + 1, strlen (clean));

  for (p = clean; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isdigit (c))
        {
          int digit = c - '0';

          seen_digit = TRUE;
          if (seen_point)
            {
              n_decimals++;
              if (n_decimals > exponent)
                {
                  if (exponent == 0)
                    g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_TOO_MANY_DECIMALS,
                                 _("%s has no decimal places"), currency);
                  else
                    g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_TOO_MANY_DECIMALS,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%s has at most %u decimal place",
                                              "%s has at most %u decimal places",
                                              exponent),
                                 currency, exponent);
                  return FALSE;
                }
              minor = minor * 10 + digit;
            }
          else
            {
              if (major > (CRM_MONEY_MAX_MINOR / crm_money_power_of_ten (exponent)) / 10 + 1)
                goto too_large;
              major = major * 10 + digit;
              group_len++;
            }
        }
      else if (c == decimal_point && !seen_point)
        {
          if (seen_group && group_len != 3)
            goto invalid;
          seen_point = TRUE;
        }
      else if ((c == group_sep || c == ' ' || c == '\'') && !seen_point && seen_digit)
        {
          if (seen_group ? group_len != 3 : group_len > 3)
            goto invalid;
          seen_group = TRUE;
          group_len = 0;
        }
      else if ((guchar) c == 0xC2 && (guchar) p[1] == 0xA0 && !seen_point && seen_digit)
        {
          /* no-break space as thousands separator */
          if (seen_group ? group_len != 3 : group_len > 3)
            goto invalid;
          seen_group = TRUE;
          group_len = 0;
          p++;
        }
      else
        goto invalid;
    }

  if (!seen_digit || (seen_group && !seen_point && group_len != 3))
    goto invalid;

  while (n_decimals < exponent)
    {
      minor *= 10;
      n_decimals++;
    }

  if (major > CRM_MONEY_MAX_MINOR / crm_money_power_of_ten (exponent))
    goto too_large;

  *out_minor = major * crm_money_power_of_ten (exponent) + minor;
  if (*out_minor > CRM_MONEY_MAX_MINOR)
    goto too_large;

  return TRUE;

invalid:
  g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_AMOUNT,
               _("“%s” is not an amount of money"), text);
  return FALSE;

too_large:
  g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_AMOUNT_TOO_LARGE,
               _("The amount is too large"));
  return FALSE;
}

/**
 * crm_money_format_plain:
 *
 * Formats without grouping and without a symbol, the way an entry shows
 * a value for editing ("1234.56"). Round-trips through crm_money_parse().
 */
char *
crm_money_format_plain (gint64      minor,
                        const char *currency,
                        char        decimal_point)
{
  guint exponent = crm_currency_exponent (currency);
  gint64 scale = crm_money_power_of_ten (exponent);
  gboolean negative = minor < 0;
  guint64 abs_minor = negative ? (guint64) -(minor + 1) + 1 : (guint64) minor;

  if (exponent == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, negative ? "-" : "", abs_minor);

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT "%c%0*" G_GUINT64_FORMAT,
                          negative ? "-" : "",
                          abs_minor / (guint64) scale, decimal_point,
                          (int) exponent, abs_minor % (guint64) scale);
}

/**
 * crm_money_decorate:
 * @plain: a non-negative number with @decimal_point and no grouping
 *   ("1234.56", "1,2")
 * @suffix: (nullable): appended after the grouped number, before the
 *   currency ("\u00a0M"), for compact figures
 * @negative: whether to put a minus sign in front
 *
 * Groups the integer digits and places the currency symbol the way the
 * user's locale writes money: "1.234,56 €" where the decimal point is a
 * comma, "€1,234.56" elsewhere. The one place that knows this layout:
 * crm_money_format() and the charts' compact figures both use it.
 */
char *
crm_money_decorate (const char *plain,
                    const char *suffix,
                    const char *currency,
                    char        decimal_point,
                    gboolean    negative)
{
  char group = decimal_point == ',' ? '.' : ',';
  g_autoptr(GString) out = g_string_new (NULL);
  const char *symbol = crm_currency_symbol (currency);
  const char *point = strchr (plain, decimal_point);
  gsize int_len = point != NULL ? (gsize) (point - plain) : strlen (plain);

  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, group);
      g_string_append_c (out, plain[i]);
    }
  if (point != NULL)
    g_string_append (out, point);
  if (suffix != NULL)
    g_string_append (out, suffix);

  if (decimal_point == ',')
    {
      /* 1.234,56 € — a no-break space keeps amount and symbol together */
      g_string_append (out, "\u00a0");
      g_string_append (out, symbol);
    }
  else if (g_utf8_strlen (symbol, -1) == 3 && g_ascii_isalpha (symbol[0]) && g_ascii_isalpha (symbol[2]))
    {
      g_string_prepend (out, "\u00a0");
      g_string_prepend (out, symbol);
    }
  else
    g_string_prepend (out, symbol);

  /* The sign goes in front of everything: −€1,234.56, −1.234,56 € */
  if (negative)
    g_string_prepend (out, "−");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * crm_money_format:
 *
 * Formats for display in the user's locale: "1.234,56 €" where the
 * decimal point is a comma, "€1,234.56" elsewhere.
 */
char *
crm_money_format (gint64      minor,
                  const char *currency)
{
  char decimal_point = crm_money_locale_decimal_point ();
  guint64 abs_minor = minor < 0 ? (guint64) -(minor + 1) + 1 : (guint64) minor;
  g_autofree char *plain = NULL;

  if (abs_minor > G_MAXINT64)
    abs_minor = G_MAXINT64;
  plain = crm_money_format_plain ((gint64) abs_minor, currency, decimal_point);

  return crm_money_decorate (plain, NULL, currency, decimal_point, minor < 0);
}

/**
 * crm_money_divide_round:
 *
 * Integer division rounding half away from zero, as the statistics
 * definition demands (architecture.md, "Statistics").
 */
gint64
crm_money_divide_round (gint64 numerator,
                        gint64 denominator)
{
  gint64 q, r;

  g_return_val_if_fail (denominator > 0, 0);

  q = numerator / denominator;
  r = numerator % denominator;

  if (r < 0)
    r = -r;
  if (2 * r >= denominator)
    q += numerator < 0 ? -1 : 1;

  return q;
}

gint64
crm_money_weighted (gint64 volume_minor,
                    int    probability)
{
  return crm_money_divide_round (volume_minor * probability, 100);
}

/**
 * crm_money_parse_rate:
 * @text: a positive decimal number with at most 6 decimals ("1.0825",
 *   "162,5", "0.000125"); '.' or ',' as the decimal point, no grouping
 * @out_micros: (out): the rate × 10^6
 *
 * Parses an exchange rate digit by digit, never through floating point.
 */
gboolean
crm_money_parse_rate (const char  *text,
                      gint64      *out_micros,
                      GError     **error)
{
  g_autofree char *clean = strip_spaces (g_strdup (text != NULL ? text : ""));
  gint64 major = 0, fraction = 0;
  guint n_decimals = 0, n_digits = 0;
  gboolean seen_point = FALSE;

  g_return_val_if_fail (out_micros != NULL, FALSE);

  if (*clean == '\0')
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED, _("rate: enter a rate"));
      return FALSE;
    }

  for (const char *p = clean; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          n_digits++;
          if (seen_point)
            {
              if (++n_decimals > CRM_RATE_DECIMALS)
                {
                  g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_TOO_MANY_DECIMALS,
                               _("rate: “%s” has more than %d decimal places"), text, CRM_RATE_DECIMALS);
                  return FALSE;
                }
              fraction = fraction * 10 + (*p - '0');
            }
          else
            {
              major = major * 10 + (*p - '0');
              if (major > CRM_RATE_MAX / CRM_RATE_SCALE)
                goto too_large;
            }
        }
      else if ((*p == '.' || *p == ',') && !seen_point)
        seen_point = TRUE;
      else
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_AMOUNT,
                       _("rate: “%s” is not a number such as 1.0825"), text);
          return FALSE;
        }
    }

  if (n_digits == 0)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_AMOUNT,
                   _("rate: “%s” is not a number such as 1.0825"), text);
      return FALSE;
    }

  for (; n_decimals < CRM_RATE_DECIMALS; n_decimals++)
    fraction *= 10;

  *out_micros = major * CRM_RATE_SCALE + fraction;
  if (*out_micros > CRM_RATE_MAX)
    goto too_large;
  if (*out_micros <= 0)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_AMOUNT,
                   _("rate: “%s” must be greater than 0"), text);
      return FALSE;
    }

  return TRUE;

too_large:
  g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_AMOUNT_TOO_LARGE,
               _("rate: “%s” is larger than 1000000"), text);
  return FALSE;
}

/**
 * crm_money_format_rate:
 *
 * Formats a rate × 10^6 with as few decimals as it needs ("1.0825",
 * "150"); round-trips through crm_money_parse_rate().
 */
char *
crm_money_format_rate (gint64 micros,
                       char   decimal_point)
{
  g_autofree char *fraction = NULL;
  gsize len;

  if (micros % CRM_RATE_SCALE == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, micros / CRM_RATE_SCALE);

  fraction = g_strdup_printf ("%06" G_GINT64_FORMAT, micros % CRM_RATE_SCALE);
  for (len = strlen (fraction); len > 0 && fraction[len - 1] == '0'; len--)
    fraction[len - 1] = '\0';

  return g_strdup_printf ("%" G_GINT64_FORMAT "%c%s", micros / CRM_RATE_SCALE, decimal_point, fraction);
}
