/* crm-lead-filter.h: which leads to show, and in which order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "crm-types.h"

G_BEGIN_DECLS

typedef enum {
  CRM_LEAD_SORT_TITLE,
  CRM_LEAD_SORT_CONTACT,
  CRM_LEAD_SORT_PHASE,
  CRM_LEAD_SORT_STATUS,
  CRM_LEAD_SORT_VOLUME,
  CRM_LEAD_SORT_PROBABILITY,
  CRM_LEAD_SORT_WEIGHTED,
  CRM_LEAD_SORT_CLOSE_MONTH,
  CRM_LEAD_SORT_OWNER,
  CRM_LEAD_SORT_LAST_ACTIVITY,
  CRM_LEAD_SORT_UPDATED,
  CRM_LEAD_N_SORTS
} CrmLeadSort;

/* Which statuses: any, the open ones, the won ones, the lost ones, or
 * the single status key in `status`. */
typedef enum {
  CRM_STATUS_FILTER_ANY,
  CRM_STATUS_FILTER_OPEN,
  CRM_STATUS_FILTER_WON,
  CRM_STATUS_FILTER_LOST,
} CrmStatusFilter;

#define CRM_TYPE_LEAD_FILTER (crm_lead_filter_get_type ())

struct _CrmLeadFilter
{
  char            *search;
  CrmStatusFilter  status_class;
  char            *status;
  char            *phase;
  char            *owner;
  char            *unit;
  char            *lead_type;
  gint64           contact_id;
  CrmMonth         close_from;
  CrmMonth         close_to;
  CrmLeadSort      sort;
  gboolean         descending;
};

GType          crm_lead_filter_get_type    (void) G_GNUC_CONST;
CrmLeadFilter *crm_lead_filter_new         (void);
CrmLeadFilter *crm_lead_filter_copy        (const CrmLeadFilter *self);
void           crm_lead_filter_free        (CrmLeadFilter       *self);
gboolean       crm_lead_filter_equal       (const CrmLeadFilter *a,
                                            const CrmLeadFilter *b);
gboolean       crm_lead_filter_is_empty    (const CrmLeadFilter *self);
void           crm_lead_filter_set_string  (char               **field,
                                            const char          *value);
const char    *crm_lead_sort_to_string     (CrmLeadSort          sort);
gboolean       crm_lead_sort_from_string   (const char          *name,
                                            CrmLeadSort         *out_sort);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmLeadFilter, crm_lead_filter_free)

G_END_DECLS
