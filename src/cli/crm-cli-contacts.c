/* crm-cli-contacts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `leadsctl contact …`: companies and people, and a contact's complete
 * history across all its leads.
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-cli-private.h"
#include "crm-core-error.h"
#include "crm-money.h"

static gboolean contact_add  (CrmCli *cli, char ***args, GError **error);
static gboolean contact_list (CrmCli *cli, char ***args, GError **error);
static gboolean contact_show (CrmCli *cli, char ***args, GError **error);

static const CrmCliCommand contact_commands[] = {
  { "add", contact_add, N_("Add a company or a person and print its id") },
  { "list", contact_list, N_("List contacts") },
  { "show", contact_show, N_("Show a contact with its leads and history") },
  { NULL }
};

/* ---------------------------------------------------------------- helpers */

/* A company by name, or by id when the text is a number. */
static gboolean
resolve_company (CrmStore    *store,
                 const char  *text,
                 gint64      *out_id,
                 GError     **error)
{
  gint64 id = crm_store_find_contact (store, text);
  guint64 number;

  if (id == 0 && g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &number, NULL))
    {
      g_autoptr(CrmContact) contact = crm_store_get_contact (store, (gint64) number, NULL);

      if (contact != NULL)
        id = (gint64) number;
    }

  if (id == 0)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("company: there is no company “%s”"), text);
      return FALSE;
    }

  *out_id = id;
  return TRUE;
}

static const char *
kind_label (CrmContact *contact)
{
  return crm_contact_is_company (contact) ? _("Company") : _("Person");
}

/* ------------------------------------------------------------ contact add */

static gboolean
contact_add (CrmCli   *cli,
             char   ***args,
             GError  **error)
{
  g_autofree char *name = NULL;
  g_autofree char *company = NULL;
  gboolean person = FALSE;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The name (required)"), N_("NAME") },
    { "person", 0, 0, G_OPTION_ARG_NONE, &person, N_("A person, not a company"), NULL },
    { "company", 0, 0, G_OPTION_ARG_STRING, &company, N_("The company a person works for (name or id)"), N_("COMPANY") },
    { NULL }
  };
  CrmStore *store;
  gint64 company_id = 0;
  gint64 id;

  if (!_crm_cli_parse_options (cli, args, "contact add", _("--name NAME [--person [--company COMPANY]]"),
                               _("Adds a company (or with --person a person) and prints its id."),
                               entries, 0, error))
    return FALSE;

  if (name == NULL)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED, _("name: a name is required"));
      return FALSE;
    }
  if (company != NULL && !person)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID,
                   _("company: only a person can belong to a company"));
      return FALSE;
    }

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (company != NULL && *company != '\0' && !resolve_company (store, company, &company_id, error))
    return FALSE;

  id = crm_store_create_contact (store, person ? "person" : "company", name, company_id, error);
  if (id == 0)
    return FALSE;

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return TRUE;
}

/* ----------------------------------------------------------- contact list */

static gboolean
contact_list (CrmCli   *cli,
              char   ***args,
              GError  **error)
{
  g_autofree char *search = NULL;
  g_auto(CrmCliFormatOption) format_option = { CRM_CLI_FORMATS_TABLE_JSON, NULL };
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("A part of the name, the company or an e-mail address"), N_("TEXT") },
    _crm_cli_format_entry (&format_option),
    { NULL }
  };
  g_autoptr(GListModel) contacts = NULL;
  CrmCliFormat format;
  CrmStore *store;
  guint n;

  if (!_crm_cli_parse_options (cli, args, "contact list", _("[--search TEXT] [--format table|json]"),
                               _("Lists contacts by name."), entries, 0, error))
    return FALSE;

  if (!_crm_cli_format_option_parse (&format_option, &format, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  contacts = crm_store_list_contacts (store, search, 0);
  n = g_list_model_get_n_items (contacts);

  if (format == CRM_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "contacts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrmContact) contact = g_list_model_get_item (contacts, i);

          json_builder_begin_object (builder);
          _crm_cli_add_contact (builder, contact);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      _crm_cli_print_json (builder);
    }
  else
    {
      const char *header[] = { _("ID"), _("Kind"), _("Name"), _("Company"), _("Leads"), NULL };
      g_autoptr(CrmCliTable) table = _crm_cli_table_new (header, "rlllr");

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrmContact) contact = g_list_model_get_item (contacts, i);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, crm_contact_get_id (contact));
          g_autofree char *n_leads = g_strdup_printf ("%d", crm_contact_get_n_leads (contact));
          const char *row[] = {
            id, kind_label (contact), crm_contact_get_name (contact),
            crm_contact_get_company_id (contact) > 0 ? crm_contact_get_company_name (contact) : "",
            n_leads, NULL,
          };

          _crm_cli_table_add_row (table, row);
        }
      _crm_cli_table_print (table);
    }

  return TRUE;
}

/* ----------------------------------------------------------- contact show */

