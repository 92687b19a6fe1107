/* crm-money.h: money as integer minor units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest volume accepted: 10^15 minor units (10 trillion EUR),
 * so that volume × 100 (probability) and sums of a million of them stay
 * far inside gint64. */
#define CRM_MONEY_MAX_MINOR G_GINT64_CONSTANT (1000000000000000)

gboolean  crm_money_parse            (const char  *text,
                                      const char  *currency,
                                      char         decimal_point,
                                      gint64      *out_minor,
                                      GError     **error);
char     *crm_money_format           (gint64       minor,
                                      const char  *currency);
char     *crm_money_format_plain     (gint64       minor,
                                      const char  *currency,
                                      char         decimal_point);
char     *crm_money_decorate         (const char  *plain,
                                      const char  *suffix,
                                      const char  *currency,
                                      char         decimal_point,
                                      gboolean     negative);
gint64    crm_money_power_of_ten     (guint        exponent);
gint64    crm_money_divide_round     (gint64       numerator,
                                      gint64       denominator);
gint64    crm_money_weighted         (gint64       volume_minor,
                                      int          probability);
char      crm_money_locale_decimal_point (void);

/* Exchange rates: company-currency units one unit of a foreign currency
 * is worth, as an integer scaled by 10^6 ("1.0825" -> 1082500). */
#define CRM_RATE_SCALE     G_GINT64_CONSTANT (1000000)
#define CRM_RATE_DECIMALS  6
#define CRM_RATE_MAX       (G_GINT64_CONSTANT (1000000) * CRM_RATE_SCALE)

gboolean  crm_money_parse_rate       (const char  *text,
                                      gint64      *out_micros,
                                      GError     **error);
char     *crm_money_format_rate      (gint64       micros,
                                      char         decimal_point);

G_END_DECLS
