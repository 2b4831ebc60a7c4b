-- Opens of image proxies (Apple Mail Privacy Protection, Google's image proxy) and clicks of
-- mail security scanners are kept, flagged with the rule that caught them (NULL: a person),
-- and counted apart: opens, clicks and the first_* columns count people only.
ALTER TABLE tracking_interaction ADD COLUMN machine text;
ALTER TABLE tracked_delivery ADD COLUMN machine_opens integer NOT NULL DEFAULT 0;
ALTER TABLE tracked_delivery ADD COLUMN machine_clicks integer NOT NULL DEFAULT 0;

CREATE INDEX tracking_interaction_delivery_clicks ON tracking_interaction (delivery_id, occurred_at)
    WHERE type = 'CLICKED';