static void
print_contact_text (CrmContact *contact,
                    GListModel *leads,
                    GListModel *history)
{
  g_autofree char *heading = g_strdup_printf ("%" G_GINT64_FORMAT "  %s (%s)\n",
                                              crm_contact_get_id (contact),
                                              crm_contact_get_name (contact),
                                              kind_label (contact));
  const char * const *lists[] = {
    crm_contact_get_emails (contact), crm_contact_get_phones (contact), crm_contact_get_addresses (contact),
  };
  const char *list_labels[] = { _("E-mail"), _("Phone"), _("Address") };
  guint n_leads = g_list_model_get_n_items (leads);

  _crm_cli_print (heading);
  if (crm_contact_get_company_id (contact) > 0)
    {
      g_autofree char *line = g_strdup_printf ("  %s: %s (%" G_GINT64_FORMAT ")\n", _("Company"),
                                               crm_contact_get_company_name (contact),
                                               crm_contact_get_company_id (contact));
      _crm_cli_print (line);
    }
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        g_autofree char *line = g_strdup_printf ("  %s: %s\n", list_labels[l], lists[l][i]);
        _crm_cli_print (line);
      }
  if (crm_contact_get_notes (contact) != NULL && *crm_contact_get_notes (contact) != '\0')
    {
      g_autofree char *line = g_strdup_printf ("  %s: %s\n", _("Notes"), crm_contact_get_notes (contact));
      _crm_cli_print (line);
    }

  _crm_cli_print ("\n");
  _crm_cli_print (_("Leads:"));
  _crm_cli_print ("\n");
  if (n_leads == 0)
    {
      _crm_cli_print (_("  (none)"));
      _crm_cli_print ("\n");
    }
  else
    {
      const char *header[] = { _("ID"), _("Title"), _("Phase"), _("Status"), _("Volume"), NULL };
      g_autoptr(CrmCliTable) table = _crm_cli_table_new (header, "rlllr");

      for (guint i = 0; i < n_leads; i++)
        {
          g_autoptr(CrmLead) lead = g_list_model_get_item (leads, i);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_id (lead));
          g_autofree char *volume = crm_money_format (crm_lead_get_volume_minor (lead), crm_lead_get_currency (lead));
          const char *row[] = {
            id, crm_lead_get_title (lead), crm_lead_get_phase_label (lead),
            crm_lead_get_status_label (lead), volume, NULL,
          };

          _crm_cli_table_add_row (table, row);
        }
      _crm_cli_table_print (table);
    }

  _crm_cli_print ("\n");
  _crm_cli_print (_("History (newest first):"));
  _crm_cli_print ("\n");
  _crm_cli_print_history_text (history, TRUE);
}

static gboolean
contact_show (CrmCli   *cli,
              char   ***args,
              GError  **error)
{
  g_auto(CrmCliFormatOption) format_option = { CRM_CLI_FORMATS_TEXT_JSON, NULL };
  const GOptionEntry entries[] = {
    _crm_cli_format_entry (&format_option),
    { NULL }
  };
  g_autoptr(CrmContact) contact = NULL;
  g_autoptr(GListModel) leads = NULL;
  g_autoptr(GListModel) history = NULL;
  CrmCliFormat format;
  GError *local_error = NULL;
  CrmStore *store;
  gint64 id;

  if (!_crm_cli_parse_options (cli, args, "contact show", _("ID [--format text|json]"),
                               _("Shows a contact with its leads (for a company also its people’s) and "
                                 "the complete history of them, newest first."),
                               entries, 1, error))
    return FALSE;

  if (!_crm_cli_format_option_parse (&format_option, &format, error))
    return FALSE;
  if ((*args)[1] == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("id: give the id of a contact: leadsctl contact show ID"));
      return FALSE;
    }
  if (!_crm_cli_parse_id ((*args)[1], "id", &id, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  contact = crm_store_get_contact (store, id, &local_error);
  if (contact == NULL)
    {
      if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        {
          _crm_cli_not_found (error, "contact", id);
          g_error_free (local_error);
        }
      else
        g_propagate_error (error, local_error);
      return FALSE;
    }

  leads = crm_store_list_contact_leads (store, id);
  if ((history = crm_store_contact_history (store, id, error)) == NULL)
    return FALSE;

  if (format == CRM_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      guint n = g_list_model_get_n_items (leads);

      json_builder_begin_object (builder);
      _crm_cli_add_contact (builder, contact);
      json_builder_set_member_name (builder, "leads");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrmLead) lead = g_list_model_get_item (leads, i);

          json_builder_begin_object (builder);
          _crm_cli_add_lead (builder, lead);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "history");
      _crm_cli_add_history (builder, history, TRUE);
      json_builder_end_object (builder);
      _crm_cli_print_json (builder);
    }
  else
    print_contact_text (contact, leads, history);

  return TRUE;
}

/* ----------------------------------------------------------------- public */

gboolean
_crm_cli_contact (CrmCli   *cli,
                  char   ***args,
                  GError  **error)
{
  return _crm_cli_dispatch (cli, "contact", contact_commands, args, error);
}
