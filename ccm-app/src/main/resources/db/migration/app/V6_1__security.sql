-- API keys of back-office systems. Only a SHA-256 digest of each key is kept: keys are 256-bit random
-- secrets, so a fast digest is as safe as a slow hash and lets a request find its key by index.
CREATE TABLE api_key (
    id           UUID PRIMARY KEY,
    client       TEXT NOT NULL UNIQUE,
    key_prefix   TEXT NOT NULL,
    key_digest   TEXT NOT NULL UNIQUE,
    scopes       TEXT[] NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ
);

-- Staff accounts in Spring Security's JDBC user schema; passwords are BCrypt-encoded.
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    password TEXT NOT NULL,
    enabled  BOOLEAN NOT NULL
);

CREATE TABLE authorities (
    username  TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    authority TEXT NOT NULL,
    CONSTRAINT authorities_unique UNIQUE (username, authority)
);
