-- Offers reviewed like templates: an optional window in which documents show the offer,
-- the marketer's submission for review, a copy of what was approved last (so that the
-- approver of a change sees what changed) and every step with who, when and why.
ALTER TABLE template_offer
  ADD COLUMN starts_at         TIMESTAMP WITH TIME ZONE,
  ADD COLUMN ends_at           TIMESTAMP WITH TIME ZONE,
  ADD COLUMN submitted_by      TEXT,
  ADD COLUMN submitted_at      TIMESTAMP WITH TIME ZONE,
  ADD COLUMN approved_snapshot JSONB,
  ADD CONSTRAINT template_offer_window CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at);

-- Never changed; removed with an offer that is discarded (one never approved).
CREATE TABLE template_offer_change
(
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  offer_key   TEXT NOT NULL REFERENCES template_offer (key) ON DELETE CASCADE,
  action      TEXT NOT NULL,
  actor       TEXT NOT NULL,
  comment     TEXT,
  occurred_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX template_offer_change_offer ON template_offer_change (offer_key, id);
