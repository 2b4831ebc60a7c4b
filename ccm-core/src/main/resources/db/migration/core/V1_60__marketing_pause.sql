-- A customer may pause marketing until a date from the portal's preference centre; routing defers
-- marketing until then. Transactional documents are never paused.
ALTER TABLE customer ADD COLUMN marketing_paused_until TIMESTAMPTZ;
