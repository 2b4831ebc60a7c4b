-- One row per tracked delivery: what was sent to whom with which template, and the engagement
-- counted against it. Repeated opens (mail-client image proxies) only raise the counters.
CREATE TABLE tracked_delivery (
    delivery_id       uuid PRIMARY KEY,
    communication_id  uuid        NOT NULL,
    customer_id       uuid        NOT NULL,
    channel           text        NOT NULL,
    template          text,
    -- the E.164 number an SMS went to, as reported by the provider; used to match inbound replies
    address           text,
    sent_at           timestamptz,
    opens             integer     NOT NULL DEFAULT 0,
    clicks            integer     NOT NULL DEFAULT 0,
    first_opened_at   timestamptz,
    first_clicked_at  timestamptz,
    unsubscribed_at   timestamptz
);

CREATE INDEX tracked_delivery_customer ON tracked_delivery (customer_id);
CREATE INDEX tracked_delivery_template ON tracked_delivery (template) WHERE template IS NOT NULL;
CREATE INDEX tracked_delivery_address ON tracked_delivery (address, sent_at DESC) WHERE address IS NOT NULL;

-- Everything recorded from outside (opens, clicks, unsubscribes, provider receipts, inbound
-- replies), kept for engagement statistics and audits.
CREATE TABLE tracking_interaction (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type              text        NOT NULL,
    customer_id       uuid,
    channel           text,
    communication_id  uuid,
    delivery_id       uuid,
    occurred_at       timestamptz NOT NULL,
    detail            jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX tracking_interaction_customer ON tracking_interaction (customer_id, occurred_at DESC);
CREATE INDEX tracking_interaction_delivery ON tracking_interaction (delivery_id);
