/* crm-cli-keys.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `leadsctl keys …`: the customizable lists (phases, statuses, types,
 * sales units, sources, lost reasons, activity kinds). Values are added,
 * renamed, reordered and (de)activated; a value in use cannot be deleted.
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-cli-private.h"
#include "crm-core-error.h"

static gboolean keys_list        (CrmCli *cli, char ***args, GError **error);
static gboolean keys_add         (CrmCli *cli, char ***args, GError **error);
static gboolean keys_rename      (CrmCli *cli, char ***args, GError **error);
static gboolean keys_activate    (CrmCli *cli, char ***args, GError **error);
static gboolean keys_deactivate  (CrmCli *cli, char ***args, GError **error);
static gboolean keys_delete      (CrmCli *cli, char ***args, GError **error);
static gboolean keys_move        (CrmCli *cli, char ***args, GError **error);
static gboolean keys_probability (CrmCli *cli, char ***args, GError **error);

static const CrmCliCommand keys_commands[] = {
  { "list", keys_list, N_("List the values of one or all lists") },
  { "add", keys_add, N_("Add a value to a list and print its id") },
  { "rename", keys_rename, N_("Change the label of a value") },
  { "activate", keys_activate, N_("Offer a value again") },
  { "deactivate", keys_deactivate, N_("Stop offering a value (records keep it)") },
  { "delete", keys_delete, N_("Delete a value nothing uses") },
  { "move", keys_move, N_("Move a value to a position (0 is the first)") },
  { "probability", keys_probability, N_("Set the default probability of a phase") },
  { NULL }
};

/* ---------------------------------------------------------------- helpers */

static gboolean
check_kind (const char  *kind,
            GError     **error)
{
  g_autofree char *names = NULL;

  if (crm_key_value_kind_is_valid (kind))
    return TRUE;

  names = g_strjoinv (", ", (char **) crm_key_value_kinds ());
  g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
               _("kind: “%s” is not one of %s"), kind ? kind : "", names);
  return FALSE;
}

static gboolean
propagate (GError **error,
           GError  *local_error,
           gint64   id)
{
  if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
    {
      _crm_cli_not_found (error, "key value", id);
      g_error_free (local_error);
    }
  else
    g_propagate_error (error, local_error);

  return FALSE;
}

static CrmKeyValue *
find_by_id (CrmStore *store,
            gint64    id)
{
  for (const char * const *kind = crm_key_value_kinds (); *kind != NULL; kind++)
    {
      g_autoptr(GListModel) list = crm_store_list_key_values (store, *kind, TRUE);

      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(CrmKeyValue) kv = g_list_model_get_item (list, i);

          if (crm_key_value_get_id (kv) == id)
            return g_steal_pointer (&kv);
        }
    }

  return NULL;
}

/* Parses "ID" or "ID VALUE" commands: the id in (*args)[1]. */
static gboolean
parse_id_args (CrmCli       *cli,
               char       ***args,
               const char   *command,
               const char   *parameters,
               const char   *summary,
               const char   *value_name,
               gint64       *out_id,
               const char  **out_value,
               GError      **error)
{
  const GOptionEntry entries[] = { { NULL } };
  g_autofree char *full = g_strconcat ("keys ", command, NULL);

  if (!_crm_cli_parse_options (cli, args, full, parameters, summary, entries,
                               value_name != NULL ? 2 : 1, error))
    return FALSE;

  if ((*args)[1] == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("id: give the id of a value: leadsctl keys %s %s"), command, parameters);
      return FALSE;
    }
  if (!_crm_cli_parse_id ((*args)[1], "id", out_id, error))
    return FALSE;

  if (value_name != NULL)
    {
      if ((*args)[2] == NULL)
        {
          g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                       _("%s: give it after the id: leadsctl keys %s %s"), value_name, command, parameters);
          return FALSE;
        }
      *out_value = (*args)[2];
    }

  return TRUE;
}

/* -------------------------------------------------------------- keys list */

