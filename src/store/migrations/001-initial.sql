-- Leads local cache, schema version 1.
-- Money is INTEGER minor units; months are INTEGER year*12+(month-1).
-- Every record has a client-made UUID, a server revision and a tombstone
-- flag, so that sync (docs/sync-protocol.md) fits without a rewrite.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE key_value (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('phase','status','type','unit','source','lost_reason','activity_kind')),
  key          TEXT NOT NULL,
  label        TEXT NOT NULL CHECK (length(label) > 0),
  position     INTEGER NOT NULL,
  active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  probability  INTEGER CHECK (probability IS NULL OR probability BETWEEN 0 AND 100),
  status_class INTEGER NOT NULL DEFAULT 0 CHECK (status_class IN (0,1,2)),
  stale_days   INTEGER NOT NULL DEFAULT 0,
  rev          INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, key)
);

CREATE TABLE contact (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('company','person')),
  name        TEXT NOT NULL CHECK (length(name) > 0),
  company_id  INTEGER REFERENCES contact(id),
  notes       TEXT NOT NULL DEFAULT '',
  addresses   TEXT NOT NULL DEFAULT '',   -- one per line
  phones      TEXT NOT NULL DEFAULT '',   -- one per line
  emails      TEXT NOT NULL DEFAULT '',   -- one per line
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  rev         INTEGER NOT NULL DEFAULT 0,
  deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_name ON contact (name COLLATE NOCASE) WHERE deleted = 0;
CREATE INDEX contact_company ON contact (company_id) WHERE company_id IS NOT NULL;

CREATE TABLE lead (
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE,
  title         TEXT NOT NULL CHECK (length(title) > 0),
  contact_id    INTEGER REFERENCES contact(id),
  contact_name  TEXT NOT NULL DEFAULT '',          -- denormalized for sort and search
  volume_minor  INTEGER NOT NULL DEFAULT 0 CHECK (volume_minor >= 0),
  currency      TEXT NOT NULL CHECK (length(currency) = 3),
  probability   INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
  status        TEXT NOT NULL,
  phase         TEXT NOT NULL,
  phase_rank    INTEGER NOT NULL DEFAULT 0,        -- position of the phase, for sorting
  type          TEXT NOT NULL DEFAULT '',
  unit          TEXT NOT NULL DEFAULT '',
  owner         TEXT NOT NULL DEFAULT '',
  close_month   INTEGER,
  source        TEXT NOT NULL DEFAULT '',
  description   TEXT NOT NULL DEFAULT '',
  lost_reason   TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  last_activity INTEGER,
  rev           INTEGER NOT NULL DEFAULT 0,
  deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX lead_title ON lead (title COLLATE NOCASE) WHERE deleted = 0;
CREATE INDEX lead_contact_name ON lead (contact_name COLLATE NOCASE) WHERE deleted = 0;
CREATE INDEX lead_contact ON lead (contact_id);
CREATE INDEX lead_phase ON lead (phase_rank) WHERE deleted = 0;
CREATE INDEX lead_status ON lead (status) WHERE deleted = 0;
CREATE INDEX lead_volume ON lead (volume_minor) WHERE deleted = 0;
CREATE INDEX lead_probability ON lead (probability) WHERE deleted = 0;
CREATE INDEX lead_weighted ON lead (volume_minor * probability) WHERE deleted = 0;
CREATE INDEX lead_close_month ON lead (close_month) WHERE deleted = 0;
CREATE INDEX lead_owner ON lead (owner COLLATE NOCASE) WHERE deleted = 0;
CREATE INDEX lead_last_activity ON lead (last_activity) WHERE deleted = 0;
CREATE INDEX lead_updated ON lead (updated_at) WHERE deleted = 0;

-- Contact reports (Kontaktberichte); append-only.
CREATE TABLE activity (
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE,
  lead_id      INTEGER REFERENCES lead(id),
  contact_id   INTEGER REFERENCES contact(id),
  kind         TEXT NOT NULL,
  at           INTEGER NOT NULL,
  subject      TEXT NOT NULL DEFAULT '',
  text         TEXT NOT NULL DEFAULT '',
  author       TEXT NOT NULL DEFAULT '',
  probability  INTEGER CHECK (probability IS NULL OR probability BETWEEN 0 AND 100),
  phase        TEXT,
  created_at   INTEGER NOT NULL,
  rev          INTEGER NOT NULL DEFAULT 0,
  deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activity_lead ON activity (lead_id, at);
CREATE INDEX activity_contact ON activity (contact_id, at);

-- The closed loop: every change of a logged field, in the transaction of the change.
CREATE TABLE lead_event (
  id           INTEGER PRIMARY KEY,
  lead_id      INTEGER NOT NULL REFERENCES lead(id),
  at           INTEGER NOT NULL,
  author       TEXT NOT NULL DEFAULT '',
  field        TEXT NOT NULL,
  old_value    TEXT,
  new_value    TEXT,
  activity_id  INTEGER REFERENCES activity(id)
);
CREATE INDEX lead_event_lead ON lead_event (lead_id, at);

CREATE TABLE email (
  id          INTEGER PRIMARY KEY,
  message_id  TEXT NOT NULL,
  lead_id     INTEGER REFERENCES lead(id),
  contact_id  INTEGER REFERENCES contact(id),
  sender      TEXT NOT NULL DEFAULT '',
  recipients  TEXT NOT NULL DEFAULT '',
  cc          TEXT NOT NULL DEFAULT '',
  sent_at     INTEGER NOT NULL,
  subject     TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL DEFAULT '',
  UNIQUE (message_id, lead_id, contact_id)
);

-- Full-text search over title, contact, description and contact reports.
CREATE VIRTUAL TABLE lead_fts USING fts5 (
  title, contact, description, reports,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER lead_fts_insert AFTER INSERT ON lead BEGIN
  INSERT INTO lead_fts (rowid, title, contact, description, reports)
  VALUES (new.id, new.title, new.contact_name, new.description,
          coalesce ((SELECT group_concat (subject || ' ' || text, ' ')
                     FROM activity WHERE lead_id = new.id), ''));
END;

CREATE TRIGGER lead_fts_update AFTER UPDATE OF title, contact_name, description ON lead BEGIN
  UPDATE lead_fts SET title = new.title, contact = new.contact_name, description = new.description
  WHERE rowid = new.id;
END;

CREATE TRIGGER activity_fts_insert AFTER INSERT ON activity WHEN new.lead_id IS NOT NULL BEGIN
  UPDATE lead_fts SET reports = reports || ' ' || new.subject || ' ' || new.text
  WHERE rowid = new.lead_id;
END;
