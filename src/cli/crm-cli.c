/* crm-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * leadsctl: the same core, scriptable.
 *
 *   leadsctl [--db PATH] [--author NAME] COMMAND [SUBCOMMAND] [ARGS…]
 *
 * Global options are parsed in strict POSIX mode, so parsing stops at the
 * command; every command then parses its own options with its own
 * GOptionContext (which also accepts --db and --author). A command
 * validates its whole command line before it opens the store, and hands
 * each change to the store as one call, so a bad value changes nothing.
 *
 * Every failure ends in one GError, printed as one line
 * "leadsctl: <field>: <reason>"; its domain decides the exit code (see
 * CrmCliError). Data goes to stdout, messages and progress to stderr.
 *
 * This file: option parsing, dispatch, errors, `generate` and `check`.
 * crm-cli-leads.c: `lead` and `report`.  crm-cli-contacts.c: `contact`.
 * crm-cli-keys.c: `keys`.  crm-cli-stats.c: `stats`, `rates`.
 * crm-cli-chart.c: `chart`.  crm-cli-sync.c: `login`, `sync`, `logout`, `status`.
 * crm-cli-conflicts.c: `conflicts`, `resolve`.
 * crm-cli-filter.c: the filter options.  crm-cli-output.c: JSON, CSV, tables.
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "crm-cli.h"
#include "crm-cli-private.h"
#include "crm-core-error.h"

/* ---------------------------------------------------------------- statics */

G_DEFINE_QUARK (crm-cli-error-quark, crm_cli_error)

static gboolean cmd_generate (CrmCli *cli, char ***args, GError **error);
static gboolean cmd_check    (CrmCli *cli, char ***args, GError **error);
static gboolean cmd_help     (CrmCli *cli, char ***args, GError **error);

static const CrmCliCommand commands[] = {
  { "lead", _crm_cli_lead, N_("Add, change, show, list and delete leads") },
  { "report", _crm_cli_report, N_("Add contact reports to leads") },
  { "contact", _crm_cli_contact, N_("Add, list and show contacts") },
  { "keys", _crm_cli_keys, N_("Manage phases, statuses and the other lists") },
  { "stats", _crm_cli_stats, N_("Statistics by status, phase or close month") },
  { "rates", _crm_cli_rates, N_("Manage the exchange rates the statistics convert with") },
  { "chart", _crm_cli_chart, N_("Draw the funnel or the forecast chart into a PNG, SVG or PDF file") },
  { "login", _crm_cli_login, N_("Log in to a team server") },
  { "sync", _crm_cli_sync, N_("Send and fetch changes with the team server") },
  { "logout", _crm_cli_logout, N_("Log out of the team server") },
  { "status", _crm_cli_status, N_("Show the sync status and open conflicts") },
  { "conflicts", _crm_cli_conflicts, N_("List the open sync conflicts and refused changes") },
  { "resolve", _crm_cli_resolve, N_("Resolve a sync conflict or refused change") },
  { "generate", cmd_generate, N_("Fill the database with sample or generated data") },
  { "check", cmd_check, N_("Check the integrity of the database") },
  { "help", cmd_help, N_("Show this help") },
  { NULL }
};

/* ---------------------------------------------------------------- helpers */

static char *
one_line (const char *message)
{
  char *line = g_strdup (message != NULL ? message : "");

  for (char *p = line; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';

  return g_strstrip (line);
}

static int
exit_code_for (const GError *error)
{
  if (error->domain == G_OPTION_ERROR || error->domain == CRM_CORE_ERROR)
    return 2;
  if (error->domain == CRM_CLI_ERROR)
    return error->code == CRM_CLI_ERROR_USAGE || error->code == CRM_CLI_ERROR_INVALID ? 2 : 1;
  if (error->domain == CRM_STORE_ERROR && error->code == CRM_STORE_ERROR_INVALID)
    return 2;

  return 1;
}

static char *
commands_description (const char          *title,
                      const CrmCliCommand *list)
{
  GString *text = g_string_new (title);
  int width = 0;

  for (guint i = 0; list[i].name != NULL; i++)
    width = MAX (width, (int) strlen (list[i].name));

  for (guint i = 0; list[i].name != NULL; i++)
    g_string_append_printf (text, "\n  %-*s  %s", width, list[i].name, _(list[i].summary));

  return g_string_free (text, FALSE);
}

static char **
shift_args (char       **args,
            guint        n)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint len = g_strv_length (args);

  g_strv_builder_add (builder, args[0]);
  for (guint i = 1 + n; i < len; i++)
    g_strv_builder_add (builder, args[i]);

  return g_strv_builder_end (builder);
}

