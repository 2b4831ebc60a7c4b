-- Engagement rules ("opened nothing in 6 months") are counted over every customer. Probing the
-- ten-million-row timeline once per customer took most of a segment count (ccm-bench), so the
-- latest interaction per customer, type and channel is kept beside it. One statement-level
-- trigger keeps it exact for every insert path, bulk ones included.
CREATE TABLE customer_engagement
(
  customer_id UUID NOT NULL,
  type        TEXT NOT NULL,
  -- '' for interactions without a channel, so that the key has no NULL in it
  channel     TEXT NOT NULL,
  last_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (customer_id, type, channel)
);

CREATE FUNCTION customer_engagement_track() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  INSERT INTO customer_engagement (customer_id, type, channel, last_at)
  SELECT customer_id, type, coalesce(channel, ''), max(occurred_at)
  FROM inserted
  GROUP BY customer_id, type, coalesce(channel, '')
  ON CONFLICT (customer_id, type, channel)
    DO UPDATE SET last_at = greatest(customer_engagement.last_at, excluded.last_at);
  RETURN NULL;
END;
$$;

CREATE TRIGGER interaction_engagement
  AFTER INSERT ON interaction
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION customer_engagement_track();

INSERT INTO customer_engagement (customer_id, type, channel, last_at)
SELECT customer_id, type, coalesce(channel, ''), max(occurred_at)
FROM interaction
GROUP BY customer_id, type, coalesce(channel, '');

-- Spend rules sum a window of every customer's transactions: read in customer order from the
-- index alone, the sums stream without a hash table per count.
CREATE INDEX customer_transaction_spend_idx ON customer_transaction (customer_id) INCLUDE (occurred_at, amount, currency);
