-- Failed sign-ins per staff account: after too many in a row the account is locked for a while, and an
-- administrator may unlock it earlier (audited).
CREATE TABLE staff_login_state (
    username        TEXT PRIMARY KEY REFERENCES users (username) ON DELETE CASCADE,
    failed_attempts INT NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    last_login_at   TIMESTAMPTZ,
    -- sessions that began before this moment (a disable, a role change, a password reset) end
    sessions_valid_after TIMESTAMPTZ
);
