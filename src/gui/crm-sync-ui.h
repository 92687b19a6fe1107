/* crm-sync-ui.h: words and dialogs about sync that several widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-sync-engine.h"

G_BEGIN_DECLS

char       *crm_sync_ui_format_when        (gint64          at,
                                            gint64          now);
char       *crm_sync_ui_describe_last_sync (gint64          last_sync,
                                            gint64          now);
const char *crm_sync_ui_state_icon         (CrmSyncState    state);
const char *crm_sync_ui_state_title        (CrmSyncState    state,
                                            guint           pending);
char       *crm_sync_ui_describe_pending   (guint           pending);
const char *crm_sync_ui_record_state_icon  (CrmRecordSyncState state);
const char *crm_sync_ui_record_state_text  (CrmRecordSyncState state);
gboolean    crm_sync_ui_has_module         (CrmSyncEngine  *engine,
                                            const char     *module);
void        crm_sync_ui_sync_now           (CrmSyncEngine  *engine);
void        crm_gui_confirm_logout         (GtkWindow      *parent,
                                            CrmSyncEngine  *engine);

G_END_DECLS
