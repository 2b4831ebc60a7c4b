-- When each recipient first got as far as each stage, so results can be charted over time.
ALTER TABLE campaign_recipient
  ADD COLUMN sent_at      TIMESTAMP WITH TIME ZONE,
  ADD COLUMN delivered_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN opened_at    TIMESTAMP WITH TIME ZONE,
  ADD COLUMN clicked_at   TIMESTAMP WITH TIME ZONE,
  ADD COLUMN responded_at TIMESTAMP WITH TIME ZONE;

-- the campaign list filtered by state, newest first
CREATE INDEX campaign_state_created_idx ON campaign (state, created_at DESC, id);
