/* crm-stats-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView needs a GListModel of objects: each item points at one
 * row of an (immutable) CrmStats result, or at its total row. The figures
 * are never copied, so a table shows exactly what the store computed.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <gio/gio.h>

#include "crm-stats-item.h"

#define TOTAL G_MAXUINT

struct _CrmStatsItem
{
  GObject   parent_instance;

  CrmStats *stats;
  guint     index;   /* TOTAL for the total row */
};

G_DEFINE_FINAL_TYPE (CrmStatsItem, crm_stats_item, G_TYPE_OBJECT)

static void
crm_stats_item_finalize (GObject *object)
{
  CrmStatsItem *self = CRM_STATS_ITEM (object);

  g_clear_object (&self->stats);

  G_OBJECT_CLASS (crm_stats_item_parent_class)->finalize (object);
}

static void
crm_stats_item_class_init (CrmStatsItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_stats_item_finalize;
}

static void
crm_stats_item_init (CrmStatsItem *self)
{
}

CrmStatsItem *
crm_stats_item_new (CrmStats *stats,
                    guint     index)
{
  CrmStatsItem *self;

  g_return_val_if_fail (CRM_IS_STATS (stats), NULL);
  g_return_val_if_fail (index < crm_stats_get_n_rows (stats) || index == TOTAL, NULL);

  self = g_object_new (CRM_TYPE_STATS_ITEM, NULL);
  self->stats = g_object_ref (stats);
  self->index = index;

  return self;
}

CrmStatsItem *
crm_stats_item_new_total (CrmStats *stats)
{
  return crm_stats_item_new (stats, TOTAL);
}

CrmStats *
crm_stats_item_get_stats (CrmStatsItem *self)
{
  g_return_val_if_fail (CRM_IS_STATS_ITEM (self), NULL);

  return self->stats;
}

const CrmStatsRow *
crm_stats_item_get_row (CrmStatsItem *self)
{
  g_return_val_if_fail (CRM_IS_STATS_ITEM (self), NULL);

  if (self->index == TOTAL)
    return crm_stats_get_total (self->stats);

  return crm_stats_get_row (self->stats, self->index);
}

gboolean
crm_stats_item_is_total (CrmStatsItem *self)
{
  g_return_val_if_fail (CRM_IS_STATS_ITEM (self), FALSE);

  return self->index == TOTAL;
}

/* The rows of @stats in order, then its total row. */
GListModel *
crm_stats_item_list_new (CrmStats *stats)
{
  GListStore *list = g_list_store_new (CRM_TYPE_STATS_ITEM);
  guint n = crm_stats_get_n_rows (stats);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n + 1, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, crm_stats_item_new (stats, i));
  g_ptr_array_add (items, crm_stats_item_new_total (stats));
  g_list_store_splice (list, 0, 0, items->pdata, items->len);

  return G_LIST_MODEL (list);
}
