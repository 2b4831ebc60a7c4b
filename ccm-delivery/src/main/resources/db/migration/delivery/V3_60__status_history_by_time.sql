-- The operations dashboard counts messages sent and failed attempts per minute and channel
-- from the status history (every replica writes it, so the figures are the platform's, not one
-- instance's): only the outcome rows of the last hour are read, through this index.
CREATE INDEX delivery_status_history_outcome_idx ON delivery_status_history (at, delivery_id)
  WHERE status IN ('SENT', 'TEMPORARY_FAILURE', 'PERMANENT_FAILURE', 'TECHNICAL_FAILURE');
