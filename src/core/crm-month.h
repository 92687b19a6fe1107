/* crm-month.h: calendar months ("2027-03")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "crm-types.h"

G_BEGIN_DECLS

CrmMonth  crm_month_new            (int          year,
                                    int          month);
int       crm_month_get_year       (CrmMonth     month);
int       crm_month_get_month      (CrmMonth     month);
CrmMonth  crm_month_add            (CrmMonth     month,
                                    int          n_months);
CrmMonth  crm_month_current        (void);
gboolean  crm_month_parse          (const char  *text,
                                    CrmMonth    *out_month,
                                    GError     **error);
char     *crm_month_to_iso         (CrmMonth     month);
char     *crm_month_format         (CrmMonth     month);

G_END_DECLS