/* ---------------------------------------------------------------- generate */

static void
on_generate_progress_cb (guint64  done,
                         guint64  total,
                         gpointer user_data)
{
  g_autofree char *done_text = g_strdup_printf ("%" G_GUINT64_FORMAT, done);
  g_autofree char *total_text = g_strdup_printf ("%" G_GUINT64_FORMAT, total);
  int percent = total > 0 ? (int) (done * 100 / total) : 100;

  fputc ('\r', stderr);
  /* TRANSLATORS: progress of `leadsctl generate`: done, total, percent */
  fprintf (stderr, _("Generating leads: %s of %s (%d %%)"), done_text, total_text, percent);
  fflush (stderr);
}

static gboolean
cmd_generate (CrmCli   *cli,
              char   ***args,
              GError  **error)
{
  g_autofree char *count_text = NULL;
  g_autofree char *seed_text = NULL;
  gboolean sample = FALSE;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_STRING, &count_text, N_("How many leads to generate"), N_("N") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text, N_("Seed of the generator; the same seed gives the same data"), N_("S") },
    { "sample", 0, 0, G_OPTION_ARG_NONE, &sample, N_("Load the sample a new user can try the app with"), NULL },
    { NULL }
  };
  CrmStore *store;
  guint64 count = 0;
  guint64 seed;
  gboolean tty = isatty (STDERR_FILENO);
  gboolean ok;

  if (!_crm_cli_parse_options (cli, args, "generate", "--count N [--seed S] | --sample",
                               _("Adds generated leads with their contacts and contact reports."),
                               entries, 0, error))
    return FALSE;

  if (sample && (count_text != NULL || seed_text != NULL))
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("sample: --sample cannot be combined with --count or --seed"));
      return FALSE;
    }
  if (!sample && count_text == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("count: give --count N or --sample"));
      return FALSE;
    }
  if (count_text != NULL &&
      !g_ascii_string_to_unsigned (count_text, 10, 1, 100000000, &count, NULL))
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                   _("count: “%s” is not a whole number from 1 to 100000000"), count_text);
      return FALSE;
    }
  if (seed_text != NULL)
    {
      if (!g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT32, &seed, NULL))
        {
          g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                       _("seed: “%s” is not a whole number from 0 to 4294967295"), seed_text);
          return FALSE;
        }
    }
  else
    seed = g_random_int ();

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (sample)
    ok = crm_store_load_sample (store, error);
  else
    ok = crm_store_generate (store, count, (guint32) seed,
                             tty ? on_generate_progress_cb : NULL, NULL, error);

  if (tty && !sample)
    fputc ('\n', stderr);

  return ok;
}

/* ------------------------------------------------------------------ check */

static gboolean
cmd_check (CrmCli   *cli,
           char   ***args,
           GError  **error)
{
  const GOptionEntry entries[] = { { NULL } };
  CrmStore *store;

  if (!_crm_cli_parse_options (cli, args, "check", "",
                               _("Runs SQLite's integrity check on the database and prints “ok”."),
                               entries, 0, error))
    return FALSE;

  if ((store = _crm_cli_open_store (cli, error)) == NULL)
    return FALSE;

  if (!crm_store_check_integrity (store, error))
    return FALSE;

  _crm_cli_print ("ok\n");
  return TRUE;
}

/* ------------------------------------------------------------------- help */

static GOptionContext *
main_context (CrmCli   *cli,
              gboolean *version,
              gboolean *help)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &cli->db_path, N_("The database file (default: the app’s database)"), N_("PATH") },
    { "author", 0, 0, G_OPTION_ARG_STRING, &cli->author, N_("Who makes the changes (for the history)"), N_("NAME") },
    { "version", 0, 0, G_OPTION_ARG_NONE, version, N_("Show the version and exit"), NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, help, N_("Show this help"), NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (_("COMMAND [ARGS…]"));
  g_autofree char *description = commands_description (_("Commands:"), commands);
  g_autofree char *tail = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Work with the Leads database from the command line."));
  tail = g_strconcat (description, "\n\n",
                      _("“leadsctl COMMAND --help” shows the options of a command."), "\n",
                      _("Exit status: 0 on success, 2 for a wrong command line or value, 1 for other failures."),
                      NULL);
  g_option_context_set_description (context, tail);

  return context;
}

static gboolean
cmd_help (CrmCli   *cli,
          char   ***args,
          GError  **error)
{
  CrmCli dummy = { NULL, NULL, NULL };
  gboolean version = FALSE, help = FALSE;
  g_autoptr(GOptionContext) context = main_context (&dummy, &version, &help);
  g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

  _crm_cli_print (text);
  return TRUE;
}

