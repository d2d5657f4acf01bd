-- The unified member store. Times are INTEGER unix milliseconds (UTC); calendar dates are TEXT 'yyyy-MM-dd'.
-- Every member-scoped activity table is indexed by (member_id, occurred_at DESC): the profile reads
-- "everything about one member, newest first, bounded" and nothing else touches these tables on the hot path.

CREATE TABLE stores (
    store_id   TEXT PRIMARY KEY,            -- 'S01'.. for shops, 'EC' for the web shop
    name_ja    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('store', 'online')),
    latitude   REAL,
    longitude  REAL
);

CREATE TABLE staff (
    staff_code          TEXT PRIMARY KEY,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('associate', 'manager', 'trainer', 'admin')),
    store_id            TEXT REFERENCES stores (store_id),
    pin_hash            TEXT NOT NULL,
    failed_pin_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER,
    active              INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE products (
    style_code  TEXT PRIMARY KEY,            -- e.g. 'DR-0012'
    name_ja     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    category    TEXT NOT NULL,               -- 'dress', 'cardigan', ... (see Catalog/Categories.cs)
    price       INTEGER NOT NULL,            -- yen, tax included
    image_path  TEXT NOT NULL,
    launched_on TEXT NOT NULL
);
CREATE INDEX ix_products_category ON products (category, price);

CREATE TABLE skus (
    sku        TEXT PRIMARY KEY,             -- e.g. 'DR-0012-M-NAVY'
    style_code TEXT NOT NULL REFERENCES products (style_code),
    size       TEXT NOT NULL,
    colour     TEXT NOT NULL
);
CREATE INDEX ix_skus_style ON skus (style_code);

CREATE TABLE stock (
    sku      TEXT NOT NULL REFERENCES skus (sku),
    store_id TEXT NOT NULL REFERENCES stores (store_id),
    quantity INTEGER NOT NULL,
    PRIMARY KEY (sku, store_id)
) WITHOUT ROWID;

CREATE TABLE members (
    member_id                INTEGER PRIMARY KEY,   -- the 10-digit member number, as a number
    family_name              TEXT,
    given_name               TEXT,
    family_name_kana         TEXT,
    given_name_kana          TEXT,
    birth_month              INTEGER,
    tier                     TEXT NOT NULL DEFAULT 'regular' CHECK (tier IN ('regular', 'silver', 'gold', 'platinum')),
    points                   INTEGER NOT NULL DEFAULT 0,
    points_expire_on         TEXT,
    home_store_id            TEXT REFERENCES stores (store_id),
    email                    TEXT,
    phone                    TEXT,
    consent_online_behaviour INTEGER NOT NULL DEFAULT 0,
    consent_marketing        INTEGER NOT NULL DEFAULT 0,
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL,
    erased_at                INTEGER
);

-- Every code a member can present. A merged member's identifiers are moved to the survivor;
-- member_merges keeps the merged member number itself resolving.
CREATE TABLE member_identifiers (
    kind      TEXT NOT NULL CHECK (kind IN ('app_member', 'point_card', 'ec_account', 'email')),
    value     TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members (member_id),
    status    TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX ix_member_identifiers_member ON member_identifiers (member_id);

CREATE TABLE member_merges (
    merged_member_id   INTEGER PRIMARY KEY,
    survivor_member_id INTEGER NOT NULL REFERENCES members (member_id),
    merged_at          INTEGER NOT NULL
);

CREATE TABLE product_views (
    member_id   INTEGER NOT NULL,
    occurred_at INTEGER NOT NULL,
    sku         TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('ec', 'app')),
    seconds     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_product_views_member ON product_views (member_id, occurred_at DESC);

CREATE TABLE page_views (
    member_id   INTEGER NOT NULL,
    occurred_at INTEGER NOT NULL,
    page        TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('ec', 'app'))
);
CREATE INDEX ix_page_views_member ON page_views (member_id, occurred_at DESC);

CREATE TABLE cart_lines (
    member_id  INTEGER NOT NULL,
    sku        TEXT NOT NULL,
    quantity   INTEGER NOT NULL,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (member_id, sku)
) WITHOUT ROWID;

CREATE TABLE cart_events (
    member_id   INTEGER NOT NULL,
    occurred_at INTEGER NOT NULL,
    sku         TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('added', 'removed'))
);
CREATE INDEX ix_cart_events_member ON cart_events (member_id, occurred_at DESC);

CREATE TABLE wishlist_items (
    member_id INTEGER NOT NULL,
    sku       TEXT NOT NULL,
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (member_id, sku)
) WITHOUT ROWID;

