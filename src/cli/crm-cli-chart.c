/* crm-cli-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `leadsctl chart funnel|forecast --output FILE.{png,svg,pdf}`: the
 * Statistics view's charts without a display. The figures come from
 * crm_store_query_stats() with the filter options of `stats`; the
 * picture from libcrm-charts' crm_chart_export(), the same layout and
 * paint code as the widgets. The funnel is the open leads by phase; the
 * forecast the open and the won leads by close month over --from … --to
 * (default: this month and the next 11).
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-chart-export.h"
#include "crm-cli-private.h"
#include "crm-month.h"

#define DEFAULT_WIDTH  800
#define DEFAULT_HEIGHT 500

/* ------------------------------------------------------ auxiliary methods */

/* The chart library's refusals as leadsctl errors, naming the option. */
static gboolean
chart_error (GError **error)
{
  GError *inner = error != NULL ? *error : NULL;
  const char *field = "output";
  int code = CRM_CLI_ERROR_INVALID;

  if (inner == NULL || inner->domain != CRM_CHART_ERROR)
    return FALSE;

  switch (inner->code)
    {
    case CRM_CHART_ERROR_WIDTH: field = "width"; break;
    case CRM_CHART_ERROR_HEIGHT: field = "height"; break;
    case CRM_CHART_ERROR_RANGE: field = "to"; break;
    case CRM_CHART_ERROR_WRITE: code = CRM_CLI_ERROR_FAILED; break;
    case CRM_CHART_ERROR_FORMAT:
    default: break;
    }

  *error = g_error_new (CRM_CLI_ERROR, code, "%s: %s", field, inner->message);
  g_error_free (inner);

  return FALSE;
}

static CrmStats *
query (CrmStore            *store,
       CrmStatsBy           by,
       const CrmLeadFilter *base,
       CrmStatusFilter      status_class,
       CrmMonth             from,
       CrmMonth             to,
       GError             **error)
{
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_copy (base);

  /* the class narrows whatever --status chose (both must hold) */
  filter->status_class = status_class;

  return crm_store_query_stats (store, by, filter, from, to, NULL, error);
}

/* ------------------------------------------------------------- public API */

gboolean
_crm_cli_chart (CrmCli   *cli,
                char   ***args,
                GError  **error)
{
  g_auto(CrmCliFilterOptions) options = { NULL };
  g_autofree char *output = NULL;
  int width = DEFAULT_WIDTH, height = DEFAULT_HEIGHT;
  const GOptionEntry own_entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("the file to write: .png, .svg or .pdf"), N_("FILE") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("width in pixels (PNG) or points (SVG, PDF); default 800"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, N_("height in pixels (PNG) or points (SVG, PDF); default 500"), N_("H") },
    { NULL }
  };
  g_autofree GOptionEntry *entries = _crm_cli_filter_entries (&options, own_entries);
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  g_autoptr(CrmStats) phases = NULL;
  g_autoptr(CrmStats) open = NULL;
  g_autoptr(CrmStats) won = NULL;
  CrmChartData data = { CRM_CHART_FUNNEL, NULL, NULL, NULL, CRM_MONTH_NONE, CRM_MONTH_NONE };
  const char *kind;
  CrmMonth from, to;
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "chart", _("funnel|forecast --output FILE [OPTION…]"),
                               _("Draws the funnel (open leads by phase) or the monthly forecast "
                                 "(open and won leads by expected close month, from --from to --to; "
                                 "default this month and the next 11) of the Statistics view into a "
                                 "PNG, SVG or PDF file, chosen by the file's extension. No display "
                                 "is needed."),
                               entries, 1, error))
    return FALSE;

  kind = (*args)[1];
  if (kind == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("chart: say which chart: funnel or forecast"));
      return FALSE;
    }
  if (g_strcmp0 (kind, "funnel") == 0)
    data.kind = CRM_CHART_FUNNEL;
  else if (g_strcmp0 (kind, "forecast") == 0)
    data.kind = CRM_CHART_FORECAST;
  else
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("chart: “%s” is not a chart; use funnel or forecast"), kind);
      return FALSE;
    }

  if (output == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("output: --output FILE is required (.png, .svg or .pdf)"));
      return FALSE;
    }

  /* refuse a bad name or size before anything is computed */
  if (!crm_chart_check_output (output, width, height, error))
    return chart_error (error);

  if (!_crm_cli_filter_months (&options, &from, &to, error))
    return FALSE;

  if (data.kind == CRM_CHART_FORECAST)
    {
      if (from == CRM_MONTH_NONE)
        from = to != CRM_MONTH_NONE ? crm_month_add (to, -11) : crm_month_current ();
      if (to == CRM_MONTH_NONE)
        to = crm_month_add (from, 11);
      if (!crm_chart_check_range (from, to, error))
        return chart_error (error);
    }

  if ((store = _crm_cli_filter_open_store (cli, &options, filter, error)) == NULL)
    return FALSE;

  if (data.kind == CRM_CHART_FUNNEL)
    {
      if ((phases = query (store, CRM_STATS_BY_PHASE, filter, CRM_STATUS_FILTER_OPEN, from, to, error)) == NULL)
        return FALSE;
      data.phases = phases;
    }
  else
    {
      if ((open = query (store, CRM_STATS_BY_MONTH, filter, CRM_STATUS_FILTER_OPEN, from, to, error)) == NULL ||
          (won = query (store, CRM_STATS_BY_MONTH, filter, CRM_STATUS_FILTER_WON, from, to, error)) == NULL)
        return FALSE;
      data.open = open;
      data.won = won;
      data.from = from;
      data.to = to;
    }

  if (!crm_chart_export (&data, output, width, height, NULL, NULL, error))
    return chart_error (error);

  return TRUE;
}
