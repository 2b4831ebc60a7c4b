-- The API key that accepted a communication, so that the status changes of its deliveries reach
-- the webhook that key registered. NULL for communications accepted otherwise (campaigns, staff).
ALTER TABLE communication ADD COLUMN api_key_id uuid;
