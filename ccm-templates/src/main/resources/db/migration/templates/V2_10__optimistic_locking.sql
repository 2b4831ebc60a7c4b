-- Optimistic locking of what staff edit: every change raises the counter, and a change based on
-- an older one is refused, so two people editing one thing cannot overwrite each other.
-- template_version already names its number "version": its counter is the draft's revision.
ALTER TABLE template ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE template_version ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE template_offer ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
