/* crm-stats-ui.h: words about a statistic that several views share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-stats.h"

G_BEGIN_DECLS

char *crm_stats_ui_describe_unconverted (CrmStats *stats);
char *crm_stats_ui_dup_sums_tooltip     (CrmStats *stats);

G_END_DECLS
