/* crm-ui-test.h: what the GUI test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

gboolean    crm_ui_test_init     (int          *argc,
                                  char       ***argv,
                                  const char   *name);
const char *crm_ui_test_tmp_dir  (void);
gboolean    crm_ui_test_skip_without_display (void);
int         crm_ui_test_run      (void);

/* Spins the default main context until @condition (@data) holds, at most
 * @timeout_ms; returns whether it holds. Any pointer-argument function. */
typedef gboolean (*CrmUiTestCondition) (gpointer data);
gboolean    crm_ui_test_wait_until (CrmUiTestCondition  condition,
                                    gpointer            data,
                                    guint               timeout_ms);
void        crm_ui_test_spin       (void);
GtkButton  *crm_ui_test_find_button (GtkWidget         *widget,
                                     const char        *label);
gpointer    crm_ui_test_template_child (gpointer        widget,
                                        GType           type,
                                        const char     *name);

G_END_DECLS
