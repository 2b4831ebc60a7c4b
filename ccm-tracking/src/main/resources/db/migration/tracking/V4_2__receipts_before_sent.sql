-- A provider's receipt may arrive before the delivery module's SENT event has been processed:
-- the row is then created from the receipt and completed by the event.
ALTER TABLE tracked_delivery ALTER COLUMN communication_id DROP NOT NULL;
ALTER TABLE tracked_delivery ALTER COLUMN customer_id DROP NOT NULL;
