/* crm-cli-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `leadsctl stats` prints one CrmStats exactly as the store computes it
 * for the Statistics view (table, CSV or JSON), and `leadsctl rates`
 * lists, sets and removes the exchange rates it converts with.
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-cli-private.h"
#include "crm-csv.h"
#include "crm-money.h"
#include "crm-month.h"

/* ------------------------------------------------------------------ stats */

static const char *
group_header (CrmStatsBy by)
{
  switch (by)
    {
    case CRM_STATS_BY_STATUS: return _("Status");
    case CRM_STATS_BY_PHASE: return _("Phase");
    case CRM_STATS_BY_MONTH:
    default: return _("Close month");
    }
}

static void
add_row_json (JsonBuilder       *builder,
              CrmStats          *stats,
              const CrmStatsRow *row)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, row->key);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, row->label);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, row->count);
  json_builder_set_member_name (builder, "absolute_minor");
  json_builder_add_int_value (builder, row->absolute_minor);
  json_builder_set_member_name (builder, "weighted_minor");
  json_builder_add_int_value (builder, row->weighted_minor);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, crm_stats_get_currency (stats));
  json_builder_end_object (builder);
}

static void
add_month_or_null (JsonBuilder *builder,
                   const char  *name,
                   CrmMonth     month)
{
  g_autofree char *iso = month != CRM_MONTH_NONE ? crm_month_to_iso (month) : NULL;

  json_builder_set_member_name (builder, name);
  if (iso != NULL)
    json_builder_add_string_value (builder, iso);
  else
    json_builder_add_null_value (builder);
}

static void
print_stats_json (CrmStats *stats,
                  CrmMonth  from,
                  CrmMonth  to)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "by");
  json_builder_add_string_value (builder, crm_stats_by_to_string (crm_stats_get_by (stats)));
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, crm_stats_get_currency (stats));
  add_month_or_null (builder, "from", from);
  add_month_or_null (builder, "to", to);

  json_builder_set_member_name (builder, "groups");
  json_builder_begin_array (builder);
  for (guint i = 0; i < crm_stats_get_n_rows (stats); i++)
    add_row_json (builder, stats, crm_stats_get_row (stats, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "total");
  add_row_json (builder, stats, crm_stats_get_total (stats));

  json_builder_set_member_name (builder, "unconverted");
  json_builder_begin_array (builder);
  for (guint i = 0; i < crm_stats_get_n_unconverted (stats); i++)
    {
      const CrmStatsUnconverted *u = crm_stats_get_unconverted (stats, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, u->currency);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, u->count);
      json_builder_set_member_name (builder, "absolute_minor");
      json_builder_add_int_value (builder, u->absolute_minor);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  _crm_cli_print_json (builder);
}

static void
print_stats_table (CrmStats *stats)
{
  const char *header[] = { group_header (crm_stats_get_by (stats)), _("Leads"), _("Volume"), _("Weighted"), NULL };
  g_autoptr(CrmCliTable) table = _crm_cli_table_new (header, "lrrr");
  const char *currency = crm_stats_get_currency (stats);
  guint n = crm_stats_get_n_rows (stats);

  for (guint i = 0; i <= n; i++)
    {
      const CrmStatsRow *row = i < n ? crm_stats_get_row (stats, i) : crm_stats_get_total (stats);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, row->count);
      g_autofree char *absolute = crm_money_format (row->absolute_minor, currency);
      g_autofree char *weighted = crm_money_format (row->weighted_minor, currency);
      const char *cells[] = { row->label, count, absolute, weighted, NULL };

      _crm_cli_table_add_row (table, cells);
    }
  _crm_cli_table_print (table);

  for (guint i = 0; i < crm_stats_get_n_unconverted (stats); i++)
    {
      const CrmStatsUnconverted *u = crm_stats_get_unconverted (stats, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, u->count);
      g_autofree char *absolute = crm_money_format (u->absolute_minor, u->currency);
      g_autofree char *line = NULL;

      /* TRANSLATORS: leadsctl stats: count, currency, volume, currency */
      line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Not counted: %s lead in %s (%s), no exchange rate for %s\n",
                                           "Not counted: %s leads in %s (%s), no exchange rate for %s\n",
                                           (gulong) u->count),
                              count, u->currency, absolute, u->currency);
      _crm_cli_print (line);
    }
}

