-- A customer may put a portal document away: archived documents leave the inbox's main list but
-- stay readable and downloadable under "Archived".
ALTER TABLE portal_document ADD COLUMN archived_at TIMESTAMPTZ;
