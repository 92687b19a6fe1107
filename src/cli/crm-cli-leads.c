/* crm-cli-leads.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `leadsctl lead …` and `leadsctl report add`.
 *
 * Values go to the store as canonical field strings (CrmFieldValue), all
 * changes of one command in one store call, so the store validates them
 * together and one bad value changes nothing. Two conveniences are
 * resolved here first: a volume in major units ("1234.56", in the lead's
 * currency) becomes `volume_minor`, and a contact given by name becomes
 * `contact_id` — when no contact has that name, a company is created for
 * it, but only after every other value passed a dry validation, so a bad
 * value does not leave a stray contact behind.
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-cli-private.h"
#include "crm-csv.h"
#include "crm-core-error.h"
#include "crm-currency.h"
#include "crm-money.h"
#include "crm-month.h"

typedef struct {
  GPtrArray *strings;   /* owns the values */
  GArray    *values;    /* CrmFieldValue */
} FieldValues;

static gboolean lead_add       (CrmCli *cli, char ***args, GError **error);
static gboolean lead_set       (CrmCli *cli, char ***args, GError **error);
static gboolean lead_show      (CrmCli *cli, char ***args, GError **error);
static gboolean lead_list      (CrmCli *cli, char ***args, GError **error);
static gboolean lead_delete    (CrmCli *cli, char ***args, GError **error);
static gboolean lead_won       (CrmCli *cli, char ***args, GError **error);
static gboolean lead_lost      (CrmCli *cli, char ***args, GError **error);
static gboolean lead_duplicate (CrmCli *cli, char ***args, GError **error);
static gboolean report_add     (CrmCli *cli, char ***args, GError **error);

static const CrmCliCommand lead_commands[] = {
  { "add", lead_add, N_("Add a lead and print its id") },
  { "set", lead_set, N_("Change fields of a lead: ID FIELD=VALUE…") },
  { "show", lead_show, N_("Show a lead with its history") },
  { "list", lead_list, N_("List leads with their totals") },
  { "delete", lead_delete, N_("Delete a lead") },
  { "won", lead_won, N_("Mark a lead as won") },
  { "lost", lead_lost, N_("Mark a lead as lost") },
  { "duplicate", lead_duplicate, N_("Copy a lead and print the new id") },
  { NULL }
};

static const CrmCliCommand report_commands[] = {
  { "add", report_add, N_("Add a contact report to a lead and print its id") },
  { NULL }
};

/* Fields of the JSON output that are computed or kept by the store. */
static const char *read_only_fields[] = {
  "id", "uuid", "weighted_minor", "status_class", "created_at", "updated_at",
};

/* ---------------------------------------------------------- field values */

static FieldValues *
field_values_new (void)
{
  FieldValues *self = g_new0 (FieldValues, 1);

  self->strings = g_ptr_array_new_with_free_func (g_free);
  self->values = g_array_new (FALSE, FALSE, sizeof (CrmFieldValue));

  return self;
}

static void
field_values_free (FieldValues *self)
{
  g_ptr_array_unref (self->strings);
  g_array_unref (self->values);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FieldValues, field_values_free)

static void
field_values_add (FieldValues *self,
                  const char  *field,
                  const char  *value)
{
  CrmFieldValue fv;
  char *name = g_strdup (field);
  char *copy = g_strdup (value);

  g_ptr_array_add (self->strings, name);
  g_ptr_array_add (self->strings, copy);
  fv.field = name;
  fv.value = copy;
  g_array_append_val (self->values, fv);
}

static const CrmFieldValue *
field_values_get (FieldValues *self,
                  guint       *n_values)
{
  *n_values = self->values->len;
  return (const CrmFieldValue *) (gpointer) self->values->data;
}

/* ---------------------------------------------------------------- helpers */

static gboolean
propagate (GError     **error,
           GError      *local_error,
           const char  *what,
           gint64       id)
{
  if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
    {
      _crm_cli_not_found (error, what, id);
      g_error_free (local_error);
    }
  else
    g_propagate_error (error, local_error);

  return FALSE;
}

static CrmLead *
get_lead (CrmStore  *store,
          gint64     id,
          GError   **error)
{
  GError *local_error = NULL;
  CrmLead *lead = crm_store_get_lead (store, id, &local_error);

  if (lead == NULL)
    propagate (error, local_error, "lead", id);

  return lead;
}

