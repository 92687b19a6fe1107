/* crm-history-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-history-item.h"

G_BEGIN_DECLS

#define CRM_TYPE_HISTORY_ROW (crm_history_row_get_type ())

G_DECLARE_FINAL_TYPE (CrmHistoryRow, crm_history_row, CRM, HISTORY_ROW, GtkListBoxRow)

GtkWidget *crm_history_row_new (CrmHistoryItem *item,
                                gboolean        show_lead);

G_END_DECLS
