/* crm-protocol.h: the sync protocol (docs/sync-protocol.md), shared by
 * leads-server and the app's sync engine. No GTK, no SQLite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-protocol-error.h"
#include "crm-protocol-mutation.h"
#include "crm-protocol-page.h"
#include "crm-protocol-record.h"

#define CRM_PROTOCOL_VERSION 1
