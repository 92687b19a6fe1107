-- Leads local cache, schema version 3: exchange rates for the statistics.
--
-- A rate says how many units of the company currency (`base`, the
-- default_currency in meta when the rate was set) one unit of `currency`
-- is worth, as an integer scaled by 10^6 (1.0825 -> 1082500): exact, never
-- floating point. Rates are kept per base currency, so changing the
-- company currency never applies a rate meant for another one.
CREATE TABLE exchange_rate (
  base         TEXT NOT NULL CHECK (length(base) = 3),
  currency     TEXT NOT NULL CHECK (length(currency) = 3 AND currency <> base),
  rate_micros  INTEGER NOT NULL CHECK (rate_micros > 0),
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (base, currency)
) WITHOUT ROWID;

-- What the statistics summary reads of each lead (crm-store-stats.c), in
-- id order: building it scans this narrow index instead of the wide rows
-- (titles, descriptions) of a million leads. It holds `deleted` too, so
-- that SQLite 3.40 sees it covers the query.
CREATE INDEX lead_stats ON lead
  (id, volume_minor, probability, close_month, owner, status, phase, unit, type, currency, deleted)
  WHERE deleted = 0;
