-- Optimistic locking of saved segments: every change raises the version, and a change based on
-- an older version is refused, so two people editing one segment cannot overwrite each other.
ALTER TABLE segment ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
