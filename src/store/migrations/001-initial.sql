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
  next_follow_up TEXT CHECK (next_follow_up IS NULL OR next_follow_up GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  last_activity INTEGER,
  rev           INTEGER NOT NULL DEFAULT 0,
  deleted       INTEGER NOT NULL DEFAULT 0
);
-- One index per sort column of the lead list. Each holds the id after the
-- sort key, so that "ORDER BY key, id" is a scan of it, and the status, so
-- that the status filter (open, won, lost) is checked in it too: listing a
-- million leads, with or without that filter, never reads the table rows.
CREATE INDEX lead_title ON lead (title COLLATE NOCASE, id, status) WHERE deleted = 0;
CREATE INDEX lead_contact_name ON lead (contact_name COLLATE NOCASE, id, status) WHERE deleted = 0;
CREATE INDEX lead_contact ON lead (contact_id);
CREATE INDEX lead_phase ON lead (phase_rank, id, status) WHERE deleted = 0;
CREATE INDEX lead_status ON lead (status) WHERE deleted = 0;
CREATE INDEX lead_volume ON lead (volume_minor, id, status) WHERE deleted = 0;
CREATE INDEX lead_probability ON lead (probability, id, status) WHERE deleted = 0;
CREATE INDEX lead_weighted ON lead (volume_minor * probability, id, status) WHERE deleted = 0;
CREATE INDEX lead_close_month ON lead (close_month, id, status) WHERE deleted = 0;
CREATE INDEX lead_owner ON lead (owner COLLATE NOCASE, id, status) WHERE deleted = 0;
CREATE INDEX lead_last_activity ON lead (last_activity, id, status) WHERE deleted = 0;
CREATE INDEX lead_updated ON lead (updated_at, id, status) WHERE deleted = 0;
-- Covers summing up leads (count, volume and weighted volume per currency),
-- also by status, without reading the table rows.
CREATE INDEX lead_sums ON lead (currency, volume_minor, probability, status) WHERE deleted = 0;
-- Keyed by id: a search looks its matches up here, not in the wide table rows.
-- It holds what the default list needs of them: the sort key "last change",
-- the status and the sums (also the keys volume, probability and weighted).
CREATE INDEX lead_search ON lead (id, updated_at, status, currency, volume_minor, probability)
  WHERE deleted = 0;

-- The sums of the leads that are not deleted, per status and currency, kept
-- by the triggers below: the footer of the list, unfiltered or filtered by
-- status only, reads these few rows instead of adding up a million leads.
-- A row whose leads are gone stays, with n = 0.
CREATE TABLE lead_sum (
  status                   TEXT NOT NULL,
  currency                 TEXT NOT NULL,
  n                        INTEGER NOT NULL,
  absolute_minor           INTEGER NOT NULL,
  volume_times_probability INTEGER NOT NULL,
  PRIMARY KEY (status, currency)
) WITHOUT ROWID;

CREATE TRIGGER lead_sum_insert AFTER INSERT ON lead WHEN new.deleted = 0 BEGIN
  INSERT INTO lead_sum (status, currency, n, absolute_minor, volume_times_probability)
  VALUES (new.status, new.currency, 1, new.volume_minor, new.volume_minor * new.probability)
  ON CONFLICT (status, currency) DO UPDATE SET
    n = n + 1,
    absolute_minor = absolute_minor + excluded.absolute_minor,
    volume_times_probability = volume_times_probability + excluded.volume_times_probability;
END;

CREATE TRIGGER lead_sum_delete AFTER DELETE ON lead WHEN old.deleted = 0 BEGIN
  UPDATE lead_sum SET
    n = n - 1,
    absolute_minor = absolute_minor - old.volume_minor,
    volume_times_probability = volume_times_probability - old.volume_minor * old.probability
  WHERE status = old.status AND currency = old.currency;
END;

CREATE TRIGGER lead_sum_update
AFTER UPDATE OF status, currency, volume_minor, probability, deleted ON lead BEGIN
  UPDATE lead_sum SET
    n = n - 1,
    absolute_minor = absolute_minor - old.volume_minor,
    volume_times_probability = volume_times_probability - old.volume_minor * old.probability
  WHERE status = old.status AND currency = old.currency AND old.deleted = 0;
  INSERT INTO lead_sum (status, currency, n, absolute_minor, volume_times_probability)
  SELECT new.status, new.currency, 1, new.volume_minor, new.volume_minor * new.probability
  WHERE new.deleted = 0
  ON CONFLICT (status, currency) DO UPDATE SET
    n = n + 1,
    absolute_minor = absolute_minor + excluded.absolute_minor,
    volume_times_probability = volume_times_probability + excluded.volume_times_probability;
END;

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
-- Foreign-key checks look children up by their parent: without these, writing
-- an activity or lead while deferred violations are pending scans whole tables.
CREATE INDEX lead_event_activity ON lead_event (activity_id) WHERE activity_id IS NOT NULL;

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
CREATE INDEX email_lead ON email (lead_id);
CREATE INDEX email_contact ON email (contact_id);

-- Full-text search over title, contact, description and contact reports.
-- Every search word is a prefix ("nordw" finds Nordwind): the prefix indexes
-- make the first keystrokes ("n", "no", "nor") one doclist read each
-- instead of a merge of every term that starts so.
CREATE VIRTUAL TABLE lead_fts USING fts5 (
  title, contact, description, reports,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
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
