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
int         crm_ui_test_run      (void);

G_END_DECLS
