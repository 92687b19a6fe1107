/* crm-statistics-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Statistics view's export and print ("stats.export-chart",
 * "stats.export-table", "stats.print"). Nothing here is a screenshot:
 *
 * - a chart is rendered by the chart library's own export (the same
 *   layout and paint code the widgets use) at the size the user picks,
 *   as PNG, SVG or PDF;
 * - a table is the shown CrmStats result written by crm_csv_append_stats()
 *   (the same CSV as `leadsctl stats --format csv`);
 * - printing lays out one page: title, filters, both charts (painted by
 *   the same code onto the print context's Cairo context) and the three
 *   tables (status and phase beside the months), scaled down as a whole
 *   when the months make it too tall.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-chart-export.h"
#include "crm-chart-paint.h"
#include "crm-csv.h"
#include "crm-lead-filter-bar.h"
#include "crm-month.h"
#include "crm-statistics-view-private.h"
#include "crm-window.h"

/* ---------------------------------------------------------------- helpers */

static const char *chart_formats[] = { "png", "svg", "pdf" };

/* A failure the user can act on, as the window's toast. */
void
_crm_statistics_report_error (GtkWidget    *widget,
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

static gboolean
chart_kind_from_string (const char   *name,
                        CrmChartKind *out_kind)
{
  if (g_strcmp0 (name, "funnel") == 0)
    *out_kind = CRM_CHART_FUNNEL;
  else if (g_strcmp0 (name, "forecast") == 0)
    *out_kind = CRM_CHART_FORECAST;
  else
    return FALSE;

  return TRUE;
}

static void
chart_data (CrmStatisticsView *self,
            CrmChartKind       kind,
            CrmChartData      *data)
{
  data->kind = kind;
  data->phases = _crm_statistics_view_get_query (self, QUERY_FUNNEL);
  data->open = _crm_statistics_view_get_query (self, QUERY_OPEN);
  data->won = _crm_statistics_view_get_query (self, QUERY_WON);
  _crm_statistics_view_get_forecast_range (self, &data->from, &data->to);
}

static PangoFontDescription *
widget_font (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);

  return pango_font_description_copy (pango_context_get_font_description (context));
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

/**
 * crm_statistics_view_export_chart:
 * @chart: "funnel" or "forecast"
 * @path: the file; its extension (.png, .svg, .pdf) is the format
 * @width: pixels (PNG) or points (SVG, PDF)
 *
 * Renders the chart with the figures shown, by the chart library's paint
 * code (light palette, the widget's font).
 */
gboolean
crm_statistics_view_export_chart (CrmStatisticsView  *self,
                                  const char         *chart,
                                  const char         *path,
                                  int                 width,
                                  int                 height,
                                  GError            **error)
{
  CrmChartData data = { 0 };
  CrmChartPalette palette;
  CrmChartKind kind;
  g_autoptr(PangoFontDescription) font = NULL;

  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!chart_kind_from_string (chart, &kind))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No chart named “%s”"), chart);
      return FALSE;
    }

  chart_data (self, kind, &data);
  if (data.phases == NULL || data.open == NULL || data.won == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The statistics are still being counted; try again in a moment."));
      return FALSE;
    }

  crm_chart_palette_init_light (&palette);
  font = widget_font (GTK_WIDGET (self));
  return crm_chart_export (&data, path, width, height, &palette, font, error);
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
        _crm_statistics_report_error (GTK_WIDGET (self), error);
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

/* --------------------------------------------------------- export chart */

typedef struct {
  CrmStatisticsView *self;
  char              *chart;
  guint              format;
  int                width;
  int                height;
} ChartExport;

static void
chart_export_free (ChartExport *export)
{
  g_clear_object (&export->self);
  g_free (export->chart);
  g_free (export);
}

static void
on_chart_file_response_cb (GtkNativeDialog *chooser,
                           int              response,
                           gpointer         user_data)
{
  ChartExport *export = user_data;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *with_suffix = NULL;

      /* the format chosen decides; add its extension when it is missing */
      if (path != NULL && !g_str_has_suffix (path, chart_formats[export->format]))
        {
          with_suffix = g_strdup_printf ("%s.%s", path, chart_formats[export->format]);
          g_clear_object (&file);
          file = g_file_new_for_path (with_suffix);
        }

      if (path == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("Charts can only be saved to a local file."));
      else
        crm_statistics_view_export_chart (export->self, export->chart,
                                          with_suffix ? with_suffix : path,
                                          export->width, export->height, &error);

      if (error != NULL)
        _crm_statistics_report_error (GTK_WIDGET (export->self), error);
      else
        report_saved (GTK_WIDGET (export->self), file);
    }

  g_object_unref (chooser);
  chart_export_free (export);
}

