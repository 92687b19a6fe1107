/* crm-server-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * leads-server keeps everything in one SQLite file in its data folder
 * (WAL, synchronous=FULL so that a committed write survives a power cut,
 * busy_timeout). There is one writer connection, used by one thread at a
 * time under writer_lock, and every write transaction is BEGIN IMMEDIATE;
 * readers take a connection of their own from a small pool, so pulls
 * read a consistent snapshot while pushes commit. Callers run in worker
 * threads (GTask), never on the HTTP main loop. Each connection caches its
 * prepared statements by SQL text.
 *
 * Passwords are Argon2id (libsodium crypto_pwhash_str); tokens are 256
 * random bits, kept only as their SHA-256, with an expiry, revocable.
 */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "crm-key-value.h"
#include "crm-protocol.h"
#include "crm-server-resources.h"
#include "crm-server-store-private.h"
#include "crm-sqlite.h"

#define N_READERS_MAX 8
#define DEFAULT_TOKEN_TTL (30 * 24 * 3600)

G_DEFINE_FINAL_TYPE (CrmServerStore, crm_server_store, G_TYPE_OBJECT)

/* ----------------------------------------------------------- connections */

/* The server's SQLite errors: G_IO_ERROR_FAILED with SQLite's message. */
static void
sqlite_error (GError     **error,
              sqlite3     *db,
              int          rc,
              const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s", sqlite3_errmsg (db));
}

void
_crm_server_db_set_error (CrmServerDb  *db,
                          GError      **error)
{
  sqlite_error (error, db->db, sqlite3_errcode (db->db), NULL);
}

sqlite3_stmt *
_crm_server_db_prepare (CrmServerDb  *db,
                        const char   *sql,
                        GError      **error)
{
  return crm_sqlite_prepare_cached (db->db, db->stmts, sql, sqlite_error, error);
}

gboolean
_crm_server_db_exec (CrmServerDb  *db,
                     const char   *sql,
                     GError      **error)
{
  return crm_sqlite_exec (db->db, sql, sqlite_error, error);
}

/* A statement without an answer (SAVEPOINT, COMMIT …), prepared once. */
gboolean
_crm_server_db_run (CrmServerDb  *db,
                    const char   *sql,
                    GError      **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db, sql, error);

  return stmt != NULL && _crm_server_db_step_done (db, stmt, error);
}

gboolean
_crm_server_db_step_done (CrmServerDb   *db,
                          sqlite3_stmt  *stmt,
                          GError       **error)
{
  return crm_sqlite_step_done (db->db, stmt, sqlite_error, NULL, error);
}

/**
 * _crm_server_db_query_int:
 * @param1: (nullable): the first text parameter
 * @param2: (nullable): the second text parameter
 *
 * The integer in the first column of the first row, @fallback when there
 * is no row (or the statement fails).
 */
gint64
_crm_server_db_query_int (CrmServerDb *db,
                          const char  *sql,
                          const char  *param1,
                          const char  *param2,
                          gint64       fallback)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db, sql, NULL);
  gint64 value = fallback;

  if (stmt == NULL)
    return fallback;
  if (param1 != NULL)
    sqlite3_bind_text (stmt, 1, param1, -1, SQLITE_STATIC);
  if (param2 != NULL)
    sqlite3_bind_text (stmt, 2, param2, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static void
db_free (CrmServerDb *db)
{
  if (db == NULL)
    return;
  g_hash_table_destroy (db->stmts);
  sqlite3_close (db->db);
  g_free (db);
}

static CrmServerDb *
db_open (const char  *path,
         GError     **error)
{
  CrmServerDb *db = g_new0 (CrmServerDb, 1);

  db->stmts = crm_sqlite_statements_new ();
  if (sqlite3_open_v2 (path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot open %s: %s"), path, sqlite3_errmsg (db->db));
      db_free (db);
      return NULL;
    }
  sqlite3_busy_timeout (db->db, 10000);
  if (!_crm_server_db_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                                "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY", error))
    {
      db_free (db);
      return NULL;
    }
  return db;
}

CrmServerDb *
_crm_server_store_writer_begin (CrmServerStore  *self,
                                GError         **error)
{
  g_mutex_lock (&self->writer_lock);
  if (!_crm_server_db_exec (self->writer, "BEGIN IMMEDIATE", error))
    {
      g_mutex_unlock (&self->writer_lock);
      return NULL;
    }
  self->writer->in_write = TRUE;
  self->writer->seq = 0;
  return self->writer;
}

/* Commits (or rolls back) and releases the writer; the seq counter handed
 * out meanwhile is stored in the same transaction. */
gboolean
_crm_server_store_writer_commit (CrmServerStore  *self,
                                 gboolean         commit,
                                 GError         **error)
{
  CrmServerDb *db = self->writer;
  gboolean ok = TRUE;

  if (commit && db->seq != 0)
    {
      sqlite3_stmt *stmt = _crm_server_db_prepare (db, "UPDATE meta SET value = ? WHERE key = 'seq'", error);

      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, db->seq);
          ok = _crm_server_db_step_done (db, stmt, error);
        }
    }
  if (commit && ok)
    ok = _crm_server_db_run (db, "COMMIT", error);
  if (!commit || !ok)
    _crm_server_db_exec (db, "ROLLBACK", NULL);
  db->in_write = FALSE;
  db->seq = 0;
  g_mutex_unlock (&self->writer_lock);
  return ok;
}

