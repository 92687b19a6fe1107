/* crm-cli-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What leadsctl prints: JSON (json-glib, pretty, keys in a fixed order so
 * scripts and diffs stay stable), CSV (RFC 4180) and aligned text tables.
 * JSON and CSV are machine formats: money in integer minor units, times
 * in ISO 8601 UTC, key values by key. Tables and text are for people:
 * labels, money and times in the user's locale.
 */
#define G_LOG_DOMAIN "crm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-cli-private.h"
#include "crm-month.h"

#define MAX_CELL_WIDTH 40

struct _CrmCliTable
{
  guint      n_columns;
  char     **headers;
  char      *alignment;    /* one 'l' or 'r' per column */
  guint     *widths;       /* of the header and every row measured */
  GPtrArray *rows;         /* GStrv, kept by _crm_cli_table_add_row () */
};

/* ---------------------------------------------------------------- helpers */

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL && *value != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_id_or_null (JsonBuilder *builder,
                const char  *name,
                gint64       id)
{
  json_builder_set_member_name (builder, name);
  if (id > 0)
    json_builder_add_int_value (builder, id);
  else
    json_builder_add_null_value (builder);
}

static void
add_time_or_null (JsonBuilder *builder,
                  const char  *name,
                  gint64       unix_time)
{
  g_autofree char *text = unix_time > 0 ? _crm_cli_format_iso_time (unix_time) : NULL;

  add_string_or_null (builder, name, text);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* Columns of a terminal a text takes. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

/* One line, at most MAX_CELL_WIDTH columns. */
static char *
cell_text (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean cut;
  guint width = 0;

  if (text == NULL)
    return g_strdup ("");

  cut = display_width (text) > MAX_CELL_WIDTH;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (cut && width + w > MAX_CELL_WIDTH - 1)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == '\n' || c == '\r' || c == '\t')
        c = ' ';
      g_string_append_unichar (out, c);
      width += w;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_padded (GString    *line,
               const char *text,
               guint       width,
               gboolean    right)
{
  guint w = display_width (text);

  if (right)
    for (guint i = w; i < width; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right)
    for (guint i = w; i < width; i++)
      g_string_append_c (line, ' ');
}

/* ------------------------------------------------------------------ times */

char *
_crm_cli_format_iso_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

char *
_crm_cli_format_local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);

  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

const char *
_crm_cli_status_class_name (int status_class)
{
  switch (status_class)
    {
    case CRM_STATUS_CLASS_WON:
      return "won";
    case CRM_STATUS_CLASS_LOST:
      return "lost";
    case CRM_STATUS_CLASS_OPEN:
    default:
      return "open";
    }
}

/* ------------------------------------------------------------------- JSON */

void
_crm_cli_print (const char *text)
{
  fputs (text, stdout);
}

/**
 * _crm_cli_json_to_string:
 * @indent: spaces before every line but the first
 *
 * The pretty text of what @builder built, to be placed at a nesting
 * level of its own: lists stream their items through this one by one.
 */
char *
_crm_cli_json_to_string (JsonBuilder *builder,
                         guint        indent)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *data = NULL;
  g_autofree char *pad = g_strnfill (indent, ' ');
  g_autofree char *separator = g_strconcat ("\n", pad, NULL);
  g_auto(GStrv) lines = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, NULL);

  if (indent == 0)
    return g_steal_pointer (&data);

  lines = g_strsplit (data, "\n", -1);
  return g_strjoinv (separator, lines);
}

void
_crm_cli_print_json (JsonBuilder *builder)
{
  g_autofree char *data = _crm_cli_json_to_string (builder, 0);

  _crm_cli_print (data);
  _crm_cli_print ("\n");
}

/**
 * _crm_cli_add_lead:
 *
 * Adds the members of a lead to the object being built; the keys and
 * their order are documented in docs/leadsctl.md.
 */
void
_crm_cli_add_lead (JsonBuilder *builder,
                   CrmLead     *lead)
{
  g_autofree char *close_month = crm_month_to_iso (crm_lead_get_close_month (lead));
  gint64 contact_id = crm_lead_get_contact_id (lead);

  add_int (builder, "id", crm_lead_get_id (lead));
  add_string (builder, "uuid", crm_lead_get_uuid (lead));
  add_string (builder, "title", crm_lead_get_title (lead));
  json_builder_set_member_name (builder, "contact");
  if (contact_id > 0)
    json_builder_add_string_value (builder, crm_lead_get_contact_name (lead) ? crm_lead_get_contact_name (lead) : "");
  else
    json_builder_add_null_value (builder);
  add_id_or_null (builder, "contact_id", contact_id);
  add_int (builder, "volume_minor", crm_lead_get_volume_minor (lead));
  add_string (builder, "currency", crm_lead_get_currency (lead));
  add_int (builder, "probability", crm_lead_get_probability (lead));
  add_int (builder, "weighted_minor", crm_lead_get_weighted_minor (lead));
  add_string (builder, "status", crm_lead_get_status (lead));
  add_string (builder, "status_class", _crm_cli_status_class_name (crm_lead_get_status_class (lead)));
  add_string (builder, "phase", crm_lead_get_phase (lead));
  add_string (builder, "type", crm_lead_get_lead_type (lead));
  add_string (builder, "unit", crm_lead_get_unit (lead));
  add_string (builder, "owner", crm_lead_get_owner (lead));
  add_string_or_null (builder, "close_month", close_month);
  add_string (builder, "source", crm_lead_get_source (lead));
  add_string (builder, "description", crm_lead_get_description (lead));
  add_string (builder, "lost_reason", crm_lead_get_lost_reason (lead));
  add_string_or_null (builder, "next_follow_up", crm_lead_get_next_follow_up (lead));
  add_time_or_null (builder, "created_at", crm_lead_get_created_at (lead));
  add_time_or_null (builder, "updated_at", crm_lead_get_updated_at (lead));
}

