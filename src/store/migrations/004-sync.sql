-- Leads local cache, schema version 4: offline-first sync with leads-server
-- (docs/sync-protocol.md; the client side is described in docs/architecture.md).

-- One row: the binding of this database to a team server. A database is
-- "bound" once server_url is set (first login); from then on every local
-- change also appends a mutation to sync_outbox in its own transaction.
CREATE TABLE sync_meta (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  client_id         TEXT NOT NULL,                  -- UUID of this installation
  server_url        TEXT,                           -- NULL: not bound, no outbox
  login             TEXT,
  user_name         TEXT,
  modules           TEXT NOT NULL DEFAULT '',       -- comma-separated
  read_only         INTEGER NOT NULL DEFAULT 0,
  admin             INTEGER NOT NULL DEFAULT 0,
  cursor            TEXT,                           -- opaque "<epoch>.<seq>", NULL: from the start
  last_mutation_id  INTEGER NOT NULL DEFAULT 0,     -- acknowledged by the server
  last_sync         INTEGER NOT NULL DEFAULT 0      -- µs of the last successful round
);
INSERT INTO sync_meta (id, client_id)
VALUES (1, lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' ||
                  substr (hex (randomblob (2)), 2) || '-' ||
                  substr ('89ab', 1 + (abs (random ()) % 4), 1) ||
                  substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))));

-- The outbox: local changes not yet acknowledged. id is the mutation id,
-- dense and increasing per client (the store picks max (id, acknowledged) + 1).
CREATE TABLE sync_outbox (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,                       -- "lead.update", …
  args         TEXT NOT NULL CHECK (json_valid (args)),
  created_at   INTEGER NOT NULL,                    -- µs
  record_type  TEXT,                                -- "lead", "contact", … (for per-record state)
  record_uuid  TEXT
);
CREATE INDEX sync_outbox_record ON sync_outbox (record_uuid) WHERE record_uuid IS NOT NULL;

-- The last server state of a record that arrived while local edits of it
-- were pending: it replaces the local row once those are acknowledged.
CREATE TABLE sync_shadow (
  record_type  TEXT NOT NULL,
  record_uuid  TEXT NOT NULL,
  rev          INTEGER NOT NULL,
  data         TEXT NOT NULL CHECK (json_valid (data)),
  PRIMARY KEY (record_type, record_uuid)
) WITHOUT ROWID;

-- Server conflicts (pulled) and local rejections (from push results).
CREATE TABLE sync_conflict (
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE,
  record_type  TEXT NOT NULL,
  record_uuid  TEXT NOT NULL,
  field        TEXT NOT NULL DEFAULT '',
  base         TEXT,
  kept         TEXT,
  rejected     TEXT,                                -- "yours"
  kept_by      TEXT NOT NULL DEFAULT '',
  rejected_by  TEXT NOT NULL DEFAULT '',
  at           INTEGER NOT NULL,                    -- µs
  kind         TEXT NOT NULL CHECK (kind IN ('field', 'deleted', 'rejected')),
  reason       TEXT NOT NULL DEFAULT '',
  message      TEXT NOT NULL DEFAULT '',
  local        INTEGER NOT NULL DEFAULT 0,          -- 1: a rejection this client recorded
  mutation     TEXT,                                -- local: the rejected mutation (JSON)
  resolved     INTEGER NOT NULL DEFAULT 0,
  resolution   TEXT
);
CREATE INDEX sync_conflict_record ON sync_conflict (record_uuid) WHERE resolved = 0;

-- User names (for owners), synced down.
CREATE TABLE sync_user (
  login   TEXT PRIMARY KEY,
  name    TEXT NOT NULL,
  active  INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- Events travel by UUID (idempotent on the server); older rows get theirs
-- when they are first uploaded.
ALTER TABLE lead_event ADD COLUMN uuid TEXT;
CREATE UNIQUE INDEX lead_event_uuid ON lead_event (uuid) WHERE uuid IS NOT NULL;

-- Per-lead sync state for the list: 0 local only, 1 pending, 2 synced,
-- 3 conflict (CrmSyncState). Kept by the store with every change.
ALTER TABLE lead ADD COLUMN sync_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact ADD COLUMN sync_state INTEGER NOT NULL DEFAULT 0;
