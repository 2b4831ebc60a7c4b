-- A marketing template may name the topic its messages are about (newsletter, product news);
-- customers may opt out of a topic in the preference centre. The topics are configuration of
-- ccm-core, so this column holds a name, not a reference.
ALTER TABLE template ADD COLUMN topic TEXT CHECK (topic ~ '^[a-z0-9][a-z0-9_-]{0,62}$');
