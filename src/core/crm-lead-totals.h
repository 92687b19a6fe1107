/* crm-lead-totals.h: count and volume sums of a set of leads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  char   currency[4];
  gint64 count;
  gint64 absolute_minor;
  gint64 weighted_minor;   /* Σ(volume × probability) / 100, rounded once */
} CrmCurrencySum;

typedef struct {
  gint64  count;
  GArray *sums;            /* CrmCurrencySum, ordered by currency */
} CrmLeadTotals;

#define CRM_TYPE_LEAD_TOTALS (crm_lead_totals_get_type ())

GType          crm_lead_totals_get_type   (void) G_GNUC_CONST;
CrmLeadTotals *crm_lead_totals_new        (void);
CrmLeadTotals *crm_lead_totals_copy       (const CrmLeadTotals *self);
void           crm_lead_totals_free       (CrmLeadTotals       *self);
void           crm_lead_totals_add        (CrmLeadTotals       *self,
                                           const char          *currency,
                                           gint64               count,
                                           gint64               absolute_minor,
                                           gint64               volume_times_probability);
char          *crm_lead_totals_format_absolute (const CrmLeadTotals *self);
char          *crm_lead_totals_format_weighted (const CrmLeadTotals *self);
char          *crm_lead_totals_format_short   (const CrmLeadTotals *self,
                                               gboolean             weighted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmLeadTotals, crm_lead_totals_free)

G_END_DECLS
