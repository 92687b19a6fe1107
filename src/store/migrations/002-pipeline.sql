-- Leads local cache, schema version 2: the Pipeline board.
-- Each column of the board lists the open leads of one phase by expected
-- close month and sums them up. Without this index that is a scan of the
-- close-month index with a table row read per lead (seconds at a million
-- leads, per column); with it, a range of one phase, in order, that
-- holds the status and the sums: the table rows are never read.
CREATE INDEX lead_pipeline ON lead (phase, close_month, id, status, currency, volume_minor, probability)
  WHERE deleted = 0;
