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

/* Where a record stands with the team server (see docs/architecture.md, Sync). */
typedef enum {
  CRM_RECORD_SYNC_LOCAL_ONLY,   /* never sent: the database is not bound to a server */
  CRM_RECORD_SYNC_PENDING,      /* changed here, in the outbox */
  CRM_RECORD_SYNC_SYNCED,       /* equal to the server's state as far as known */
  CRM_RECORD_SYNC_CONFLICT,     /* has an open conflict or rejection */
} CrmRecordSyncState;

/* Months are counted as year * 12 + (month - 1); 0 means "no month". */
typedef gint32 CrmMonth;
#define CRM_MONTH_NONE 0

G_END_DECLS