static gboolean
parse_volume (const char  *text,
              const char  *currency,
              char       **out_minor,
              GError     **error)
{
  gint64 minor;

  if (!crm_money_parse (text, currency, '.', &minor, error))
    {
      g_prefix_error (error, "volume: ");
      return FALSE;
    }

  *out_minor = g_strdup_printf ("%" G_GINT64_FORMAT, minor);
  return TRUE;
}

static gboolean
normalize_currency (const char  *text,
                    char       **out_currency,
                    GError     **error)
{
  return crm_lead_field_normalize (crm_lead_field_lookup ("currency"), text, out_currency, error);
}

/* Sets contact_id in @fv from a contact's name: the existing contact of
 * that name, else a new company — created only once every other value
 * passed the store's checks. An empty name clears the contact. */
static gboolean
resolve_contact (CrmStore     *store,
                 CrmLead      *current,
                 FieldValues  *fv,
                 const char   *name,
                 GError      **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (name));
  g_autofree char *id_text = NULL;
  const CrmFieldValue *values;
  guint n_values;
  gint64 id;

  if (*clean == '\0')
    {
      field_values_add (fv, "contact_id", "");
      return TRUE;
    }

  id = crm_store_find_contact (store, clean);
  if (id == 0)
    {
      values = field_values_get (fv, &n_values);
      if (!crm_store_check_lead_values (store, current ? crm_lead_get_id (current) : 0,
                                        values, n_values, error))
        return FALSE;

      id = crm_store_create_contact (store, "company", clean, 0, error);
      if (id == 0)
        {
          g_prefix_error (error, "contact: ");
          return FALSE;
        }
    }

  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  field_values_add (fv, "contact_id", id_text);
  return TRUE;
}

/* "2026-11-20T10:00", "2026-11-20 10:00:30", "2026-11-20", with an
 * optional zone ("Z", "+01:00"); local time without one. */
static gboolean
parse_time (const char  *text,
            gint64      *out_time,
            GError     **error)
{
  g_autoptr(GString) iso = g_string_new (NULL);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (text));
  char *t;

  g_string_assign (iso, clean);
  t = strpbrk (iso->str, "T ");
  if (t == NULL)
    g_string_append (iso, "T00:00:00");
  else
    {
      gsize time_start = t - iso->str + 1;
      gsize zone_start;
      guint colons = 0;

      *t = 'T';
      zone_start = time_start + strcspn (iso->str + time_start, "Z+-");
      for (gsize i = time_start; i < zone_start; i++)
        if (iso->str[i] == ':')
          colons++;
      if (colons == 1)
        g_string_insert (iso, zone_start, ":00");
    }

  dt = g_date_time_new_from_iso8601 (iso->str, local);
  if (dt == NULL || g_date_time_to_unix (dt) <= 0)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_DATE,
                   _("at: “%s” is not a date and time; use the form 2026-11-20T10:00"), clean);
      return FALSE;
    }

  *out_time = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
parse_lead_id_arg (char       **args,
                   const char  *command,
                   gint64      *out_id,
                   GError     **error)
{
  if (args[1] == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("id: give the id of a lead: leadsctl %s ID"), command);
      return FALSE;
    }

  return _crm_cli_parse_id (args[1], "id", out_id, error);
}

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

/* -------------------------------------------------------------- lead add */

