/* crm-exchange-rates-group.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_EXCHANGE_RATES_GROUP (crm_exchange_rates_group_get_type ())

G_DECLARE_FINAL_TYPE (CrmExchangeRatesGroup, crm_exchange_rates_group, CRM, EXCHANGE_RATES_GROUP, AdwPreferencesGroup)

void   crm_exchange_rates_group_set_store  (CrmExchangeRatesGroup *self,
                                            CrmStore              *store);
void   crm_exchange_rates_group_refresh    (CrmExchangeRatesGroup *self);
guint  crm_exchange_rates_group_get_n_rows (CrmExchangeRatesGroup *self);

G_END_DECLS