CREATE TABLE orders (
    order_id        TEXT PRIMARY KEY,
    member_id       INTEGER NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('ec', 'app')),
    fulfilment      TEXT NOT NULL CHECK (fulfilment IN ('delivery', 'click_and_collect')),
    pickup_store_id TEXT REFERENCES stores (store_id),
    status          TEXT NOT NULL CHECK (status IN ('placed', 'ready_for_pickup', 'collected', 'cancelled')),
    placed_at       INTEGER NOT NULL,
    ready_at        INTEGER,
    collected_at    INTEGER,
    total           INTEGER NOT NULL
);
CREATE INDEX ix_orders_member ON orders (member_id, placed_at DESC);
CREATE INDEX ix_orders_pickup ON orders (pickup_store_id, status) WHERE fulfilment = 'click_and_collect';

CREATE TABLE order_lines (
    order_id   TEXT NOT NULL REFERENCES orders (order_id),
    line_no    INTEGER NOT NULL,
    sku        TEXT NOT NULL,
    quantity   INTEGER NOT NULL,
    unit_price INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;

-- Till receipts: kind 'sale' or 'return' (a return's lines carry positive quantities of what came back).
CREATE TABLE receipts (
    receipt_id  TEXT PRIMARY KEY,
    member_id   INTEGER NOT NULL,
    store_id    TEXT NOT NULL REFERENCES stores (store_id),
    kind        TEXT NOT NULL CHECK (kind IN ('sale', 'return')),
    occurred_at INTEGER NOT NULL,
    total       INTEGER NOT NULL
);
CREATE INDEX ix_receipts_member ON receipts (member_id, occurred_at DESC);
CREATE INDEX ix_receipts_store ON receipts (store_id, occurred_at DESC);

CREATE TABLE receipt_lines (
    receipt_id TEXT NOT NULL REFERENCES receipts (receipt_id),
    line_no    INTEGER NOT NULL,
    sku        TEXT NOT NULL,
    quantity   INTEGER NOT NULL,
    unit_price INTEGER NOT NULL,
    PRIMARY KEY (receipt_id, line_no)
) WITHOUT ROWID;

CREATE TABLE try_ons (
    member_id   INTEGER NOT NULL,
    occurred_at INTEGER NOT NULL,
    store_id    TEXT NOT NULL REFERENCES stores (store_id),
    sku         TEXT NOT NULL
);
CREATE INDEX ix_try_ons_member ON try_ons (member_id, occurred_at DESC);

CREATE TABLE check_ins (
    check_in_id       INTEGER PRIMARY KEY,
    member_id         INTEGER NOT NULL,
    store_id          TEXT NOT NULL REFERENCES stores (store_id),
    source            TEXT NOT NULL CHECK (source IN ('app', 'beacon', 'staff')),
    occurred_at       INTEGER NOT NULL,
    last_seen_at      INTEGER NOT NULL,
    claimed_by        TEXT,
    claimed_at        INTEGER
);
CREATE INDEX ix_check_ins_member ON check_ins (member_id, occurred_at DESC);
CREATE INDEX ix_check_ins_store ON check_ins (store_id, occurred_at DESC);

CREATE TABLE staff_notes (
    note_id    INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL,
    staff_code TEXT NOT NULL,
    store_id   TEXT,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_staff_notes_member ON staff_notes (member_id, created_at DESC);

-- Events API idempotence: a re-sent (sender, event_id) is a no-op.
CREATE TABLE ingested_events (
    sender      TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (sender, event_id)
) WITHOUT ROWID;

-- What assistants did with suggested talking points: 'shown', 'used', 'dismissed'.
CREATE TABLE talking_point_feedback (
    feedback_id INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL,
    store_id    TEXT NOT NULL,
    staff_code  TEXT,
    rule_id     TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('shown', 'used', 'dismissed')),
    occurred_at INTEGER NOT NULL
);
CREATE INDEX ix_talking_point_feedback_store ON talking_point_feedback (store_id, occurred_at);
CREATE INDEX ix_talking_point_feedback_member ON talking_point_feedback (member_id, occurred_at DESC);

-- Append-only: the app has no UPDATE or DELETE on this table (an erasure leaves only the fact of it).
CREATE TABLE audit_log (
    audit_id    INTEGER PRIMARY KEY,
    occurred_at INTEGER NOT NULL,
    staff_code  TEXT,
    store_id    TEXT,
    action      TEXT NOT NULL,
    member_id   INTEGER,
    detail      TEXT
);
CREATE INDEX ix_audit_log_store ON audit_log (store_id, occurred_at DESC);
CREATE INDEX ix_audit_log_time ON audit_log (occurred_at DESC);