static gboolean
lead_add (CrmCli   *cli,
          char   ***args,
          GError  **error)
{
  g_autofree char *title = NULL;
  g_autofree char *volume = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *probability = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *status = NULL;
  g_autofree char *type = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *source = NULL;
  g_autofree char *close_month = NULL;
  g_autofree char *follow_up = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *description = NULL;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The title (required)"), N_("TITLE") },
    { "volume", 0, 0, G_OPTION_ARG_STRING, &volume, N_("The volume in major units, e.g. 1234.56"), N_("AMOUNT") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("ISO 4217 code (default: the company currency)"), N_("CODE") },
    { "probability", 0, 0, G_OPTION_ARG_STRING, &probability, N_("Probability in percent (default: the phase’s)"), N_("P") },
    { "phase", 0, 0, G_OPTION_ARG_STRING, &phase, N_("Phase, key or label"), N_("PHASE") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("Status, key or label"), N_("STATUS") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("Type, key or label"), N_("TYPE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit, N_("Sales unit, key or label"), N_("UNIT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Source, key or label"), N_("SOURCE") },
    { "close-month", 0, 0, G_OPTION_ARG_STRING, &close_month, N_("Expected close month, e.g. 2027-03"), N_("MONTH") },
    { "next-follow-up", 0, 0, G_OPTION_ARG_STRING, &follow_up, N_("Date of the next follow-up, e.g. 2026-12-04"), N_("DATE") },
    { "contact", 0, 0, G_OPTION_ARG_STRING, &contact, N_("Contact name; a new company when nobody has it"), N_("NAME") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("Owner (default: the author)"), N_("NAME") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("Description"), N_("TEXT") },
    { NULL }
  };
  const struct { const char *field; char **value; } plain[] = {
    { "title", &title },
    { "probability", &probability },
    { "status", &status },
    { "phase", &phase },
    { "type", &type },
    { "unit", &unit },
    { "owner", &owner },
    { "close_month", &close_month },
    { "next_follow_up", &follow_up },
    { "source", &source },
    { "description", &description },
  };
  g_autoptr(FieldValues) fv = field_values_new ();
  g_autofree char *currency_code = NULL;
  g_autofree char *volume_minor = NULL;
  const CrmFieldValue *values;
  guint n_values;
  CrmStore *store;
  gint64 id;

  if (!_crm_cli_parse_options (cli, args, "lead add", _("--title TITLE [OPTION…]"),
                               _("Adds a lead and prints its id."), entries, 0, error))
    return FALSE;

  if (title == NULL)
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_REQUIRED, _("title: a title is required"));
      return FALSE;
    }

  if (currency != NULL && !normalize_currency (currency, &currency_code, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (currency_code == NULL)
    currency_code = g_strdup (crm_store_get_default_currency (store));
  if (volume != NULL && !parse_volume (volume, currency_code, &volume_minor, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    if (*plain[i].value != NULL)
      field_values_add (fv, plain[i].field, *plain[i].value);
  field_values_add (fv, "currency", currency_code);
  if (volume_minor != NULL)
    field_values_add (fv, "volume_minor", volume_minor);

  if (contact != NULL && !resolve_contact (store, NULL, fv, contact, error))
    return FALSE;

  values = field_values_get (fv, &n_values);
  id = crm_store_create_lead (store, values, n_values, error);
  if (id == 0)
    return FALSE;

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return TRUE;
}

/* -------------------------------------------------------------- lead set */

static gboolean
lead_set (CrmCli   *cli,
          char   ***args,
          GError  **error)
{
  const GOptionEntry entries[] = { { NULL } };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(FieldValues) fv = field_values_new ();
  g_autoptr(CrmLead) lead = NULL;
  g_autofree char *currency_code = NULL;
  const char *currency_text = NULL;
  const char *volume_text = NULL;
  const char *contact_text = NULL;
  const CrmFieldValue *values;
  guint n_values;
  CrmStore *store;
  GError *local_error = NULL;
  gint64 id;
  char **rest;

  if (!_crm_cli_parse_options (cli, args, "lead set", _("ID FIELD=VALUE…"),
                               _("Changes fields of a lead, all at once or none. Fields: title, contact "
                                 "(a name), contact_id, volume (major units), volume_minor, currency, "
                                 "probability, status, phase, type, unit, owner, close_month, source, "
                                 "description, lost_reason, next_follow_up. An empty value clears a field."),
                               entries, -1, error))
    return FALSE;

  if (!parse_lead_id_arg (*args, "set", &id, error))
    return FALSE;

  rest = *args + 2;
  if (rest[0] == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("set: give at least one FIELD=VALUE"));
      return FALSE;
    }

  /* The command line first: names, duplicates */
  for (guint i = 0; rest[i] != NULL; i++)
    {
      const char *eq = strchr (rest[i], '=');
      g_autofree char *name = NULL;
      const char *value;
      const char *canonical;

      if (eq == NULL || eq == rest[i])
        {
          g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                       _("set: “%s” is not of the form FIELD=VALUE"), rest[i]);
          return FALSE;
        }
      name = g_strndup (rest[i], eq - rest[i]);
      value = eq + 1;

      for (guint j = 0; j < G_N_ELEMENTS (read_only_fields); j++)
        if (g_str_equal (name, read_only_fields[j]))
          {
            g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                         _("%s: the field cannot be changed"), name);
            return FALSE;
          }

      if (g_str_equal (name, "contact"))
        canonical = "contact_id";
      else if (g_str_equal (name, "volume"))
        canonical = "volume_minor";
      else if (crm_lead_field_lookup (name) != NULL)
        canonical = crm_lead_field_lookup (name)->name;
      else
        {
          g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_UNKNOWN_FIELD,
                       _("%s: there is no such field"), name);
          return FALSE;
        }

      if (g_hash_table_contains (seen, canonical))
        {
          g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                       _("%s: the field is given more than once"), name);
          return FALSE;
        }
      g_hash_table_add (seen, (gpointer) canonical);

      if (g_str_equal (name, "contact"))
        contact_text = value;
      else if (g_str_equal (name, "volume"))
        volume_text = value;
      else if (g_str_equal (name, "currency"))
        currency_text = value;
      else
        field_values_add (fv, canonical, value);
    }

  if (currency_text != NULL)
    {
      if (!normalize_currency (currency_text, &currency_code, error))
        return FALSE;
      field_values_add (fv, "currency", currency_code);
    }

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if ((lead = get_lead (store, id, error)) == NULL)
    return FALSE;

  if (volume_text != NULL)
    {
      g_autofree char *volume_minor = NULL;

      if (!parse_volume (volume_text, currency_code ? currency_code : crm_lead_get_currency (lead),
                         &volume_minor, error))
        return FALSE;
      field_values_add (fv, "volume_minor", volume_minor);
    }

  if (contact_text != NULL && !resolve_contact (store, lead, fv, contact_text, error))
    return FALSE;

  values = field_values_get (fv, &n_values);
  if (!crm_store_update_lead (store, id, values, n_values, &local_error))
    return propagate (error, local_error, "lead", id);

  return TRUE;
}

