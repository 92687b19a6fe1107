/* crm-sync-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backoff schedule of automatic sync, as a pure function of the
 * number of failures so far, the server's Retry-After and a random
 * generator (seeded in tests), so that it can be tested on its own and
 * the engine's timers can be checked against it.
 */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include "crm-sync-backoff.h"

/**
 * crm_sync_backoff_delay:
 * @failures: transient failures in a row before this one (0: the first)
 * @retry_after: seconds the server asked to wait, 0: none
 * @rand: where the jitter comes from (one draw per call)
 *
 * Exponential backoff with jitter: the base doubles from
 * %CRM_SYNC_FIRST_BACKOFF_S with each failure up to
 * %CRM_SYNC_MAX_BACKOFF_S; the delay is drawn uniformly from
 * [base / 2, base] (so that many clients that failed together do not
 * come back together), and is never shorter than @retry_after (itself at
 * most %CRM_SYNC_MAX_BACKOFF_S).
 *
 * Returns: seconds until the next round
 */
guint
crm_sync_backoff_delay (guint  failures,
                        guint  retry_after,
                        GRand *rand)
{
  guint base = MIN ((guint) CRM_SYNC_FIRST_BACKOFF_S << MIN (failures, 10u), (guint) CRM_SYNC_MAX_BACKOFF_S);
  guint delay = base / 2 + (guint) g_rand_int_range (rand, 0, (gint32) (base / 2 + 1));

  return MAX (delay, MIN (retry_after, (guint) CRM_SYNC_MAX_BACKOFF_S));
}