/* ----------------------------------------------------------- checkpoints */

#define CHECKPOINT_FRAMES     4000   /* 16 MiB of WAL; 1000 (SQLite's default) cost ~5 % more CPU */
#define CHECKPOINT_FRAMES_MAX 50000  /* the checkpointer falls behind: the writer does it */

/* After each commit of the writer (in its thread): a WAL of more than
 * CHECKPOINT_FRAMES pages wakes the checkpointer, so a commit never waits
 * for copying pages into the database and its fsync. */
static int
wal_hook (void       *user_data,
          sqlite3    *db,
          const char *name,
          int         frames)
{
  CrmServerStore *self = user_data;

  if (frames >= CHECKPOINT_FRAMES_MAX)
    sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  else if (frames >= CHECKPOINT_FRAMES)
    {
      g_mutex_lock (&self->checkpoint_lock);
      self->checkpoint_wanted = TRUE;
      g_cond_signal (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_lock);
    }
  return SQLITE_OK;
}

/* Passive checkpoints on a connection of its own: they copy what no
 * reader still needs and never block the writer, which restarts the WAL
 * from its beginning once everything is copied. */
static gpointer
checkpoint_thread (gpointer user_data)
{
  CrmServerStore *self = user_data;
  g_autoptr(GError) error = NULL;
  CrmServerDb *db = db_open (self->path, &error);

  if (db == NULL)
    g_warning ("WAL checkpoints: %s", error->message);
  g_mutex_lock (&self->checkpoint_lock);
  while (!self->checkpoint_stop)
    {
      if (!self->checkpoint_wanted)
        {
          g_cond_wait (&self->checkpoint_cond, &self->checkpoint_lock);
          continue;
        }
      self->checkpoint_wanted = FALSE;
      g_mutex_unlock (&self->checkpoint_lock);
      if (db != NULL)
        sqlite3_wal_checkpoint_v2 (db->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      g_mutex_lock (&self->checkpoint_lock);
    }
  g_mutex_unlock (&self->checkpoint_lock);
  db_free (db);
  return NULL;
}

static void
checkpoint_thread_stop (CrmServerStore *self)
{
  GThread *thread;

  g_mutex_lock (&self->checkpoint_lock);
  thread = g_steal_pointer (&self->checkpoint_thread);
  self->checkpoint_stop = TRUE;
  g_cond_signal (&self->checkpoint_cond);
  g_mutex_unlock (&self->checkpoint_lock);
  if (thread != NULL)
    g_thread_join (thread);
}

CrmServerDb *
_crm_server_store_reader_take (CrmServerStore  *self,
                               GError         **error)
{
  CrmServerDb *db = NULL;

  g_mutex_lock (&self->readers_lock);
  if (self->readers->len > 0)
    db = g_ptr_array_steal_index_fast (self->readers, self->readers->len - 1);
  g_mutex_unlock (&self->readers_lock);

  return db != NULL ? db : db_open (self->path, error);
}

void
_crm_server_store_reader_give (CrmServerStore *self,
                               CrmServerDb    *db)
{
  g_mutex_lock (&self->readers_lock);
  if (self->readers->len < N_READERS_MAX)
    {
      g_ptr_array_add (self->readers, db);
      db = NULL;
    }
  g_mutex_unlock (&self->readers_lock);
  db_free (db);
}

/* ------------------------------------------------------- test crash hook */

/**
 * _crm_server_crash_point:
 * @point: "before-commit" or "after-commit"
 *
 * Test-only: with LEADS_SERVER_CRASH=POINT:N in the environment, the Nth
 * time the server passes POINT it ends at once with _exit(70), as a
 * SIGKILL would. Points: "before-commit" and "after-commit" (of a push
 * transaction), "mid-batch" (after a mutation, before its transaction
 * commits). Without the variable this does nothing.
 */
void
_crm_server_crash_point (const char *point)
{
  static gsize initialized;
  static char *crash_point;
  static gint64 crash_at;
  static gint counts[3];
  int which;

  if (g_once_init_enter (&initialized))
    {
      const char *spec = g_getenv ("LEADS_SERVER_CRASH");
      g_auto(GStrv) parts = spec ? g_strsplit (spec, ":", 2) : NULL;

      if (parts != NULL && parts[0] != NULL && parts[1] != NULL)
        {
          crash_point = g_strdup (parts[0]);
          crash_at = g_ascii_strtoll (parts[1], NULL, 10);
          g_message ("test crash hook armed: %s:%lld", crash_point, (long long) crash_at);
        }
      g_once_init_leave (&initialized, 1);
    }

  if (crash_point == NULL || g_strcmp0 (crash_point, point) != 0)
    return;
  which = g_str_equal (point, "before-commit") ? 0 : g_str_equal (point, "after-commit") ? 1 : 2;
  if (g_atomic_int_add (&counts[which], 1) + 1 == crash_at)
    _exit (70);
}

/* ------------------------------------------------------------ migrations */

/* The numbered files in the resource (crm-sqlite.c's runner); @created:
 * the file was new (user_version 0) and wants seeding. */
static gboolean
migrate (CrmServerDb  *db,
         const char   *path,
         gboolean     *created,
         GError      **error)
{
  const CrmSqliteMigrations migrations = {
    .resource_path = "/io/github/leadsdesk/Leads/server/migrations/",
    .program = "leads-server",
    .error_domain = G_IO_ERROR,
    .error_invalid = G_IO_ERROR_FAILED,
    .error_too_new = G_IO_ERROR_NOT_SUPPORTED,
    .sqlite_error = sqlite_error,
  };
  int old_version = 0;

  if (!crm_sqlite_migrate (db->db, path, &migrations, &old_version, error))
    return FALSE;

  *created = old_version == 0;
  return TRUE;
}

/* The server-wide counter: every change of a syncing row gets the next
 * value, and the row's entry in `changes` moves to it. Inside a writer
 * transaction the counter is read once and stored once, at the commit
 * (_crm_server_store_writer_commit()); a savepoint rolled back leaves a
 * gap, which pull does not mind. */
gint64
_crm_server_touch (CrmServerDb  *db,
                   const char   *type,
                   const char   *key,
                   GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 seq;

  if (db->in_write)
    {
      if (db->seq == 0)
        db->seq = _crm_server_db_query_int (db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'",
                                            NULL, NULL, 0);
      seq = ++db->seq;
    }
  else
    {
      stmt = _crm_server_db_prepare (db,
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq' RETURNING CAST(value AS INTEGER)", error);
      if (stmt == NULL)
        return 0;
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          _crm_server_db_set_error (db, error);
          sqlite3_reset (stmt);
          return 0;
        }
      seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }

  stmt = _crm_server_db_prepare (db,
    "INSERT INTO changes (seq, type, key) VALUES (?, ?, ?) "
    "ON CONFLICT (type, key) DO UPDATE SET seq = excluded.seq, evicted_at = NULL", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC);
  return _crm_server_db_step_done (db, stmt, error) ? seq : 0;
}

static gboolean
seed (CrmServerDb  *db,
      GError      **error)
{
  guint n_defaults = 0;
  const CrmKeyValueDefault *defaults = crm_key_value_defaults (&n_defaults);
  g_autofree char *epoch = g_uuid_string_random ();
  sqlite3_stmt *stmt;

  stmt = _crm_server_db_prepare (db, "INSERT INTO meta (key, value) VALUES ('epoch', ?), ('seq', '0'), ('horizon', '0')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, epoch, -1, SQLITE_STATIC);
  if (!_crm_server_db_step_done (db, stmt, error))
    return FALSE;

  for (guint i = 0; i < n_defaults; i++)
    {
      g_autofree char *key = g_strconcat (defaults[i].kind, ":", defaults[i].key, NULL);

      stmt = _crm_server_db_prepare (db,
        "INSERT INTO key_value (kind, key, label, position, probability, status_class, stale_days) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, defaults[i].kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, defaults[i].key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, g_dgettext (GETTEXT_PACKAGE, defaults[i].label), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, defaults[i].position);
      if (defaults[i].probability >= 0)
        sqlite3_bind_int (stmt, 5, defaults[i].probability);
      sqlite3_bind_int (stmt, 6, defaults[i].status_class);
      sqlite3_bind_int (stmt, 7, defaults[i].stale_days);
      if (!_crm_server_db_step_done (db, stmt, error) ||
          _crm_server_touch (db, "key_value", key, error) == 0)
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ type */

static void
crm_server_store_finalize (GObject *object)
{
  CrmServerStore *self = CRM_SERVER_STORE (object);

  crm_server_store_close (self);
  g_clear_pointer (&self->readers, g_ptr_array_unref);
  g_clear_pointer (&self->push_queue, g_async_queue_unref);
  g_mutex_clear (&self->push_lock);
  g_mutex_clear (&self->checkpoint_lock);
  g_cond_clear (&self->checkpoint_cond);
  g_mutex_clear (&self->writer_lock);
  g_mutex_clear (&self->readers_lock);
  g_free (self->path);
  g_free (self->epoch);

  G_OBJECT_CLASS (crm_server_store_parent_class)->finalize (object);
}

static void
crm_server_store_class_init (CrmServerStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_server_store_finalize;
}

static void
crm_server_store_init (CrmServerStore *self)
{
  g_mutex_init (&self->writer_lock);
  g_mutex_init (&self->readers_lock);
  self->readers = g_ptr_array_new_with_free_func ((GDestroyNotify) db_free);
  self->token_ttl = DEFAULT_TOKEN_TTL;
  self->push_queue = g_async_queue_new ();
  g_mutex_init (&self->push_lock);
  g_mutex_init (&self->checkpoint_lock);
  g_cond_init (&self->checkpoint_cond);
}

/**
 * crm_server_store_open:
 * @dir: the data folder; created (mode 0700) if missing
 *
 * Opens or creates DIR/leads-server.db, runs the migrations, seeds a new
 * database with the app's key value defaults and a new epoch.
 */
CrmServerStore *
crm_server_store_open (const char  *dir,
                       GError     **error)
{
  g_autoptr(CrmServerStore) self = g_object_new (CRM_TYPE_SERVER_STORE, NULL);
  gboolean created = FALSE;

  if (sodium_init () < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("libsodium cannot be initialised"));
      return NULL;
    }
  g_resources_register (crm_server_get_resource ());

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the data folder %s: %s"), dir, g_strerror (saved));
      return NULL;
    }
  self->path = g_build_filename (dir, "leads-server.db", NULL);
  self->writer = db_open (self->path, error);
  if (self->writer == NULL || !migrate (self->writer, self->path, &created, error))
    return NULL;

  /* A new database is seeded in its own transaction after the migrations;
   * one that has the schema but no epoch was stopped between the two
   * (killed at its first start) and is seeded now: the seed is all or
   * nothing, so an epoch means it is whole. */
  self->epoch = crm_sqlite_get_meta (self->writer->db, self->writer->stmts, "epoch");
  if (created || self->epoch == NULL)
    {
      if (!created)
        g_message ("%s was never finished (no epoch): seeding it now", self->path);
      if (!_crm_server_db_exec (self->writer, "BEGIN IMMEDIATE", error))
        return NULL;
      if (!seed (self->writer, error))
        {
          _crm_server_db_exec (self->writer, "ROLLBACK", NULL);
          return NULL;
        }
      if (!_crm_server_db_exec (self->writer, "COMMIT", error))
        return NULL;
      g_free (self->epoch);
      self->epoch = crm_sqlite_get_meta (self->writer->db, self->writer->stmts, "epoch");
    }
  g_assert (self->epoch != NULL);

  /* the writer keeps the hot pages (leads, clients, indexes) in memory,
   * and leaves WAL checkpoints to a thread of its own */
  if (!_crm_server_db_exec (self->writer, "PRAGMA cache_size = -65536", error))
    return NULL;
  sqlite3_wal_hook (self->writer->db, wal_hook, self);
  self->checkpoint_thread = g_thread_new ("leads-checkpoint", checkpoint_thread, self);
  return g_steal_pointer (&self);
}

/* Closes every connection (a clean WAL checkpoint); idempotent. Waits
 * for the queued pushes and a write in progress. */
void
crm_server_store_close (CrmServerStore *self)
{
  g_return_if_fail (CRM_IS_SERVER_STORE (self));

  _crm_server_store_stop_writer (self);
  checkpoint_thread_stop (self);
  g_mutex_lock (&self->writer_lock);
  g_clear_pointer (&self->writer, db_free);
  g_mutex_unlock (&self->writer_lock);
  g_mutex_lock (&self->readers_lock);
  g_ptr_array_set_size (self->readers, 0);
  g_mutex_unlock (&self->readers_lock);
}

const char *
crm_server_store_get_epoch (CrmServerStore *self)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORE (self), NULL);
  return self->epoch;
}

void
crm_server_store_set_token_ttl (CrmServerStore *self,
                                gint64          seconds)
{
  g_return_if_fail (CRM_IS_SERVER_STORE (self));
  self->token_ttl = seconds;
}

/* ----------------------------------------------------------------- users */

void
crm_server_user_free (CrmServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->login);
  g_free (user->name);
  g_free (user);
}

