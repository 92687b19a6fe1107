/* crm-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The result of one statistic: its rows in display order, a total row and
 * the currencies that could not be converted. An immutable value once the
 * store has built it; see crm-stats.h for the definitions every consumer
 * (tables, charts, leadsctl) shares.
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include <string.h>

#include "crm-stats.h"

/* ---------------------------------------------------------------- structs */

struct _CrmStats
{
  GObject     parent_instance;

  CrmStatsBy  by;
  char        currency[4];
  GArray     *rows;           /* CrmStatsRow, owning key and label */
  CrmStatsRow total;
  GArray     *unconverted;    /* CrmStatsUnconverted */
};

G_DEFINE_FINAL_TYPE (CrmStats, crm_stats, G_TYPE_OBJECT)

/* ------------------------------------------------------ auxiliary methods */

static void
row_copy_into (CrmStatsRow       *dest,
               const CrmStatsRow *src)
{
  *dest = *src;
  dest->key = g_strdup (src->key != NULL ? src->key : "");
  dest->label = g_strdup (src->label != NULL ? src->label : "");
}

static void
row_clear (gpointer data)
{
  CrmStatsRow *row = data;

  g_clear_pointer (&row->key, g_free);
  g_clear_pointer (&row->label, g_free);
}

/* -------------------------------------------------------------- overrides */

static void
crm_stats_finalize (GObject *object)
{
  CrmStats *self = CRM_STATS (object);

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->unconverted, g_array_unref);
  row_clear (&self->total);

  G_OBJECT_CLASS (crm_stats_parent_class)->finalize (object);
}

static void
crm_stats_class_init (CrmStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_stats_finalize;
}

static void
crm_stats_init (CrmStats *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (CrmStatsRow));
  g_array_set_clear_func (self->rows, row_clear);
  self->unconverted = g_array_new (FALSE, TRUE, sizeof (CrmStatsUnconverted));
  self->total.key = g_strdup ("");
  self->total.label = g_strdup ("");
}

/* ------------------------------------------------------------- public API */

CrmStats *
crm_stats_new (CrmStatsBy  by,
               const char *currency)
{
  CrmStats *self;

  g_return_val_if_fail (currency != NULL && strlen (currency) == 3, NULL);

  self = g_object_new (CRM_TYPE_STATS, NULL);
  self->by = by;
  memcpy (self->currency, currency, 3);
  self->currency[3] = '\0';

  return self;
}

CrmStatsBy
crm_stats_get_by (CrmStats *self)
{
  g_return_val_if_fail (CRM_IS_STATS (self), CRM_STATS_BY_STATUS);

  return self->by;
}

const char *
crm_stats_get_currency (CrmStats *self)
{
  g_return_val_if_fail (CRM_IS_STATS (self), NULL);

  return self->currency;
}

guint
crm_stats_get_n_rows (CrmStats *self)
{
  g_return_val_if_fail (CRM_IS_STATS (self), 0);

  return self->rows->len;
}

const CrmStatsRow *
crm_stats_get_row (CrmStats *self,
                   guint     index)
{
  g_return_val_if_fail (CRM_IS_STATS (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return &g_array_index (self->rows, CrmStatsRow, index);
}

const CrmStatsRow *
crm_stats_lookup_row (CrmStats   *self,
                      const char *key)
{
  g_return_val_if_fail (CRM_IS_STATS (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const CrmStatsRow *row = &g_array_index (self->rows, CrmStatsRow, i);

      if (g_strcmp0 (row->key, key) == 0)
        return row;
    }

  return NULL;
}

const CrmStatsRow *
crm_stats_get_total (CrmStats *self)
{
  g_return_val_if_fail (CRM_IS_STATS (self), NULL);

  return &self->total;
}

guint
crm_stats_get_n_unconverted (CrmStats *self)
{
  g_return_val_if_fail (CRM_IS_STATS (self), 0);

  return self->unconverted->len;
}

const CrmStatsUnconverted *
crm_stats_get_unconverted (CrmStats *self,
                           guint     index)
{
  g_return_val_if_fail (CRM_IS_STATS (self), NULL);
  g_return_val_if_fail (index < self->unconverted->len, NULL);

  return &g_array_index (self->unconverted, CrmStatsUnconverted, index);
}

void
crm_stats_append_row (CrmStats          *self,
                      const CrmStatsRow *row)
{
  CrmStatsRow copy;

  g_return_if_fail (CRM_IS_STATS (self));
  g_return_if_fail (row != NULL);

  row_copy_into (&copy, row);
  g_array_append_val (self->rows, copy);
}

void
crm_stats_set_total (CrmStats          *self,
                     const CrmStatsRow *total)
{
  g_return_if_fail (CRM_IS_STATS (self));
  g_return_if_fail (total != NULL);

  row_clear (&self->total);
  row_copy_into (&self->total, total);
}

void
crm_stats_append_unconverted (CrmStats                  *self,
                              const CrmStatsUnconverted *entry)
{
  g_return_if_fail (CRM_IS_STATS (self));
  g_return_if_fail (entry != NULL);

  g_array_append_vals (self->unconverted, entry, 1);
}

const char *
crm_stats_by_to_string (CrmStatsBy by)
{
  switch (by)
    {
    case CRM_STATS_BY_STATUS: return "status";
    case CRM_STATS_BY_PHASE:  return "phase";
    case CRM_STATS_BY_MONTH:  return "month";
    default:                  g_return_val_if_reached (NULL);
    }
}

gboolean
crm_stats_by_from_string (const char *name,
                          CrmStatsBy *out_by)
{
  static const CrmStatsBy all[] = { CRM_STATS_BY_STATUS, CRM_STATS_BY_PHASE, CRM_STATS_BY_MONTH };

  g_return_val_if_fail (out_by != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      if (g_strcmp0 (name, crm_stats_by_to_string (all[i])) == 0)
        {
          *out_by = all[i];
          return TRUE;
        }
    }

  return FALSE;
}
