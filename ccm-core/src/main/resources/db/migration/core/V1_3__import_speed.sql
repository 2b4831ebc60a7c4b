-- Measured on bulk imports: every foreign-key check is a trigger per row, and nothing reads
-- customers by update time. The audit trail is append-only and erasure keeps customer rows, so
-- the reference cannot dangle.
ALTER TABLE customer_audit DROP CONSTRAINT IF EXISTS customer_audit_customer_id_fkey;
DROP INDEX IF EXISTS customer_updated_idx;
