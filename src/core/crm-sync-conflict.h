/* crm-sync-conflict.h: a conflict or rejection from sync, for the Sync issues page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRM_TYPE_SYNC_CONFLICT (crm_sync_conflict_get_type ())

G_DECLARE_FINAL_TYPE (CrmSyncConflict, crm_sync_conflict, CRM, SYNC_CONFLICT, GObject)

const char *crm_sync_conflict_get_uuid        (CrmSyncConflict *self);
const char *crm_sync_conflict_get_kind        (CrmSyncConflict *self);
const char *crm_sync_conflict_get_record_type (CrmSyncConflict *self);
const char *crm_sync_conflict_get_record_uuid (CrmSyncConflict *self);
gint64      crm_sync_conflict_get_lead_id     (CrmSyncConflict *self);
const char *crm_sync_conflict_get_title       (CrmSyncConflict *self);
const char *crm_sync_conflict_get_field       (CrmSyncConflict *self);
const char *crm_sync_conflict_get_base        (CrmSyncConflict *self);
const char *crm_sync_conflict_get_kept        (CrmSyncConflict *self);
const char *crm_sync_conflict_get_yours       (CrmSyncConflict *self);
const char *crm_sync_conflict_get_kept_by     (CrmSyncConflict *self);
const char *crm_sync_conflict_get_yours_by    (CrmSyncConflict *self);
gint64      crm_sync_conflict_get_at          (CrmSyncConflict *self);
const char *crm_sync_conflict_get_reason      (CrmSyncConflict *self);
const char *crm_sync_conflict_get_message     (CrmSyncConflict *self);
gboolean    crm_sync_conflict_get_resolved    (CrmSyncConflict *self);
const char *crm_sync_conflict_get_resolution  (CrmSyncConflict *self);

G_END_DECLS