static char *
modules_to_string (CrmServerModules modules)
{
  if ((modules & CRM_SERVER_MODULE_LEADS) && (modules & CRM_SERVER_MODULE_CONTACTS))
    return g_strdup ("leads,contacts");
  if (modules & CRM_SERVER_MODULE_LEADS)
    return g_strdup ("leads");
  if (modules & CRM_SERVER_MODULE_CONTACTS)
    return g_strdup ("contacts");
  return g_strdup ("");
}

gboolean
crm_server_modules_parse (const char        *text,
                          CrmServerModules  *modules,
                          GError           **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  CrmServerModules result = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (g_str_equal (parts[i], "leads"))
        result |= CRM_SERVER_MODULE_LEADS;
      else if (g_str_equal (parts[i], "contacts"))
        result |= CRM_SERVER_MODULE_CONTACTS;
      else
        {
          g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                       _("modules: “%s” is not a module; use leads, contacts"), parts[i]);
          return FALSE;
        }
    }
  *modules = result;
  return TRUE;
}

JsonObject *
crm_server_user_to_json (const CrmServerUser *user)
{
  JsonObject *object = json_object_new ();
  JsonArray *modules = json_array_new ();

  json_object_set_string_member (object, "login", user->login);
  json_object_set_string_member (object, "name", user->name);
  json_object_set_boolean_member (object, "admin", user->admin);
  json_object_set_boolean_member (object, "read_only", user->read_only);
  json_object_set_boolean_member (object, "active", user->active);
  if (user->modules & CRM_SERVER_MODULE_LEADS)
    json_array_add_string_element (modules, "leads");
  if (user->modules & CRM_SERVER_MODULE_CONTACTS)
    json_array_add_string_element (modules, "contacts");
  json_object_set_array_member (object, "modules", modules);
  return object;
}

