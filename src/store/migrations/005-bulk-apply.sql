-- Leads local cache, schema version 5: applying many pulled rows at once
-- (an initial sync) without paying per row for indexes made for the list.
--
-- FTS5 writes its pending terms to disk at every statement savepoint, so
-- a sync page that inserted or updated 500 leads one statement at a time
-- wrote 500 tiny index segments and merged them (about half of the time of
-- an initial sync). While fts_deferred is 1 the triggers below do nothing;
-- the store then indexes the changed leads itself with one statement
-- before it commits (crm-store-sync.c, index_deferred ()). The flag is
-- only ever set inside a transaction, so a crash cannot leave it set.
CREATE TABLE store_flags (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  fts_deferred  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO store_flags (id) VALUES (1);

DROP TRIGGER lead_fts_insert;
DROP TRIGGER lead_fts_update;
DROP TRIGGER activity_fts_insert;

CREATE TRIGGER lead_fts_insert AFTER INSERT ON lead
WHEN (SELECT fts_deferred FROM store_flags) = 0 BEGIN
  INSERT INTO lead_fts (rowid, title, contact, description, reports)
  VALUES (new.id, new.title, new.contact_name, new.description,
          coalesce ((SELECT group_concat (subject || ' ' || text, ' ')
                     FROM activity WHERE lead_id = new.id), ''));
END;

CREATE TRIGGER lead_fts_update AFTER UPDATE OF title, contact_name, description ON lead
WHEN (SELECT fts_deferred FROM store_flags) = 0 BEGIN
  UPDATE lead_fts SET title = new.title, contact = new.contact_name, description = new.description
  WHERE rowid = new.id;
END;

CREATE TRIGGER activity_fts_insert AFTER INSERT ON activity
WHEN new.lead_id IS NOT NULL AND (SELECT fts_deferred FROM store_flags) = 0 BEGIN
  UPDATE lead_fts SET reports = reports || ' ' || new.subject || ' ' || new.text
  WHERE rowid = new.lead_id;
END;

-- The list's sort indexes, set aside while an initial sync fills the lead
-- table: these B-trees updated row by row cost about 80 % of inserting a
-- lead, and building them once at the end costs a fifth of that. The
-- definitions are saved here in the same transaction that drops them, and
-- put back by the last page of the pull, or, after a crash, when the store
-- opens (crm-store-sync.c: suspend_indexes (), _crm_store_restore_indexes ()).
CREATE TABLE suspended_index (
  name  TEXT PRIMARY KEY,
  sql   TEXT NOT NULL
);
