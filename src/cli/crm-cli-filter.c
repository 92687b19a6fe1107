/* crm-cli-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The filter options that `lead list`, `stats` (and `chart`) share, so
 * they read a command line the same way: --search, --status (a class, a
 * status or a comma-separated set), --phase, --owner, --unit, --type and
 * the month range --from/--to. Months are checked before the store is
 * opened, key values after.
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-cli-private.h"
#include "crm-core-error.h"
#include "crm-month.h"

/* --------------------------------------------------------------- helpers */

static gboolean
resolve_key (CrmStore    *store,
             const char  *kind,
             const char  *option,
             const char  *text,
             char       **out_key,
             GError     **error)
{
  CrmKeyValue *kv;

  if (text == NULL || *text == '\0')
    return TRUE;

  kv = crm_store_find_key_value (store, kind, text);
  if (kv == NULL)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_UNKNOWN_KEY_VALUE,
                   _("%s: “%s” is not one of the defined values"), option, text);
      return FALSE;
    }

  crm_lead_filter_set_string (out_key, crm_key_value_get_key (kv));
  return TRUE;
}

static gboolean
parse_month_option (const char  *option,
                    const char  *text,
                    CrmMonth    *out_month,
                    GError     **error)
{
  if (text == NULL)
    return TRUE;

  if (!crm_month_parse (text, out_month, error))
    {
      g_prefix_error (error, "%s: ", option);
      return FALSE;
    }

  return TRUE;
}

static gboolean
status_class_from_name (const char      *name,
                        CrmStatusFilter *out_class)
{
  static const struct { const char *name; CrmStatusFilter value; } classes[] = {
    { "any", CRM_STATUS_FILTER_ANY },
    { "open", CRM_STATUS_FILTER_OPEN },
    { "won", CRM_STATUS_FILTER_WON },
    { "lost", CRM_STATUS_FILTER_LOST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (g_str_equal (name, classes[i].name))
      {
        *out_class = classes[i].value;
        return TRUE;
      }

  return FALSE;
}

/* "open", "on_hold", "open,lost", "Won,On hold": one class or status, or
 * a set of them (a class in a set stands for its statuses). */
static gboolean
apply_status (CrmStore       *store,
              const char     *text,
              CrmLeadFilter  *filter,
              GError        **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_auto(GStrv) set = NULL;
  guint n = 0;

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      CrmStatusFilter status_class;
      CrmKeyValue *kv;

      if (*item == '\0')
        continue;
      n++;

      if (status_class_from_name (item, &status_class))
        {
          g_autoptr(GListModel) statuses = crm_store_list_key_values (store, "status", TRUE);

          for (guint s = 0; s < g_list_model_get_n_items (statuses); s++)
            {
              g_autoptr(CrmKeyValue) status = g_list_model_get_item (statuses, s);
              int cls = crm_key_value_get_status_class (status);

              if (status_class == CRM_STATUS_FILTER_ANY ||
                  (status_class == CRM_STATUS_FILTER_OPEN && cls == CRM_STATUS_CLASS_OPEN) ||
                  (status_class == CRM_STATUS_FILTER_WON && cls == CRM_STATUS_CLASS_WON) ||
                  (status_class == CRM_STATUS_FILTER_LOST && cls == CRM_STATUS_CLASS_LOST))
                g_strv_builder_add (keys, crm_key_value_get_key (status));
            }

          /* one class alone stays a class (what the app's filter has) */
          if (items[1] == NULL)
            {
              filter->status_class = status_class;
              return TRUE;
            }
          continue;
        }

      if ((kv = crm_store_find_key_value (store, "status", item)) == NULL)
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_UNKNOWN_KEY_VALUE,
                       _("status: “%s” is not open, won, lost, any or a defined status"), item);
          return FALSE;
        }
      g_strv_builder_add (keys, crm_key_value_get_key (kv));
    }

  set = g_strv_builder_end (keys);
  if (n == 1 && set[0] != NULL && set[1] == NULL)
    crm_lead_filter_set_string (&filter->status, set[0]);
  else if (n > 0)
    {
      crm_lead_filter_set_statuses (filter, (const char * const *) set);
      if (!crm_lead_filter_has_statuses (filter))
        {
          /* classes without any status: nothing can match */
          const char *none[] = { "\037", NULL };

          crm_lead_filter_set_statuses (filter, none);
        }
    }

  return TRUE;
}

