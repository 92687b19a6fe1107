/* crm-style.h: the one place that reads colours from the widget's style
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void      crm_style_get_color     (GtkWidget  *widget,
                                   GdkRGBA    *out_color);
gboolean  crm_style_lookup_color  (GtkWidget  *widget,
                                   const char *name,
                                   GdkRGBA    *out_color);

G_END_DECLS
