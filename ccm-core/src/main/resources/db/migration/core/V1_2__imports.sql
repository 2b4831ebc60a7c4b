-- The import job that last wrote the customer: a second row with the same external id in one
-- file is recognised as a duplicate without holding the file's ids in memory.
ALTER TABLE customer ADD COLUMN import_job UUID;

ALTER TABLE import_job ADD COLUMN bytes_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE import_job ADD COLUMN bytes_read BIGINT NOT NULL DEFAULT 0;
