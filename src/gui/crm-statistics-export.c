/* crm-statistics-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Statistics view's export ("stats.export-table"): a table is the
 * shown CrmStats result written by crm_csv_append_stats() (the same CSV
 * as `leadsctl stats --format csv`), never the text on screen.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-csv.h"
#include "crm-statistics-view-private.h"
#include "crm-window.h"

/* ---------------------------------------------------------------- helpers */

static void
report_error (GtkWidget    *widget,
              const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (CRM_IS_WINDOW (root))
    crm_window_show_error (CRM_WINDOW (root), error);
  else
    g_message ("Statistics: %s", error->message);
}

static void
report_saved (GtkWidget *widget,
              GFile     *file)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = NULL;

  if (!CRM_IS_WINDOW (root))
    return;

  /* TRANSLATORS: toast after an export, "“funnel.png” saved" */
  title = g_strdup_printf (_("“%s” saved"), name);
  crm_window_add_toast (CRM_WINDOW (root), adw_toast_new (title));
}

static int
table_index (const char *id)
{
  for (guint i = 0; i < N_TABLES; i++)
    if (g_strcmp0 (crm_statistics_tables[i].id, id) == 0)
      return i;

  return -1;
}

/* ------------------------------------------------------------- public API */

/**
 * crm_statistics_view_export_table:
 * @by: which table
 * @file: where to write the CSV
 *
 * Writes the table as shown (the last result) as CSV.
 */
gboolean
crm_statistics_view_export_table (CrmStatisticsView  *self,
                                  CrmStatsBy          by,
                                  GFile              *file,
                                  GError            **error)
{
  CrmStats *stats;
  g_autoptr(GString) csv = g_string_new (NULL);

  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  stats = crm_statistics_view_get_stats (self, by);
  if (stats == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The statistics are still being counted; try again in a moment."));
      return FALSE;
    }

  crm_csv_append_stats (csv, stats);
  return g_file_replace_contents (file, csv->str, csv->len, NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

/* --------------------------------------------------------- export table */

static void
on_table_file_response_cb (GtkNativeDialog *chooser,
                           int              response,
                           gpointer         user_data)
{
  CrmStatisticsView *self = CRM_STATISTICS_VIEW (user_data);
  int table = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "crm-table"));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (!crm_statistics_view_export_table (self, crm_statistics_tables[table].by, file, &error))
        report_error (GTK_WIDGET (self), error);
      else
        report_saved (GTK_WIDGET (self), file);
    }

  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_table_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  int table = table_index (g_variant_get_string (parameter, NULL));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (table < 0)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Table as CSV"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* TRANSLATORS: the suggested file name of a table export; %s is "status", "phase" or "month" */
  name = g_strdup_printf (_("statistics-by-%s.csv"), crm_statistics_tables[table].id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data (G_OBJECT (chooser), "crm-table", GINT_TO_POINTER (table));
  g_signal_connect (chooser, "response", G_CALLBACK (on_table_file_response_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---------------------------------------------------------------- setup */

void
_crm_statistics_export_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "stats.export-table", "s", export_table_action);
}