/**
 * _crm_server_user_read:
 * @where: "login" (by @value) or "id" (by @id)
 *
 * Returns: (nullable): the user, or NULL without @error when there is none
 */
CrmServerUser *
_crm_server_user_read (CrmServerDb  *db,
                       const char   *where,
                       const char   *value,
                       gint64        id,
                       GError      **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db, g_str_equal (where, "id")
    ? "SELECT id, login, name, admin, read_only, active, modules, rights_seq FROM users WHERE id = ?"
    : "SELECT id, login, name, admin, read_only, active, modules, rights_seq FROM users WHERE login = ?", error);
  CrmServerUser *user = NULL;

  if (stmt == NULL)
    return NULL;
  if (g_str_equal (where, "id"))
    sqlite3_bind_int64 (stmt, 1, id);
  else
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      user = g_new0 (CrmServerUser, 1);
      user->id = sqlite3_column_int64 (stmt, 0);
      user->login = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      user->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      user->admin = sqlite3_column_int (stmt, 3);
      user->read_only = sqlite3_column_int (stmt, 4);
      user->active = sqlite3_column_int (stmt, 5);
      crm_server_modules_parse ((const char *) sqlite3_column_text (stmt, 6), &user->modules, NULL);
      user->rights_seq = sqlite3_column_int64 (stmt, 7);
    }
  sqlite3_reset (stmt);
  return user;
}

