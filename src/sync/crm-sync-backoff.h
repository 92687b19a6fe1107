/* crm-sync-backoff.h: how long automatic sync waits after failures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_SYNC_FIRST_BACKOFF_S 5
#define CRM_SYNC_MAX_BACKOFF_S   (15 * 60)

guint crm_sync_backoff_delay (guint  failures,
                              guint  retry_after,
                              GRand *rand);

G_END_DECLS
