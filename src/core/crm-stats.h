/* crm-stats.h: the result of a statistic (by status, by phase, by month)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contract between the store (which computes statistics), the charts,
 * the Statistics view and `leadsctl stats`: they all consume this one
 * result type, so they agree to the cent. Definitions (docs/architecture.md,
 * "Statistics"):
 * - absolute = Σ volume; weighted = Σ(volume × probability) / 100, summed
 *   exactly and rounded half away from zero once per group;
 * - every figure is in the result's currency (the company currency); leads
 *   in another currency are converted with the exchange-rate table, exactly
 *   (rational arithmetic, one rounding per group); leads whose currency has
 *   no rate are NOT in any row: they are listed in the result's
 *   unconverted entries, per currency, in their own currency.
 */
#pragma once

#include <glib-object.h>

#include "crm-types.h"

G_BEGIN_DECLS

typedef enum {
  CRM_STATS_BY_STATUS,
  CRM_STATS_BY_PHASE,
  CRM_STATS_BY_MONTH,
} CrmStatsBy;

/* One group (one table row, one funnel band, one forecast bar). */
typedef struct {
  char     *key;             /* status or phase key; "YYYY-MM"; "" = no close month */
  char     *label;           /* what the user reads */
  CrmMonth  month;           /* CRM_STATS_BY_MONTH: the month, or CRM_MONTH_NONE */
  gint64    count;           /* converted leads in the group */
  gint64    absolute_minor;  /* in the result's currency */
  gint64    weighted_minor;  /* in the result's currency, rounded once */
} CrmStatsRow;

/* Leads of one currency that has no exchange rate: never counted in rows. */
typedef struct {
  char     currency[4];
  gint64   count;
  gint64   absolute_minor;   /* in that currency */
} CrmStatsUnconverted;

#define CRM_TYPE_STATS (crm_stats_get_type ())

G_DECLARE_FINAL_TYPE (CrmStats, crm_stats, CRM, STATS, GObject)

CrmStats            *crm_stats_new                (CrmStatsBy      by,
                                                   const char     *currency);
CrmStatsBy           crm_stats_get_by             (CrmStats       *self);
const char          *crm_stats_get_currency       (CrmStats       *self);
/* Rows in display order: statuses in key-value order, phases in phase
 * order, months ascending with the "no close month" row last. */
guint                crm_stats_get_n_rows         (CrmStats       *self);
const CrmStatsRow   *crm_stats_get_row            (CrmStats       *self,
                                                   guint           index);
const CrmStatsRow   *crm_stats_lookup_row         (CrmStats       *self,
                                                   const char     *key);
/* The total row: key "", label "Total"; weighted rounded once over all
 * converted leads (so it may differ from the sum of the rounded rows). */
const CrmStatsRow   *crm_stats_get_total          (CrmStats       *self);
guint                crm_stats_get_n_unconverted  (CrmStats       *self);
const CrmStatsUnconverted *crm_stats_get_unconverted (CrmStats    *self,
                                                   guint           index);

/* Building a result (the store; tests). */
void                 crm_stats_append_row         (CrmStats       *self,
                                                   const CrmStatsRow *row);
void                 crm_stats_set_total          (CrmStats       *self,
                                                   const CrmStatsRow *total);
void                 crm_stats_append_unconverted (CrmStats       *self,
                                                   const CrmStatsUnconverted *entry);

const char          *crm_stats_by_to_string       (CrmStatsBy      by);
gboolean             crm_stats_by_from_string     (const char     *name,
                                                   CrmStatsBy     *out_by);

G_END_DECLS
