/* crm-protocol-error.h: error codes of the sync protocol and its envelope
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRM_PROTOCOL_ERROR (crm_protocol_error_quark ())

/* The first block are the wire codes of docs/sync-protocol.md, in order;
 * the second block are the specific reasons a body (a request on the
 * server, a reply on the client) is refused. All of the second block
 * travel as 400 "bad_request". */
typedef enum {
  CRM_PROTOCOL_ERROR_BAD_REQUEST,
  CRM_PROTOCOL_ERROR_UNAUTHORIZED,
  CRM_PROTOCOL_ERROR_BAD_CREDENTIALS,
  CRM_PROTOCOL_ERROR_DISABLED,
  CRM_PROTOCOL_ERROR_FORBIDDEN,
  CRM_PROTOCOL_ERROR_NOT_FOUND,
  CRM_PROTOCOL_ERROR_MUTATION_GAP,
  CRM_PROTOCOL_ERROR_CLIENT_MISMATCH,
  CRM_PROTOCOL_ERROR_TOO_LARGE,
  CRM_PROTOCOL_ERROR_UPGRADE_REQUIRED,
  CRM_PROTOCOL_ERROR_RATE_LIMITED,
  CRM_PROTOCOL_ERROR_INTERNAL,
  CRM_PROTOCOL_ERROR_UNAVAILABLE,

  CRM_PROTOCOL_ERROR_MALFORMED,      /* not JSON, or not the expected shape */
  CRM_PROTOCOL_ERROR_MISSING,        /* a required member is missing */
  CRM_PROTOCOL_ERROR_WRONG_TYPE,     /* a member has the wrong JSON type */
  CRM_PROTOCOL_ERROR_BAD_UUID,       /* not a lower-case 36-character UUID */
  CRM_PROTOCOL_ERROR_TOO_LONG,       /* a string or array over its limit */
  CRM_PROTOCOL_ERROR_INVALID_VALUE,  /* right type, value not allowed */
  CRM_PROTOCOL_ERROR_UNKNOWN,        /* a reply with a code this client does not know */
} CrmProtocolError;

GQuark            crm_protocol_error_quark       (void);
const char       *crm_protocol_error_code        (CrmProtocolError  error);
guint             crm_protocol_error_http_status (CrmProtocolError  error);
CrmProtocolError  crm_protocol_error_from_code   (const char       *code);

char             *crm_protocol_envelope_build    (CrmProtocolError  error,
                                                  const char       *message);
char             *crm_protocol_envelope_from_error (const GError   *error,
                                                  guint            *http_status);
void              crm_protocol_envelope_parse    (guint             http_status,
                                                  const char       *body,
                                                  gsize             length,
                                                  GError          **error);

JsonObject       *crm_protocol_parse_object      (const char       *body,
                                                  gsize             length,
                                                  GError          **error);
char             *crm_protocol_to_string         (JsonNode         *node);
char             *crm_protocol_object_to_string  (JsonObject       *object);

G_END_DECLS
