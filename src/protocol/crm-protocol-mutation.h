/* crm-protocol-mutation.h: mutations, push requests and their results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRM_PROTOCOL_MAX_PUSH_MUTATIONS 100
#define CRM_PROTOCOL_MAX_PUSH_BYTES     (1024 * 1024)
#define CRM_PROTOCOL_MAX_BODY_BYTES     (4 * 1024 * 1024)
#define CRM_PROTOCOL_MAX_EVENTS         100
#define CRM_PROTOCOL_MAX_ACTIVITIES     100   /* per lead.history */

typedef enum {
  CRM_PROTOCOL_OUTCOME_APPLIED,
  CRM_PROTOCOL_OUTCOME_PARTIAL,
  CRM_PROTOCOL_OUTCOME_CONFLICT,
  CRM_PROTOCOL_OUTCOME_REJECTED,
} CrmProtocolOutcome;

typedef struct {
  gint64      id;
  char       *name;
  gint64      at;
  JsonObject *args;
} CrmProtocolMutation;

typedef struct {
  gint64              id;
  CrmProtocolOutcome  outcome;
  char               *reason;     /* nullable: forbidden, validation, deleted, not_found */
  char               *message;    /* nullable */
  GStrv               conflicts;  /* fields not applied; never NULL */
  gint64              rev;        /* the record's rev after the mutation, 0 if none */
  gboolean            duplicate;
} CrmProtocolResult;

const char          *crm_protocol_outcome_to_string     (CrmProtocolOutcome outcome);

gboolean             crm_protocol_mutation_name_is_valid (const char      *name);
CrmProtocolMutation *crm_protocol_mutation_new          (gint64           id,
                                                         const char      *name,
                                                         gint64           at,
                                                         JsonObject      *args);
void                 crm_protocol_mutation_free         (CrmProtocolMutation *mutation);
JsonObject          *crm_protocol_mutation_to_json      (const CrmProtocolMutation *mutation);
CrmProtocolMutation *crm_protocol_mutation_parse        (JsonObject      *object,
                                                         const char      *path,
                                                         GError         **error);
gboolean             crm_protocol_mutation_args_validate (const char     *name,
                                                         JsonObject      *args,
                                                         const char      *path,
                                                         GError         **error);

char                *crm_protocol_push_request_build    (const char      *client_id,
                                                         GPtrArray       *mutations);
gboolean             crm_protocol_push_request_parse    (const char      *body,
                                                         gsize            length,
                                                         char           **client_id,
                                                         GPtrArray      **mutations,
                                                         GError         **error);

CrmProtocolResult   *crm_protocol_result_new            (gint64           id,
                                                         CrmProtocolOutcome outcome);
void                 crm_protocol_result_free           (CrmProtocolResult *result);
JsonObject          *crm_protocol_result_to_json        (const CrmProtocolResult *result);
CrmProtocolResult   *crm_protocol_result_parse          (JsonObject      *object,
                                                         const char      *path,
                                                         GError         **error);
gboolean             crm_protocol_push_response_parse   (const char      *body,
                                                         gsize            length,
                                                         GPtrArray      **results,
                                                         gint64          *last_mutation_id,
                                                         GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmProtocolMutation, crm_protocol_mutation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmProtocolResult, crm_protocol_result_free)

G_END_DECLS
