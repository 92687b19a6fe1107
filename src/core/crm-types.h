/* crm-types.h: forward declarations of the GTK-free types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _CrmActivity     CrmActivity;
typedef struct _CrmContact      CrmContact;
typedef struct _CrmHistoryItem  CrmHistoryItem;
typedef struct _CrmKeyValue     CrmKeyValue;
typedef struct _CrmLead         CrmLead;
typedef struct _CrmLeadFilter   CrmLeadFilter;
typedef struct _CrmStats        CrmStats;
typedef struct _CrmStore        CrmStore;
typedef struct _CrmLeadListModel CrmLeadListModel;

/* Months are counted as year * 12 + (month - 1); 0 means "no month". */
typedef gint32 CrmMonth;
#define CRM_MONTH_NONE 0

G_END_DECLS
