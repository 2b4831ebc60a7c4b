-- Targeted offers: marketing messages placed in transactional documents, chosen per
-- customer by segment and priority, each shown to a customer at most max_impressions times.
CREATE TABLE template_offer
(
  key             TEXT PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name            TEXT NOT NULL,
  segment_key     TEXT,
  priority        INT NOT NULL DEFAULT 0,
  max_impressions INT NOT NULL CHECK (max_impressions > 0),
  templates       TEXT[] NOT NULL DEFAULT '{}',
  content         JSONB NOT NULL,
  active          BOOLEAN NOT NULL DEFAULT true,
  updated_by      TEXT NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

-- how often each customer has been shown each offer
CREATE TABLE template_offer_impression
(
  offer_key     TEXT NOT NULL REFERENCES template_offer (key) ON DELETE CASCADE,
  customer_id   UUID NOT NULL,
  impressions   INT NOT NULL,
  last_shown_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (offer_key, customer_id)
);