static void
on_chart_dialog_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             gpointer          user_data)
{
  ChartExport *export = user_data;
  GtkDropDown *format = g_object_get_data (G_OBJECT (dialog), "crm-format");
  GtkSpinButton *width = g_object_get_data (G_OBJECT (dialog), "crm-width");
  GtkSpinButton *height = g_object_get_data (G_OBJECT (dialog), "crm-height");
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "export") != 0)
    {
      chart_export_free (export);
      return;
    }

  export->format = MIN (gtk_drop_down_get_selected (format), G_N_ELEMENTS (chart_formats) - 1);
  export->width = gtk_spin_button_get_value_as_int (width);
  export->height = gtk_spin_button_get_value_as_int (height);

  chooser = gtk_file_chooser_native_new (_("Export Chart"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (export->self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_strdup_printf ("%s.%s", export->chart, chart_formats[export->format]);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chart_file_response_cb), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
size_spin (int         value,
           const char *label)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (CRM_CHART_MIN_SIZE, CRM_CHART_MAX_SIZE, 10);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return spin;
}

static void
grid_row (GtkGrid    *grid,
          int         row,
          const char *text,
          GtkWidget  *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, widget, 1, row, 1, 1);
}

/* A small dialog (format, width, height), then the file chooser. */
static void
export_chart_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  const char *chart = g_variant_get_string (parameter, NULL);
  static const char *format_names[] = { N_("PNG image"), N_("SVG drawing"), N_("PDF document") };
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);
  ChartExport *export;
  CrmChartKind kind;
  GtkWidget *dialog, *grid, *format, *width, *height;

  if (!chart_kind_from_string (chart, &kind))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    gtk_string_list_append (formats, g_dgettext (GETTEXT_PACKAGE, format_names[i]));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   kind == CRM_CHART_FUNNEL ? _("Export the Funnel") : _("Export the Forecast"),
                                   _("Width and height are pixels for PNG and points for SVG and PDF."));
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  format = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (formats)), NULL);
  width = size_spin (1200, _("Width"));
  height = size_spin (kind == CRM_CHART_FUNNEL ? 800 : 600, _("Height"));
  grid_row (GTK_GRID (grid), 0, _("_Format"), format);
  grid_row (GTK_GRID (grid), 1, _("_Width"), width);
  grid_row (GTK_GRID (grid), 2, _("_Height"), height);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("_Choose File…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "export");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  export = g_new0 (ChartExport, 1);
  export->self = g_object_ref (CRM_STATISTICS_VIEW (widget));
  export->chart = g_strdup (chart);
  g_object_set_data (G_OBJECT (dialog), "crm-format", format);
  g_object_set_data (G_OBJECT (dialog), "crm-width", width);
  g_object_set_data (G_OBJECT (dialog), "crm-height", height);
  g_signal_connect (dialog, "response", G_CALLBACK (on_chart_dialog_response_cb), export);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------- print */

#define PRINT_GAP 12.0

static double
print_text (cairo_t                    *cr,
            PangoLayout                *layout,
            const char                 *text,
            const PangoFontDescription *font,
            double                      x,
            double                      y,
            double                      width,
            PangoAlignment              alignment)
{
  int text_height;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &text_height);

  return (double) text_height / PANGO_SCALE;
}

/* One table: its title, a header, one line per row and the total. Returns
 * the height used. */
static double
print_table (cairo_t                    *cr,
             PangoLayout                *layout,
             CrmStats                   *stats,
             guint                       table,
             const PangoFontDescription *font,
             const PangoFontDescription *bold,
             const PangoFontDescription *heading,
             double                      x,
             double                      y,
             double                      width)
{
  static const char *headers[] = { NULL, N_("Leads"), N_("Volume"), N_("Weighted") };
  const double shares[N_TABLE_COLUMNS] = { 0.26, 0.14, 0.30, 0.30 };
  guint n_rows = crm_stats_get_n_rows (stats);
  double top = y;

  y += print_text (cr, layout, g_dgettext (GETTEXT_PACKAGE, crm_statistics_tables[table].title), heading,
                   x, y, width, PANGO_ALIGN_LEFT) + 2;

  for (guint r = 0; r <= n_rows + 1; r++)
    {
      const CrmStatsRow *row = NULL;
      double cx = x;
      double line = 0;

      if (r > 0)
        row = r <= n_rows ? crm_stats_get_row (stats, r - 1) : crm_stats_get_total (stats);
      if (r == n_rows + 1)
        {
          cairo_rectangle (cr, x, y, width, 0.5);
          cairo_fill (cr);
        }

      for (guint c = 0; c < N_TABLE_COLUMNS; c++)
        {
          g_autofree char *text = NULL;
          double w = width * shares[c];

          if (row == NULL)
            text = g_strdup (g_dgettext (GETTEXT_PACKAGE, c == 0 ? crm_statistics_tables[table].group_title : headers[c]));
          else
            text = _crm_statistics_format_cell (stats, row, c);
          line = MAX (line, print_text (cr, layout, text, r == 0 || r == n_rows + 1 ? bold : font,
                                        cx, y, w - 4, c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT));
          cx += w;
        }
      y += line + 1;
    }

  return y - top;
}

typedef struct {
  CrmStatisticsView *self;
  char              *summary;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_object (&job->self);
  g_free (job->summary);
  g_free (job);
}