/* The work factor: OPSLIMIT/MEMLIMIT_INTERACTIVE (2 passes over 64 MiB),
 * about 0.1–0.3 s per hash on this project's machine. The test suite sets
 * LEADS_SERVER_TEST_CHEAP_HASH=1 for the minimum (test-only: it makes
 * stolen hashes cheap to attack; never set it on a real server). */
static char *
password_hash (const char  *password,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  gboolean cheap = g_strcmp0 (g_getenv ("LEADS_SERVER_TEST_CHEAP_HASH"), "1") == 0;

  if (crypto_pwhash_str (hash, password, strlen (password),
                         cheap ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         cheap ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _("Not enough memory to hash the password"));
      return NULL;
    }
  return g_strdup (hash);
}

static gboolean
check_login_name (const char  *login,
                  GError     **error)
{
  gsize n = login ? strlen (login) : 0;

  if (n == 0 || n > CRM_PROTOCOL_MAX_KEY)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("login: “%s” must be 1 to %d characters"), login ? login : "", CRM_PROTOCOL_MAX_KEY);
      return FALSE;
    }
  for (const char *p = login; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-' && *p != '@')
      {
        g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                     _("login: “%s” may only hold letters, digits and . _ - @"), login);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_change (const CrmServerUserChange  *change,
              char                      **hash,
              char                      **modules,
              GError                    **error)
{
  CrmServerModules parsed = 0;

  if (change->name != NULL && (strlen (change->name) > CRM_PROTOCOL_MAX_NAME * 4 ||
                               !g_utf8_validate (change->name, -1, NULL)))
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("name: at most %d characters of UTF-8 text"), CRM_PROTOCOL_MAX_NAME);
      return FALSE;
    }
  if (change->password != NULL && (strlen (change->password) < 8 || strlen (change->password) > 1024))
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                   _("password: 8 to 1024 characters"));
      return FALSE;
    }
  if (change->modules != NULL)
    {
      if (!crm_server_modules_parse (change->modules, &parsed, error))
        return FALSE;
      *modules = modules_to_string (parsed);
    }
  if (change->password != NULL && (*hash = password_hash (change->password, error)) == NULL)
    return FALSE;
  return TRUE;
}

