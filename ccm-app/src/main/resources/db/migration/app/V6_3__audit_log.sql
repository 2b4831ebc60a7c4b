-- One audit log for staff and API writes, key issuance, logins and exports. Append-only: rows are
-- never changed, and only the retention job (which says so in its transaction) may delete old rows.
CREATE TABLE audit_event (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor         TEXT NOT NULL,
    actor_type    TEXT NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT,
    outcome       TEXT NOT NULL,
    before_digest TEXT,
    after_digest  TEXT,
    request_id    TEXT,
    client_ip     TEXT,
    detail        TEXT
);

CREATE INDEX audit_event_occurred ON audit_event (occurred_at DESC);
CREATE INDEX audit_event_actor ON audit_event (actor, occurred_at DESC);
CREATE INDEX audit_event_action ON audit_event (action, occurred_at DESC);

CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ccm.audit_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
