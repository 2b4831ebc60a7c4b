-- Staff members' optional second factor: a TOTP secret, encrypted by the application (AES-GCM), and
-- the last time step whose code was accepted, so that a code is used once only.
CREATE TABLE staff_second_factor (
    username        TEXT PRIMARY KEY REFERENCES users (username) ON DELETE CASCADE,
    secret          TEXT NOT NULL,
    enrolled_at     TIMESTAMPTZ NOT NULL,
    last_used_step  BIGINT
);