/* tokens.revoked: a token that was live when its account was deactivated
 * becomes TOKEN_SUSPENDED. While the account stays deactivated every
 * request with it, push included, is answered 403 disabled: nothing is
 * read, nothing applied and nothing recorded, so the client keeps its
 * pending edits, in order, and sends them once the account is enabled
 * again and the user has logged in (docs/sync-protocol.md, "Deactivated
 * accounts"). After the account is enabled again such a token is as dead
 * as a TOKEN_REVOKED one (logout, new password). */
enum {
  TOKEN_LIVE = 0,
  TOKEN_REVOKED = 1,
  TOKEN_SUSPENDED = 2,
};

/* Ends every live token of a user: @how is TOKEN_SUSPENDED (deactivated)
 * or TOKEN_REVOKED (a new password; suspended tokens end too). A token
 * revoked before stays revoked. */
static gboolean
revoke_tokens (CrmServerDb  *db,
               gint64        user_id,
               int           how,
               GError      **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db,
    "UPDATE tokens SET revoked = ?2 WHERE user_id = ?1 AND (revoked = 0 OR (?2 = 1 AND revoked = 2))", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_int (stmt, 2, how);
  return _crm_server_db_step_done (db, stmt, error);
}

gboolean
crm_server_store_user_add (CrmServerStore             *self,
                           const char                 *login,
                           const CrmServerUserChange  *change,
                           GError                    **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *modules = NULL;
  g_autoptr(CrmServerUser) existing = NULL;
  CrmServerDb *db;
  sqlite3_stmt *stmt;
  gint64 seq;
  gboolean ok = FALSE;

  g_return_val_if_fail (CRM_IS_SERVER_STORE (self), FALSE);

  if (!check_login_name (login, error))
    return FALSE;
  if (change->password == NULL)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_MISSING, _("password: missing"));
      return FALSE;
    }
  if (!check_change (change, &hash, &modules, error))
    return FALSE;

  if ((db = _crm_server_store_writer_begin (self, error)) == NULL)
    return FALSE;
  existing = _crm_server_user_read (db, "login", login, 0, error);
  if (existing != NULL)
    g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_INVALID_VALUE,
                 _("login: “%s” exists already"), login);
  else if ((seq = _crm_server_touch (db, "user", login, error)) != 0 &&
           (stmt = _crm_server_db_prepare (db,
              "INSERT INTO users (login, name, password, admin, read_only, modules, rights_seq, created_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, change->name ? change->name : login, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, change->admin > 0);
      sqlite3_bind_int (stmt, 5, change->read_only > 0);
      sqlite3_bind_text (stmt, 6, modules ? modules : "leads,contacts", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, seq);
      sqlite3_bind_int64 (stmt, 8, g_get_real_time ());
      ok = _crm_server_db_step_done (db, stmt, error);
    }
  return _crm_server_store_writer_commit (self, ok, ok ? error : NULL) && ok;
}

/**
 * crm_server_store_user_update:
 *
 * Changes name, password, rights or the active flag. Deactivating or a
 * new password revokes the user's tokens; a change of modules or of the
 * active flag moves the user's rights_seq, so that the user's clients
 * start their pull over (reset).
 */
gboolean
crm_server_store_user_update (CrmServerStore             *self,
                              const char                 *login,
                              const CrmServerUserChange  *change,
                              GError                    **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *modules = NULL;
  g_autoptr(CrmServerUser) user = NULL;
  CrmServerDb *db;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gint64 seq;

  g_return_val_if_fail (CRM_IS_SERVER_STORE (self), FALSE);

  if (!check_change (change, &hash, &modules, error))
    return FALSE;
  if ((db = _crm_server_store_writer_begin (self, error)) == NULL)
    return FALSE;

  user = _crm_server_user_read (db, "login", login, 0, error);
  if (user == NULL)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_NOT_FOUND, _("No user “%s”"), login);
      return _crm_server_store_writer_commit (self, FALSE, NULL) && FALSE;
    }
  if ((seq = _crm_server_touch (db, "user", login, error)) != 0 &&
      (stmt = _crm_server_db_prepare (db,
         "UPDATE users SET name = coalesce(?2, name), password = coalesce(?3, password), "
         "admin = coalesce(?4, admin), read_only = coalesce(?5, read_only), "
         "rights_seq = CASE WHEN (?6 IS NOT NULL AND ?6 <> modules) OR (?7 IS NOT NULL AND ?7 <> active) "
         "             THEN ?8 ELSE rights_seq END, "
         "modules = coalesce(?6, modules), active = coalesce(?7, active), rev = rev + 1 "
         "WHERE id = ?1", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, user->id);
      if (change->name != NULL)
        sqlite3_bind_text (stmt, 2, change->name, -1, SQLITE_STATIC);
      if (hash != NULL)
        sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
      if (change->admin >= 0)
        sqlite3_bind_int (stmt, 4, change->admin > 0);
      if (change->read_only >= 0)
        sqlite3_bind_int (stmt, 5, change->read_only > 0);
      if (modules != NULL)
        sqlite3_bind_text (stmt, 6, modules, -1, SQLITE_STATIC);
      if (change->active >= 0)
        sqlite3_bind_int (stmt, 7, change->active > 0);
      sqlite3_bind_int64 (stmt, 8, seq);
      ok = _crm_server_db_step_done (db, stmt, error);
    }
  if (ok && hash != NULL)
    ok = revoke_tokens (db, user->id, TOKEN_REVOKED, error);
  if (ok && change->active == 0)
    ok = revoke_tokens (db, user->id, TOKEN_SUSPENDED, error);

  return _crm_server_store_writer_commit (self, ok, ok ? error : NULL) && ok;
}

