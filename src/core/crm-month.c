/* crm-month.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A month is one integer, year * 12 + (month - 1), so that months sort,
 * compare and index as integers in SQL. 0 is "no month".
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-month.h"

#define MIN_YEAR 1900
#define MAX_YEAR 9999

CrmMonth
crm_month_new (int year,
               int month)
{
  g_return_val_if_fail (year >= MIN_YEAR && year <= MAX_YEAR, CRM_MONTH_NONE);
  g_return_val_if_fail (month >= 1 && month <= 12, CRM_MONTH_NONE);

  return year * 12 + (month - 1);
}

int
crm_month_get_year (CrmMonth month)
{
  return month / 12;
}

int
crm_month_get_month (CrmMonth month)
{
  return month % 12 + 1;
}

CrmMonth
crm_month_add (CrmMonth month,
               int      n_months)
{
  if (month == CRM_MONTH_NONE)
    return CRM_MONTH_NONE;
  return month + n_months;
}

CrmMonth
crm_month_current (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return crm_month_new (g_date_time_get_year (now), g_date_time_get_month (now));
}

static gboolean
parse_int (const char *s,
           gsize       len,
           int        *out)
{
  int v = 0;

  if (len == 0 || len > 4)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* Month names as typed in either language, for "März 2027" or "Mar 2027". */
static int
month_from_name (const char *name)
{
  static const char *names[][4] = {
    { "jan", "january", "januar", "jän" },
    { "feb", "february", "februar", NULL },
    { "mar", "march", "märz", "mär" },
    { "apr", "april", NULL, NULL },
    { "may", "mai", NULL, NULL },
    { "jun", "june", "juni", NULL },
    { "jul", "july", "juli", NULL },
    { "aug", "august", NULL, NULL },
    { "sep", "september", "sept", NULL },
    { "oct", "october", "okt", "oktober" },
    { "nov", "november", NULL, NULL },
    { "dec", "december", "dez", "dezember" },
  };
  g_autofree char *lower = g_utf8_strdown (name, -1);
  g_autofree char *trimmed = g_strdup (lower);
  gsize len = strlen (trimmed);

  if (len > 0 && trimmed[len - 1] == '.')
    trimmed[len - 1] = '\0';

  for (guint m = 0; m < 12; m++)
    for (guint i = 0; i < 4; i++)
      if (names[m][i] != NULL && g_strcmp0 (names[m][i], trimmed) == 0)
        return m + 1;

  return 0;
}

/**
 * crm_month_parse:
 *
 * Accepts "2027-03" (the canonical form), "03/2027", "3.2027",
 * "03.2027" and "März 2027" / "March 2027". An empty text is an error:
 * callers that allow "no month" check for it first.
 */
gboolean
crm_month_parse (const char  *text,
                 CrmMonth    *out_month,
                 GError     **error)
{
  g_autofree char *clean = NULL;
  g_auto(GStrv) parts = NULL;
  int year = 0, month = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (out_month != NULL, FALSE);

  clean = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*clean == '\0')
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED,
                   _("Enter a month"));
      return FALSE;
    }

  if (strchr (clean, '-') != NULL)
    {
      parts = g_strsplit (clean, "-", -1);
      ok = g_strv_length (parts) == 2 && strlen (parts[0]) == 4 && strlen (parts[1]) == 2 &&
           parse_int (parts[0], 4, &year) && parse_int (parts[1], 2, &month);
    }
  else if ((strchr (clean, '/') != NULL || strchr (clean, '.') != NULL) &&
           strchr (clean, ' ') == NULL)   /* "Mär. 2027" is a name */
    {
      parts = g_strsplit_set (clean, "/.", -1);
      ok = g_strv_length (parts) == 2 && strlen (parts[1]) == 4 &&
           parse_int (parts[0], strlen (parts[0]), &month) && strlen (parts[0]) <= 2 &&
           parse_int (parts[1], 4, &year);
    }
  else if (strchr (clean, ' ') != NULL)
    {
      parts = g_strsplit (clean, " ", -1);
      ok = g_strv_length (parts) == 2 && strlen (parts[1]) == 4 &&
           (month = month_from_name (parts[0])) != 0 &&
           parse_int (parts[1], 4, &year);
    }

  if (!ok)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_MONTH,
                   _("“%s” is not a month; use the form 2027-03"), clean);
      return FALSE;
    }

  if (month < 1 || month > 12)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_MONTH,
                   _("There is no month %d; months run from 1 to 12"), month);
      return FALSE;
    }

  if (year < MIN_YEAR || year > MAX_YEAR)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_MONTH,
                   _("The year %d is out of range"), year);
      return FALSE;
    }

  *out_month = crm_month_new (year, month);
  return TRUE;
}

char *
crm_month_to_iso (CrmMonth month)
{
  if (month == CRM_MONTH_NONE)
    return NULL;

  return g_strdup_printf ("%04d-%02d", crm_month_get_year (month), crm_month_get_month (month));
}

/* "März 2027" / "March 2027" in the user's locale. */
char *
crm_month_format (CrmMonth month)
{
  g_autoptr(GDateTime) dt = NULL;

  if (month == CRM_MONTH_NONE)
    return g_strdup ("");

  dt = g_date_time_new_utc (crm_month_get_year (month), crm_month_get_month (month), 1, 0, 0, 0);
  /* TRANSLATORS: a month and year, see strftime(3); %OB is the stand-alone month name */
  return g_date_time_format (dt, _("%OB %Y"));
}