/* ------------------------------------------------------------- lead show */

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *heading = g_strconcat (label, ":", NULL);
  g_auto(GStrv) lines = g_strsplit (or_dash (value), "\n", -1);
  int pad = 17 - (int) g_utf8_strlen (heading, -1);

  /* continuation lines of a description line up under the first */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("  %s%*s %s\n", i == 0 ? heading : "",
                                               i == 0 ? MAX (pad, 0) : 17, "", lines[i]);
      _crm_cli_print (line);
    }
}

static void
print_lead_text (CrmStore   *store,
                 CrmLead    *lead,
                 GListModel *history)
{
  g_autofree char *heading = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *volume = crm_money_format (crm_lead_get_volume_minor (lead), crm_lead_get_currency (lead));
  g_autofree char *weighted = crm_money_format (crm_lead_get_weighted_minor (lead), crm_lead_get_currency (lead));
  g_autofree char *probability = g_strdup_printf ("%d %%", crm_lead_get_probability (lead));
  g_autofree char *close_month = crm_month_format (crm_lead_get_close_month (lead));
  g_autofree char *created = _crm_cli_format_local_time (crm_lead_get_created_at (lead));
  g_autofree char *updated = _crm_cli_format_local_time (crm_lead_get_updated_at (lead));

  heading = g_strdup_printf ("%" G_GINT64_FORMAT "  %s\n", crm_lead_get_id (lead), crm_lead_get_title (lead));
  _crm_cli_print (heading);

  if (crm_lead_get_contact_id (lead) > 0)
    contact = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", crm_lead_get_contact_name (lead),
                               crm_lead_get_contact_id (lead));

  print_field (crm_lead_field_label ("contact_id"), contact);
  print_field (crm_lead_field_label ("volume_minor"), volume);
  print_field (crm_lead_field_label ("probability"), probability);
  print_field (_("Weighted"), weighted);
  print_field (crm_lead_field_label ("status"), crm_lead_get_status_label (lead));
  print_field (crm_lead_field_label ("phase"), crm_lead_get_phase_label (lead));
  print_field (crm_lead_field_label ("type"), crm_store_key_value_label (store, "type", crm_lead_get_lead_type (lead)));
  print_field (crm_lead_field_label ("unit"), crm_store_key_value_label (store, "unit", crm_lead_get_unit (lead)));
  print_field (crm_lead_field_label ("owner"), crm_lead_get_owner (lead));
  print_field (crm_lead_field_label ("close_month"), close_month);
  print_field (crm_lead_field_label ("source"), crm_store_key_value_label (store, "source", crm_lead_get_source (lead)));
  if (crm_lead_get_status_class (lead) == CRM_STATUS_CLASS_LOST)
    print_field (crm_lead_field_label ("lost_reason"),
                 crm_store_key_value_label (store, "lost_reason", crm_lead_get_lost_reason (lead)));
  print_field (crm_lead_field_label ("next_follow_up"),
               crm_lead_get_next_follow_up (lead) ? crm_lead_get_next_follow_up (lead) : "");
  print_field (crm_lead_field_label ("description"), crm_lead_get_description (lead));
  print_field (_("Created"), created);
  print_field (_("Updated"), updated);

  _crm_cli_print ("\n");
  _crm_cli_print (_("History (newest first):"));
  _crm_cli_print ("\n");
  _crm_cli_print_history_text (history, FALSE);
}

