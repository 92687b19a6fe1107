/* crm-cli-conflicts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * leadsctl conflicts and resolve: the Sync Issues window for scripts.
 *
 * Both are thin: the list is crm_store_sync_list_conflicts() and a
 * resolution is crm_store_sync_resolve_conflict(), the very calls the
 * app's Sync Issues window makes, so a resolution is validated, written,
 * logged and queued exactly like there (and goes out with the next
 * `leadsctl sync`). The conflict JSON object is that of `status`
 * (_crm_cli_add_conflicts() in crm-cli-sync.c).
 *
 * An ID is a conflict's UUID or any unique beginning of it (the table
 * shows the first 8 characters).
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-cli-private.h"
#include "crm-store-sync.h"
#include "crm-sync-conflict.h"

#define SHORT_ID 8

/* ------------------------------------------------------------- conflicts */

static const char *
text_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static void
print_table (GListModel *conflicts)
{
  const char *header[] = { _("ID"), _("Kind"), _("Record"), _("Field"), _("Base"), _("Kept (server)"),
                           _("Yours"), _("Who"), _("When"), NULL };
  g_autoptr(CrmCliTable) table = _crm_cli_table_new (header, "lllllllll");

  for (guint i = 0; i < g_list_model_get_n_items (conflicts); i++)
    {
      g_autoptr(CrmSyncConflict) conflict = g_list_model_get_item (conflicts, i);
      g_autofree char *id = g_strndup (crm_sync_conflict_get_uuid (conflict), SHORT_ID);
      g_autofree char *when = _crm_cli_format_local_time (crm_sync_conflict_get_at (conflict) / G_USEC_PER_SEC);
      g_autofree char *kept = NULL;
      const char *kind = crm_sync_conflict_get_kind (conflict);
      const char *who;

      if (g_strcmp0 (kind, "rejected") == 0)
        {
          /* TRANSLATORS: leadsctl conflicts, the Kept column of a change the server refused;
           * %s is the server's reason, e.g. forbidden */
          kept = g_strdup_printf (_("(refused: %s)"), text_or_empty (crm_sync_conflict_get_reason (conflict)));
          who = crm_sync_conflict_get_yours_by (conflict);
        }
      else
        {
          kept = g_strdup (text_or_empty (crm_sync_conflict_get_kept (conflict)));
          who = crm_sync_conflict_get_kept_by (conflict);
        }

      {
        const char *cells[] = {
          id, kind, text_or_empty (crm_sync_conflict_get_title (conflict)),
          text_or_empty (crm_sync_conflict_get_field (conflict)),
          text_or_empty (crm_sync_conflict_get_base (conflict)), kept,
          text_or_empty (crm_sync_conflict_get_yours (conflict)), text_or_empty (who), when, NULL
        };

        _crm_cli_table_add_row (table, cells);
      }
    }
  _crm_cli_table_print (table);
}

gboolean
_crm_cli_conflicts (CrmCli   *cli,
                    char   ***args,
                    GError  **error)
{
  g_auto(CrmCliFormatOption) format_option = { CRM_CLI_FORMATS_TABLE_JSON, NULL };
  const GOptionEntry entries[] = {
    _crm_cli_format_entry (&format_option),
    { NULL }
  };
  g_autoptr(GListModel) conflicts = NULL;
  CrmCliFormat format;
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "conflicts", _("[--format table|json]"),
                               _("Lists the open sync conflicts and the changes the team server refused, "
                                 "newest first; resolve them with “leadsctl resolve”."),
                               entries, 0, error))
    return FALSE;
  if (!_crm_cli_format_option_parse (&format_option, &format, error))
    return FALSE;
  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  conflicts = crm_store_sync_list_conflicts (store, FALSE);
  if (format == CRM_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      _crm_cli_add_conflicts (builder, conflicts);
      json_builder_end_object (builder);
      _crm_cli_print_json (builder);
    }
  else
    print_table (conflicts);

  return TRUE;
}

/* --------------------------------------------------------------- resolve */

/* The open conflict whose UUID is or begins with @id. */
static char *
find_conflict (CrmStore    *store,
               const char  *id,
               GError     **error)
{
  g_autoptr(GListModel) conflicts = crm_store_sync_list_conflicts (store, FALSE);
  g_autofree char *lower = g_ascii_strdown (id, -1);
  char *found = NULL;
  guint matches = 0;

  for (guint i = 0; *lower != '\0' && i < g_list_model_get_n_items (conflicts); i++)
    {
      g_autoptr(CrmSyncConflict) conflict = g_list_model_get_item (conflicts, i);
      const char *uuid = crm_sync_conflict_get_uuid (conflict);

      if (g_str_equal (uuid, lower))
        {
          g_free (found);
          return g_strdup (uuid);
        }
      if (g_str_has_prefix (uuid, lower) && matches++ == 0)
        found = g_strdup (uuid);
    }

  if (matches == 1)
    return found;
  g_free (found);
  if (matches > 1)
    g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                 _("id: “%s” is the beginning of more than one conflict; give more of it"), id);
  else
    g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_NOT_FOUND,
                 _("id: there is no open conflict “%s” (see “leadsctl conflicts”)"), id);
  return NULL;
}

gboolean
_crm_cli_resolve (CrmCli   *cli,
                  char   ***args,
                  GError  **error)
{
  gboolean keep = FALSE, mine = FALSE;
  g_autofree char *value = NULL;
  g_autofree char *uuid = NULL;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep,
      N_("Keep the value on the server (for a refused change: discard yours)"), NULL },
    { "mine", 0, 0, G_OPTION_ARG_NONE, &mine, N_("Send your value again, as a new change"), NULL },
    { "value", 0, 0, G_OPTION_ARG_STRING, &value, N_("Send this value instead, as a new change"), N_("VALUE") },
    { NULL }
  };
  CrmConflictResolution how;
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "resolve", _("ID --keep|--mine|--value VALUE"),
                               _("Resolves a sync conflict or a refused change (IDs as “leadsctl conflicts” "
                                 "lists them); the resolution is sent with the next “leadsctl sync”."),
                               entries, 1, error))
    return FALSE;
  if ((*args)[1] == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("id: give the ID of a conflict (see “leadsctl conflicts”)"));
      return FALSE;
    }
  if ((keep ? 1 : 0) + (mine ? 1 : 0) + (value != NULL ? 1 : 0) != 1)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("resolve: give exactly one of --keep, --mine or --value VALUE"));
      return FALSE;
    }
  how = keep ? CRM_CONFLICT_KEEP : mine ? CRM_CONFLICT_MINE : CRM_CONFLICT_EDIT;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;
  if ((uuid = find_conflict (store, (*args)[1], error)) == NULL)
    return FALSE;

  return crm_store_sync_resolve_conflict (store, uuid, how, value, error);
}
