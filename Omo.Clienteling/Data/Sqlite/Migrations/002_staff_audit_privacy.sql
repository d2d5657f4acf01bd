-- Staff sign-in, the append-only audit log, erasure tombstones and the demo marker.

-- Which dataset this database holds: the demo generator writes ('dataset', 'demo'). Trainers work only on demo data.
CREATE TABLE demo_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- A database seeded with the demo dataset before this migration existed is the demo dataset.
INSERT INTO demo_state (key, value)
SELECT 'dataset', 'demo'
WHERE EXISTS (SELECT 1 FROM staff WHERE staff_code = 'X001' AND display_name = '管理者')
  AND EXISTS (SELECT 1 FROM members WHERE member_id = 1 AND family_name = '佐藤' AND given_name = '美咲');

-- An erased member's identifiers, as one-way SHA-256 hashes of 'kind:value', so a scan of their old card
-- answers "erased" while neither the number nor the card is kept.
CREATE TABLE erased_identifiers (
    kind       TEXT NOT NULL,
    value_hash TEXT NOT NULL,
    erased_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, value_hash)
) WITHOUT ROWID;

-- The audit log cannot be edited: no deletes, and the one update allowed is an erasure removing the member from rows.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_only_erasure_updates BEFORE UPDATE ON audit_log
WHEN NOT (NEW.member_id IS NULL AND OLD.member_id IS NOT NULL
          AND NEW.audit_id = OLD.audit_id AND NEW.occurred_at = OLD.occurred_at AND NEW.action = OLD.action
          AND NEW.staff_code IS OLD.staff_code AND NEW.store_id IS OLD.store_id AND NEW.detail IS OLD.detail)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE INDEX ix_audit_log_member ON audit_log (member_id) WHERE member_id IS NOT NULL;
