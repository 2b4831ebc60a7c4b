-- Append-only history of the customer's choices per topic (newsletter, product news...) that
-- templates name; the current choice is the latest row per topic. No row means the customer
-- receives the topic.
CREATE TABLE topic_choice_event
(
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id UUID NOT NULL REFERENCES customer (id),
  topic       TEXT NOT NULL,
  opted_out   BOOLEAN NOT NULL,
  source      TEXT NOT NULL,
  changed_by  TEXT NOT NULL,
  recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX topic_choice_event_current_idx ON topic_choice_event (customer_id, topic, recorded_at DESC, id DESC);
