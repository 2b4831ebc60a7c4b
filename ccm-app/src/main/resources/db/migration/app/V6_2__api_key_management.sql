-- API keys are managed by administrators: named, optionally expiring, optionally bound to address
-- ranges, with the time they were last used. A revoked key keeps its row (the audit log refers to it),
-- so a name is unique among the keys still in force only.
ALTER TABLE api_key
    ADD COLUMN expires_at     TIMESTAMPTZ,
    ADD COLUMN allowed_ranges TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN last_used_at   TIMESTAMPTZ,
    ADD COLUMN created_by     TEXT,
    ADD COLUMN revoked_by     TEXT;

ALTER TABLE api_key DROP CONSTRAINT api_key_client_key;
CREATE UNIQUE INDEX api_key_active_client ON api_key (client) WHERE revoked_at IS NULL;
