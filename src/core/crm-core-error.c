/* crm-core-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include "crm-core-error.h"

G_DEFINE_QUARK (crm-core-error-quark, crm_core_error)
