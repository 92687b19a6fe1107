/* test-core.c: unit tests of the domain layer (no database)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money parsing and formatting, rounding, months, the field rules of a
 * lead, per-currency totals and lead filters.
 */
#define G_LOG_DOMAIN "crm-test"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-csv.h"
#include "crm-currency.h"
#include "crm-lead.h"
#include "crm-lead-filter.h"
#include "crm-lead-totals.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-stats.h"
#include "crm-uuid.h"

#define NBSP "\u00a0"
#define MINUS "\u2212"

/* Expected error codes; OK means success. */
#define OK (-1)

/* ------------------------------------------------------------- money */

typedef struct {
  const char *text;
  const char *currency;
  char        decimal_point;
  gint64      minor;          /* when code == OK */
  int         code;
} ParseCase;

static void
check_parse_cases (const ParseCase *cases,
                   gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      const ParseCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      gint64 minor = G_MININT64;
      gboolean ok;

      ok = crm_money_parse (c->text, c->currency, c->decimal_point, &minor, &error);
      g_test_message ("parse “%s” %s '%c' -> %s %" G_GINT64_FORMAT " %s",
                      c->text ? c->text : "(null)", c->currency, c->decimal_point,
                      ok ? "ok" : "error", minor, error ? error->message : "");

      if (c->code == OK)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (minor, ==, c->minor);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CRM_CORE_ERROR, c->code);
          g_assert_nonnull (error->message);
          g_assert_cmpstr (error->message, !=, "");
        }
    }
}