static gboolean
lead_show (CrmCli   *cli,
           char   ***args,
           GError  **error)
{
  g_auto(CrmCliFormatOption) format_option = { CRM_CLI_FORMATS_TEXT_JSON, NULL };
  const GOptionEntry entries[] = {
    _crm_cli_format_entry (&format_option),
    { NULL }
  };
  g_autoptr(CrmLead) lead = NULL;
  g_autoptr(GListModel) history = NULL;
  CrmCliFormat format;
  CrmStore *store;
  gint64 id;

  if (!_crm_cli_parse_options (cli, args, "lead show", _("ID [--format text|json]"),
                               _("Shows a lead with its history, newest first."), entries, 1, error))
    return FALSE;

  if (!_crm_cli_format_option_parse (&format_option, &format, error))
    return FALSE;
  if (!parse_lead_id_arg (*args, "show", &id, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;
  if ((lead = get_lead (store, id, error)) == NULL)
    return FALSE;
  if ((history = crm_store_lead_history (store, id, error)) == NULL)
    return FALSE;

  if (format == CRM_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      _crm_cli_add_lead (builder, lead);
      json_builder_set_member_name (builder, "history");
      _crm_cli_add_history (builder, history, FALSE);
      json_builder_end_object (builder);
      _crm_cli_print_json (builder);
    }
  else
    print_lead_text (store, lead, history);

  return TRUE;
}

/* ------------------------------------------------------------- lead list */

static gboolean
parse_sort (const char     *text,
            CrmLeadFilter  *filter,
            GError        **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", 2);

  if (!crm_lead_sort_from_string (parts[0], &filter->sort) ||
      (parts[1] != NULL && !g_str_equal (parts[1], "asc") && !g_str_equal (parts[1], "desc")))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < CRM_LEAD_N_SORTS; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", crm_lead_sort_to_string (i));
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                   _("sort: “%s” is not FIELD or FIELD:desc with a FIELD of %s"), text, names->str);
      return FALSE;
    }

  filter->descending = parts[1] != NULL && g_str_equal (parts[1], "desc");
  return TRUE;
}

static void
print_leads_csv (CrmStore *store,
                 GArray   *ids)
{
  const char *header[] = {
    "id", "uuid", "title", "contact", "contact_id", "volume_minor", "currency", "probability",
    "weighted_minor", "status", "status_class", "phase", "type", "unit", "owner", "close_month",
    "source", "description", "lost_reason", "next_follow_up", "created_at", "updated_at", NULL,
  };
  g_autoptr(GString) out = g_string_new (NULL);

  crm_csv_append_row (out, header);
  _crm_cli_print (out->str);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CrmLead) lead = crm_store_get_lead (store, g_array_index (ids, gint64, i), NULL);
      g_autofree char *id = NULL, *contact_id = NULL, *volume = NULL, *probability = NULL;
      g_autofree char *weighted = NULL, *close_month = NULL, *created = NULL, *updated = NULL;
      const char *row[G_N_ELEMENTS (header)];

      if (lead == NULL)
        continue;

      id = g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_id (lead));
      contact_id = crm_lead_get_contact_id (lead) > 0
                   ? g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_contact_id (lead)) : g_strdup ("");
      volume = g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_volume_minor (lead));
      probability = g_strdup_printf ("%d", crm_lead_get_probability (lead));
      weighted = g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_weighted_minor (lead));
      close_month = crm_month_to_iso (crm_lead_get_close_month (lead));
      created = _crm_cli_format_iso_time (crm_lead_get_created_at (lead));
      updated = _crm_cli_format_iso_time (crm_lead_get_updated_at (lead));

      row[0] = id;
      row[1] = crm_lead_get_uuid (lead);
      row[2] = crm_lead_get_title (lead);
      row[3] = crm_lead_get_contact_id (lead) > 0 ? crm_lead_get_contact_name (lead) : "";
      row[4] = contact_id;
      row[5] = volume;
      row[6] = crm_lead_get_currency (lead);
      row[7] = probability;
      row[8] = weighted;
      row[9] = crm_lead_get_status (lead);
      row[10] = _crm_cli_status_class_name (crm_lead_get_status_class (lead));
      row[11] = crm_lead_get_phase (lead);
      row[12] = crm_lead_get_lead_type (lead);
      row[13] = crm_lead_get_unit (lead);
      row[14] = crm_lead_get_owner (lead);
      row[15] = close_month ? close_month : "";
      row[16] = crm_lead_get_source (lead);
      row[17] = crm_lead_get_description (lead);
      row[18] = crm_lead_get_lost_reason (lead);
      row[19] = crm_lead_get_next_follow_up (lead);
      row[20] = created;
      row[21] = updated;
      row[22] = NULL;
      for (guint c = 0; c < G_N_ELEMENTS (row) - 1; c++)
        if (row[c] == NULL)
          row[c] = "";

      g_string_truncate (out, 0);
      crm_csv_append_row (out, row);
      _crm_cli_print (out->str);
    }
}