gboolean
_crm_cli_stats (CrmCli   *cli,
                char   ***args,
                GError  **error)
{
  g_auto(CrmCliFilterOptions) options = { NULL };
  g_autofree char *by_text = NULL;
  g_auto(CrmCliFormatOption) format_option = { CRM_CLI_FORMATS_TABLE_CSV_JSON, NULL };
  const GOptionEntry own_entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text, N_("status (default), phase or month"), N_("GROUPING") },
    _crm_cli_format_entry (&format_option),
    { NULL }
  };
  g_autofree GOptionEntry *entries = _crm_cli_filter_entries (&options, own_entries);
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  g_autoptr(CrmStats) stats = NULL;
  CrmCliFormat format;
  CrmStatsBy by = CRM_STATS_BY_STATUS;
  CrmMonth from, to;
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "stats", _("[--by status|phase|month] [OPTION…]"),
                               _("Count, volume and weighted volume of the leads a filter lets through, "
                                 "by status, phase or expected close month, in the company currency: "
                                 "the figures of the Statistics view. With --from and --to, by month "
                                 "gives every month of the range."),
                               entries, 0, error))
    return FALSE;

  if (by_text != NULL && !crm_stats_by_from_string (by_text, &by))
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                   _("by: “%s” is not status, phase or month"), by_text);
      return FALSE;
    }

  if (!_crm_cli_format_option_parse (&format_option, &format, error))
    return FALSE;

  if (!_crm_cli_filter_months (&options, &from, &to, error))
    return FALSE;

  if ((store = _crm_cli_filter_open_store (cli, &options, filter, error)) == NULL)
    return FALSE;

  if ((stats = crm_store_query_stats (store, by, filter, from, to, NULL, error)) == NULL)
    return FALSE;

  switch (format)
    {
    case CRM_CLI_FORMAT_JSON:
      print_stats_json (stats, from, to);
      break;

    case CRM_CLI_FORMAT_CSV:
      {
        g_autoptr(GString) out = g_string_new (NULL);

        crm_csv_append_stats (out, stats);
        _crm_cli_print (out->str);
      }
      break;

    case CRM_CLI_FORMAT_TABLE:
    case CRM_CLI_FORMAT_TEXT:
    default:
      print_stats_table (stats);
      break;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ rates */

static gboolean
rates_list (CrmCli   *cli,
            char   ***args,
            GError  **error)
{
  g_auto(CrmCliFormatOption) format_option = { CRM_CLI_FORMATS_TABLE_JSON, NULL };
  const GOptionEntry entries[] = {
    _crm_cli_format_entry (&format_option),
    { NULL }
  };
  g_autoptr(GArray) rates = NULL;
  CrmCliFormat format;
  const char *company;
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "rates list", _("[--format table|json]"),
                               _("Lists the exchange rates: how many units of the company currency "
                                 "one unit of each currency is worth."),
                               entries, 0, error))
    return FALSE;

  if (!_crm_cli_format_option_parse (&format_option, &format, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  company = crm_store_get_default_currency (store);
  rates = crm_store_list_rates (store);

  if (format == CRM_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "company_currency");
      json_builder_add_string_value (builder, company);
      json_builder_set_member_name (builder, "rates");
      json_builder_begin_array (builder);
      for (guint i = 0; i < rates->len; i++)
        {
          const CrmExchangeRate *rate = &g_array_index (rates, CrmExchangeRate, i);
          g_autofree char *text = crm_money_format_rate (rate->rate_micros, '.');

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "currency");
          json_builder_add_string_value (builder, rate->currency);
          json_builder_set_member_name (builder, "rate");
          json_builder_add_string_value (builder, text);
          json_builder_set_member_name (builder, "rate_micros");
          json_builder_add_int_value (builder, rate->rate_micros);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      _crm_cli_print_json (builder);
    }
  else
    {
      const char *header[] = { _("Currency"), _("Rate"), NULL };
      g_autoptr(CrmCliTable) table = _crm_cli_table_new (header, "lr");
      g_autofree char *line = NULL;

      for (guint i = 0; i < rates->len; i++)
        {
          const CrmExchangeRate *rate = &g_array_index (rates, CrmExchangeRate, i);
          g_autofree char *text = crm_money_format_rate (rate->rate_micros, crm_money_locale_decimal_point ());
          g_autofree char *value = g_strdup_printf ("%s %s", text, company);
          const char *cells[] = { rate->currency, value, NULL };

          _crm_cli_table_add_row (table, cells);
        }
      _crm_cli_table_print (table);

      /* TRANSLATORS: leadsctl rates list, below the table */
      line = g_strdup_printf (_("Company currency: %s\n"), company);
      _crm_cli_print (line);
    }

  return TRUE;
}

static gboolean
rates_set (CrmCli   *cli,
           char   ***args,
           GError  **error)
{
  const GOptionEntry entries[] = { { NULL } };
  gint64 micros;
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "rates set", _("CURRENCY RATE"),
                               _("Sets how many units of the company currency one unit of CURRENCY "
                                 "is worth, e.g. “rates set USD 0.92” (at most 6 decimals)."),
                               entries, 2, error))
    return FALSE;

  if ((*args)[1] == NULL || (*args)[2] == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("rates set: give a currency and a rate, e.g. “rates set USD 0.92”"));
      return FALSE;
    }

  if (!crm_money_parse_rate ((*args)[2], &micros, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  return crm_store_set_rate (store, (*args)[1], micros, error);
}

static gboolean
rates_remove (CrmCli   *cli,
              char   ***args,
              GError  **error)
{
  const GOptionEntry entries[] = { { NULL } };
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "rates remove", _("CURRENCY"),
                               _("Removes the exchange rate of CURRENCY: its leads are no longer "
                                 "counted in statistics, but listed as not converted."),
                               entries, 1, error))
    return FALSE;

  if ((*args)[1] == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE, _("rates remove: give a currency"));
      return FALSE;
    }

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  return crm_store_remove_rate (store, (*args)[1], error);
}

static const CrmCliCommand rates_commands[] = {
  { "list", rates_list, N_("List the exchange rates") },
  { "set", rates_set, N_("Set the exchange rate of a currency") },
  { "remove", rates_remove, N_("Remove the exchange rate of a currency") },
  { NULL }
};

gboolean
_crm_cli_rates (CrmCli   *cli,
                char   ***args,
                GError  **error)
{
  return _crm_cli_dispatch (cli, "rates", rates_commands, args, error);
}
