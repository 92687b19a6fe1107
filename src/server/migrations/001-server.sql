-- leads-server's own database (not the app's cache). Every record row that
-- syncs has its latest change in `changes` (seq order = pull order).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  login       TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL DEFAULT '',
  password    TEXT NOT NULL,                 -- crypto_pwhash_str (Argon2id)
  admin       INTEGER NOT NULL DEFAULT 0,
  read_only   INTEGER NOT NULL DEFAULT 0,
  modules     TEXT NOT NULL DEFAULT 'leads,contacts',
  active      INTEGER NOT NULL DEFAULT 1,
  rights_seq  INTEGER NOT NULL DEFAULT 0,    -- seq of the last change of what the user may see
  rev         INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL
);

CREATE TABLE tokens (
  hash        TEXT PRIMARY KEY,              -- SHA-256 of the token, hex
  user_id     INTEGER NOT NULL REFERENCES users(id),
  client_id   TEXT,
  device      TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  revoked     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE clients (
  client_id         TEXT PRIMARY KEY,
  user_id           INTEGER NOT NULL REFERENCES users(id),
  last_mutation_id  INTEGER NOT NULL DEFAULT 0,
  device            TEXT NOT NULL DEFAULT '',
  rights_seen       INTEGER NOT NULL DEFAULT 0   -- users.rights_seq when this client last pulled from the start
) WITHOUT ROWID;

-- The stored result of every processed mutation (exactly once).
CREATE TABLE results (
  client_id    TEXT NOT NULL,
  mutation_id  INTEGER NOT NULL,
  result       TEXT NOT NULL,
  PRIMARY KEY (client_id, mutation_id)
) WITHOUT ROWID;

CREATE TABLE changes (
  seq   INTEGER PRIMARY KEY,
  type  TEXT NOT NULL,
  key   TEXT NOT NULL,
  UNIQUE (type, key)
);

CREATE TABLE key_value (
  kind          TEXT NOT NULL,
  key           TEXT NOT NULL,
  label         TEXT NOT NULL,
  position      INTEGER NOT NULL DEFAULT 0,
  active        INTEGER NOT NULL DEFAULT 1,
  probability   INTEGER,
  status_class  INTEGER NOT NULL DEFAULT 0,
  stale_days    INTEGER NOT NULL DEFAULT 0,
  rev           INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;

CREATE TABLE contact (
  uuid        TEXT PRIMARY KEY,
  rev         INTEGER NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  company     TEXT NOT NULL DEFAULT '',
  notes       TEXT NOT NULL DEFAULT '',
  addresses   TEXT NOT NULL DEFAULT '',
  phones      TEXT NOT NULL DEFAULT '',
  emails      TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Lead fields in their canonical text form, named as on the wire.
CREATE TABLE lead (
  uuid            TEXT PRIMARY KEY,
  rev             INTEGER NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  title           TEXT NOT NULL,
  contact         TEXT NOT NULL DEFAULT '',
  volume_minor    TEXT NOT NULL DEFAULT '0',
  currency        TEXT NOT NULL,
  probability     TEXT NOT NULL,
  status          TEXT NOT NULL,
  phase           TEXT NOT NULL,
  type            TEXT NOT NULL DEFAULT '',
  unit            TEXT NOT NULL DEFAULT '',
  owner           TEXT NOT NULL DEFAULT '',
  close_month     TEXT NOT NULL DEFAULT '',
  source          TEXT NOT NULL DEFAULT '',
  description     TEXT NOT NULL DEFAULT '',
  lost_reason     TEXT NOT NULL DEFAULT '',
  next_follow_up  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Who last wrote each field of a lead or contact (kept_by of a conflict).
CREATE TABLE field_author (
  record  TEXT NOT NULL,
  field   TEXT NOT NULL,
  login   TEXT NOT NULL,
  PRIMARY KEY (record, field)
) WITHOUT ROWID;

CREATE TABLE activity (
  uuid         TEXT PRIMARY KEY,
  rev          INTEGER NOT NULL DEFAULT 1,
  lead         TEXT NOT NULL DEFAULT '',
  contact      TEXT NOT NULL DEFAULT '',
  kind         TEXT NOT NULL,
  at           INTEGER NOT NULL,
  subject      TEXT NOT NULL DEFAULT '',
  text         TEXT NOT NULL DEFAULT '',
  author       TEXT NOT NULL DEFAULT '',
  probability  INTEGER,
  phase        TEXT,
  created_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE event (
  uuid      TEXT PRIMARY KEY,
  lead      TEXT NOT NULL,
  at        INTEGER NOT NULL,
  author    TEXT NOT NULL DEFAULT '',
  field     TEXT NOT NULL,
  old       TEXT,
  new       TEXT,
  activity  TEXT
) WITHOUT ROWID;

CREATE TABLE conflict (
  uuid         TEXT PRIMARY KEY,
  rev          INTEGER NOT NULL DEFAULT 1,
  record_type  TEXT NOT NULL,
  record       TEXT NOT NULL,
  field        TEXT NOT NULL,
  base         TEXT,
  kept         TEXT,
  rejected     TEXT,
  kept_by      TEXT NOT NULL DEFAULT '',
  rejected_by  TEXT NOT NULL DEFAULT '',
  at           INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  reason       TEXT,
  resolved     INTEGER NOT NULL DEFAULT 0,
  resolution   TEXT
) WITHOUT ROWID;
