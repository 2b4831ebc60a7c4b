-- Why and since when a contact point is in its state (bounced, complained, invalid), for routing,
-- the timeline and the staff who may clear it.
ALTER TABLE customer ADD COLUMN email_state_reason TEXT;
ALTER TABLE customer ADD COLUMN email_state_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE customer ADD COLUMN phone_state_reason TEXT;
ALTER TABLE customer ADD COLUMN phone_state_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE customer ADD COLUMN address_state_reason TEXT;
ALTER TABLE customer ADD COLUMN address_state_at TIMESTAMP WITH TIME ZONE;
