/* bench-util.h: what the benchmarks in tools/ share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double bench_ms_since       (gint64         start);
int    bench_compare_double (gconstpointer  a,
                             gconstpointer  b);
double bench_median         (GArray        *samples);
double bench_percentile     (GArray        *samples,
                             double         p);

G_END_DECLS