/* ------------------------------------------------------------- internals */

void
_crm_cli_not_found (GError     **error,
                    const char  *what,
                    gint64       id)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  if (g_str_equal (what, "lead"))
    g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_NOT_FOUND,
                 _("id: there is no lead with the id %s"), id_text);
  else if (g_str_equal (what, "contact"))
    g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_NOT_FOUND,
                 _("id: there is no contact with the id %s"), id_text);
  else
    g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_NOT_FOUND,
                 _("id: there is no key value with the id %s"), id_text);
}

/**
 * _crm_cli_dispatch:
 *
 * Runs the command named by (*args)[1] from @commands, with the
 * arguments after it.
 */
gboolean
_crm_cli_dispatch (CrmCli               *cli,
                   const char           *group,
                   const CrmCliCommand  *list,
                   char               ***args,
                   GError              **error)
{
  const char *name = (*args)[1];
  g_auto(GStrv) rest = NULL;

  if (name == NULL || g_str_equal (name, "--help") || g_str_equal (name, "-h") ||
      g_str_equal (name, "help"))
    {
      g_autofree char *title = g_strdup_printf (_("Usage:\n  leadsctl %s COMMAND [OPTION…]\n\nCommands:"), group);
      g_autofree char *text = commands_description (title, list);

      if (name == NULL)
        {
          g_autofree char *names = NULL;
          GString *joined = g_string_new (NULL);

          for (guint i = 0; list[i].name != NULL; i++)
            g_string_append_printf (joined, "%s%s", i > 0 ? ", " : "", list[i].name);
          names = g_string_free (joined, FALSE);
          g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                       _("%s: give a command: %s"), group, names);
          return FALSE;
        }

      _crm_cli_print (text);
      _crm_cli_print ("\n");
      return TRUE;
    }

  for (guint i = 0; list[i].name != NULL; i++)
    if (g_str_equal (list[i].name, name))
      {
        rest = shift_args (*args, 1);
        return list[i].func (cli, &rest, error);
      }

  g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
               _("%s: “%s” is not a command; see “leadsctl %s --help”"), group, name, group);
  return FALSE;
}

/**
 * _crm_cli_parse_options:
 * @command: the command's words, for the usage line ("lead add")
 * @parameter_string: what follows the options in the usage line
 * @max_positional: how many arguments may remain, -1 for any number
 *
 * Parses a command's options (and the global ones) out of @args; what
 * remains are the positional arguments after (*args)[0].
 */
gboolean
_crm_cli_parse_options (CrmCli               *cli,
                        char               ***args,
                        const char           *command,
                        const char           *parameter_string,
                        const char           *summary,
                        const GOptionEntry   *entries,
                        int                   max_positional,
                        GError              **error)
{
  const GOptionEntry common[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &cli->db_path, N_("The database file"), N_("PATH") },
    { "author", 0, 0, G_OPTION_ARG_STRING, &cli->author, N_("Who makes the changes (for the history)"), N_("NAME") },
    { NULL }
  };
  g_autofree char *parameters = g_strconcat (command, " ", parameter_string, NULL);
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  GOptionGroup *group;
  guint n;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  group = g_option_group_new ("global", _("Global options:"), _("Show global options"), NULL, NULL);
  g_option_group_add_entries (group, common);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, group);

  if (!g_option_context_parse_strv (context, args, error))
    return FALSE;

  n = g_strv_length (*args);
  if (max_positional >= 0 && n > (guint) max_positional + 1)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("%s: unexpected argument “%s”"), command, (*args)[max_positional + 1]);
      return FALSE;
    }

  return TRUE;
}

CrmStore *
_crm_cli_open_store (CrmCli  *cli,
                     GError **error)
{
  g_autofree char *path = NULL;

  if (cli->store != NULL)
    return cli->store;

  path = cli->db_path != NULL && *cli->db_path != '\0' ? g_strdup (cli->db_path) : crm_store_default_path ();
  cli->store = crm_store_open (path, error);
  if (cli->store == NULL)
    return NULL;

  if (cli->author != NULL)
    crm_store_set_author (cli->store, cli->author);

  return cli->store;
}

gboolean
_crm_cli_parse_id (const char  *text,
                   const char  *what,
                   gint64      *out_id,
                   GError     **error)
{
  guint64 value;

  if (text == NULL)
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE, _("%s: an id is required"), what);
      return FALSE;
    }

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
                   _("%s: “%s” is not an id (a whole number from 1)"), what, text);
      return FALSE;
    }

  *out_id = (gint64) value;
  return TRUE;
}

