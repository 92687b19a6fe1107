/* crm-protocol-page.h: pull requests, pull pages and cursors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "crm-protocol-record.h"

G_BEGIN_DECLS

#define CRM_PROTOCOL_DEFAULT_PULL_ROWS 500
#define CRM_PROTOCOL_MAX_PULL_ROWS     5000
/* What the app and leadsctl ask for: every page is one local transaction,
 * and a transaction writes each index page it touched once, so fewer,
 * larger pages write less (half the WAL writes of 500-row pages for an
 * initial sync; a parsed page of 2000 rows is about 10 MB). */
#define CRM_PROTOCOL_CLIENT_PULL_ROWS  2000
/* A server keeps a page near 2 MiB; a client refuses replies above this. */
#define CRM_PROTOCOL_MAX_REPLY_BYTES   (64 * 1024 * 1024)

typedef struct {
  CrmRecordType  type;
  gboolean       evict;
  gint64         seq;
  JsonObject    *data;
} CrmProtocolRow;

typedef struct {
  GPtrArray  *rows;              /* CrmProtocolRow, in seq order */
  char       *cursor;
  char       *epoch;             /* of the cursor */
  gint64      seq;               /* of the cursor */
  gboolean    has_more;
  gint64      last_mutation_id;
  gboolean    reset;
} CrmProtocolPage;

char            *crm_protocol_cursor_format        (const char   *epoch,
                                                    gint64        seq);
gboolean         crm_protocol_cursor_parse         (const char   *cursor,
                                                    char        **epoch,
                                                    gint64       *seq,
                                                    GError      **error);

char            *crm_protocol_pull_request_build   (const char   *client_id,
                                                    const char   *cursor,
                                                    guint         limit);
gboolean         crm_protocol_pull_request_parse   (const char   *body,
                                                    gsize         length,
                                                    char        **client_id,
                                                    char        **cursor,
                                                    guint        *limit,
                                                    GError      **error);

const char      *crm_protocol_row_key_member       (CrmRecordType type);
gboolean         crm_protocol_reply_size_check     (gsize         length,
                                                    GError      **error);
CrmProtocolPage *crm_protocol_page_parse           (const char   *body,
                                                    gsize         length,
                                                    GError      **error);
void             crm_protocol_page_free            (CrmProtocolPage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmProtocolPage, crm_protocol_page_free)

G_END_DECLS
