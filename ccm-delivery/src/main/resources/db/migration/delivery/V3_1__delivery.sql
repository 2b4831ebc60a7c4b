-- Communications accepted from back-office systems and their per-channel deliveries.
CREATE TABLE communication
(
  id                   UUID PRIMARY KEY,
  client_id            TEXT NOT NULL,
  customer_id          UUID NOT NULL,
  customer_external_id TEXT NOT NULL,
  template             TEXT NOT NULL,
  purpose              TEXT NOT NULL,
  data                 JSONB NOT NULL,
  -- channels named by the request; null means "follow the customer's preference"
  requested_channels   JSONB,
  accepted_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  routed_at            TIMESTAMP WITH TIME ZONE
);
CREATE INDEX communication_accepted_at_idx ON communication (accepted_at DESC);
CREATE INDEX communication_customer_idx ON communication (customer_id);

-- One row per client and key; the hash is of the canonical request body.
CREATE TABLE idempotency_key
(
  client_id        TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  request_hash     TEXT NOT NULL,
  communication_id UUID NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (client_id, idempotency_key)
);

CREATE TABLE delivery
(
  id                 UUID PRIMARY KEY,
  communication_id   UUID NOT NULL REFERENCES communication (id),
  customer_id        UUID NOT NULL,
  channel            TEXT NOT NULL,
  purpose            TEXT NOT NULL,
  status             TEXT NOT NULL,
  failure_reason     TEXT,
  not_before         TIMESTAMP WITH TIME ZONE,
  provider_reference TEXT,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  sent_at            TIMESTAMP WITH TIME ZONE
);
CREATE INDEX delivery_communication_idx ON delivery (communication_id);
CREATE INDEX delivery_marketing_idx ON delivery (customer_id, created_at) WHERE purpose = 'MARKETING';
CREATE INDEX delivery_deferred_idx ON delivery (not_before) WHERE status = 'DEFERRED';

CREATE TABLE delivery_status_history
(
  id          BIGSERIAL PRIMARY KEY,
  delivery_id UUID NOT NULL REFERENCES delivery (id),
  status      TEXT NOT NULL,
  at          TIMESTAMP WITH TIME ZONE NOT NULL,
  reason      TEXT
);
CREATE INDEX delivery_status_history_delivery_idx ON delivery_status_history (delivery_id, id);

-- Every document exactly as it left the platform.
CREATE TABLE archived_document
(
  delivery_id      UUID PRIMARY KEY REFERENCES delivery (id),
  communication_id UUID NOT NULL,
  channel          TEXT NOT NULL,
  content_type     TEXT NOT NULL,
  filename         TEXT NOT NULL,
  content          BYTEA NOT NULL,
  sha256           TEXT NOT NULL,
  archived_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX archived_document_communication_idx ON archived_document (communication_id, channel);

CREATE TABLE portal_document
(
  id               UUID PRIMARY KEY,
  customer_id      UUID NOT NULL,
  communication_id UUID NOT NULL,
  delivery_id      UUID NOT NULL UNIQUE,
  title            TEXT NOT NULL,
  html             TEXT NOT NULL,
  pdf              BYTEA,
  delivered_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  read_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX portal_document_customer_idx ON portal_document (customer_id, delivered_at DESC);

CREATE TABLE print_batch
(
  batch_date DATE PRIMARY KEY,
  directory  TEXT NOT NULL,
  documents  INT NOT NULL DEFAULT 0,
  opened_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  closed_at  TIMESTAMP WITH TIME ZONE
);

-- Kafka records that failed after every retry, kept for inspection and replay.
CREATE TABLE dead_letter
(
  id             UUID PRIMARY KEY,
  original_topic TEXT NOT NULL,
  record_key     TEXT,
  payload        TEXT NOT NULL,
  error          TEXT,
  delivery_id    UUID,
  received_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  replayed_at    TIMESTAMP WITH TIME ZONE,
  replays        INT NOT NULL DEFAULT 0
);
CREATE INDEX dead_letter_received_idx ON dead_letter (received_at DESC);

-- ShedLock: scheduled jobs run on one replica at a time.
CREATE TABLE IF NOT EXISTS shedlock
(
  name       VARCHAR(64) PRIMARY KEY,
  lock_until TIMESTAMP WITH TIME ZONE NOT NULL,
  locked_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  locked_by  VARCHAR(255) NOT NULL
);
