/* crm-style.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 reads a widget's colours only through the (deprecated in 4.10)
 * style context: gtk_widget_get_color() is 4.10. These two wrappers are
 * the only callers, so the move to the newer API is one file. Named
 * colours (libadwaita's @accent_color, our @leads_chart_* in
 * ui/style.css) follow the dark and high-contrast styles.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include "crm-style.h"

/* The widget's foreground (CSS `color`). */
void
crm_style_get_color (GtkWidget *widget,
                     GdkRGBA   *out_color)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), out_color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* A named colour (@define-color) as the widget's style resolves it now. */
gboolean
crm_style_lookup_color (GtkWidget  *widget,
                        const char *name,
                        GdkRGBA    *out_color)
{
  gboolean found;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  found = gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, out_color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  return found;
}
