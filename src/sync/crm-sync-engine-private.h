/* crm-sync-engine-private.h: test hooks of the sync engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests/sync/test-sync-auto.c only: automatic mode on a fast clock
 * with seeded jitter, and what it has scheduled, so that a test asserts
 * the order and number of rounds and each delay against
 * crm_sync_backoff_delay(), never how long anything took.
 */
#pragma once

#include "crm-sync-engine.h"

G_BEGIN_DECLS

void  _crm_sync_engine_set_test_clock (CrmSyncEngine *self,
                                       guint          ms_per_second,
                                       guint32        seed);
guint _crm_sync_engine_get_scheduled  (CrmSyncEngine *self);
guint _crm_sync_engine_get_rounds     (CrmSyncEngine *self);

G_END_DECLS
