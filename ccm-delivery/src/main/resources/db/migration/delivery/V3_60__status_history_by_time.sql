-- The operations dashboard counts messages sent and failed sending attempts per minute and
-- channel from delivery's own tables, which every replica writes, so the figures are the
-- platform's and not one instance's. Sent: the deliveries' send time with their channel, read
-- from the index alone. Failed attempts: the failure rows of the status history by time (few),
-- each joined to its delivery for the channel.
CREATE INDEX delivery_sent_at_idx ON delivery (sent_at) INCLUDE (channel) WHERE sent_at IS NOT NULL;
CREATE INDEX delivery_status_history_failure_idx ON delivery_status_history (at) INCLUDE (delivery_id)
  WHERE status IN ('TEMPORARY_FAILURE', 'PERMANENT_FAILURE', 'TECHNICAL_FAILURE');
