-- Recipients handed to Kafka and not yet accepted: the coordinator looks for stale ones
-- every round across all campaigns. Without this index that look-up read the whole
-- table, every campaign ever sent included, twice a second.
CREATE INDEX campaign_recipient_queued_idx ON campaign_recipient (queued_at) WHERE status = 'QUEUED';
