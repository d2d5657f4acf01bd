-- Sessions that every server sees and that end when they should; sign-in throttling that treats known and unknown
-- codes alike; the audit log records the client's address and keeps a tombstone reference for erased members.

CREATE TABLE staff_sessions (
    session_id     text PRIMARY KEY,
    staff_code     text NOT NULL,
    store_id       text NOT NULL,
    role           text NOT NULL,
    created_at     bigint NOT NULL,
    last_seen_at   bigint NOT NULL,
    locked_at      bigint,
    ended_at       bigint,
    ended_reason   text,
    client_address text
);
CREATE INDEX ix_staff_sessions_open ON staff_sessions (staff_code) WHERE ended_at IS NULL;

CREATE TABLE sign_in_throttle (
    code            text PRIMARY KEY,
    failures        integer NOT NULL,
    blocked_until   bigint,
    last_failure_at bigint NOT NULL
);

ALTER TABLE staff DROP COLUMN failed_pin_attempts;
ALTER TABLE staff DROP COLUMN locked_until;

ALTER TABLE audit_log ADD COLUMN client_address text;
ALTER TABLE audit_log ADD COLUMN erased_ref text;

-- Earlier failed sign-ins kept whatever was typed as the code: only codes shaped like staff codes stay.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_only_erasure_updates;
UPDATE audit_log SET staff_code = NULL
WHERE action = 'sign_in_failed' AND staff_code IS NOT NULL AND staff_code !~ '^[A-Z][0-9]{3,7}$';
ALTER TABLE audit_log ENABLE TRIGGER audit_log_only_erasure_updates;

-- The append-only rule again, now over every column: the one update allowed is an erasure, which sets the erasure's
-- reference in place of the member and, on a failed sign-in, of a code that was the member's identifier typed into the
-- staff-code field.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.erased_ref IS NOT NULL AND OLD.erased_ref IS NULL AND NEW.member_id IS NULL
       AND (NEW.staff_code IS NOT DISTINCT FROM OLD.staff_code OR (NEW.staff_code IS NULL AND OLD.action = 'sign_in_failed'))
       AND NEW.audit_id = OLD.audit_id AND NEW.occurred_at = OLD.occurred_at AND NEW.action = OLD.action
       AND NEW.store_id IS NOT DISTINCT FROM OLD.store_id AND NEW.detail IS NOT DISTINCT FROM OLD.detail
       AND NEW.client_address IS NOT DISTINCT FROM OLD.client_address THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
