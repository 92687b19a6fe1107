/* crm-sqlite.h: the SQLite plumbing the app's store and leads-server share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/**
 * CrmSqliteErrorFunc:
 * @error: (out) (optional): where the caller's error goes
 * @db: the connection that failed
 * @rc: the SQLite result code
 * @what: what was being done (an SQL text or a short phrase)
 *
 * Turns a failed SQLite call into an error of the caller's own domain,
 * so every store keeps its error codes.
 */
typedef void (*CrmSqliteErrorFunc) (GError     **error,
                                    sqlite3     *db,
                                    int          rc,
                                    const char  *what);

/**
 * CrmSqliteMigratedFunc:
 * @number: the migration just applied
 *
 * Runs inside the migration's transaction, after its SQL and the new
 * user_version: what a migration needs besides SQL (seeding in the
 * user's language). Returning %FALSE rolls the migration back.
 */
typedef gboolean (*CrmSqliteMigratedFunc) (int        number,
                                           gpointer   user_data,
                                           GError   **error);

/* The migrations of one database and how to report their failures. */
typedef struct {
  const char            *resource_path;  /* the resource folder, ending in '/' */
  const char            *program;        /* named when the database is too new: "Leads" */
  GQuark                 error_domain;   /* the caller's error domain … */
  int                    error_invalid;  /* … its code for a broken set of migration files */
  int                    error_too_new;  /* … and for a database from a newer program */
  CrmSqliteErrorFunc     sqlite_error;   /* a failed SQLite call in the caller's domain */
  CrmSqliteMigratedFunc  migrated;       /* (nullable) */
  gpointer               user_data;
} CrmSqliteMigrations;

gboolean      crm_sqlite_migrate           (sqlite3                   *db,
                                            const char                *db_path,
                                            const CrmSqliteMigrations *migrations,
                                            int                       *out_old_version,
                                            GError                   **error);

GHashTable   *crm_sqlite_statements_new    (void);
sqlite3_stmt *crm_sqlite_prepare_cached    (sqlite3                   *db,
                                            GHashTable                *statements,
                                            const char                *sql,
                                            CrmSqliteErrorFunc         sqlite_error,
                                            GError                   **error);
gboolean      crm_sqlite_exec              (sqlite3                   *db,
                                            const char                *sql,
                                            CrmSqliteErrorFunc         sqlite_error,
                                            GError                   **error);
gboolean      crm_sqlite_step_done         (sqlite3                   *db,
                                            sqlite3_stmt              *stmt,
                                            CrmSqliteErrorFunc         sqlite_error,
                                            const char                *what,
                                            GError                   **error);
char         *crm_sqlite_get_meta          (sqlite3                   *db,
                                            GHashTable                *statements,
                                            const char                *key);

G_END_DECLS
