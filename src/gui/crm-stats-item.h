/* crm-stats-item.h: one row of a statistics table, as a list item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-stats.h"

G_BEGIN_DECLS

#define CRM_TYPE_STATS_ITEM (crm_stats_item_get_type ())

G_DECLARE_FINAL_TYPE (CrmStatsItem, crm_stats_item, CRM, STATS_ITEM, GObject)

CrmStatsItem      *crm_stats_item_new        (CrmStats     *stats,
                                              guint         index);
CrmStatsItem      *crm_stats_item_new_total  (CrmStats     *stats);
CrmStats          *crm_stats_item_get_stats  (CrmStatsItem *self);
const CrmStatsRow *crm_stats_item_get_row    (CrmStatsItem *self);
gboolean           crm_stats_item_is_total   (CrmStatsItem *self);
void               crm_stats_item_set        (CrmStatsItem *self,
                                              CrmStats     *stats,
                                              guint         index);
void               crm_stats_item_list_update (GListStore  *list,
                                              CrmStats     *stats);

G_END_DECLS