static void
test_money_parse_eur (void)
{
  static const ParseCase cases[] = {
    { "0", "EUR", '.', 0, OK },
    { "1", "EUR", '.', 100, OK },
    { "1.5", "EUR", '.', 150, OK },
    { "1.05", "EUR", '.', 105, OK },
    { "0.01", "EUR", '.', 1, OK },
    { ".5", "EUR", '.', 50, OK },
    { "5.", "EUR", '.', 500, OK },
    { "+5", "EUR", '.', 500, OK },
    { "  7.25  ", "EUR", '.', 725, OK },
    { "1234.56", "EUR", '.', 123456, OK },
    { "007", "EUR", '.', 700, OK },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_jpy (void)
{
  static const ParseCase cases[] = {
    { "0", "JPY", '.', 0, OK },
    { "1234", "JPY", '.', 1234, OK },
    { "1,234", "JPY", '.', 1234, OK },
    { "1.234", "JPY", ',', 1234, OK },
    { "1,234,567", "JPY", '.', 1234567, OK },
    { "1.", "JPY", '.', 1, OK },
    { "1.5", "JPY", '.', 0, CRM_CORE_ERROR_TOO_MANY_DECIMALS },
    { "1,5", "JPY", ',', 0, CRM_CORE_ERROR_TOO_MANY_DECIMALS },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_kwd (void)
{
  static const ParseCase cases[] = {
    { "1", "KWD", '.', 1000, OK },
    { "1.5", "KWD", '.', 1500, OK },
    { "1.25", "KWD", '.', 1250, OK },
    { "1.234", "KWD", '.', 1234, OK },
    { "1,234.567", "KWD", '.', 1234567, OK },
    { "1.234,567", "KWD", ',', 1234567, OK },
    { "0,001", "KWD", ',', 1, OK },
    { "1.2345", "KWD", '.', 0, CRM_CORE_ERROR_TOO_MANY_DECIMALS },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_decimal_point (void)
{
  static const ParseCase cases[] = {
    /* the decimal point decides */
    { "1,5", "EUR", ',', 150, OK },
    { "1.5", "EUR", '.', 150, OK },
    { "1234,56", "EUR", ',', 123456, OK },
    { "0,99", "EUR", ',', 99, OK },
    /* a comma with '.' is grouping, so "1,5" is a broken group */
    { "1,5", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    /* and a point with ',' likewise */
    { "1.5", "EUR", ',', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1.2.3", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1,2,3", "EUR", ',', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_grouping (void)
{
  static const ParseCase cases[] = {
    { "1.234,56", "EUR", ',', 123456, OK },
    { "1,234.56", "EUR", '.', 123456, OK },
    { "1.234.567,89", "EUR", ',', 123456789, OK },
    { "1,234,567.89", "EUR", '.', 123456789, OK },
    { "1.234", "EUR", ',', 123400, OK },
    { "1,234", "EUR", '.', 123400, OK },
    { "1 234,56", "EUR", ',', 123456, OK },
    { "1 234.56", "EUR", '.', 123456, OK },
    { "1'234.56", "CHF", '.', 123456, OK },
    { "1" NBSP "234,56", "EUR", ',', 123456, OK },
    { "12.345.678", "JPY", ',', 12345678, OK },
    /* groups of three only */
    { "12.34,5", "EUR", ',', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "12,34.5", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1.2345", "EUR", ',', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1234.567,5", "EUR", ',', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1,,234", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "12 34", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { ",234", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    /* no grouping after the decimal point */
    { "1.234,5.6", "EUR", ',', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_affixes (void)
{
  static const ParseCase cases[] = {
    { "€5", "EUR", '.', 500, OK },
    { "€ 5", "EUR", '.', 500, OK },
    { "5€", "EUR", '.', 500, OK },
    { "5 €", "EUR", '.', 500, OK },
    { "EUR 5", "EUR", '.', 500, OK },
    { "5 EUR", "EUR", '.', 500, OK },
    { "5EUR", "EUR", '.', 500, OK },
    { "1.234,56 €", "EUR", ',', 123456, OK },
    { "€1,234.56", "EUR", '.', 123456, OK },
    { "  EUR 1,234.56  ", "EUR", '.', 123456, OK },
    { "$0.99", "USD", '.', 99, OK },
    { "USD 0.99", "USD", '.', 99, OK },
    { "¥1,234", "JPY", '.', 1234, OK },
    { "1.234 JPY", "JPY", ',', 1234, OK },
    { "KWD 12.345", "KWD", '.', 12345, OK },
    { "12,345 KWD", "KWD", ',', 12345, OK },
    { "CHF 12.50", "CHF", '.', 1250, OK },
    { "£3", "GBP", '.', 300, OK },
    /* a no-break space between symbol and amount, as formatted */
    { "5" NBSP "€", "EUR", ',', 500, OK },
    { "1.234,56" NBSP "€", "EUR", ',', 123456, OK },
    { "CHF" NBSP "1,234.56", "CHF", '.', 123456, OK },
    { "KWD" NBSP "1.5", "KWD", '.', 1500, OK },
    /* somebody else's symbol is not ours */
    { "$5", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "5 USD", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "€5", "JPY", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_negative (void)
{
  static const ParseCase cases[] = {
    { "-5", "EUR", '.', 0, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "-0.01", "EUR", '.', 0, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { MINUS "5", "EUR", '.', 0, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "-1.234,56 €", "EUR", ',', 0, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "€-5", "EUR", '.', 0, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "EUR -5", "EUR", '.', 0, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "-5", "JPY", '.', 0, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "5-", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_too_many_decimals (void)
{
  static const ParseCase cases[] = {
    { "1.234", "EUR", '.', 0, CRM_CORE_ERROR_TOO_MANY_DECIMALS },
    { "0,001", "EUR", ',', 0, CRM_CORE_ERROR_TOO_MANY_DECIMALS },
    { "1.999", "USD", '.', 0, CRM_CORE_ERROR_TOO_MANY_DECIMALS },
    { "1.0", "JPY", '.', 0, CRM_CORE_ERROR_TOO_MANY_DECIMALS },
    { "0.0001", "KWD", '.', 0, CRM_CORE_ERROR_TOO_MANY_DECIMALS },
    /* trailing zeros within the exponent are fine */
    { "1.10", "EUR", '.', 110, OK },
    { "1.100", "KWD", '.', 1100, OK },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_garbage (void)
{
  static const ParseCase cases[] = {
    { "abc", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "five", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1a", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "a1", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1e5", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "0x10", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { ".", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1 2", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "1;5", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "++5", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "\xff\xfe", "EUR", '.', 0, CRM_CORE_ERROR_INVALID_AMOUNT },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_overflow (void)
{
  static const ParseCase cases[] = {
    /* the largest accepted volume is exactly CRM_MONEY_MAX_MINOR */
    { "10000000000000", "EUR", '.', CRM_MONEY_MAX_MINOR, OK },
    { "10,000,000,000,000.00", "EUR", '.', CRM_MONEY_MAX_MINOR, OK },
    { "9999999999999.99", "EUR", '.', CRM_MONEY_MAX_MINOR - 1, OK },
    { "10000000000000.01", "EUR", '.', 0, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    { "10000000000001", "EUR", '.', 0, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    { "1000000000000000", "JPY", '.', CRM_MONEY_MAX_MINOR, OK },
    { "1000000000000001", "JPY", '.', 0, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    { "1000000000000", "KWD", '.', CRM_MONEY_MAX_MINOR, OK },
    { "1000000000000.001", "KWD", '.', 0, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    /* far beyond gint64: must not wrap around */
    { "92233720368547758070", "EUR", '.', 0, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    { "999999999999999999999999999999999999", "JPY", '.', 0, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    { "184467440737095516160000", "KWD", '.', 0, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_parse_empty (void)
{
  static const ParseCase cases[] = {
    { "", "EUR", '.', 0, CRM_CORE_ERROR_REQUIRED },
    { "   ", "EUR", '.', 0, CRM_CORE_ERROR_REQUIRED },
    { NULL, "EUR", '.', 0, CRM_CORE_ERROR_REQUIRED },
    { "€", "EUR", '.', 0, CRM_CORE_ERROR_REQUIRED },
    { " EUR ", "EUR", '.', 0, CRM_CORE_ERROR_REQUIRED },
  };

  check_parse_cases (cases, G_N_ELEMENTS (cases));
}

/* Whatever format_plain writes, parse reads back. */
static void
test_money_plain_roundtrip (void)
{
  static const char *currencies[] = { "EUR", "JPY", "KWD", "USD", "CHF" };
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (seed);

  g_test_message ("seed %u", seed);

  for (guint i = 0; i < 2000; i++)
    {
      const char *currency = currencies[g_rand_int_range (rng, 0, G_N_ELEMENTS (currencies))];
      char decimal_point = g_rand_boolean (rng) ? '.' : ',';
      gint64 minor = i < 10 ? (gint64) i : (gint64) (g_rand_double (rng) * (double) CRM_MONEY_MAX_MINOR);
      g_autofree char *text = crm_money_format_plain (minor, currency, decimal_point);
      g_autoptr(GError) error = NULL;
      gint64 back = -1;

      g_assert_true (crm_money_parse (text, currency, decimal_point, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, minor);
    }

  {
    g_autofree char *eur = crm_money_format_plain (123456, "EUR", ',');
    g_autofree char *jpy = crm_money_format_plain (1234, "JPY", '.');
    g_autofree char *kwd = crm_money_format_plain (1005, "KWD", '.');
    g_autofree char *neg = crm_money_format_plain (-5, "EUR", '.');

    g_assert_cmpstr (eur, ==, "1234,56");
    g_assert_cmpstr (jpy, ==, "1234");
    g_assert_cmpstr (kwd, ==, "1.005");
    g_assert_cmpstr (neg, ==, "-0.05");
  }
}

typedef struct {
  gint64      minor;
  const char *currency;
  const char *expected;
} FormatCase;

static void
check_format_cases (const FormatCase *cases,
                    gsize             n_cases,
                    char              decimal_point)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *text = crm_money_format (cases[i].minor, cases[i].currency);

      g_test_message ("format %" G_GINT64_FORMAT " %s -> “%s”", cases[i].minor, cases[i].currency, text);
      g_assert_cmpstr (text, ==, cases[i].expected);

      /* what is displayed can be typed (pasted) back */
      if (cases[i].minor >= 0)
        {
          g_autoptr(GError) error = NULL;
          gint64 back = -1;

          g_assert_true (crm_money_parse (text, cases[i].currency, decimal_point, &back, &error));
          g_assert_no_error (error);
          g_assert_cmpint (back, ==, cases[i].minor);
        }
    }
}

static void
test_money_format_c (void)
{
  static const FormatCase cases[] = {
    { 0, "EUR", "€0.00" },
    { 5, "EUR", "€0.05" },
    { 99, "EUR", "€0.99" },
    { 100, "EUR", "€1.00" },
    { 123456, "EUR", "€1,234.56" },
    { 100000000, "EUR", "€1,000,000.00" },
    { CRM_MONEY_MAX_MINOR, "EUR", "€10,000,000,000,000.00" },
    { 1234, "JPY", "¥1,234" },
    { 1234567, "JPY", "¥1,234,567" },
    { 0, "JPY", "¥0" },
    { 1234567, "KWD", "KWD" NBSP "1,234.567" },
    { 5, "KWD", "KWD" NBSP "0.005" },
    { 1250, "CHF", "CHF" NBSP "12.50" },
    { 99, "USD", "$0.99" },
    { 300, "GBP", "£3.00" },
    /* the sign goes in front of the symbol */
    { -123456, "EUR", MINUS "€1,234.56" },
    { -1234, "JPY", MINUS "¥1,234" },
    { -1250, "CHF", MINUS "CHF" NBSP "12.50" },
  };

  setlocale (LC_NUMERIC, "C");
  g_assert_cmpint (crm_money_locale_decimal_point (), ==, '.');
  check_format_cases (cases, G_N_ELEMENTS (cases), '.');
}

static void
test_money_format_german (void)
{
  static const FormatCase cases[] = {
    { 0, "EUR", "0,00" NBSP "€" },
    { 5, "EUR", "0,05" NBSP "€" },
    { 123456, "EUR", "1.234,56" NBSP "€" },
    { 100000000, "EUR", "1.000.000,00" NBSP "€" },
    { 1234567, "JPY", "1.234.567" NBSP "¥" },
    { 1234567, "KWD", "1.234,567" NBSP "KWD" },
    { 1250, "CHF", "12,50" NBSP "CHF" },
    { -123456, "EUR", MINUS "1.234,56" NBSP "€" },
  };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("the locale de_DE.UTF-8 is not available");
      return;
    }

  g_assert_cmpint (crm_money_locale_decimal_point (), ==, ',');
  check_format_cases (cases, G_N_ELEMENTS (cases), ',');

  setlocale (LC_NUMERIC, saved);
}

/* Half away from zero, the obvious way, for small numbers. */
static gint64
reference_divide_round (gint64 n,
                        gint64 d)
{
  gint64 a = n < 0 ? -n : n;
  gint64 q = (2 * a + d) / (2 * d);

  return n < 0 ? -q : q;
}

static void
test_money_divide_round (void)
{
  static const struct { gint64 n, d, expected; } cases[] = {
    { 0, 100, 0 },
    { 1, 100, 0 },
    { 49, 100, 0 },
    { 50, 100, 1 },
    { 51, 100, 1 },
    { 149, 100, 1 },
    { 150, 100, 2 },
    { 250, 100, 3 },
    { 12345, 100, 123 },
    { 12350, 100, 124 },
    { 12349, 100, 123 },
    { -1, 100, 0 },
    { -49, 100, 0 },
    { -50, 100, -1 },
    { -51, 100, -1 },
    { -149, 100, -1 },
    { -150, 100, -2 },
    { -250, 100, -3 },
    { -12350, 100, -124 },
    { 5, 10, 1 },
    { 15, 10, 2 },
    { 25, 10, 3 },
    { -5, 10, -1 },
    { -15, 10, -2 },
    { -25, 10, -3 },
    { 4, 10, 0 },
    { -4, 10, 0 },
    { 1, 2, 1 },
    { -1, 2, -1 },
    { 3, 2, 2 },
    { -3, 2, -2 },
    { 1, 3, 0 },
    { 2, 3, 1 },
    { -2, 3, -1 },
    { 7, 1, 7 },
    { -7, 1, -7 },
    { G_MAXINT64, 1, G_MAXINT64 },
    { G_MAXINT64, 100, G_MAXINT64 / 100 },       /* …807: remainder 7 rounds down */
    { G_MININT64 + 1, 100, (G_MININT64 + 1) / 100 },
  };
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (seed);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT, cases[i].n, cases[i].d);
      g_assert_cmpint (crm_money_divide_round (cases[i].n, cases[i].d), ==, cases[i].expected);
    }

  g_test_message ("seed %u", seed);
  for (guint i = 0; i < 100000; i++)
    {
      gint64 n = (gint64) g_rand_int_range (rng, -2000000, 2000000) * g_rand_int_range (rng, 1, 1000);
      gint64 d = g_rand_boolean (rng) ? 100 : g_rand_int_range (rng, 1, 1000);

      g_assert_cmpint (crm_money_divide_round (n, d), ==, reference_divide_round (n, d));
    }

  /* weighted volume: volume × probability / 100, rounded once */
  g_assert_cmpint (crm_money_weighted (1, 50), ==, 1);
  g_assert_cmpint (crm_money_weighted (1, 49), ==, 0);
  g_assert_cmpint (crm_money_weighted (12345, 10), ==, 1235);
  g_assert_cmpint (crm_money_weighted (12345, 0), ==, 0);
  g_assert_cmpint (crm_money_weighted (12345, 100), ==, 12345);
  g_assert_cmpint (crm_money_weighted (CRM_MONEY_MAX_MINOR, 100), ==, CRM_MONEY_MAX_MINOR);
}

/* ------------------------------------------------------------- months */

static void
test_month_parse (void)
{
  static const struct { const char *text; int year, month; } cases[] = {
    { "2027-03", 2027, 3 },
    { "2027-12", 2027, 12 },
    { "1900-01", 1900, 1 },
    { "9999-12", 9999, 12 },
    { "03/2027", 2027, 3 },
    { "3/2027", 2027, 3 },
    { "12/2027", 2027, 12 },
    { "3.2027", 2027, 3 },
    { "03.2027", 2027, 3 },
    { "März 2027", 2027, 3 },
    { "MÄRZ 2027", 2027, 3 },
    { "märz 2027", 2027, 3 },
    { "Mär 2027", 2027, 3 },
    { "Mär. 2027", 2027, 3 },
    { "March 2027", 2027, 3 },
    { "march 2027", 2027, 3 },
    { "Mar 2027", 2027, 3 },
    { "Mar. 2027", 2027, 3 },
    { "Januar 2028", 2028, 1 },
    { "Jän 2028", 2028, 1 },
    { "Mai 2027", 2027, 5 },
    { "May 2027", 2027, 5 },
    { "Oktober 2027", 2027, 10 },
    { "Okt. 2027", 2027, 10 },
    { "Dezember 2027", 2027, 12 },
    { "December 2027", 2027, 12 },
    { "  2027-03  ", 2027, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = NULL;
      g_autofree char *expected = g_strdup_printf ("%04d-%02d", cases[i].year, cases[i].month);
      CrmMonth month = CRM_MONTH_NONE;

      g_test_message ("month “%s”", cases[i].text);
      g_assert_true (crm_month_parse (cases[i].text, &month, &error));
      g_assert_no_error (error);
      g_assert_cmpint (crm_month_get_year (month), ==, cases[i].year);
      g_assert_cmpint (crm_month_get_month (month), ==, cases[i].month);
      g_assert_cmpint (month, ==, crm_month_new (cases[i].year, cases[i].month));

      iso = crm_month_to_iso (month);
      g_assert_cmpstr (iso, ==, expected);
    }
}

static void
test_month_reject (void)
{
  static const struct { const char *text; int code; } cases[] = {
    { "2027-13", CRM_CORE_ERROR_INVALID_MONTH },
    { "2027-00", CRM_CORE_ERROR_INVALID_MONTH },
    { "27-03", CRM_CORE_ERROR_INVALID_MONTH },
    { "2027-3", CRM_CORE_ERROR_INVALID_MONTH },
    { "2027-03-01", CRM_CORE_ERROR_INVALID_MONTH },
    { "2027-", CRM_CORE_ERROR_INVALID_MONTH },
    { "-03", CRM_CORE_ERROR_INVALID_MONTH },
    { "13/2027", CRM_CORE_ERROR_INVALID_MONTH },
    { "0/2027", CRM_CORE_ERROR_INVALID_MONTH },
    { "03/27", CRM_CORE_ERROR_INVALID_MONTH },
    { "3.27", CRM_CORE_ERROR_INVALID_MONTH },
    { "1899-12", CRM_CORE_ERROR_INVALID_MONTH },
    { "0000-01", CRM_CORE_ERROR_INVALID_MONTH },
    { "abc", CRM_CORE_ERROR_INVALID_MONTH },
    { "März", CRM_CORE_ERROR_INVALID_MONTH },
    { "Foo 2027", CRM_CORE_ERROR_INVALID_MONTH },
    { "March 27", CRM_CORE_ERROR_INVALID_MONTH },
    { "2027", CRM_CORE_ERROR_INVALID_MONTH },
    { "", CRM_CORE_ERROR_REQUIRED },
    { "   ", CRM_CORE_ERROR_REQUIRED },
    { NULL, CRM_CORE_ERROR_REQUIRED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CrmMonth month = 4242;

      g_test_message ("month “%s”", cases[i].text ? cases[i].text : "(null)");
      g_assert_false (crm_month_parse (cases[i].text, &month, &error));
      g_assert_error (error, CRM_CORE_ERROR, cases[i].code);
      g_assert_cmpint (month, ==, 4242);
    }
}

static void
test_month_arithmetic (void)
{
  CrmMonth dec = crm_month_new (2027, 12);
  CrmMonth jan = crm_month_add (dec, 1);
  g_autofree char *iso = crm_month_to_iso (jan);

  g_assert_cmpstr (iso, ==, "2028-01");
  g_assert_cmpint (crm_month_add (jan, -1), ==, dec);
  g_assert_cmpint (crm_month_add (CRM_MONTH_NONE, 5), ==, CRM_MONTH_NONE);
  g_assert_null (crm_month_to_iso (CRM_MONTH_NONE));
  g_assert_cmpint (crm_month_new (2027, 3), <, crm_month_new (2027, 4));
  g_assert_cmpint (crm_month_new (2026, 12), <, crm_month_new (2027, 1));
}

/* ------------------------------------------------------- field rules */

typedef struct {
  const char *field;
  const char *value;
  const char *normalized;   /* when code == OK */
  int         code;
} FieldCase;

static void
check_field_cases (const FieldCase *cases,
                   gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      const CrmLeadField *field = crm_lead_field_lookup (cases[i].field);
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;
      gboolean ok;

      g_assert_nonnull (field);
      ok = crm_lead_field_normalize (field, cases[i].value, &normalized, &error);
      g_test_message ("%s “%.40s” -> %s “%.40s” %s", cases[i].field, cases[i].value ? cases[i].value : "(null)",
                      ok ? "ok" : "error", normalized ? normalized : "", error ? error->message : "");

      if (cases[i].code == OK)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (normalized, ==, cases[i].normalized);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CRM_CORE_ERROR, cases[i].code);
          g_assert_null (normalized);
        }
    }
}

static void
test_field_title (void)
{
  g_autofree char *max = g_strnfill (500, 'x');
  g_autofree char *too_long = g_strnfill (501, 'x');
  g_autoptr(GString) umlauts = g_string_new (NULL);
  g_autofree char *padded = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append (umlauts, "ä");
  padded = g_strdup_printf ("   %s   ", max);

  {
    const FieldCase cases[] = {
      { "title", "Deal", "Deal", OK },
      { "title", "  Deal  ", "Deal", OK },
      { "title", max, max, OK },
      { "title", padded, max, OK },
      { "title", umlauts->str, umlauts->str, OK },   /* characters, not bytes */
      { "title", "", NULL, CRM_CORE_ERROR_REQUIRED },
      { "title", "   ", NULL, CRM_CORE_ERROR_REQUIRED },
      { "title", NULL, NULL, CRM_CORE_ERROR_REQUIRED },
      { "title", too_long, NULL, CRM_CORE_ERROR_TOO_LONG },
      { "title", "bad \xff utf-8", NULL, CRM_CORE_ERROR_INVALID },
    };

    check_field_cases (cases, G_N_ELEMENTS (cases));
  }
}

static void
test_field_probability (void)
{
  static const FieldCase cases[] = {
    { "probability", "0", "0", OK },
    { "probability", "100", "100", OK },
    { "probability", "42", "42", OK },
    { "probability", " 42 ", "42", OK },
    { "probability", "007", "7", OK },
    { "probability", "-1", NULL, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "probability", "101", NULL, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "probability", "1000", NULL, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "probability", "50.5", NULL, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "probability", "50%", NULL, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "probability", "abc", NULL, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "probability", "", NULL, CRM_CORE_ERROR_INVALID_PROBABILITY },
    { "probability", "99999999999999999999", NULL, CRM_CORE_ERROR_INVALID_PROBABILITY },
  };

  check_field_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_field_volume (void)
{
  static const FieldCase cases[] = {
    { "volume_minor", "0", "0", OK },
    { "volume_minor", "123456", "123456", OK },
    { "volume_minor", " 0042 ", "42", OK },
    { "volume_minor", "1000000000000000", "1000000000000000", OK },
    { "volume_minor", "-1", NULL, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "volume_minor", "-123456", NULL, CRM_CORE_ERROR_NEGATIVE_AMOUNT },
    { "volume_minor", "1000000000000001", NULL, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    { "volume_minor", "9223372036854775807", NULL, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    { "volume_minor", "99999999999999999999", NULL, CRM_CORE_ERROR_AMOUNT_TOO_LARGE },
    { "volume_minor", "12.5", NULL, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "volume_minor", "1,000", NULL, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "volume_minor", "abc", NULL, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "volume_minor", "-", NULL, CRM_CORE_ERROR_INVALID_AMOUNT },
    { "volume_minor", "", NULL, CRM_CORE_ERROR_INVALID_AMOUNT },
  };

  check_field_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_field_currency (void)
{
  static const FieldCase cases[] = {
    { "currency", "EUR", "EUR", OK },
    { "currency", "eur", "EUR", OK },
    { "currency", " usd ", "USD", OK },
    { "currency", "jPy", "JPY", OK },
    { "currency", "KWD", "KWD", OK },
    { "currency", "XYZ", NULL, CRM_CORE_ERROR_INVALID_CURRENCY },
    { "currency", "EURO", NULL, CRM_CORE_ERROR_INVALID_CURRENCY },
    { "currency", "EU", NULL, CRM_CORE_ERROR_INVALID_CURRENCY },
    { "currency", "€", NULL, CRM_CORE_ERROR_INVALID_CURRENCY },
    { "currency", "", NULL, CRM_CORE_ERROR_INVALID_CURRENCY },
  };

  check_field_cases (cases, G_N_ELEMENTS (cases));

  g_assert_true (crm_currency_is_valid ("EUR"));
  g_assert_false (crm_currency_is_valid ("eur"));
  g_assert_false (crm_currency_is_valid (NULL));
  g_assert_cmpuint (crm_currency_exponent ("EUR"), ==, 2);
  g_assert_cmpuint (crm_currency_exponent ("JPY"), ==, 0);
  g_assert_cmpuint (crm_currency_exponent ("KWD"), ==, 3);

  /* the table is sorted, so lookups find every code */
  {
    const char * const *list = crm_currency_list ();

    for (guint i = 0; list[i] != NULL; i++)
      {
        g_assert_true (crm_currency_is_valid (list[i]));
        if (i > 0)
          g_assert_cmpint (strcmp (list[i - 1], list[i]), <, 0);
      }
  }
}

static void
test_field_month (void)
{
  static const FieldCase cases[] = {
    { "close_month", "2027-03", "2027-03", OK },
    { "close_month", "März 2027", "2027-03", OK },
    { "close_month", "March 2027", "2027-03", OK },
    { "close_month", "3/2027", "2027-03", OK },
    { "close_month", "3.2027", "2027-03", OK },
    { "close_month", "", "", OK },              /* no month */
    { "close_month", "  ", "", OK },
    { "close_month", "2027-13", NULL, CRM_CORE_ERROR_INVALID_MONTH },
    { "close_month", "2027-00", NULL, CRM_CORE_ERROR_INVALID_MONTH },
    { "close_month", "abc", NULL, CRM_CORE_ERROR_INVALID_MONTH },
  };

  check_field_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_field_other (void)
{
  g_autofree char *long_text = g_strnfill (100001, 'x');
  static const char *logged[] = {
    "phase", "status", "probability", "volume_minor", "currency",
    "close_month", "owner", "contact_id", "lost_reason",
  };
  g_autoptr(GTypeClass) klass = NULL;
  const CrmLeadField *fields;
  guint n_fields = 0;
  const FieldCase cases[] = {
    { "contact_id", "", "", OK },
    { "contact_id", "12", "12", OK },
    { "contact_id", "0", NULL, CRM_CORE_ERROR_INVALID },
    { "contact_id", "-3", NULL, CRM_CORE_ERROR_INVALID },
    { "contact_id", "abc", NULL, CRM_CORE_ERROR_INVALID },
    { "owner", "  Anna  ", "Anna", OK },
    { "description", "  line one\n  line two\n", "  line one\n  line two\n", OK },
    { "description", long_text, NULL, CRM_CORE_ERROR_TOO_LONG },
    { "phase", " proposal ", "proposal", OK },   /* checked by the store */
    { "next_follow_up", "", "", OK },
    { "next_follow_up", "2026-12-04", "2026-12-04", OK },
    { "next_follow_up", "4.12.2026", "2026-12-04", OK },
    { "next_follow_up", "12/4/2026", "2026-12-04", OK },
    { "next_follow_up", "2026-02-30", NULL, CRM_CORE_ERROR_INVALID_DATE },
    { "next_follow_up", "2026-1-4x", NULL, CRM_CORE_ERROR_INVALID_DATE },
    { "next_follow_up", "1899-12-31", NULL, CRM_CORE_ERROR_INVALID_DATE },
  };

  check_field_cases (cases, G_N_ELEMENTS (cases));

  g_assert_null (crm_lead_field_lookup ("colour"));
  g_assert_null (crm_lead_field_lookup (NULL));

  /* exactly the closed-loop fields are logged */
  klass = g_type_class_ref (CRM_TYPE_LEAD);
  fields = crm_lead_fields (&n_fields);
  g_assert_cmpuint (n_fields, ==, 15);
  for (guint i = 0; i < n_fields; i++)
    {
      gboolean expected = g_strv_contains (logged, fields[i].name);

      g_test_message ("%s logged=%d", fields[i].name, fields[i].logged);
      g_assert_cmpint (fields[i].logged, ==, expected);
      g_assert_true (crm_lead_field_lookup (fields[i].name) == &fields[i]);
      g_assert_nonnull (g_object_class_find_property (G_OBJECT_CLASS (klass), fields[i].property));
    }
}

/* ------------------------------------------------------------- totals */

static void
test_totals_order (void)
{
  g_autoptr(CrmLeadTotals) totals = crm_lead_totals_new ();
  g_autoptr(CrmLeadTotals) copy = NULL;
  static const char *expected[] = { "CHF", "EUR", "JPY", "USD" };
  g_autofree char *absolute = NULL;
  g_autofree char *weighted = NULL;
  g_autofree char *empty = NULL;

  {
    g_autoptr(CrmLeadTotals) none = crm_lead_totals_new ();

    setlocale (LC_NUMERIC, "C");
    empty = crm_lead_totals_format_absolute (none);
    g_assert_cmpstr (empty, ==, "€0.00");
    g_assert_cmpint (none->count, ==, 0);
  }

  crm_lead_totals_add (totals, "USD", 2, 1000, 1000 * 50);
  crm_lead_totals_add (totals, "EUR", 3, 123456, 123456 * 10);
  crm_lead_totals_add (totals, "JPY", 1, 5000, 5000 * 100);
  crm_lead_totals_add (totals, "CHF", 4, 250, 250 * 20);

  g_assert_cmpint (totals->count, ==, 10);
  g_assert_cmpuint (totals->sums->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < totals->sums->len; i++)
    g_assert_cmpstr (g_array_index (totals->sums, CrmCurrencySum, i).currency, ==, expected[i]);

  g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, 0).count, ==, 4);
  g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, 0).absolute_minor, ==, 250);
  g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, 0).weighted_minor, ==, 50);
  g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, 1).weighted_minor, ==, 12346);
  g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, 2).weighted_minor, ==, 5000);
  g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, 3).weighted_minor, ==, 500);

  absolute = crm_lead_totals_format_absolute (totals);
  weighted = crm_lead_totals_format_weighted (totals);
  g_assert_cmpstr (absolute, ==, "CHF" NBSP "2.50 + €1,234.56 + ¥5,000 + $10.00");
  g_assert_cmpstr (weighted, ==, "CHF" NBSP "0.50 + €123.46 + ¥5,000 + $5.00");

  copy = crm_lead_totals_copy (totals);
  g_assert_cmpint (copy->count, ==, totals->count);
  g_assert_cmpuint (copy->sums->len, ==, totals->sums->len);
  g_assert_cmpmem (copy->sums->data, copy->sums->len * sizeof (CrmCurrencySum),
                   totals->sums->data, totals->sums->len * sizeof (CrmCurrencySum));
  g_assert_true (copy->sums != totals->sums);
}

static void
test_totals_rounding (void)
{
  static const struct { gint64 vtp, weighted; } cases[] = {
    { 0, 0 }, { 49, 0 }, { 50, 1 }, { 51, 1 }, { 149, 1 }, { 150, 2 },
    { 12349, 123 }, { 12350, 124 }, { 12351, 124 },
    { 100 * CRM_MONEY_MAX_MINOR, CRM_MONEY_MAX_MINOR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrmLeadTotals) totals = crm_lead_totals_new ();

      crm_lead_totals_add (totals, "EUR", 1, 0, cases[i].vtp);
      g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, 0).weighted_minor, ==, cases[i].weighted);
    }

  /* rounded once per currency, not per lead: two leads of 1 cent at 50 %
   * are worth 1 cent, not 2 */
  {
    g_autoptr(CrmLeadTotals) totals = crm_lead_totals_new ();

    crm_lead_totals_add (totals, "EUR", 2, 2, 1 * 50 + 1 * 50);
    g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, 0).weighted_minor, ==, 1);
  }
}

/* ------------------------------------------------------------- filters */

static CrmLeadFilter *
full_filter (void)
{
  CrmLeadFilter *filter = crm_lead_filter_new ();

  crm_lead_filter_set_string (&filter->search, "müller");
  filter->status_class = CRM_STATUS_FILTER_OPEN;
  crm_lead_filter_set_string (&filter->status, "on_hold");
  crm_lead_filter_set_string (&filter->phase, "proposal");
  crm_lead_filter_set_string (&filter->owner, "Anna");
  crm_lead_filter_set_string (&filter->unit, "north");
  crm_lead_filter_set_string (&filter->lead_type, "upsell");
  filter->contact_id = 7;
  filter->close_from = crm_month_new (2027, 1);
  filter->close_to = crm_month_new (2027, 12);
  filter->sort = CRM_LEAD_SORT_VOLUME;
  filter->descending = TRUE;

  return filter;
}

static void
test_filter_equal (void)
{
  g_autoptr(CrmLeadFilter) a = crm_lead_filter_new ();
  g_autoptr(CrmLeadFilter) b = crm_lead_filter_new ();
  g_autoptr(CrmLeadFilter) full = full_filter ();

  g_assert_true (crm_lead_filter_is_empty (a));
  g_assert_true (crm_lead_filter_equal (a, b));
  g_assert_true (crm_lead_filter_equal (a, a));
  g_assert_true (crm_lead_filter_equal (NULL, NULL));
  g_assert_false (crm_lead_filter_equal (a, NULL));
  g_assert_false (crm_lead_filter_equal (NULL, a));
  g_assert_false (crm_lead_filter_equal (a, full));
  g_assert_false (crm_lead_filter_is_empty (full));

  /* "" and NULL both mean "any" */
  a->search = g_strdup ("");
  a->owner = g_strdup ("");
  g_assert_true (crm_lead_filter_equal (a, b));
  g_assert_true (crm_lead_filter_is_empty (a));
  crm_lead_filter_set_string (&a->search, "");
  g_assert_null (a->search);

  /* sorting is not filtering */
  b->sort = CRM_LEAD_SORT_TITLE;
  b->descending = TRUE;
  g_assert_true (crm_lead_filter_is_empty (b));
  g_assert_false (crm_lead_filter_equal (a, b));

  /* each member on its own makes a difference */
  for (guint member = 0; member < 12; member++)
    {
      g_autoptr(CrmLeadFilter) x = full_filter ();
      g_autoptr(CrmLeadFilter) y = full_filter ();

      g_assert_true (crm_lead_filter_equal (x, y));
      switch (member)
        {
        case 0: crm_lead_filter_set_string (&y->search, "meier"); break;
        case 1: y->status_class = CRM_STATUS_FILTER_WON; break;
        case 2: crm_lead_filter_set_string (&y->status, NULL); break;
        case 3: crm_lead_filter_set_string (&y->phase, "lead"); break;
        case 4: crm_lead_filter_set_string (&y->owner, "anna"); break;
        case 5: crm_lead_filter_set_string (&y->unit, "south"); break;
        case 6: crm_lead_filter_set_string (&y->lead_type, ""); break;
        case 7: y->contact_id = 8; break;
        case 8: y->close_from = CRM_MONTH_NONE; break;
        case 9: y->close_to = crm_month_new (2027, 11); break;
        case 10: y->sort = CRM_LEAD_SORT_TITLE; break;
        case 11: y->descending = FALSE; break;
        default: g_assert_not_reached ();
        }
      g_test_message ("member %u", member);
      g_assert_false (crm_lead_filter_equal (x, y));
      g_assert_false (crm_lead_filter_equal (y, x));
    }
}

static void
test_filter_copy (void)
{
  g_autoptr(CrmLeadFilter) full = full_filter ();
  g_autoptr(CrmLeadFilter) copy = crm_lead_filter_copy (full);
  g_autoptr(CrmLeadFilter) boxed = g_boxed_copy (CRM_TYPE_LEAD_FILTER, full);

  g_assert_true (crm_lead_filter_equal (full, copy));
  g_assert_true (crm_lead_filter_equal (full, boxed));

  /* deep: the strings are the copy's own */
  g_assert_true (copy->search != full->search);
  g_assert_true (copy->status != full->status);
  g_assert_true (copy->phase != full->phase);
  g_assert_true (copy->owner != full->owner);
  g_assert_true (copy->unit != full->unit);
  g_assert_true (copy->lead_type != full->lead_type);

  crm_lead_filter_set_string (&full->search, "other");
  full->search[0] = 'O';
  g_assert_cmpstr (copy->search, ==, "müller");
  g_assert_false (crm_lead_filter_equal (full, copy));

  crm_lead_filter_free (NULL);
}

static void
test_filter_sort_names (void)
{
  for (CrmLeadSort sort = 0; sort < CRM_LEAD_N_SORTS; sort++)
    {
      const char *name = crm_lead_sort_to_string (sort);
      CrmLeadSort back = CRM_LEAD_N_SORTS;

      g_assert_nonnull (name);
      g_assert_true (crm_lead_sort_from_string (name, &back));
      g_assert_cmpint (back, ==, sort);
    }

  {
    CrmLeadSort untouched = CRM_LEAD_SORT_OWNER;

    g_assert_false (crm_lead_sort_from_string ("colour", &untouched));
    g_assert_false (crm_lead_sort_from_string (NULL, &untouched));
    g_assert_cmpint (untouched, ==, CRM_LEAD_SORT_OWNER);
  }
}

/* ---------------------------------------------------------------- main */

/* RFC 4180: quoted only when needed, quotes doubled, CRLF */
static void
test_csv_row (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *cells[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "", NULL };

  crm_csv_append_row (out, cells);
  g_assert_cmpstr (out->str, ==, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
}

/* a statistic: exact decimals beside the minor units, the total last */
static void
test_csv_stats (void)
{
  g_autoptr(CrmStats) stats = crm_stats_new (CRM_STATS_BY_MONTH, "JPY");
  g_autoptr(CrmStats) euros = crm_stats_new (CRM_STATS_BY_STATUS, "EUR");
  g_autoptr(GString) out = g_string_new (NULL);
  CrmStatsRow march = { (char *) "2027-03", (char *) "March, 2027", crm_month_new (2027, 3), 2, 1500, 751 };
  CrmStatsRow none = { (char *) "", (char *) "No close month", CRM_MONTH_NONE, 1, 7, 0 };
  CrmStatsRow total = { (char *) "", (char *) "Total", CRM_MONTH_NONE, 3, 1507, 751 };
  CrmStatsRow open = { (char *) "open", (char *) "Open \"hot\"", CRM_MONTH_NONE, 1, -5, -1 };

  crm_stats_append_row (stats, &march);
  crm_stats_append_row (stats, &none);
  crm_stats_set_total (stats, &total);
  crm_csv_append_stats (out, stats);
  g_assert_cmpstr (out->str, ==,
                   "key,label,count,absolute,absolute_minor,weighted,weighted_minor,currency\r\n"
                   "2027-03,\"March, 2027\",2,1500,1500,751,751,JPY\r\n"
                   ",No close month,1,7,7,0,0,JPY\r\n"
                   "total,Total,3,1507,1507,751,751,JPY\r\n");

  g_string_truncate (out, 0);
  crm_stats_append_row (euros, &open);
  crm_stats_set_total (euros, &open);
  crm_csv_append_stats (out, euros);
  g_assert_cmpstr (out->str, ==,
                   "key,label,count,absolute,absolute_minor,weighted,weighted_minor,currency\r\n"
                   "open,\"Open \"\"hot\"\"\",1,-0.05,-5,-0.01,-1,EUR\r\n"
                   "total,\"Open \"\"hot\"\"\",1,-0.05,-5,-0.01,-1,EUR\r\n");
}

/* Version 7 ids: well formed, the time in front, and in the order they
 * were made, within a millisecond and when the clock steps back. */
static void
test_uuid_v7 (void)
{
  g_autofree char *previous = NULL;
  gint64 at = G_GINT64_CONSTANT (1795832220518);   /* 2026-11-28 */

  for (guint i = 0; i < 20000; i++)
    {
      /* 5000 in one millisecond (more than the counter holds), then the
       * clock going back a second, then forward again */
      gint64 ms = i < 5000 ? at : i < 10000 ? at - 1000 : at + (gint64) i;
      g_autofree char *id = crm_uuid_new_at (ms);
      g_autofree char *hex = NULL;
      g_autoptr(GString) digits = g_string_new (NULL);

      g_assert_cmpuint (strlen (id), ==, 36);
      for (guint k = 0; k < 36; k++)
        {
          if (k == 8 || k == 13 || k == 18 || k == 23)
            g_assert_cmpint (id[k], ==, '-');
          else
            {
              g_assert_true (g_ascii_isxdigit (id[k]) && !g_ascii_isupper (id[k]));
              g_string_append_c (digits, id[k]);
            }
        }
      g_assert_cmpint (id[14], ==, '7');                       /* version */
      g_assert_nonnull (strchr ("89ab", id[19]));              /* variant 10 */
      if (i == 0)
        {
          hex = g_strndup (digits->str, 12);
          g_assert_cmpint (g_ascii_strtoll (hex, NULL, 16), ==, at);
        }
      if (previous != NULL)
        g_assert_cmpstr (previous, <, id);
      g_free (previous);
      previous = g_steal_pointer (&id);
    }

  /* different ids for the same moment */
  {
    g_autofree char *a = crm_uuid_new ();
    g_autofree char *b = crm_uuid_new ();

    g_assert_cmpstr (a, !=, b);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/money/parse/eur", test_money_parse_eur);
  g_test_add_func ("/core/money/parse/jpy", test_money_parse_jpy);
  g_test_add_func ("/core/money/parse/kwd", test_money_parse_kwd);
  g_test_add_func ("/core/money/parse/decimal-point", test_money_parse_decimal_point);
  g_test_add_func ("/core/money/parse/grouping", test_money_parse_grouping);
  g_test_add_func ("/core/money/parse/affixes", test_money_parse_affixes);
  g_test_add_func ("/core/money/parse/negative", test_money_parse_negative);
  g_test_add_func ("/core/money/parse/too-many-decimals", test_money_parse_too_many_decimals);
  g_test_add_func ("/core/money/parse/garbage", test_money_parse_garbage);
  g_test_add_func ("/core/money/parse/overflow", test_money_parse_overflow);
  g_test_add_func ("/core/money/parse/empty", test_money_parse_empty);
  g_test_add_func ("/core/money/plain-roundtrip", test_money_plain_roundtrip);
  g_test_add_func ("/core/money/format/c", test_money_format_c);
  g_test_add_func ("/core/money/format/german", test_money_format_german);
  g_test_add_func ("/core/money/divide-round", test_money_divide_round);
  g_test_add_func ("/core/month/parse", test_month_parse);
  g_test_add_func ("/core/month/reject", test_month_reject);
  g_test_add_func ("/core/month/arithmetic", test_month_arithmetic);
  g_test_add_func ("/core/field/title", test_field_title);
  g_test_add_func ("/core/field/probability", test_field_probability);
  g_test_add_func ("/core/field/volume", test_field_volume);
  g_test_add_func ("/core/field/currency", test_field_currency);
  g_test_add_func ("/core/field/month", test_field_month);
  g_test_add_func ("/core/field/other", test_field_other);
  g_test_add_func ("/core/totals/order", test_totals_order);
  g_test_add_func ("/core/totals/rounding", test_totals_rounding);
  g_test_add_func ("/core/filter/equal", test_filter_equal);
  g_test_add_func ("/core/filter/copy", test_filter_copy);
  g_test_add_func ("/core/filter/sort-names", test_filter_sort_names);
  g_test_add_func ("/core/csv/row", test_csv_row);
  g_test_add_func ("/core/csv/stats", test_csv_stats);
  g_test_add_func ("/core/uuid/v7", test_uuid_v7);

  return g_test_run ();
}