static gboolean
keys_list (CrmCli   *cli,
           char   ***args,
           GError  **error)
{
  g_auto(CrmCliFormatOption) format_option = { CRM_CLI_FORMATS_TABLE_JSON, NULL };
  const GOptionEntry entries[] = {
    _crm_cli_format_entry (&format_option),
    { NULL }
  };
  const char *header[] = {
    _("ID"), _("Kind"), _("Key"), _("Label"), _("Pos."), _("Active"), _("Prob."), _("Class"), _("Uses"), NULL,
  };
  g_autoptr(CrmCliTable) table = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  CrmCliFormat format;
  const char *only = NULL;
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "keys list", _("[KIND] [--format table|json]"),
                               _("Lists the values of a list (phase, status, type, unit, source, "
                                 "lost_reason, activity_kind) or of all, inactive ones included."),
                               entries, 1, error))
    return FALSE;

  if (!_crm_cli_format_option_parse (&format_option, &format, error))
    return FALSE;

  only = (*args)[1];
  if (only != NULL && !check_kind (only, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (format == CRM_CLI_FORMAT_JSON)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "keys");
      json_builder_begin_array (builder);
    }
  else
    table = _crm_cli_table_new (header, "rlllrlrlr");

  for (const char * const *kinds = crm_key_value_kinds (); *kinds != NULL; kinds++)
    {
      const char *kind = *kinds;
      g_autoptr(GListModel) list = NULL;

      if (only != NULL && !g_str_equal (only, kind))
        continue;

      list = crm_store_list_key_values (store, kind, TRUE);
      crm_store_count_key_value_uses (store, list);
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(CrmKeyValue) kv = g_list_model_get_item (list, i);
          gboolean is_phase = g_str_equal (kind, "phase");
          gboolean is_status = g_str_equal (kind, "status");
          int probability = crm_key_value_get_probability (kv);

          if (builder != NULL)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "id");
              json_builder_add_int_value (builder, crm_key_value_get_id (kv));
              json_builder_set_member_name (builder, "kind");
              json_builder_add_string_value (builder, kind);
              json_builder_set_member_name (builder, "key");
              json_builder_add_string_value (builder, crm_key_value_get_key (kv));
              json_builder_set_member_name (builder, "label");
              json_builder_add_string_value (builder, crm_key_value_get_label (kv));
              json_builder_set_member_name (builder, "position");
              json_builder_add_int_value (builder, crm_key_value_get_position (kv));
              json_builder_set_member_name (builder, "active");
              json_builder_add_boolean_value (builder, crm_key_value_get_active (kv));
              json_builder_set_member_name (builder, "probability");
              if (is_phase && probability >= 0)
                json_builder_add_int_value (builder, probability);
              else
                json_builder_add_null_value (builder);
              json_builder_set_member_name (builder, "status_class");
              if (is_status)
                json_builder_add_string_value (builder, _crm_cli_status_class_name (crm_key_value_get_status_class (kv)));
              else
                json_builder_add_null_value (builder);
              json_builder_set_member_name (builder, "uses");
              json_builder_add_int_value (builder, crm_key_value_get_n_uses (kv));
              json_builder_end_object (builder);
            }
          else
            {
              g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, crm_key_value_get_id (kv));
              g_autofree char *position = g_strdup_printf ("%d", crm_key_value_get_position (kv));
              g_autofree char *prob = is_phase && probability >= 0 ? g_strdup_printf ("%d %%", probability) : g_strdup ("");
              g_autofree char *uses = g_strdup_printf ("%" G_GINT64_FORMAT, crm_key_value_get_n_uses (kv));
              const char *row[] = {
                id, kind, crm_key_value_get_key (kv), crm_key_value_get_label (kv), position,
                crm_key_value_get_active (kv) ? _("yes") : _("no"), prob,
                is_status ? _crm_cli_status_class_name (crm_key_value_get_status_class (kv)) : "",
                uses, NULL,
              };

              _crm_cli_table_add_row (table, row);
            }
        }
    }

  if (builder != NULL)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      _crm_cli_print_json (builder);
    }
  else
    _crm_cli_table_print (table);

  return TRUE;
}

/* --------------------------------------------------------------- keys add */

static gboolean
keys_add (CrmCli   *cli,
          char   ***args,
          GError  **error)
{
  g_autofree char *probability_text = NULL;
  g_autofree char *class_text = NULL;
  const GOptionEntry entries[] = {
    { "probability", 0, 0, G_OPTION_ARG_STRING, &probability_text, N_("Default probability of a phase (required for phases)"), N_("P") },
    { "class", 0, 0, G_OPTION_ARG_STRING, &class_text, N_("What a status counts as: open (default), won or lost"), N_("CLASS") },
    { NULL }
  };
  CrmStatusClass status_class = CRM_STATUS_CLASS_OPEN;
  const char *kind, *label;
  int probability = -1;
  CrmStore *store;
  gint64 id;

  if (!_crm_cli_parse_options (cli, args, "keys add", _("KIND LABEL [--probability P] [--class CLASS]"),
                               _("Adds a value at the end of a list and prints its id; its key is made "
                                 "from the label."),
                               entries, 2, error))
    return FALSE;

  kind = (*args)[1];
  label = kind != NULL ? (*args)[2] : NULL;
  if (kind == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("kind: give a list and a label: leadsctl keys add KIND LABEL"));
      return FALSE;
    }
  if (!check_kind (kind, error))
    return FALSE;
  if (label == NULL)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED,
                   _("label: a name is required"));
      return FALSE;
    }

  if (probability_text != NULL)
    {
      if (!g_str_equal (kind, "phase"))
        {
          g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                       _("probability: only a phase has a default probability"));
          return FALSE;
        }
      if (!_crm_cli_parse_probability (probability_text, &probability, error))
        return FALSE;
    }

  if (class_text != NULL)
    {
      if (!g_str_equal (kind, "status"))
        {
          g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                       _("class: only a status counts as open, won or lost"));
          return FALSE;
        }
      if (g_str_equal (class_text, "open"))
        status_class = CRM_STATUS_CLASS_OPEN;
      else if (g_str_equal (class_text, "won"))
        status_class = CRM_STATUS_CLASS_WON;
      else if (g_str_equal (class_text, "lost"))
        status_class = CRM_STATUS_CLASS_LOST;
      else
        {
          g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                       _("class: “%s” is not open, won or lost"), class_text);
          return FALSE;
        }
    }

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  id = crm_store_add_key_value (store, kind, label, probability, status_class, error);
  if (id == 0)
    return FALSE;

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return TRUE;
}

