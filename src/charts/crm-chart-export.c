/* crm-chart-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export renders the chart with the same layout and paint code as the
 * widget, onto a Cairo image, SVG or PDF surface chosen by the file's
 * extension. The output is built in memory and written with
 * g_file_replace_contents(), so a failed export leaves no half-written file
 * and the error names the file. Text is laid out with fixed font
 * options (grey antialiasing, no hinting) so a rendering does not depend
 * on the desktop's settings: the golden tests rely on that.
 */
#define G_LOG_DOMAIN "crm-charts"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "crm-chart-export.h"
#include "crm-chart-paint.h"
#include "crm-month.h"
#include "crm-stats.h"

G_DEFINE_QUARK (crm-chart-error-quark, crm_chart_error)

typedef enum {
  FORMAT_PNG,
  FORMAT_SVG,
  FORMAT_PDF,
} Format;

/* ------------------------------------------------------ auxiliary methods */

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static gboolean
format_from_path (const char  *path,
                  Format      *out_format,
                  GError     **error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *lower = g_ascii_strdown (base, -1);

  if (g_str_has_suffix (lower, ".png"))
    *out_format = FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *out_format = FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *out_format = FORMAT_PDF;
  else
    {
      g_set_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_FORMAT,
                   _("“%s” has no known image type; use a name ending in .png, .svg or .pdf"),
                   base);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_size (int          width,
            int          height,
            GError     **error)
{
  if (width < CRM_CHART_MIN_SIZE || width > CRM_CHART_MAX_SIZE)
    {
      g_set_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_WIDTH,
                   _("The width %d is out of range; use %d to %d"),
                   width, CRM_CHART_MIN_SIZE, CRM_CHART_MAX_SIZE);
      return FALSE;
    }

  if (height < CRM_CHART_MIN_SIZE || height > CRM_CHART_MAX_SIZE)
    {
      g_set_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_HEIGHT,
                   _("The height %d is out of range; use %d to %d"),
                   height, CRM_CHART_MIN_SIZE, CRM_CHART_MAX_SIZE);
      return FALSE;
    }

  return TRUE;
}

static void
draw (const CrmChartData         *data,
      cairo_t                    *cr,
      int                         width,
      int                         height,
      const CrmChartPalette      *palette,
      const PangoFontDescription *font)
{
  PangoContext *context = pango_cairo_create_context (cr);

  crm_chart_context_set_fixed_options (context);

  if (data->kind == CRM_CHART_FUNNEL)
    {
      g_autoptr(CrmFunnelLayout) layout =
        crm_funnel_layout_new (data->phases, width, height, context, font);

      crm_funnel_paint (layout, cr, palette, -1);
    }
  else
    {
      g_autoptr(CrmForecastLayout) layout =
        crm_forecast_layout_new (data->open, data->won, data->from, data->to,
                                 width, height, context, font);

      crm_forecast_paint (layout, cr, palette, -1, CRM_FORECAST_PART_OPEN);
    }

  g_object_unref (context);
}

/* ------------------------------------------------------------- public API */

/**
 * crm_chart_check_range:
 *
 * A forecast shows 1 to CRM_CHART_MAX_MONTHS months, @from before @to.
 */
gboolean
crm_chart_check_range (CrmMonth   from,
                       CrmMonth   to,
                       GError   **error)
{
  if (from == CRM_MONTH_NONE || to == CRM_MONTH_NONE || to < from)
    {
      g_autofree char *first = crm_month_to_iso (from);
      g_autofree char *last = crm_month_to_iso (to);

      g_set_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_RANGE,
                   _("The month range %s to %s is empty; the first month must not be after the last"),
                   first != NULL ? first : "?", last != NULL ? last : "?");
      return FALSE;
    }

  if (to - from + 1 > CRM_CHART_MAX_MONTHS)
    {
      g_set_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_RANGE,
                   _("The month range has %d months; a chart shows at most %d"),
                   (int) (to - from + 1), CRM_CHART_MAX_MONTHS);
      return FALSE;
    }

  return TRUE;
}

/**
 * crm_chart_check_output:
 *
 * What crm_chart_export() refuses before it draws: a file name that is
 * not .png, .svg or .pdf, a width or height outside
 * CRM_CHART_MIN_SIZE … CRM_CHART_MAX_SIZE.
 */
gboolean
crm_chart_check_output (const char  *path,
                        int          width,
                        int          height,
                        GError     **error)
{
  Format format;

  g_return_val_if_fail (path != NULL, FALSE);

  return format_from_path (path, &format, error) && check_size (width, height, error);
}

/**
 * crm_chart_export:
 * @path: the file; its extension (.png, .svg, .pdf) chooses the format
 * @width: pixels (PNG) or points (SVG, PDF)
 * @palette: (nullable): the colours; %NULL for the light palette
 * @font: (nullable): the labels' font; %NULL for "Sans 10"
 *
 * Nothing is written when the format, the size or the range is refused.
 */
gboolean
crm_chart_export (const CrmChartData         *data,
                  const char                 *path,
                  int                         width,
                  int                         height,
                  const CrmChartPalette      *palette,
                  const PangoFontDescription *font,
                  GError                    **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(PangoFontDescription) default_font = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) inner = NULL;
  CrmChartPalette light;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Format format;

  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data->kind != CRM_CHART_FUNNEL || CRM_IS_STATS (data->phases), FALSE);
  g_return_val_if_fail (data->kind != CRM_CHART_FORECAST ||
                        (CRM_IS_STATS (data->open) && CRM_IS_STATS (data->won)), FALSE);

  if (!crm_chart_check_output (path, width, height, error) ||
      !format_from_path (path, &format, NULL) ||
      (data->kind == CRM_CHART_FORECAST && !crm_chart_check_range (data->from, data->to, error)))
    return FALSE;

  if (palette == NULL)
    {
      crm_chart_palette_init_light (&light);
      palette = &light;
    }
  if (font == NULL)
    font = default_font = pango_font_description_from_string ("Sans 10");

  switch (format)
    {
    case FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    case FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (append_to_array, bytes, width, height);
      break;
    case FORMAT_PDF:
    default:
      surface = cairo_pdf_surface_create_for_stream (append_to_array, bytes, width, height);
      break;
    }

  cr = cairo_create (surface);
  draw (data, cr, width, height, palette, font);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_to_array, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  display = g_filename_display_name (path);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CRM_CHART_ERROR, CRM_CHART_ERROR_WRITE,
                   _("Could not draw the chart for “%s”: %s"),
                   display, cairo_status_to_string (status));
      return FALSE;
    }

  /* written to a temporary file and renamed: never half a file; GIO's
   * message names the file and the reason */
  file = g_file_new_for_path (path);
  if (!g_file_replace_contents (file, (const char *) bytes->data, bytes->len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &inner))
    {
      g_set_error_literal (error, CRM_CHART_ERROR, CRM_CHART_ERROR_WRITE, inner->message);
      return FALSE;
    }

  return TRUE;
}
