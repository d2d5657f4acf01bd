-- Several app servers on one database: cache versions that tell the others to reload, and the shared Data Protection
-- key ring (sign-in cookies made by one server are read by the others). On SQLite there is one server, but the same
-- code runs on both providers.

CREATE TABLE data_versions (
    name    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TABLE data_protection_keys (
    friendly_name TEXT PRIMARY KEY,
    xml           TEXT NOT NULL,
    created_at    BIGINT NOT NULL
) WITHOUT ROWID;