/* The cells of one lead in the table of `lead list`. */
typedef struct {
  CrmLead    *lead;
  char       *strings[5];
  const char *cells[11];
} LeadRow;

static void
lead_row_clear (LeadRow *row)
{
  g_clear_object (&row->lead);
  for (guint i = 0; i < G_N_ELEMENTS (row->strings); i++)
    g_clear_pointer (&row->strings[i], g_free);
}

static gboolean
lead_row_load (LeadRow  *row,
               CrmStore *store,
               gint64    id)
{
  CrmLead *lead;
  char *close;

  lead_row_clear (row);
  if ((lead = row->lead = crm_store_get_lead (store, id, NULL)) == NULL)
    return FALSE;

  row->strings[0] = g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_id (lead));
  row->strings[1] = crm_money_format (crm_lead_get_volume_minor (lead), crm_lead_get_currency (lead));
  row->strings[2] = g_strdup_printf ("%d %%", crm_lead_get_probability (lead));
  row->strings[3] = crm_money_format (crm_lead_get_weighted_minor (lead), crm_lead_get_currency (lead));
  row->strings[4] = close = crm_month_to_iso (crm_lead_get_close_month (lead));

  row->cells[0] = row->strings[0];
  row->cells[1] = crm_lead_get_title (lead);
  row->cells[2] = crm_lead_get_contact_id (lead) > 0 ? crm_lead_get_contact_name (lead) : "";
  row->cells[3] = crm_lead_get_phase_label (lead);
  row->cells[4] = crm_lead_get_status_label (lead);
  row->cells[5] = row->strings[1];
  row->cells[6] = row->strings[2];
  row->cells[7] = row->strings[3];
  row->cells[8] = close ? close : "";
  row->cells[9] = crm_lead_get_owner (lead);
  row->cells[10] = NULL;

  return TRUE;
}

/* Two passes over the ids, measuring, then printing: a million leads
 * are never in memory at once. */
static void
print_leads_table (CrmStore            *store,
                   GArray              *ids,
                   const CrmLeadTotals *totals)
{
  const char *header[] = {
    _("ID"), _("Title"), _("Contact"), _("Phase"), _("Status"), _("Volume"),
    _("Prob."), _("Weighted"), _("Close"), _("Owner"), NULL,
  };
  g_autoptr(CrmCliTable) table = _crm_cli_table_new (header, "rlllllrrll");
  g_autofree char *absolute = crm_lead_totals_format_absolute (totals);
  g_autofree char *weighted = crm_lead_totals_format_weighted (totals);
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, totals->count);
  g_autofree char *shown = g_strdup_printf ("%u", ids->len);
  g_autofree char *line = NULL;
  LeadRow row = { NULL };

  for (guint i = 0; i < ids->len; i++)
    if (lead_row_load (&row, store, g_array_index (ids, gint64, i)))
      _crm_cli_table_measure_row (table, row.cells);

  _crm_cli_table_print_header (table);
  for (guint i = 0; i < ids->len; i++)
    if (lead_row_load (&row, store, g_array_index (ids, gint64, i)))
      _crm_cli_table_print_row (table, row.cells);
  lead_row_clear (&row);

  if ((gint64) ids->len < totals->count)
    {
      /* TRANSLATORS: leadsctl lead list --limit: shown, all matching */
      line = g_strdup_printf (_("(%s of %s shown)"), shown, count);
      _crm_cli_print (line);
      _crm_cli_print ("\n");
      g_free (line);
    }

  /* TRANSLATORS: the totals line of leadsctl lead list: count, volume, weighted volume */
  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Total: %s lead, volume %s, weighted %s",
                                       "Total: %s leads, volume %s, weighted %s",
                                       (gulong) totals->count),
                          count, absolute, weighted);
  _crm_cli_print (line);
  _crm_cli_print ("\n");
}

