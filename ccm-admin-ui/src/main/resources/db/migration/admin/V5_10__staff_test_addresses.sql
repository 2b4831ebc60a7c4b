-- Where a staff member's test messages from the studio go: their own email address and phone
-- number, set by themselves. Test messages never reach customers' records or the figures.
CREATE TABLE staff_test_address (
    username   TEXT PRIMARY KEY,
    email      TEXT,
    phone      TEXT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
