-- Per customer: portal links issued before valid_from are void (a leaked or forwarded link,
-- a customer who asked). One row per customer; a later revocation moves the mark forward.
CREATE TABLE portal_link_revocation (
    customer_id  uuid PRIMARY KEY,
    valid_from   timestamptz NOT NULL,
    revoked_at   timestamptz NOT NULL,
    revoked_by   text        NOT NULL
);