gboolean
_crm_cli_parse_format (const char    *text,
                       guint          allowed,
                       CrmCliFormat  *out_format,
                       GError       **error)
{
  static const char *names[] = { "text", "table", "csv", "json" };
  g_autoptr(GString) choices = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (!(allowed & (1u << i)))
        continue;
      if (g_strcmp0 (text, names[i]) == 0)
        {
          *out_format = (CrmCliFormat) i;
          return TRUE;
        }
      g_string_append_printf (choices, "%s%s", choices->len > 0 ? ", " : "", names[i]);
    }

  g_set_error (error, CRM_CLI_ERROR, CRM_CLI_ERROR_INVALID,
               _("format: “%s” is not one of %s"), text ? text : "", choices->str);
  return FALSE;
}

/* The --format entry of a command that offers @option's formats, with
 * the same help text wherever the formats are the same. */
GOptionEntry
_crm_cli_format_entry (CrmCliFormatOption *option)
{
  GOptionEntry entry = { "format", 'f', 0, G_OPTION_ARG_STRING, &option->text, NULL, N_("FORMAT") };

  switch (option->allowed)
    {
    case CRM_CLI_FORMATS_TEXT_JSON:
      entry.description = N_("text (default) or json");
      break;
    case CRM_CLI_FORMATS_TABLE_JSON:
      entry.description = N_("table (default) or json");
      break;
    case CRM_CLI_FORMATS_TABLE_CSV_JSON:
      entry.description = N_("table (default), csv or json");
      break;
    default:
      g_assert_not_reached ();
    }

  return entry;
}

/* The format --format chose, the first allowed one without it. */
gboolean
_crm_cli_format_option_parse (const CrmCliFormatOption  *option,
                              CrmCliFormat              *out_format,
                              GError                   **error)
{
  if (option->text != NULL)
    return _crm_cli_parse_format (option->text, option->allowed, out_format, error);

  g_assert (option->allowed != 0);
  *out_format = (CrmCliFormat) g_bit_nth_lsf (option->allowed, -1);
  return TRUE;
}

void
_crm_cli_format_option_clear (CrmCliFormatOption *option)
{
  g_clear_pointer (&option->text, g_free);
}

/* Probabilities by the lead field's own rule, with its message. */
gboolean
_crm_cli_parse_probability (const char  *text,
                            int         *out_probability,
                            GError     **error)
{
  g_autofree char *normalized = NULL;

  if (!crm_lead_field_normalize (crm_lead_field_lookup ("probability"), text, &normalized, error))
    return FALSE;

  *out_probability = (int) g_ascii_strtoll (normalized, NULL, 10);
  return TRUE;
}

/* ----------------------------------------------------------------- public */

/**
 * crm_cli_run:
 *
 * Runs leadsctl with the given command line.
 *
 * Returns: the exit status: 0 on success, 2 for a wrong command line or
 *   value, 1 for other failures.
 */
int
crm_cli_run (int    argc,
             char **argv)
{
  CrmCli cli = { NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean version = FALSE;
  gboolean help = FALSE;
  int status = 0;

  g_set_prgname ("leadsctl");

  g_strv_builder_add (builder, "leadsctl");
  for (int i = 1; i < argc && argv[i] != NULL; i++)
    g_strv_builder_add (builder, argv[i]);
  args = g_strv_builder_end (builder);

  context = main_context (&cli, &version, &help);

  if (!g_option_context_parse_strv (context, &args, &error))
    goto out;

  if (version)
    {
      _crm_cli_print ("leadsctl " PACKAGE_VERSION "\n");
      goto out;
    }

  if (help)
    {
      cmd_help (&cli, &args, &error);
      goto out;
    }

  if (args[1] == NULL)
    {
      g_set_error (&error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
                   _("no command given; see “leadsctl --help”"));
      goto out;
    }

  for (guint i = 0; commands[i].name != NULL; i++)
    if (g_str_equal (commands[i].name, args[1]))
      {
        rest = shift_args (args, 1);
        commands[i].func (&cli, &rest, &error);
        goto out;
      }

  g_set_error (&error, CRM_CLI_ERROR, CRM_CLI_ERROR_USAGE,
               _("“%s” is not a command; see “leadsctl --help”"), args[1]);

out:
  if (fflush (stdout) != 0 && error == NULL)
    g_set_error (&error, CRM_CLI_ERROR, CRM_CLI_ERROR_FAILED,
                 _("stdout: %s"), g_strerror (errno));

  if (error != NULL)
    {
      g_autofree char *line = one_line (error->message);

      fprintf (stderr, "leadsctl: %s\n", line);
      status = exit_code_for (error);
    }

  g_clear_object (&cli.store);
  g_free (cli.db_path);
  g_free (cli.author);

  return status;
}