/* An array of history entries, newest first as the store gives them. */
void
_crm_cli_add_history (JsonBuilder *builder,
                      GListModel  *history,
                      gboolean     with_lead)
{
  guint n = g_list_model_get_n_items (history);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i);
      gboolean report = crm_history_item_is_report (item);

      json_builder_begin_object (builder);
      add_time_or_null (builder, "at", crm_history_item_get_at (item));
      add_string (builder, "author", crm_history_item_get_author (item));
      add_string (builder, "kind", report ? "report" : "change");
      if (with_lead)
        {
          add_id_or_null (builder, "lead_id", crm_history_item_get_lead_id (item));
          add_string_or_null (builder, "lead_title",
                              crm_history_item_get_lead_id (item) > 0 ? crm_history_item_get_lead_title (item) : NULL);
        }

      if (report)
        {
          int probability = crm_history_item_get_probability (item);

          add_string (builder, "report_kind", crm_history_item_get_report_kind (item));
          add_string (builder, "subject", crm_history_item_get_subject (item));
          add_string (builder, "text", crm_history_item_get_text (item));
          json_builder_set_member_name (builder, "probability");
          if (probability >= 0)
            json_builder_add_int_value (builder, probability);
          else
            json_builder_add_null_value (builder);
          add_string_or_null (builder, "phase", crm_history_item_get_phase (item));
        }
      else
        {
          add_string (builder, "field", crm_history_item_get_field (item));
          add_string_or_null (builder, "old", crm_history_item_get_old_value (item));
          add_string_or_null (builder, "new", crm_history_item_get_new_value (item));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* {"count": N, "sums": [{"currency", "count", "absolute_minor", "weighted_minor"}]} */
void
_crm_cli_add_totals (JsonBuilder         *builder,
                     const CrmLeadTotals *totals)
{
  json_builder_begin_object (builder);
  add_int (builder, "count", totals->count);
  json_builder_set_member_name (builder, "sums");
  json_builder_begin_array (builder);
  for (guint i = 0; i < totals->sums->len; i++)
    {
      const CrmCurrencySum *sum = &g_array_index (totals->sums, CrmCurrencySum, i);

      json_builder_begin_object (builder);
      add_string (builder, "currency", sum->currency);
      add_int (builder, "count", sum->count);
      add_int (builder, "absolute_minor", sum->absolute_minor);
      add_int (builder, "weighted_minor", sum->weighted_minor);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* Adds the members of a contact to the object being built. */
void
_crm_cli_add_contact (JsonBuilder *builder,
                      CrmContact  *contact)
{
  gint64 company_id = crm_contact_get_company_id (contact);

  add_int (builder, "id", crm_contact_get_id (contact));
  add_string (builder, "uuid", crm_contact_get_uuid (contact));
  add_string (builder, "kind", crm_contact_get_kind (contact));
  add_string (builder, "name", crm_contact_get_name (contact));
  add_string_or_null (builder, "company", company_id > 0 ? crm_contact_get_company_name (contact) : NULL);
  add_id_or_null (builder, "company_id", company_id);
  add_strv (builder, "emails", crm_contact_get_emails (contact));
  add_strv (builder, "phones", crm_contact_get_phones (contact));
  add_strv (builder, "addresses", crm_contact_get_addresses (contact));
  add_string (builder, "notes", crm_contact_get_notes (contact));
  add_int (builder, "n_leads", crm_contact_get_n_leads (contact));
  add_time_or_null (builder, "last_activity", crm_contact_get_last_activity (contact));
}

/* ------------------------------------------------------------------- text */

void
_crm_cli_print_history_text (GListModel *history,
                             gboolean    with_lead)
{
  guint n = g_list_model_get_n_items (history);

  if (n == 0)
    {
      _crm_cli_print (_("  (nothing yet)"));
      _crm_cli_print ("\n");
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i);
      g_autofree char *when = _crm_cli_format_local_time (crm_history_item_get_at (item));
      g_autoptr(GString) line = g_string_new (NULL);

      g_string_append_printf (line, "  %s  %s  ", when, crm_history_item_get_author (item));

      if (with_lead && crm_history_item_get_lead_id (item) > 0)
        g_string_append_printf (line, "[%" G_GINT64_FORMAT " %s] ",
                                crm_history_item_get_lead_id (item),
                                crm_history_item_get_lead_title (item));

      if (crm_history_item_is_report (item))
        {
          const char *subject = crm_history_item_get_subject (item);
          const char *text = crm_history_item_get_text (item);

          g_string_append_printf (line, "%s:", crm_history_item_get_report_kind_label (item));
          if (subject != NULL && *subject != '\0')
            g_string_append_printf (line, " %s", subject);
          if (text != NULL && *text != '\0')
            g_string_append_printf (line, "%s %s", subject != NULL && *subject != '\0' ? " —" : "", text);
          if (crm_history_item_get_probability (item) >= 0)
            /* TRANSLATORS: a contact report set the probability (in percent) */
            g_string_append_printf (line, _(" [probability %d %%]"), crm_history_item_get_probability (item));
          if (crm_history_item_get_phase (item) != NULL)
            /* TRANSLATORS: a contact report set the phase */
            g_string_append_printf (line, _(" [phase %s]"), crm_history_item_get_phase_label (item));
        }
      else
        {
          const char *field = crm_history_item_get_field (item);

          if (g_strcmp0 (field, "created") == 0)
            g_string_append_printf (line, _("Created “%s”"), crm_history_item_get_new_value (item));
          else if (g_strcmp0 (field, "deleted") == 0)
            g_string_append (line, _("Deleted"));
          else if (g_strcmp0 (field, "restored") == 0)
            g_string_append (line, _("Restored"));
          else
            g_string_append_printf (line, "%s: %s → %s", crm_lead_field_label (field),
                                    crm_history_item_get_old_label (item),
                                    crm_history_item_get_new_label (item));
        }

      for (char *p = line->str; *p != '\0'; p++)
        if (*p == '\n' || *p == '\r')
          *p = ' ';
      g_string_append_c (line, '\n');
      _crm_cli_print (line->str);
    }
}

/* ------------------------------------------------------------------ table */

/* A table keeps its rows and prints them aligned (_crm_cli_table_add_row
 * and _crm_cli_table_print), or for long lists streams them: measure every
 * row first, then print the header and each row again, so that a million
 * rows never sit in memory. */
CrmCliTable *
_crm_cli_table_new (const char * const *headers,
                    const char         *alignment)
{
  CrmCliTable *table = g_new0 (CrmCliTable, 1);

  table->headers = g_strdupv ((char **) headers);
  table->n_columns = g_strv_length (table->headers);
  table->alignment = g_strdup (alignment);
  table->widths = g_new0 (guint, table->n_columns);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert (strlen (alignment) == table->n_columns);

  for (guint c = 0; c < table->n_columns; c++)
    table->widths[c] = display_width (table->headers[c]);

  return table;
}

static char **
make_row (CrmCliTable        *table,
          const char * const *cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);

  for (guint i = 0; i < table->n_columns; i++)
    row[i] = cell_text (cells[i]);

  return row;
}

static void
measure_row (CrmCliTable  *table,
             char        **row)
{
  for (guint c = 0; c < table->n_columns; c++)
    table->widths[c] = MAX (table->widths[c], display_width (row[c]));
}

static void
print_row (CrmCliTable  *table,
           char        **row)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < table->n_columns; c++)
    {
      if (c > 0)
        g_string_append (line, "  ");
      append_padded (line, row[c], table->widths[c], table->alignment[c] == 'r');
    }
  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
  g_string_append_c (line, '\n');
  _crm_cli_print (line->str);
}

void
_crm_cli_table_add_row (CrmCliTable        *table,
                        const char * const *cells)
{
  char **row = make_row (table, cells);

  measure_row (table, row);
  g_ptr_array_add (table->rows, row);
}

void
_crm_cli_table_measure_row (CrmCliTable        *table,
                            const char * const *cells)
{
  g_auto(GStrv) row = make_row (table, cells);

  measure_row (table, row);
}

void
_crm_cli_table_print_header (CrmCliTable *table)
{
  print_row (table, table->headers);
}

void
_crm_cli_table_print_row (CrmCliTable        *table,
                          const char * const *cells)
{
  g_auto(GStrv) row = make_row (table, cells);

  print_row (table, row);
}

void
_crm_cli_table_print (CrmCliTable *table)
{
  _crm_cli_table_print_header (table);
  for (guint r = 0; r < table->rows->len; r++)
    print_row (table, g_ptr_array_index (table->rows, r));
}

void
_crm_cli_table_free (CrmCliTable *table)
{
  if (table == NULL)
    return;

  g_strfreev (table->headers);
  g_free (table->alignment);
  g_free (table->widths);
  g_ptr_array_unref (table->rows);
  g_free (table);
}
