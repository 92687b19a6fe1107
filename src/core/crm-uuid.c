/* crm-uuid.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Record UUIDs are version 7 (RFC 9562): 48 bits of Unix time in
 * milliseconds, then a 12-bit counter that keeps ids made in the same
 * millisecond in order (started at a random value below half its range),
 * then 62 random bits. They sort by the time they were made, so the
 * unique uuid indexes of the local cache and of the server grow at their
 * right edge: a sync page of records made one after another touches a
 * few index pages instead of one random page per row (docs/benchmarks.md,
 * "Initial sync"). Written as lower-case 8-4-4-4-12 hex, like every other
 * UUID the protocol carries; older records keep their version 4 ids.
 */

#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include "crm-uuid.h"

static char *
format (const guint8 b[16])
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/**
 * crm_uuid_new_at:
 * @unix_ms: the time of the id, in milliseconds since 1970
 *
 * Returns: (transfer full): a version 7 UUID for @unix_ms; ids made by
 *   one process sort in the order they were made, even within a
 *   millisecond or when the clock steps back.
 */
char *
crm_uuid_new_at (gint64 unix_ms)
{
  static GMutex lock;
  static gint64 last_ms = -1;
  static guint counter;
  guint8 b[16];
  guint32 r1 = g_random_int (), r2 = g_random_int ();
  guint64 ms;

  g_mutex_lock (&lock);
  if (unix_ms <= last_ms)
    {
      /* the same millisecond (or the clock went back): count on */
      if (++counter > 0xfff)
        {
          last_ms++;
          counter = g_random_int_range (0, 0x800);
        }
    }
  else
    {
      last_ms = unix_ms;
      counter = g_random_int_range (0, 0x800);
    }
  ms = (guint64) MAX (last_ms, 0) & G_GUINT64_CONSTANT (0xffffffffffff);
  b[6] = 0x70 | ((counter >> 8) & 0x0f);
  b[7] = counter & 0xff;
  g_mutex_unlock (&lock);

  for (guint i = 0; i < 6; i++)
    b[i] = (ms >> (40 - 8 * i)) & 0xff;
  b[8] = 0x80 | (r1 & 0x3f);          /* variant 10 */
  b[9] = (r1 >> 8) & 0xff;
  b[10] = (r1 >> 16) & 0xff;
  b[11] = (r1 >> 24) & 0xff;
  b[12] = r2 & 0xff;
  b[13] = (r2 >> 8) & 0xff;
  b[14] = (r2 >> 16) & 0xff;
  b[15] = (r2 >> 24) & 0xff;

  return format (b);
}

/**
 * crm_uuid_new:
 *
 * Returns: (transfer full): a new version 7 UUID for now
 */
char *
crm_uuid_new (void)
{
  return crm_uuid_new_at (g_get_real_time () / 1000);
}
