/* crm-stats-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView needs a GListModel of objects: each item points at one
 * row of an (immutable) CrmStats result, or at its total row. The figures
 * are never copied, so a table shows exactly what the store computed.
 *
 * When new figures arrive for the same groups, the items stay and only
 * point at the new result (crm_stats_item_set(), which notifies "stats"):
 * the table then just relabels its cells instead of rebuilding its rows,
 * which keeps a refresh after an edit far below a frame.
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

enum {
  PROP_0,
  PROP_STATS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
crm_stats_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrmStatsItem *self = CRM_STATS_ITEM (object);

  switch (prop_id)
    {
    case PROP_STATS:
      g_value_set_object (value, self->stats);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

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
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_stats_item_finalize;
  object_class->get_property = crm_stats_item_get_property;

  properties[PROP_STATS] =
    g_param_spec_object ("stats", NULL, NULL, CRM_TYPE_STATS,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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

/* Points the item at row @index (or the total, G_MAXUINT) of @stats. */
void
crm_stats_item_set (CrmStatsItem *self,
                    CrmStats     *stats,
                    guint         index)
{
  g_return_if_fail (CRM_IS_STATS_ITEM (self));
  g_return_if_fail (CRM_IS_STATS (stats));
  g_return_if_fail (index < crm_stats_get_n_rows (stats) || index == TOTAL);

  if (self->stats == stats && self->index == index)
    return;

  g_set_object (&self->stats, stats);
  self->index = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS]);
}

/**
 * crm_stats_item_list_update:
 * @list: a GListStore of CrmStatsItem
 *
 * Makes @list the rows of @stats in order, then its total row. When the
 * groups are the same as before (the usual case after an edit), the items
 * stay and only notify; otherwise the list is replaced.
 */
void
crm_stats_item_list_update (GListStore *list,
                            CrmStats   *stats)
{
  guint n = crm_stats_get_n_rows (stats);
  guint old_n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autoptr(GPtrArray) items = NULL;
  gboolean same = old_n == n + 1;

  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(CrmStatsItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      same = !crm_stats_item_is_total (item) &&
             g_strcmp0 (crm_stats_item_get_row (item)->key, crm_stats_get_row (stats, i)->key) == 0;
    }

  if (same)
    {
      for (guint i = 0; i <= n; i++)
        {
          g_autoptr(CrmStatsItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

          crm_stats_item_set (item, stats, i < n ? i : TOTAL);
        }
      return;
    }

  items = g_ptr_array_new_full (n + 1, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, crm_stats_item_new (stats, i));
  g_ptr_array_add (items, crm_stats_item_new_total (stats));
  g_list_store_splice (list, 0, old_n, items->pdata, items->len);
}
