-- Opens by image proxies and clicks by mail scanners, as tracking reports them
-- (MachineTrafficRecorded): counted apart from the recipient's own engagement, so results can
-- show them beside people's figures without reading tracking's tables.
ALTER TABLE campaign_recipient
  ADD COLUMN machine_opens  INT NOT NULL DEFAULT 0,
  ADD COLUMN machine_clicks INT NOT NULL DEFAULT 0;
