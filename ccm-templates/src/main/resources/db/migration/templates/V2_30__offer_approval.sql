-- Offers are marketing placed in transactional documents: each content change needs an approval by
-- someone other than its editor before composition shows it. Offers stored before this change were
-- never reviewed, so they start unapproved. An offer once approved is never deleted, only retired.
ALTER TABLE template_offer
  ADD COLUMN approved_by   TEXT,
  ADD COLUMN approved_at   TIMESTAMP WITH TIME ZONE,
  ADD COLUMN ever_approved BOOLEAN NOT NULL DEFAULT false;
