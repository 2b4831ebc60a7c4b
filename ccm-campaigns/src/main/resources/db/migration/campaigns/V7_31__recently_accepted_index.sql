-- A campaign's progress reports the rate of the last few seconds: counted from this index,
-- that part of every progress request reads the recent recipients only, not all of them.
CREATE INDEX campaign_recipient_accepted_idx ON campaign_recipient (campaign_id, accepted_at)
  WHERE accepted_at IS NOT NULL;
