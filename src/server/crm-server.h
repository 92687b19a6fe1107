/* crm-server.h: leads-server's HTTP front (libsoup)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "crm-server-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_SERVER (crm_server_get_type ())

/* the smallest --max-body: an empty push and a login must still fit */
#define CRM_SERVER_MIN_BODY_BYTES 1024

G_DECLARE_FINAL_TYPE (CrmServer, crm_server, CRM, SERVER, GObject)

CrmServer  *crm_server_new            (CrmServerStore  *store);
gboolean    crm_server_listen         (CrmServer       *self,
                                       const char      *address,
                                       const char      *tls_cert,
                                       const char      *tls_key,
                                       GError         **error);
GSList     *crm_server_get_uris       (CrmServer       *self);
void        crm_server_begin_shutdown (CrmServer       *self);
gboolean    crm_server_get_drained    (CrmServer       *self);

G_END_DECLS
