-- A purged record's entry in `changes` stays as an evict marker (pull sends
-- "op": "evict") until a later purge drops markers older than its limit and
-- moves the tombstone horizon past them.
ALTER TABLE changes ADD COLUMN evicted_at INTEGER;
