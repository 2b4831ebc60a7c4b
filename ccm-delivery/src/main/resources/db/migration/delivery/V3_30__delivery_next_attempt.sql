-- when a delivery that failed temporarily is tried again; meaningful while it is TEMPORARY_FAILURE
ALTER TABLE delivery ADD COLUMN next_attempt_at timestamptz;
