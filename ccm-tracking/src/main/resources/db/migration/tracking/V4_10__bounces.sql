-- Bounces and complaints reported after sending, from the bounce mailbox or a provider's
-- webhook. The reference (a Message-ID, a provider's event id) makes a report that is read
-- twice count once; soft bounces are counted per contact point over a window from here.
CREATE TABLE bounce (
    reference    text PRIMARY KEY,
    kind         text        NOT NULL,
    source       text        NOT NULL,
    delivery_id  uuid,
    customer_id  uuid,
    recipient    text,
    status       text,
    detail       text,
    occurred_at  timestamptz NOT NULL
);

CREATE INDEX bounce_soft_by_recipient ON bounce (customer_id, lower(recipient), occurred_at DESC)
    WHERE kind = 'SOFT';
CREATE INDEX bounce_customer ON bounce (customer_id);
