-- Several app servers on one database: cache versions that tell the others to reload, and the shared Data Protection
-- key ring (sign-in cookies made by one server are read by the others).

CREATE TABLE data_versions (
    name    text PRIMARY KEY,
    version bigint NOT NULL
);

CREATE TABLE data_protection_keys (
    friendly_name text PRIMARY KEY,
    xml           text NOT NULL,
    created_at    bigint NOT NULL
);