/* ------------------------------------------- rename, (de)activate, … */

static gboolean
keys_rename (CrmCli   *cli,
             char   ***args,
             GError  **error)
{
  const char *label = NULL;
  GError *local_error = NULL;
  CrmStore *store;
  gint64 id;

  if (!parse_id_args (cli, args, "rename", "ID LABEL", _("Changes the label of a value; its key stays."),
                      "label", &id, &label, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (!crm_store_rename_key_value (store, id, label, &local_error))
    return propagate (error, local_error, id);

  return TRUE;
}

static gboolean
set_active (CrmCli     *cli,
            char     ***args,
            const char *command,
            gboolean    active,
            GError    **error)
{
  GError *local_error = NULL;
  CrmStore *store;
  gint64 id;

  if (!parse_id_args (cli, args, command, "ID",
                      active ? _("Offers a value again.")
                             : _("Stops offering a value; records that have it keep it."),
                      NULL, &id, NULL, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (!crm_store_set_key_value_active (store, id, active, &local_error))
    return propagate (error, local_error, id);

  return TRUE;
}

static gboolean
keys_activate (CrmCli   *cli,
               char   ***args,
               GError  **error)
{
  return set_active (cli, args, "activate", TRUE, error);
}

static gboolean
keys_deactivate (CrmCli   *cli,
                 char   ***args,
                 GError  **error)
{
  return set_active (cli, args, "deactivate", FALSE, error);
}

static gboolean
keys_delete (CrmCli   *cli,
             char   ***args,
             GError  **error)
{
  GError *local_error = NULL;
  CrmStore *store;
  gint64 id;

  if (!parse_id_args (cli, args, "delete", "ID",
                      _("Deletes a value no record uses; deactivate one in use instead."),
                      NULL, &id, NULL, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (!crm_store_delete_key_value (store, id, &local_error))
    return propagate (error, local_error, id);

  return TRUE;
}

static gboolean
keys_move (CrmCli   *cli,
           char   ***args,
           GError  **error)
{
  const char *position_text = NULL;
  GError *local_error = NULL;
  CrmStore *store;
  guint64 position;
  gint64 id;

  if (!parse_id_args (cli, args, "move", "ID POSITION",
                      _("Moves a value to a position in its list; 0 is the first."),
                      "position", &id, &position_text, error))
    return FALSE;

  if (!g_ascii_string_to_unsigned (position_text, 10, 0, G_MAXINT, &position, NULL))
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                   _("position: “%s” is not a whole number from 0"), position_text);
      return FALSE;
    }

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (!crm_store_move_key_value (store, id, (int) position, &local_error))
    return propagate (error, local_error, id);

  return TRUE;
}

static gboolean
keys_probability (CrmCli   *cli,
                  char   ***args,
                  GError  **error)
{
  g_autoptr(CrmKeyValue) kv = NULL;
  const char *probability_text = NULL;
  GError *local_error = NULL;
  CrmStore *store;
  int probability;
  gint64 id;

  if (!parse_id_args (cli, args, "probability", "ID P",
                      _("Sets the default probability of a phase."),
                      "probability", &id, &probability_text, error))
    return FALSE;

  if (!_crm_cli_parse_probability (probability_text, &probability, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  kv = find_by_id (store, id);
  if (kv == NULL)
    {
      _crm_cli_not_found (error, "key value", id);
      return FALSE;
    }
  if (!g_str_equal (crm_key_value_get_kind (kv), "phase"))
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                   _("probability: only a phase has a default probability"));
      return FALSE;
    }

  if (!crm_store_set_key_value_probability (store, id, probability, &local_error))
    return propagate (error, local_error, id);

  return TRUE;
}

/* ----------------------------------------------------------------- public */

gboolean
_crm_cli_keys (CrmCli   *cli,
               char   ***args,
               GError  **error)
{
  return _crm_cli_dispatch (cli, "keys", keys_commands, args, error);
}
