/* crm-sync-error.h: why a sync did not happen, in terms a user can act on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_SYNC_ERROR (crm_sync_error_quark ())

typedef enum {
  CRM_SYNC_ERROR_NOT_LOGGED_IN,     /* no server or no token: log in */
  CRM_SYNC_ERROR_OFFLINE,           /* the server cannot be reached */
  CRM_SYNC_ERROR_AUTH,              /* 401: log in again */
  CRM_SYNC_ERROR_DISABLED,          /* 403 disabled: the account is deactivated */
  CRM_SYNC_ERROR_FORBIDDEN,         /* 403 forbidden: no leads module */
  CRM_SYNC_ERROR_UPGRADE,           /* 426: update the app */
  CRM_SYNC_ERROR_BUSY,              /* 429 / 503: the server asks to wait */
  CRM_SYNC_ERROR_SERVER,            /* 5xx, unexpected answers */
  CRM_SYNC_ERROR_MALFORMED,         /* a reply that could not be read: nothing applied */
  CRM_SYNC_ERROR_BAD_CREDENTIALS,   /* login: wrong login or password */
  CRM_SYNC_ERROR_NO_SECRET_SERVICE, /* no keyring to keep the token in */
  CRM_SYNC_ERROR_LOCAL,             /* the local database refused */
  CRM_SYNC_ERROR_CANCELLED,
  CRM_SYNC_ERROR_TLS,               /* the server's certificate is not trusted */
  CRM_SYNC_ERROR_TOO_LARGE,         /* 413 for one mutation alone: not retried */
} CrmSyncError;

GQuark   crm_sync_error_quark        (void);
gboolean crm_sync_error_is_transient (const GError *error);

G_END_DECLS
