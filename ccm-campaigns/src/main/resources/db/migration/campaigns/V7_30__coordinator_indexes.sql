-- The coordinating job runs twice a second; what it looks up must not grow with the
-- recipient lists of every campaign ever sent.

-- Recipients handed to Kafka and not yet accepted, looked for across all campaigns.
CREATE INDEX campaign_recipient_queued_idx ON campaign_recipient (queued_at) WHERE status = 'QUEUED';

-- Whether a campaign still has an open recipient: without it the planner reads the table
-- from its start (older campaigns first) until it meets one.
CREATE INDEX campaign_recipient_open_idx ON campaign_recipient (campaign_id, seq)
  WHERE status IN ('PENDING', 'HELD', 'QUEUED', 'ACCEPTED', 'DEFERRED');