/* Draws the report at @width and returns its height. */
static double
draw_report (PrintJob *job,
             cairo_t  *cr,
             double    width)
{
  CrmStatisticsView *self = job->self;
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 7");
  g_autoptr(PangoFontDescription) bold = pango_font_description_from_string ("Sans Bold 7");
  g_autoptr(PangoFontDescription) title = pango_font_description_from_string ("Sans Bold 14");
  g_autoptr(PangoFontDescription) table_title = pango_font_description_from_string ("Sans Bold 9");
  PangoContext *context = pango_layout_get_context (layout);
  CrmChartPalette palette;
  CrmChartData data = { 0 };
  double y = 0, chart_width = (width - PRINT_GAP) / 2, chart_height = chart_width * 0.7;
  double table_width = (width - PRINT_GAP) / 2, left_height;
  g_autofree char *heading = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%x");

  crm_chart_palette_init_light (&palette);
  chart_data (self, CRM_CHART_FUNNEL, &data);

  cairo_set_source_rgb (cr, 0, 0, 0);
  /* TRANSLATORS: the title of the printed report, with the date */
  heading = g_strdup_printf (_("Statistics, %s"), date);
  y += print_text (cr, layout, heading, title, 0, y, width, PANGO_ALIGN_LEFT) + 2;
  y += print_text (cr, layout, job->summary, font, 0, y, width, PANGO_ALIGN_LEFT) + PRINT_GAP;

  {
    g_autoptr(CrmFunnelLayout) funnel = crm_funnel_layout_new (data.phases, chart_width, chart_height, context, font);
    g_autoptr(CrmForecastLayout) forecast = crm_forecast_layout_new (data.open, data.won, data.from, data.to,
                                                                     chart_width, chart_height, context, font);

    cairo_save (cr);
    cairo_translate (cr, 0, y);
    crm_funnel_paint (funnel, cr, &palette, -1);
    cairo_translate (cr, chart_width + PRINT_GAP, 0);
    crm_forecast_paint (forecast, cr, &palette, -1, CRM_FORECAST_PART_OPEN);
    cairo_restore (cr);
    y += chart_height + PRINT_GAP;
  }

  /* status and phase on the left, the (longer) months on the right */
  cairo_set_source_rgb (cr, 0, 0, 0);
  left_height = print_table (cr, layout, _crm_statistics_view_get_query (self, QUERY_STATUS), QUERY_STATUS,
                             font, bold, table_title, 0, y, table_width) + PRINT_GAP;
  left_height += print_table (cr, layout, _crm_statistics_view_get_query (self, QUERY_PHASE), QUERY_PHASE,
                              font, bold, table_title, 0, y + left_height, table_width);
  y += MAX (left_height,
            print_table (cr, layout, _crm_statistics_view_get_query (self, QUERY_MONTH), QUERY_MONTH,
                         font, bold, table_title, table_width + PRINT_GAP, y, table_width));

  return y;
}

static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   gpointer           user_data)
{
  gtk_print_operation_set_n_pages (operation, 1);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_nr,
                 gpointer           user_data)
{
  PrintJob *job = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *measure = cairo_create (recording);
  double needed;

  /* a first pass on a recording surface measures the height */
  needed = draw_report (job, measure, width);
  cairo_destroy (measure);
  cairo_surface_destroy (recording);

  /* one page: shrink everything when the months make it too tall */
  if (needed > height)
    {
      double scale = height / needed;

      cairo_scale (cr, scale, scale);
      width /= scale;
    }

  draw_report (job, cr, width);
}

/**
 * crm_statistics_view_print:
 * @export_path: (nullable): write a PDF there without a dialog (tests)
 *
 * Prints the one-page report of the figures shown.
 */
gboolean
crm_statistics_view_print (CrmStatisticsView  *self,
                           const char         *export_path,
                           GError            **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;
  PrintJob *job;

  g_return_val_if_fail (CRM_IS_STATISTICS_VIEW (self), FALSE);

  if (_crm_statistics_view_get_query (self, QUERY_WON) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The statistics are still being counted; try again in a moment."));
      return FALSE;
    }

  job = g_new0 (PrintJob, 1);
  job->self = g_object_ref (self);
  job->summary = crm_lead_filter_bar_dup_summary (crm_statistics_view_get_filter_bar (self));

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, _("Statistics"));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), job);
  g_object_set_data_full (G_OBJECT (operation), "crm-job", job, (GDestroyNotify) print_job_free);

  if (export_path != NULL)
    gtk_print_operation_set_export_filename (operation, export_path);

  result = gtk_print_operation_run (operation,
                                    export_path != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                                        : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), error);

  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_autoptr(GError) error = NULL;

  /* the shortcut is window-wide: only while the view is on screen */
  if (!gtk_widget_get_mapped (widget))
    return;

  if (!crm_statistics_view_print (CRM_STATISTICS_VIEW (widget), NULL, &error))
    _crm_statistics_report_error (widget, error);
}

/* ---------------------------------------------------------------- setup */

void
_crm_statistics_export_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "stats.export-chart", "s", export_chart_action);
  gtk_widget_class_install_action (widget_class, "stats.export-table", "s", export_table_action);
  gtk_widget_class_install_action (widget_class, "stats.print", NULL, print_action);
}
