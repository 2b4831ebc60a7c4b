-- Which provider (relay, SMS route) carried each message, and a failure that happened after
-- the provider took it (archive copy): the message is sent, the follow-up needs an operator.
ALTER TABLE delivery ADD COLUMN provider TEXT;
ALTER TABLE delivery ADD COLUMN follow_up_failure TEXT;
CREATE INDEX delivery_follow_up_idx ON delivery (updated_at) WHERE follow_up_failure IS NOT NULL;
