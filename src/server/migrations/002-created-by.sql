-- Who created a lead or contact: the author of every field nobody changed
-- since (kept_by of a conflict), so that a create writes no field_author rows.
ALTER TABLE lead ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE contact ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
