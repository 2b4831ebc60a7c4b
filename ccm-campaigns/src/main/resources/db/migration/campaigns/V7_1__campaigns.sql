-- A campaign: what to send to whom, when and how fast. The definition is the request as
-- created (schedule, throttle, pilot, A/B test, follow-up steps); the columns below it are
-- what the engine changes as the campaign runs.
CREATE TABLE campaign
(
  id                 UUID PRIMARY KEY,
  name               TEXT NOT NULL,
  segment_key        TEXT NOT NULL,
  template_key       TEXT NOT NULL,
  purpose            TEXT NOT NULL CHECK (purpose IN ('TRANSACTIONAL', 'MARKETING')),
  definition         JSONB NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED', 'CANCELLED', 'FINISHED')),
  -- the template version of each step, pinned at launch (index 0 = the first step)
  template_versions  JSONB,
  current_step       INT NOT NULL DEFAULT 1,
  step_started_at    TIMESTAMP WITH TIME ZONE,
  -- pilot or A/B test: when the rest went out, and which variant won
  released_at        TIMESTAMP WITH TIME ZONE,
  winner             INT,
  total              BIGINT,
  created_by         TEXT NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  launched_at        TIMESTAMP WITH TIME ZONE,
  starts_at          TIMESTAMP WITH TIME ZONE,
  finished_at        TIMESTAMP WITH TIME ZONE,
  updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX campaign_created_idx ON campaign (created_at DESC, id);
CREATE INDEX campaign_active_idx ON campaign (state) WHERE state IN ('SCHEDULED', 'RUNNING', 'PAUSED');

-- The recipients frozen at launch, one row per customer and step. seq orders them by a
-- hash of campaign and customer: a random but reproducible order, so the pilot share and
-- the A/B groups are a fair sample and the same on every replay.
CREATE TABLE campaign_recipient
(
  campaign_id      UUID NOT NULL REFERENCES campaign (id),
  step             INT NOT NULL,
  seq              BIGINT NOT NULL,
  customer_id      UUID NOT NULL,
  external_id      TEXT NOT NULL,
  time_zone        TEXT NOT NULL,
  -- the channel the customer is expected on, for per-channel throttling
  channel          TEXT NOT NULL,
  -- 1: the first wave (everyone, or the pilot / A/B test group); 2: the rest, held back
  wave             SMALLINT NOT NULL,
  variant          SMALLINT,
  status           TEXT NOT NULL CHECK (status IN ('PENDING', 'HELD', 'QUEUED', 'ACCEPTED', 'DEFERRED', 'SENT',
                                                   'SKIPPED', 'FAILED', 'CANCELLED')),
  reason           TEXT,
  communication_id UUID,
  sent_channel     TEXT,
  -- the furthest the delivery got: 1 sent, 2 delivered, 3 opened, 4 clicked, 5 responded
  engagement       SMALLINT NOT NULL DEFAULT 0,
  -- delivery reported a change that the engine has not looked at yet
  outcome_changed  BOOLEAN NOT NULL DEFAULT FALSE,
  queued_at        TIMESTAMP WITH TIME ZONE,
  accepted_at      TIMESTAMP WITH TIME ZONE,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (campaign_id, step, seq)
);
-- fan-out walks the pending rows of a step in seq order
CREATE INDEX campaign_recipient_pending_idx ON campaign_recipient (campaign_id, step, seq) WHERE status = 'PENDING';
CREATE INDEX campaign_recipient_status_idx ON campaign_recipient (campaign_id, status);
CREATE UNIQUE INDEX campaign_recipient_communication_idx ON campaign_recipient (communication_id)
  WHERE communication_id IS NOT NULL;
CREATE INDEX campaign_recipient_changed_idx ON campaign_recipient (campaign_id) WHERE outcome_changed;

-- Token buckets shared by every replica (Bucket4j's PostgreSQL proxy manager)
CREATE TABLE campaign_bucket
(
  id         TEXT PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT
);