/* {"leads": [...], "total": {...}}, one lead at a time. */
static void
print_leads_json (CrmStore            *store,
                  GArray              *ids,
                  const CrmLeadTotals *totals)
{
  g_autoptr(JsonBuilder) total = json_builder_new ();
  g_autofree char *total_text = NULL;
  gboolean first = TRUE;

  _crm_cli_print ("{\n  \"leads\" : [");
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CrmLead) lead = crm_store_get_lead (store, g_array_index (ids, gint64, i), NULL);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autofree char *text = NULL;

      if (lead == NULL)
        continue;

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      _crm_cli_add_lead (builder, lead);
      json_builder_end_object (builder);
      text = _crm_cli_json_to_string (builder, 4);

      _crm_cli_print (first ? "\n    " : ",\n    ");
      _crm_cli_print (text);
      first = FALSE;
    }
  _crm_cli_print (first ? "],\n" : "\n  ],\n");

  _crm_cli_add_totals (total, totals);
  total_text = _crm_cli_json_to_string (total, 2);
  _crm_cli_print ("  \"total\" : ");
  _crm_cli_print (total_text);
  _crm_cli_print ("\n}\n");
}

static gboolean
lead_list (CrmCli   *cli,
           char   ***args,
           GError  **error)
{
  g_auto(CrmCliFilterOptions) options = { NULL };
  g_autofree char *sort = NULL;
  g_autofree char *limit_text = NULL;
  g_auto(CrmCliFormatOption) format_option = { CRM_CLI_FORMATS_TABLE_CSV_JSON, NULL };
  const GOptionEntry own_entries[] = {
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort, N_("Sort order (default: updated:desc)"), N_("FIELD[:desc]") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text, N_("At most N leads (the totals count all)"), N_("N") },
    _crm_cli_format_entry (&format_option),
    { NULL }
  };
  g_autofree GOptionEntry *entries = _crm_cli_filter_entries (&options, own_entries);
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(CrmLeadTotals) totals = NULL;
  CrmCliFormat format;
  guint64 limit = 0;
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "lead list", _("[OPTION…]"),
                               _("Lists the leads a filter lets through, with their totals."),
                               entries, 0, error))
    return FALSE;

  if (!_crm_cli_format_option_parse (&format_option, &format, error))
    return FALSE;

  filter->sort = CRM_LEAD_SORT_UPDATED;
  filter->descending = TRUE;
  if (sort != NULL && !parse_sort (sort, filter, error))
    return FALSE;

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 0, G_MAXUINT, &limit, NULL))
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                   _("limit: “%s” is not a whole number (0 for all)"), limit_text);
      return FALSE;
    }

  if (!_crm_cli_filter_months (&options, &filter->close_from, &filter->close_to, error))
    return FALSE;

  if ((store = _crm_cli_filter_open_store (cli, &options, filter, error)) == NULL)
    return FALSE;

  if ((ids = crm_store_query_lead_ids (store, filter, (guint) limit, NULL, error)) == NULL)
    return FALSE;
  if ((totals = crm_store_query_totals (store, filter, NULL, error)) == NULL)
    return FALSE;

  switch (format)
    {
    case CRM_CLI_FORMAT_JSON:
      print_leads_json (store, ids, totals);
      break;

    case CRM_CLI_FORMAT_CSV:
      print_leads_csv (store, ids);
      break;

    case CRM_CLI_FORMAT_TABLE:
    case CRM_CLI_FORMAT_TEXT:
    default:
      print_leads_table (store, ids, totals);
      break;
    }

  return TRUE;
}

/* ---------------------------------------- delete, won, lost, duplicate */

