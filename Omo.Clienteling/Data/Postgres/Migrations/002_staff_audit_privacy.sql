-- Staff sign-in, the append-only audit log, erasure tombstones and the demo marker (Data/Sqlite/Migrations/002).

CREATE TABLE demo_state (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE erased_identifiers (
    kind       text NOT NULL,
    value_hash text NOT NULL,
    erased_at  bigint NOT NULL,
    PRIMARY KEY (kind, value_hash)
);

-- The audit log cannot be edited: no deletes or truncation, and the one update allowed is an erasure removing the
-- member from rows.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.member_id IS NULL AND OLD.member_id IS NOT NULL
       AND NEW.audit_id = OLD.audit_id AND NEW.occurred_at = OLD.occurred_at AND NEW.action = OLD.action
       AND NEW.staff_code IS NOT DISTINCT FROM OLD.staff_code AND NEW.store_id IS NOT DISTINCT FROM OLD.store_id
       AND NEW.detail IS NOT DISTINCT FROM OLD.detail THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END $$;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_only_erasure_updates BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE INDEX ix_audit_log_member ON audit_log (member_id) WHERE member_id IS NOT NULL;
