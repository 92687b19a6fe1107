/* crm-currency.h: ISO 4217 currency codes and their minor units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean     crm_currency_is_valid    (const char *code);
guint        crm_currency_exponent    (const char *code);
const char  *crm_currency_symbol      (const char *code);
const char * const *crm_currency_list (void);

G_END_DECLS