static gboolean
lead_delete (CrmCli   *cli,
             char   ***args,
             GError  **error)
{
  const GOptionEntry entries[] = { { NULL } };
  g_autoptr(CrmLead) lead = NULL;
  CrmStore *store;
  GError *local_error = NULL;
  gint64 id;

  if (!_crm_cli_parse_options (cli, args, "lead delete", "ID",
                               _("Deletes a lead (the app can restore it)."), entries, 1, error) ||
      !parse_lead_id_arg (*args, "delete", &id, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;
  /* deleted leads are not found: deleting twice is an error */
  if ((lead = get_lead (store, id, error)) == NULL)
    return FALSE;

  if (!crm_store_delete_lead (store, id, &local_error))
    return propagate (error, local_error, "lead", id);

  return TRUE;
}

static gboolean
lead_won (CrmCli   *cli,
          char   ***args,
          GError  **error)
{
  const GOptionEntry entries[] = { { NULL } };
  CrmStore *store;
  GError *local_error = NULL;
  gint64 id;

  if (!_crm_cli_parse_options (cli, args, "lead won", "ID",
                               _("Marks a lead as won: the first won status, probability 100."),
                               entries, 1, error) ||
      !parse_lead_id_arg (*args, "won", &id, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (!crm_store_mark_won (store, id, &local_error))
    return propagate (error, local_error, "lead", id);

  return TRUE;
}

static gboolean
lead_lost (CrmCli   *cli,
           char   ***args,
           GError  **error)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Lost reason, key or label"), N_("REASON") },
    { NULL }
  };
  CrmStore *store;
  GError *local_error = NULL;
  gint64 id;

  if (!_crm_cli_parse_options (cli, args, "lead lost", _("ID [--reason REASON]"),
                               _("Marks a lead as lost: the first lost status, probability 0."),
                               entries, 1, error) ||
      !parse_lead_id_arg (*args, "lost", &id, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (!crm_store_mark_lost (store, id, reason, &local_error))
    return propagate (error, local_error, "lead", id);

  return TRUE;
}

static gboolean
lead_duplicate (CrmCli   *cli,
                char   ***args,
                GError  **error)
{
  const GOptionEntry entries[] = { { NULL } };
  CrmStore *store;
  GError *local_error = NULL;
  gint64 id, new_id;

  if (!_crm_cli_parse_options (cli, args, "lead duplicate", "ID",
                               _("Copies a lead and prints the id of the copy."), entries, 1, error) ||
      !parse_lead_id_arg (*args, "duplicate", &id, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  new_id = crm_store_duplicate_lead (store, id, &local_error);
  if (new_id == 0)
    return propagate (error, local_error, "lead", id);

  g_print ("%" G_GINT64_FORMAT "\n", new_id);
  return TRUE;
}

/* ------------------------------------------------------------ report add */

static gboolean
report_add (CrmCli   *cli,
            char   ***args,
            GError  **error)
{
  g_autofree char *kind = NULL;
  g_autofree char *text = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *probability_text = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *at_text = NULL;
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("Kind of contact: call, visit, meeting, email, note, … (required)"), N_("KIND") },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("What happened"), N_("TEXT") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("Subject"), N_("SUBJECT") },
    { "probability", 0, 0, G_OPTION_ARG_STRING, &probability_text, N_("The probability re-estimated by this contact"), N_("P") },
    { "phase", 0, 0, G_OPTION_ARG_STRING, &phase, N_("The phase the lead moves to"), N_("PHASE") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_("When (default: now), e.g. 2026-11-20T10:00"), N_("TIME") },
    { NULL }
  };
  CrmStore *store;
  GError *local_error = NULL;
  int probability = -1;
  gint64 at = 0;
  gint64 lead_id, id;

  if (!_crm_cli_parse_options (cli, args, "report add", _("LEAD_ID --kind KIND --text TEXT [OPTION…]"),
                               _("Adds a contact report to a lead and prints its id; a new probability "
                                 "or phase it sets is logged with the report as its cause."),
                               entries, 1, error))
    return FALSE;

  if ((*args)[1] == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("lead_id: give the id of a lead: leadsctl report add LEAD_ID --kind KIND --text TEXT"));
      return FALSE;
    }
  if (!_crm_cli_parse_id ((*args)[1], "lead_id", &lead_id, error))
    return FALSE;
  if (kind == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("kind: a kind is required, e.g. --kind call"));
      return FALSE;
    }
  if (probability_text != NULL && !_crm_cli_parse_probability (probability_text, &probability, error))
    return FALSE;
  if (at_text != NULL && !parse_time (at_text, &at, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  id = crm_store_add_activity (store, lead_id, kind, at, subject, text, probability, phase, &local_error);
  if (id == 0)
    return propagate (error, local_error, "lead", lead_id);

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return TRUE;
}

/* ----------------------------------------------------------------- public */

gboolean
_crm_cli_lead (CrmCli   *cli,
               char   ***args,
               GError  **error)
{
  return _crm_cli_dispatch (cli, "lead", lead_commands, args, error);
}

gboolean
_crm_cli_report (CrmCli   *cli,
                 char   ***args,
                 GError  **error)
{
  return _crm_cli_dispatch (cli, "report", report_commands, args, error);
}
