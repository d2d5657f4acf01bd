-- Telling the retailer's other systems (docs/webhooks.md): subscriptions, an outbox of messages written in the same
-- transaction as the change each reports, and one delivery per message and subscription that a server leases, sends
-- and retries on the documented schedule. Follow-ups an assistant sends after a visit, and the customer's language.

CREATE TABLE webhook_subscriptions (
    subscription_id INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL,          -- whsec_ + base64 of the signing key
    types           TEXT NOT NULL,          -- ',member.checked_in,hold.prepared,' or '' for every type
    stores          TEXT NOT NULL,          -- ',S01,S02,' or '' for every store
    status          TEXT NOT NULL CHECK (status IN ('active', 'paused', 'gone')),
    from_settings   INTEGER NOT NULL,       -- Webhooks:Subscriptions (its secret and filters come from there)
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_webhook_subscriptions_settings ON webhook_subscriptions (url) WHERE from_settings = TRUE;

CREATE TABLE webhook_messages (
    message_id  TEXT PRIMARY KEY,           -- the webhook-id header, the same on every attempt
    type        TEXT NOT NULL,
    store_id    TEXT,
    member_id   INTEGER,                    -- whose it is, so an erasure takes it
    body        TEXT NOT NULL,              -- exactly what is sent, every time
    created_at  INTEGER NOT NULL
);
CREATE INDEX ix_webhook_messages_member ON webhook_messages (member_id) WHERE member_id IS NOT NULL;

CREATE TABLE webhook_deliveries (
    delivery_id      INTEGER PRIMARY KEY,
    message_id       TEXT NOT NULL REFERENCES webhook_messages (message_id),
    subscription_id  INTEGER NOT NULL REFERENCES webhook_subscriptions (subscription_id),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    leased_until     INTEGER,               -- a server is sending it until then (another may try after)
    last_attempt_at  INTEGER,
    last_status_code INTEGER,
    last_error       TEXT,
    last_duration_ms INTEGER,
    done_at          INTEGER
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_subscription ON webhook_deliveries (subscription_id, delivery_id DESC);
CREATE INDEX ix_webhook_deliveries_message ON webhook_deliveries (message_id);

CREATE TABLE follow_ups (
    follow_up_id TEXT PRIMARY KEY,
    member_id    INTEGER NOT NULL,
    store_id     TEXT NOT NULL REFERENCES stores (store_id),
    staff_code   TEXT NOT NULL,
    rule_id      TEXT,                      -- the talking point it follows
    language     TEXT NOT NULL,
    message      TEXT NOT NULL,
    skus         TEXT NOT NULL,             -- space-separated
    created_at   INTEGER NOT NULL
);
CREATE INDEX ix_follow_ups_member ON follow_ups (member_id, created_at DESC);
CREATE INDEX ix_follow_ups_store ON follow_ups (store_id, created_at);

ALTER TABLE members ADD COLUMN language TEXT;   -- 'ja' or 'en': how the app and follow-ups talk to them
