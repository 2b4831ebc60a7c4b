-- How many of a campaign's recipients are in each status, per channel (where sent, else
-- where expected): what progress, the campaign page and the gauges report. Counting the
-- recipients themselves reads all of them (seconds for a campaign of a million, on every
-- progress request). Instead every statement that changes recipients appends its net
-- change to campaign_tally_change (insert only: no row that concurrent sends wait for),
-- and the coordinator folds the changes into campaign_tally. A count is the tally plus the
-- changes not folded yet, read in one statement: a fold is seen whole or not at all.
CREATE TABLE campaign_tally
(
  campaign_id UUID NOT NULL REFERENCES campaign (id),
  status      TEXT NOT NULL,
  channel     TEXT NOT NULL,
  recipients  BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, status, channel)
);

CREATE TABLE campaign_tally_change
(
  campaign_id UUID NOT NULL,
  status      TEXT NOT NULL,
  channel     TEXT NOT NULL,
  recipients  BIGINT NOT NULL
);

-- recipients frozen (launch, a follow-up step) or removed: counted in or out
CREATE FUNCTION campaign_tally_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  INSERT INTO campaign_tally_change (campaign_id, status, channel, recipients)
  SELECT campaign_id, status, coalesce(sent_channel, channel), CASE TG_OP WHEN 'DELETE' THEN -count(*) ELSE count(*) END
    FROM recipients_moved GROUP BY 1, 2, 3;
  RETURN NULL;
END
$$;

-- most updates change no status or channel (engagement, flags): they add nothing
CREATE FUNCTION campaign_tally_changed() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  INSERT INTO campaign_tally_change (campaign_id, status, channel, recipients)
  SELECT campaign_id, status, channel, sum(recipients)
    FROM (SELECT campaign_id, status, coalesce(sent_channel, channel) AS channel, 1 AS recipients FROM after_change
          UNION ALL
          SELECT campaign_id, status, coalesce(sent_channel, channel), -1 FROM before_change) moved
   GROUP BY 1, 2, 3
  HAVING sum(recipients) <> 0;
  RETURN NULL;
END
$$;

-- no recipient may change between the count below and the triggers (a replica still
-- running the previous version waits here)
LOCK TABLE campaign_recipient IN SHARE MODE;

INSERT INTO campaign_tally (campaign_id, status, channel, recipients)
SELECT campaign_id, status, coalesce(sent_channel, channel), count(*)
  FROM campaign_recipient
 GROUP BY 1, 2, 3;

CREATE TRIGGER campaign_tally_added AFTER INSERT ON campaign_recipient
  REFERENCING NEW TABLE AS recipients_moved FOR EACH STATEMENT EXECUTE FUNCTION campaign_tally_added_or_removed();
CREATE TRIGGER campaign_tally_changed AFTER UPDATE ON campaign_recipient
  REFERENCING OLD TABLE AS before_change NEW TABLE AS after_change
  FOR EACH STATEMENT EXECUTE FUNCTION campaign_tally_changed();
CREATE TRIGGER campaign_tally_removed AFTER DELETE ON campaign_recipient
  REFERENCING OLD TABLE AS recipients_moved FOR EACH STATEMENT EXECUTE FUNCTION campaign_tally_added_or_removed();
