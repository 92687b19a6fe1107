/* crm-server-store-private.h: what the store's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "crm-server-store.h"

G_BEGIN_DECLS

/* One SQLite connection with its cache of prepared statements. */
typedef struct {
  sqlite3    *db;
  GHashTable *stmts;   /* SQL text -> sqlite3_stmt (crm_sqlite_statements_new) */
  gboolean    in_write; /* the writer, between _writer_begin and _writer_commit */
  gint64      seq;      /* in_write: the last seq handed out, 0: not read yet */
} CrmServerDb;

struct _CrmServerStore
{
  GObject      parent_instance;

  char        *path;
  char        *epoch;
  gint64       token_ttl;     /* seconds */

  GMutex       writer_lock;   /* one writer at a time */
  CrmServerDb *writer;
  GMutex       readers_lock;
  GPtrArray   *readers;       /* idle reader connections */

  /* pushes go through one writer thread (group commit) */
  GAsyncQueue *push_queue;
  GThread     *writer_thread; /* started by the first push */
  GMutex       push_lock;     /* guards writer_thread and writer_stopped */
  gboolean     writer_stopped; /* closing: no push is taken any more */

  /* WAL checkpoints run in a thread of their own, not in the commit */
  GThread     *checkpoint_thread;
  GMutex       checkpoint_lock;
  GCond        checkpoint_cond;
  gboolean     checkpoint_wanted;
  gboolean     checkpoint_stop;
};

sqlite3_stmt *_crm_server_db_prepare   (CrmServerDb   *db,
                                        const char    *sql,
                                        GError       **error);
gboolean      _crm_server_db_exec      (CrmServerDb   *db,
                                        const char    *sql,
                                        GError       **error);
gboolean      _crm_server_db_run       (CrmServerDb   *db,
                                        const char    *sql,
                                        GError       **error);
gboolean      _crm_server_db_step_done (CrmServerDb   *db,
                                        sqlite3_stmt  *stmt,
                                        GError       **error);
void          _crm_server_db_set_error (CrmServerDb   *db,
                                        GError       **error);
gint64        _crm_server_db_query_int (CrmServerDb   *db,
                                        const char    *sql,
                                        const char    *param1,
                                        const char    *param2,
                                        gint64         fallback);

CrmServerDb  *_crm_server_store_writer_begin (CrmServerStore *self,
                                              GError        **error);
gboolean      _crm_server_store_writer_commit (CrmServerStore *self,
                                               gboolean        commit,
                                               GError        **error);
CrmServerDb  *_crm_server_store_reader_take  (CrmServerStore *self,
                                              GError        **error);
void          _crm_server_store_reader_give  (CrmServerStore *self,
                                              CrmServerDb    *db);

gint64        _crm_server_touch        (CrmServerDb   *db,
                                        const char    *type,
                                        const char    *key,
                                        GError       **error);
CrmServerUser *_crm_server_user_read   (CrmServerDb   *db,
                                        const char    *where,
                                        const char    *value,
                                        gint64         id,
                                        GError       **error);
gint64        _crm_server_last_mutation_id (CrmServerDb *db,
                                            const char  *client_id);

void          _crm_server_crash_point  (const char    *point);
void          _crm_server_store_stop_writer (CrmServerStore *self);

G_END_DECLS
