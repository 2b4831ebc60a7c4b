-- Spring Modulith archives completed publications here when completion-mode is ARCHIVE.
CREATE TABLE IF NOT EXISTS event_publication_archive
(
  id                     UUID NOT NULL,
  listener_id            TEXT NOT NULL,
  event_type             TEXT NOT NULL,
  serialized_event       TEXT NOT NULL,
  publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
  completion_date        TIMESTAMP WITH TIME ZONE,
  status                 TEXT,
  completion_attempts    INT,
  last_resubmission_date TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS event_publication_archive_serialized_event_hash_idx ON event_publication_archive USING hash(serialized_event);
CREATE INDEX IF NOT EXISTS event_publication_archive_by_completion_date_idx ON event_publication_archive (completion_date);

-- Declared customer attributes: segments and templates rely on their types; PII ones are erased.
CREATE TABLE attribute_definition
(
  name        TEXT PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  type        TEXT NOT NULL CHECK (type IN ('STRING', 'NUMBER', 'BOOLEAN', 'DATE')),
  pii         BOOLEAN NOT NULL,
  description TEXT,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
-- the loyalty tier the demo data and the default templates use
INSERT INTO attribute_definition (name, type, pii, description) VALUES ('tier', 'STRING', false, 'Loyalty tier');

CREATE TABLE customer
(
  id             UUID PRIMARY KEY,
  external_id    TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  locale         TEXT NOT NULL,
  time_zone      TEXT NOT NULL,
  status         TEXT NOT NULL,
  email          TEXT,
  email_state    TEXT,
  phone          TEXT,
  phone_state    TEXT,
  address_lines  TEXT[],
  postcode       TEXT,
  city           TEXT,
  country        TEXT,
  address_state  TEXT,
  attributes     JSONB NOT NULL DEFAULT '{}',
  -- {"TRANSACTIONAL": ["EMAIL", "SMS"], "MARKETING": ["EMAIL"]}, most preferred first
  preferences    JSONB NOT NULL DEFAULT '{}',
  quiet_start    TIME,
  quiet_end      TIME,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX customer_email_idx ON customer (lower(email));
CREATE INDEX customer_phone_idx ON customer (phone);
CREATE INDEX customer_updated_idx ON customer (updated_at, id);
CREATE INDEX customer_attributes_idx ON customer USING gin (attributes jsonb_path_ops);

-- Append-only consent history; the current state is the latest row per channel and purpose.
CREATE TABLE consent_event
(
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id UUID NOT NULL REFERENCES customer (id),
  channel     TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  granted     BOOLEAN NOT NULL,
  source      TEXT NOT NULL,
  changed_by  TEXT,
  recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX consent_event_current_idx ON consent_event (customer_id, channel, purpose, recorded_at DESC, id DESC);

-- Who changed which field of a customer, and when. Values are not kept, so no PII lands here.
CREATE TABLE customer_audit
(
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id UUID NOT NULL REFERENCES customer (id),
  field       TEXT NOT NULL,
  action      TEXT NOT NULL,
  changed_by  TEXT NOT NULL,
  changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX customer_audit_customer_idx ON customer_audit (customer_id, changed_at DESC);

CREATE TABLE customer_transaction
(
  id          UUID PRIMARY KEY,
  customer_id UUID NOT NULL REFERENCES customer (id),
  type        TEXT NOT NULL,
  product     TEXT,
  amount      NUMERIC(19, 4),
  currency    CHAR(3),
  occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
  payload     JSONB NOT NULL DEFAULT '{}',
  recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX customer_transaction_customer_idx ON customer_transaction (customer_id, occurred_at DESC);
CREATE INDEX customer_transaction_product_idx ON customer_transaction (product, occurred_at DESC, customer_id);

-- The interaction timeline: append-only; a customer's page is one range scan of the second index.
CREATE TABLE interaction
(
  id               UUID PRIMARY KEY,
  customer_id      UUID NOT NULL,
  type             TEXT NOT NULL,
  channel          TEXT,
  communication_id UUID,
  delivery_id      UUID,
  occurred_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  detail           JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX interaction_timeline_idx ON interaction (customer_id, occurred_at DESC, id DESC);

CREATE TABLE customer_erasure
(
  customer_id UUID PRIMARY KEY REFERENCES customer (id),
  erased_by   TEXT NOT NULL,
  erased_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE segment
(
  key         TEXT PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name        TEXT NOT NULL,
  rule        JSONB NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE import_job
(
  id          UUID PRIMARY KEY,
  format      TEXT NOT NULL,
  status      TEXT NOT NULL,
  processed   BIGINT NOT NULL DEFAULT 0,
  accepted    BIGINT NOT NULL DEFAULT 0,
  rejected    BIGINT NOT NULL DEFAULT 0,
  failure     TEXT,
  submitted_by TEXT,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE
);

-- Rejected rows with their reason; the raw row is kept so the sender can fix and resend it.
CREATE TABLE import_rejection
(
  job_id      UUID NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
  row_number  BIGINT NOT NULL,
  external_id TEXT,
  reason      TEXT NOT NULL,
  raw         TEXT,
  PRIMARY KEY (job_id, row_number)
);
CREATE INDEX import_rejection_external_idx ON import_rejection (external_id);
