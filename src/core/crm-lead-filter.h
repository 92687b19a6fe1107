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

/* Which statuses by class: any, the open ones, the won ones, the lost
 * ones. The single status key in `status` and the set of status keys in
 * `statuses` narrow it further (all three must hold). */
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
  char           **statuses;       /* status keys; NULL or empty: any */
  char            *phase;
  char            *owner;
  char            *unit;
  char            *lead_type;
  gint64           contact_id;
  CrmMonth         close_from;
  CrmMonth         close_to;
  gboolean         no_close_month; /* only leads without a close month */
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
void           crm_lead_filter_set_statuses (CrmLeadFilter      *self,
                                            const char * const  *statuses);
gboolean       crm_lead_filter_has_statuses (const CrmLeadFilter *self);
const char    *crm_lead_sort_to_string     (CrmLeadSort          sort);
gboolean       crm_lead_sort_from_string   (const char          *name,
                                            CrmLeadSort         *out_sort);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmLeadFilter, crm_lead_filter_free)

G_END_DECLS
