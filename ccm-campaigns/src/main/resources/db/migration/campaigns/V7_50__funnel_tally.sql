-- A campaign's funnel (sent, delivered, opened, clicked, responded per step, variant and
-- channel, with machine opens and clicks) from a tally kept like the status tally of
-- V7_40: the list of campaigns shows each one's opens and clicks, and counting them from
-- the recipients read every sent recipient of every listed campaign on each visit.
-- Counted per engagement level (0 none yet .. 5 responded); a stage is the sum of the
-- levels at or above it. Only recipients with a channel they were sent on are counted.
CREATE TABLE campaign_funnel
(
  campaign_id    UUID NOT NULL REFERENCES campaign (id),
  step           INT NOT NULL,
  variant        SMALLINT,
  channel        TEXT NOT NULL,
  engagement     SMALLINT NOT NULL,
  recipients     BIGINT NOT NULL,
  machine_opens  BIGINT NOT NULL,
  machine_clicks BIGINT NOT NULL,
  CONSTRAINT campaign_funnel_group UNIQUE NULLS NOT DISTINCT (campaign_id, step, variant, channel, engagement)
);

-- the same columns, without the key: appended to only
CREATE TABLE campaign_funnel_change (LIKE campaign_funnel);

-- the triggers of V7_40 call these: each now appends the funnel's change as well
CREATE OR REPLACE FUNCTION campaign_tally_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS
$$
DECLARE
  sign INT := CASE TG_OP WHEN 'DELETE' THEN -1 ELSE 1 END;
BEGIN
  INSERT INTO campaign_tally_change (campaign_id, status, channel, recipients)
  SELECT campaign_id, status, coalesce(sent_channel, channel), sign * count(*)
    FROM recipients_moved GROUP BY 1, 2, 3;
  INSERT INTO campaign_funnel_change (campaign_id, step, variant, channel, engagement, recipients, machine_opens,
                                      machine_clicks)
  SELECT campaign_id, step, variant, sent_channel, engagement, sign * count(*), sign * sum(machine_opens),
         sign * sum(machine_clicks)
    FROM recipients_moved WHERE sent_channel IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
  RETURN NULL;
END
$$;

-- most updates change no status, channel, engagement or machine traffic (flags, times):
-- they add nothing
CREATE OR REPLACE FUNCTION campaign_tally_changed() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  INSERT INTO campaign_tally_change (campaign_id, status, channel, recipients)
  SELECT campaign_id, status, channel, sum(recipients)
    FROM (SELECT campaign_id, status, coalesce(sent_channel, channel) AS channel, 1 AS recipients FROM after_change
          UNION ALL
          SELECT campaign_id, status, coalesce(sent_channel, channel), -1 FROM before_change) moved
   GROUP BY 1, 2, 3
  HAVING sum(recipients) <> 0;
  INSERT INTO campaign_funnel_change (campaign_id, step, variant, channel, engagement, recipients, machine_opens,
                                      machine_clicks)
  SELECT campaign_id, step, variant, sent_channel, engagement, sum(recipients), sum(machine_opens), sum(machine_clicks)
    FROM (SELECT campaign_id, step, variant, sent_channel, engagement, 1 AS recipients, machine_opens, machine_clicks
            FROM after_change WHERE sent_channel IS NOT NULL
          UNION ALL
          SELECT campaign_id, step, variant, sent_channel, engagement, -1, -machine_opens, -machine_clicks
            FROM before_change WHERE sent_channel IS NOT NULL) moved
   GROUP BY 1, 2, 3, 4, 5
  HAVING sum(recipients) <> 0 OR sum(machine_opens) <> 0 OR sum(machine_clicks) <> 0;
  RETURN NULL;
END
$$;

-- no recipient may change between the count below and the new functions
LOCK TABLE campaign_recipient IN SHARE MODE;

INSERT INTO campaign_funnel (campaign_id, step, variant, channel, engagement, recipients, machine_opens, machine_clicks)
SELECT campaign_id, step, variant, sent_channel, engagement, count(*), sum(machine_opens), sum(machine_clicks)
  FROM campaign_recipient
 WHERE sent_channel IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5;
