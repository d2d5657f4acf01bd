-- Sessions that every server sees and that end when they should; sign-in throttling that treats known and unknown
-- codes alike; the audit log records the client's address and keeps a tombstone reference for erased members.

CREATE TABLE staff_sessions (
    session_id     TEXT PRIMARY KEY,          -- 256 random bits, base64url: the cookie carries only this
    staff_code     TEXT NOT NULL,
    store_id       TEXT NOT NULL,
    role           TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    locked_at      BIGINT,                    -- the tablet is locked: no customer data until the PIN
    ended_at       BIGINT,
    ended_reason   TEXT,
    client_address TEXT
) WITHOUT ROWID;
CREATE INDEX ix_staff_sessions_open ON staff_sessions (staff_code) WHERE ended_at IS NULL;

-- Failed sign-ins per staff code as typed (whether or not such a code exists: the answers must not tell), for codes
-- shaped like staff codes only: a member card scanned into the field is never stored.
CREATE TABLE sign_in_throttle (
    code            TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    blocked_until   BIGINT,
    last_failure_at BIGINT NOT NULL
) WITHOUT ROWID;

ALTER TABLE staff DROP COLUMN failed_pin_attempts;
ALTER TABLE staff DROP COLUMN locked_until;

ALTER TABLE audit_log ADD COLUMN client_address TEXT;
ALTER TABLE audit_log ADD COLUMN erased_ref TEXT;

DROP TRIGGER audit_log_only_erasure_updates;

-- Earlier failed sign-ins kept whatever was typed as the code, a scanned member card among them: only codes shaped
-- like staff codes stay.
UPDATE audit_log SET staff_code = NULL
WHERE action = 'sign_in_failed' AND staff_code IS NOT NULL
  AND NOT (staff_code GLOB '[A-Z][0-9][0-9][0-9]' OR staff_code GLOB '[A-Z][0-9][0-9][0-9][0-9]' OR staff_code GLOB '[A-Z][0-9][0-9][0-9][0-9][0-9]'
           OR staff_code GLOB '[A-Z][0-9][0-9][0-9][0-9][0-9][0-9]' OR staff_code GLOB '[A-Z][0-9][0-9][0-9][0-9][0-9][0-9][0-9]');

-- The append-only rule again, now over every column: the one update allowed is an erasure, which sets the erasure's
-- reference in place of the member and, on a failed sign-in, of a code that was the member's identifier typed into the
-- staff-code field.
CREATE TRIGGER audit_log_only_erasure_updates BEFORE UPDATE ON audit_log
WHEN NOT (NEW.erased_ref IS NOT NULL AND OLD.erased_ref IS NULL AND NEW.member_id IS NULL
          AND (NEW.staff_code IS OLD.staff_code OR (NEW.staff_code IS NULL AND OLD.action = 'sign_in_failed'))
          AND NEW.audit_id = OLD.audit_id AND NEW.occurred_at = OLD.occurred_at AND NEW.action = OLD.action
          AND NEW.store_id IS OLD.store_id AND NEW.detail IS OLD.detail AND NEW.client_address IS OLD.client_address)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
