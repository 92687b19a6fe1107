/* crm-csv.h: CSV (RFC 4180) for leadsctl and the app's exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "crm-stats.h"

G_BEGIN_DECLS

void  crm_csv_append_row    (GString            *out,
                             const char * const *cells);
void  crm_csv_append_stats  (GString            *out,
                             CrmStats           *stats);

G_END_DECLS
