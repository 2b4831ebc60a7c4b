-- Which offers a delivery's document was given. A send that is retried composes its document
-- again: it must show the same offers without counting them against the customer's cap twice.
CREATE TABLE template_offer_claim
(
  reference  UUID NOT NULL,
  offer_key  TEXT NOT NULL REFERENCES template_offer (key) ON DELETE CASCADE,
  claimed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  PRIMARY KEY (reference, offer_key)
);