/* ------------------------------------------------------------------ API */

/* The command's own @entries followed by the filter options; free with
 * g_free () */
GOptionEntry *
_crm_cli_filter_entries (CrmCliFilterOptions *options,
                         const GOptionEntry  *entries)
{
  const GOptionEntry filter_entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &options->search, N_("Words in title, contact, description or contact reports"), N_("WORDS") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &options->status, N_("open, won, lost, any (default), one status or several separated by commas"), N_("STATUS") },
    { "phase", 0, 0, G_OPTION_ARG_STRING, &options->phase, N_("Only this phase"), N_("PHASE") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &options->owner, N_("Only this owner"), N_("NAME") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &options->unit, N_("Only this sales unit"), N_("UNIT") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &options->type, N_("Only this type"), N_("TYPE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &options->from, N_("Expected close from this month on"), N_("MONTH") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &options->to, N_("Expected close up to this month"), N_("MONTH") },
  };
  guint n = 0;
  GOptionEntry *all;

  while (entries[n].long_name != NULL)
    n++;

  all = g_new0 (GOptionEntry, n + G_N_ELEMENTS (filter_entries) + 1);
  memcpy (all, entries, n * sizeof (GOptionEntry));
  memcpy (all + n, filter_entries, sizeof filter_entries);

  return all;
}

void
_crm_cli_filter_options_clear (CrmCliFilterOptions *options)
{
  g_clear_pointer (&options->search, g_free);
  g_clear_pointer (&options->status, g_free);
  g_clear_pointer (&options->phase, g_free);
  g_clear_pointer (&options->owner, g_free);
  g_clear_pointer (&options->unit, g_free);
  g_clear_pointer (&options->type, g_free);
  g_clear_pointer (&options->from, g_free);
  g_clear_pointer (&options->to, g_free);
}

/* --from and --to: months, the range not backwards. Before the store
 * is opened. */
gboolean
_crm_cli_filter_months (const CrmCliFilterOptions  *options,
                        CrmMonth                   *out_from,
                        CrmMonth                   *out_to,
                        GError                    **error)
{
  *out_from = *out_to = CRM_MONTH_NONE;

  if (!parse_month_option ("from", options->from, out_from, error) ||
      !parse_month_option ("to", options->to, out_to, error))
    return FALSE;

  if (*out_from != CRM_MONTH_NONE && *out_to != CRM_MONTH_NONE && *out_to < *out_from)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                   _("to: the range ends before it begins"));
      return FALSE;
    }

  return TRUE;
}

/* Everything but the months into @filter: the key values by key or
 * label, as the store knows them. */
static gboolean
filter_apply (const CrmCliFilterOptions  *options,
              CrmStore                   *store,
              CrmLeadFilter              *filter,
              GError                    **error)
{
  crm_lead_filter_set_string (&filter->search, options->search);
  crm_lead_filter_set_string (&filter->owner, options->owner);

  if (options->status != NULL && !apply_status (store, options->status, filter, error))
    return FALSE;

  return resolve_key (store, "phase", "phase", options->phase, &filter->phase, error) &&
         resolve_key (store, "unit", "unit", options->unit, &filter->unit, error) &&
         resolve_key (store, "type", "type", options->type, &filter->lead_type, error);
}

/* The store, with everything but the months of @options in @filter. */
CrmStore *
_crm_cli_filter_open_store (CrmCli                     *cli,
                            const CrmCliFilterOptions  *options,
                            CrmLeadFilter              *filter,
                            GError                    **error)
{
  CrmStore *store = _crm_cli_open_store (cli, error);

  if (store == NULL || !filter_apply (options, store, filter, error))
    return NULL;

  return store;
}
