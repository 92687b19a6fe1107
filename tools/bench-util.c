/* bench-util.c: what the benchmarks in tools/ share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "leads-bench"

#include "config.h"

#include "bench-util.h"

/* Milliseconds since START, a g_get_monotonic_time () value. */
double
bench_ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
bench_compare_double (gconstpointer a,
                      gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median of SAMPLES (doubles); 0 for none. */
double
bench_median (GArray *samples)
{
  g_autoptr(GArray) sorted = g_array_copy (samples);
  guint n = sorted->len;

  if (n == 0)
    return 0;
  g_array_sort (sorted, bench_compare_double);
  if (n % 2)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

/* The P-th percentile (nearest rank) of SAMPLES (doubles); 0 for none. */
double
bench_percentile (GArray *samples,
                  double  p)
{
  g_autoptr(GArray) sorted = g_array_copy (samples);
  guint rank;

  if (sorted->len == 0)
    return 0;
  g_array_sort (sorted, bench_compare_double);
  rank = (guint) (p / 100.0 * sorted->len + 0.999999);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}
