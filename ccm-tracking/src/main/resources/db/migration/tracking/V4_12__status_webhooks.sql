-- A client system's webhook, one per API key, and the outbox of status changes POSTed to it.
-- The secret signs the requests, so it is kept as given (it is shown to the client once).
CREATE TABLE status_webhook (
    api_key_id  uuid PRIMARY KEY,
    url         text        NOT NULL,
    secret      text        NOT NULL,
    created_at  timestamptz NOT NULL
);

-- One row per status change to POST. Rows of one communication go out in the order the changes
-- happened; a row is retried with growing delays until delivered or until it is given up on.
CREATE TABLE status_webhook_message (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    api_key_id        uuid        NOT NULL,
    communication_id  uuid        NOT NULL,
    delivery_id       uuid        NOT NULL,
    status            text        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    payload           text        NOT NULL,
    created_at        timestamptz NOT NULL,
    next_attempt_at   timestamptz NOT NULL,
    attempts          integer     NOT NULL DEFAULT 0,
    last_attempt_at   timestamptz,
    last_result       text,
    delivered_at      timestamptz,
    failed_at         timestamptz
);

CREATE INDEX status_webhook_message_due ON status_webhook_message (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX status_webhook_message_pending ON status_webhook_message (api_key_id, communication_id, occurred_at, id)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX status_webhook_message_recent ON status_webhook_message (api_key_id, id DESC);

-- a status change is queued once, even when its event is handled again after a crash
CREATE UNIQUE INDEX status_webhook_message_once ON status_webhook_message (api_key_id, delivery_id, status, occurred_at);