/**
 * crm_server_store_user_list:
 *
 * Returns: (element-type CrmServerUser): every user, by login
 */
GPtrArray *
crm_server_store_user_list (CrmServerStore  *self,
                            GError         **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_server_user_free);
  CrmServerDb *db = _crm_server_store_reader_take (self, error);
  sqlite3_stmt *stmt;

  if (db == NULL)
    return NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  stmt = _crm_server_db_prepare (db, "SELECT id FROM users ORDER BY login", error);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  for (guint i = 0; stmt != NULL && i < ids->len; i++)
    g_ptr_array_add (users, _crm_server_user_read (db, "id", NULL, g_array_index (ids, gint64, i), NULL));
  _crm_server_store_reader_give (self, db);

  return stmt != NULL ? g_steal_pointer (&users) : NULL;
}

/* ------------------------------------------------------------------ auth */

static char *
token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static char *
token_new (void)
{
  guchar bytes[32];
  char text[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (text);
}

/* Binds @client_id to @user the first time; another user's id is refused. */
static gboolean
bind_client (CrmServerDb         *db,
             const CrmServerUser *user,
             const char          *client_id,
             const char          *device,
             GError             **error)
{
  sqlite3_stmt *stmt = _crm_server_db_prepare (db,
    "INSERT INTO clients (client_id, user_id, device) VALUES (?, ?, ?) "
    "ON CONFLICT (client_id) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, user->id);
  sqlite3_bind_text (stmt, 3, device ? device : "", -1, SQLITE_STATIC);
  if (!_crm_server_db_step_done (db, stmt, error))
    return FALSE;

  stmt = _crm_server_db_prepare (db, "SELECT user_id FROM clients WHERE client_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int64 (stmt, 0) != user->id)
    {
      sqlite3_reset (stmt);
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_CLIENT_MISMATCH,
                   _("This client id belongs to another user; log in with a new client id"));
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * crm_server_store_login:
 *
 * Checks the password (Argon2id), binds the client id and makes a token.
 * Errors: CRM_PROTOCOL_ERROR_BAD_CREDENTIALS (unknown login or wrong
 * password, indistinguishable), _DISABLED, _CLIENT_MISMATCH.
 */
CrmServerUser *
crm_server_store_login (CrmServerStore  *self,
                        const char      *login,
                        const char      *password,
                        const char      *client_id,
                        const char      *device,
                        char           **token,
                        gint64          *expires_at,
                        GError         **error)
{
  g_autoptr(CrmServerUser) user = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *new_hash = NULL;
  CrmServerDb *db;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gint64 now = g_get_real_time ();

  if ((db = _crm_server_store_reader_take (self, error)) == NULL)
    return NULL;
  user = _crm_server_user_read (db, "login", login, 0, NULL);
  if (user != NULL && (stmt = _crm_server_db_prepare (db, "SELECT password FROM users WHERE id = ?", NULL)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, user->id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  _crm_server_store_reader_give (self, db);

  if (hash == NULL)
    {
      /* an unknown login costs the same time as a wrong password */
      static gsize once;
      static char *dummy;

      if (g_once_init_enter (&once))
        {
          dummy = password_hash ("leads-server: no such user", NULL);
          g_once_init_leave (&once, 1);
        }
      if (dummy != NULL && crypto_pwhash_str_verify (dummy, password, strlen (password)) == 0)
        g_debug ("the dummy password was guessed");
    }
  if (hash == NULL || crypto_pwhash_str_verify (hash, password, strlen (password)) != 0)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_BAD_CREDENTIALS, _("Wrong login or password"));
      return NULL;
    }
  if (!user->active)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_DISABLED, _("This account is deactivated"));
      return NULL;
    }

  new_token = token_new ();
  new_hash = token_hash (new_token);
  if ((db = _crm_server_store_writer_begin (self, error)) == NULL)
    return NULL;
  if (bind_client (db, user, client_id, device, error) &&
      (stmt = _crm_server_db_prepare (db,
         "INSERT INTO tokens (hash, user_id, client_id, device, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
         error)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, new_hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, user->id);
      sqlite3_bind_text (stmt, 3, client_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, device ? device : "", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, now);
      sqlite3_bind_int64 (stmt, 6, now + self->token_ttl * G_USEC_PER_SEC);
      ok = _crm_server_db_step_done (db, stmt, error);
    }
  if (!_crm_server_store_writer_commit (self, ok, ok ? error : NULL) || !ok)
    return NULL;

  *token = g_steal_pointer (&new_token);
  *expires_at = now + self->token_ttl * G_USEC_PER_SEC;
  return g_steal_pointer (&user);
}

/**
 * crm_server_store_authenticate:
 *
 * Errors: CRM_PROTOCOL_ERROR_UNAUTHORIZED (unknown, expired or revoked
 * token; a suspended token of an account enabled again), _DISABLED (the
 * token's account is deactivated).
 */
CrmServerUser *
crm_server_store_authenticate (CrmServerStore  *self,
                               const char      *token,
                               GError         **error)
{
  g_autofree char *hash = NULL;
  g_autoptr(CrmServerUser) user = NULL;
  CrmServerDb *db;
  sqlite3_stmt *stmt;
  gint64 user_id = 0, expires_at = 0;
  int revoked = TOKEN_REVOKED;

  if (token == NULL || *token == '\0' || strlen (token) > 128)
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNAUTHORIZED, _("Log in first"));
      return NULL;
    }
  hash = token_hash (token);
  if ((db = _crm_server_store_reader_take (self, error)) == NULL)
    return NULL;
  stmt = _crm_server_db_prepare (db, "SELECT user_id, expires_at, revoked FROM tokens WHERE hash = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          user_id = sqlite3_column_int64 (stmt, 0);
          expires_at = sqlite3_column_int64 (stmt, 1);
          revoked = sqlite3_column_int (stmt, 2);
        }
      sqlite3_reset (stmt);
      if (user_id != 0)
        user = _crm_server_user_read (db, "id", NULL, user_id, NULL);
    }
  _crm_server_store_reader_give (self, db);
  if (stmt == NULL)
    return NULL;

  if (user != NULL && !user->active && revoked != TOKEN_REVOKED && expires_at > g_get_real_time ())
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_DISABLED, _("This account is deactivated"));
      return NULL;
    }
  if (user == NULL || revoked != TOKEN_LIVE || expires_at <= g_get_real_time ())
    {
      g_set_error (error, CRM_PROTOCOL_ERROR, CRM_PROTOCOL_ERROR_UNAUTHORIZED,
                   _("The login has expired or was revoked; log in again"));
      return NULL;
    }
  return g_steal_pointer (&user);
}

gboolean
crm_server_store_logout (CrmServerStore  *self,
                         const char      *token,
                         GError         **error)
{
  g_autofree char *hash = token_hash (token);
  CrmServerDb *db = _crm_server_store_writer_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (db == NULL)
    return FALSE;
  if ((stmt = _crm_server_db_prepare (db, "UPDATE tokens SET revoked = 1 WHERE hash = ?", error)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
      ok = _crm_server_db_step_done (db, stmt, error);
    }
  return _crm_server_store_writer_commit (self, ok, ok ? error : NULL) && ok;
}

gint64
_crm_server_last_mutation_id (CrmServerDb *db,
                              const char  *client_id)
{
  return _crm_server_db_query_int (db, "SELECT last_mutation_id FROM clients WHERE client_id = ?", client_id, NULL, 0);
}
