/* crm-protocol-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every non-2xx answer carries one envelope,
 * {"error": {"code": "…", "message": "…"}}. The server turns a GError into
 * an envelope and an HTTP status; the client turns an envelope (or a reply
 * that is not one) back into a GError of this domain.
 */
#define G_LOG_DOMAIN "crm-protocol"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-core-error.h"
#include "crm-protocol-error.h"

G_DEFINE_QUARK (crm-protocol-error-quark, crm_protocol_error)

static const struct {
  const char *code;
  guint       status;
} codes[] = {
  [CRM_PROTOCOL_ERROR_BAD_REQUEST]      = { "bad_request", 400 },
  [CRM_PROTOCOL_ERROR_UNAUTHORIZED]     = { "unauthorized", 401 },
  [CRM_PROTOCOL_ERROR_BAD_CREDENTIALS]  = { "bad_credentials", 401 },
  [CRM_PROTOCOL_ERROR_DISABLED]         = { "disabled", 403 },
  [CRM_PROTOCOL_ERROR_FORBIDDEN]        = { "forbidden", 403 },
  [CRM_PROTOCOL_ERROR_NOT_FOUND]        = { "not_found", 404 },
  [CRM_PROTOCOL_ERROR_MUTATION_GAP]     = { "mutation_gap", 409 },
  [CRM_PROTOCOL_ERROR_CLIENT_MISMATCH]  = { "client_mismatch", 409 },
  [CRM_PROTOCOL_ERROR_TOO_LARGE]        = { "too_large", 413 },
  [CRM_PROTOCOL_ERROR_UPGRADE_REQUIRED] = { "upgrade_required", 426 },
  [CRM_PROTOCOL_ERROR_RATE_LIMITED]     = { "rate_limited", 429 },
  [CRM_PROTOCOL_ERROR_INTERNAL]         = { "internal", 500 },
  [CRM_PROTOCOL_ERROR_UNAVAILABLE]      = { "unavailable", 503 },
  [CRM_PROTOCOL_ERROR_MALFORMED]        = { "bad_request", 400 },
  [CRM_PROTOCOL_ERROR_MISSING]          = { "bad_request", 400 },
  [CRM_PROTOCOL_ERROR_WRONG_TYPE]       = { "bad_request", 400 },
  [CRM_PROTOCOL_ERROR_BAD_UUID]         = { "bad_request", 400 },
  [CRM_PROTOCOL_ERROR_TOO_LONG]         = { "bad_request", 400 },
  [CRM_PROTOCOL_ERROR_INVALID_VALUE]    = { "bad_request", 400 },
  [CRM_PROTOCOL_ERROR_UNKNOWN]          = { "internal", 500 },
};

const char *
crm_protocol_error_code (CrmProtocolError error)
{
  if ((guint) error >= G_N_ELEMENTS (codes))
    return "internal";
  return codes[error].code;
}

guint
crm_protocol_error_http_status (CrmProtocolError error)
{
  if ((guint) error >= G_N_ELEMENTS (codes))
    return 500;
  return codes[error].status;
}

/* The wire codes map to the first block only. */
CrmProtocolError
crm_protocol_error_from_code (const char *code)
{
  for (guint i = 0; i <= CRM_PROTOCOL_ERROR_UNAVAILABLE; i++)
    if (g_strcmp0 (codes[i].code, code) == 0)
      return i;
  return CRM_PROTOCOL_ERROR_UNKNOWN;
}

char *
crm_protocol_envelope_build (CrmProtocolError  error,
                             const char       *message)
{
  g_autoptr(JsonObject) inner = json_object_new ();
  g_autoptr(JsonObject) outer = json_object_new ();

  json_object_set_string_member (inner, "code", crm_protocol_error_code (error));
  json_object_set_string_member (inner, "message", message != NULL ? message : "");
  json_object_set_object_member (outer, "error", g_steal_pointer (&inner));

  return crm_protocol_object_to_string (outer);
}

/**
 * crm_protocol_envelope_from_error:
 * @http_status: (out): the status to answer with
 *
 * Errors of this domain keep their code; a domain validation error
 * (CRM_CORE_ERROR) is a bad request; anything else is an internal fault
 * whose message is not shown to the client.
 */
char *
crm_protocol_envelope_from_error (const GError *error,
                                  guint        *http_status)
{
  CrmProtocolError code = CRM_PROTOCOL_ERROR_INTERNAL;
  const char *message = error->message;

  if (error->domain == CRM_PROTOCOL_ERROR)
    code = error->code;
  else if (error->domain == CRM_CORE_ERROR)
    code = CRM_PROTOCOL_ERROR_BAD_REQUEST;
  else
    message = "internal server error";

  if (http_status != NULL)
    *http_status = crm_protocol_error_http_status (code);

  return crm_protocol_envelope_build (code, message);
}

/**
 * crm_protocol_envelope_parse:
 *
 * Always sets @error: from the envelope when the body is one, otherwise
 * from the HTTP status alone.
 */
void
crm_protocol_envelope_parse (guint        http_status,
                             const char  *body,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  JsonObject *inner = NULL;
  JsonNode *node;

  if (body != NULL && length > 0)
    root = crm_protocol_parse_object (body, length, NULL);
  if (root != NULL && (node = json_object_get_member (root, "error")) != NULL &&
      JSON_NODE_HOLDS_OBJECT (node))
    inner = json_node_get_object (node);

  if (inner != NULL &&
      (node = json_object_get_member (inner, "code")) != NULL &&
      JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *code = json_node_get_string (node);
      const char *message = NULL;

      if ((node = json_object_get_member (inner, "message")) != NULL &&
          JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        message = json_node_get_string (node);

      g_set_error (error, CRM_PROTOCOL_ERROR, crm_protocol_error_from_code (code),
                   "%s", message != NULL && *message != '\0' ? message : code);
      return;
    }

  switch (http_status)
    {
    case 400: g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_BAD_REQUEST, _("The server refused the request (HTTP %u)"), http_status); break;
    case 401: g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNAUTHORIZED, _("Not logged in to the server (HTTP %u)"), http_status); break;
    case 403: g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_FORBIDDEN, _("Not allowed by the server (HTTP %u)"), http_status); break;
    case 404: g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_NOT_FOUND, _("The server does not know this address (HTTP %u)"), http_status); break;
    case 413: g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_TOO_LARGE, _("The request is too large for the server (HTTP %u)"), http_status); break;
    case 429: g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_RATE_LIMITED, _("The server asks to wait (HTTP %u)"), http_status); break;
    case 502:
    case 503:
    case 504: g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNAVAILABLE, _("The server is not available (HTTP %u)"), http_status); break;
    default:  g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNKNOWN, _("Unexpected answer from the server (HTTP %u)"), http_status); break;
    }
}

/* A body that must be one JSON object. */
JsonObject *
crm_protocol_parse_object (const char  *body,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (body == NULL || length == 0)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MALFORMED,
                   _("The body is empty; expected a JSON object"));
      return NULL;
    }
  if (length > G_MAXSSIZE || !g_utf8_validate_len (body, length, NULL))
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MALFORMED,
                   _("The body is not valid UTF-8"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, body, (gssize) length, &local_error))
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MALFORMED,
                   _("The body is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MALFORMED,
                   _("The body is not a JSON object"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

char *
crm_protocol_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
crm_protocol_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return crm_protocol_to_string (node);
}
