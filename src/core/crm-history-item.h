/* crm-history-item.h: one entry of a lead or contact history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "crm-types.h"

G_BEGIN_DECLS

#define CRM_TYPE_HISTORY_ITEM (crm_history_item_get_type ())

G_DECLARE_FINAL_TYPE (CrmHistoryItem, crm_history_item, CRM, HISTORY_ITEM, GObject)

CrmHistoryItem *crm_history_item_new (void);
const char *crm_history_item_get_kind (CrmHistoryItem *self);
gint64 crm_history_item_get_at (CrmHistoryItem *self);
const char *crm_history_item_get_author (CrmHistoryItem *self);
gint64 crm_history_item_get_lead_id (CrmHistoryItem *self);
const char *crm_history_item_get_lead_title (CrmHistoryItem *self);
const char *crm_history_item_get_field (CrmHistoryItem *self);
const char *crm_history_item_get_old_value (CrmHistoryItem *self);
const char *crm_history_item_get_new_value (CrmHistoryItem *self);
const char *crm_history_item_get_old_label (CrmHistoryItem *self);
const char *crm_history_item_get_new_label (CrmHistoryItem *self);
gint64 crm_history_item_get_activity_id (CrmHistoryItem *self);
const char *crm_history_item_get_report_kind (CrmHistoryItem *self);
const char *crm_history_item_get_report_kind_label (CrmHistoryItem *self);
const char *crm_history_item_get_subject (CrmHistoryItem *self);
const char *crm_history_item_get_text (CrmHistoryItem *self);
int crm_history_item_get_probability (CrmHistoryItem *self);
const char *crm_history_item_get_phase (CrmHistoryItem *self);
const char *crm_history_item_get_phase_label (CrmHistoryItem *self);
gboolean crm_history_item_is_report (CrmHistoryItem *self);

G_END_DECLS
