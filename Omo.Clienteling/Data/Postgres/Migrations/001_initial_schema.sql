-- The unified member store (PostgreSQL). The same tables as Data/Sqlite/Migrations/001: times are bigint unix
-- milliseconds (UTC), calendar dates date (text 'yyyy-MM-dd' on SQLite; both bind DateOnly), member numbers bigint. Foreign keys are DEFERRABLE so a bulk
-- load or a demo reset can check them at commit (SET CONSTRAINTS ALL DEFERRED); otherwise they are checked at once.

CREATE TABLE stores (
    store_id   text PRIMARY KEY,
    name_ja    text NOT NULL,
    name_en    text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('store', 'online')),
    latitude   double precision,
    longitude  double precision
);

CREATE TABLE staff (
    staff_code          text PRIMARY KEY,
    display_name        text NOT NULL,
    role                text NOT NULL CHECK (role IN ('associate', 'manager', 'trainer', 'admin')),
    store_id            text REFERENCES stores (store_id) DEFERRABLE,
    pin_hash            text NOT NULL,
    failed_pin_attempts integer NOT NULL DEFAULT 0,
    locked_until        bigint,
    active              boolean NOT NULL DEFAULT TRUE
);

CREATE TABLE products (
    style_code  text PRIMARY KEY,
    name_ja     text NOT NULL,
    name_en     text NOT NULL,
    category    text NOT NULL,
    price       integer NOT NULL,
    image_path  text NOT NULL,
    launched_on date NOT NULL
);
CREATE INDEX ix_products_category ON products (category, price);

CREATE TABLE skus (
    sku        text PRIMARY KEY,
    style_code text NOT NULL REFERENCES products (style_code) DEFERRABLE,
    size       text NOT NULL,
    colour     text NOT NULL
);
CREATE INDEX ix_skus_style ON skus (style_code);

CREATE TABLE stock (
    sku      text NOT NULL REFERENCES skus (sku) DEFERRABLE,
    store_id text NOT NULL REFERENCES stores (store_id) DEFERRABLE,
    quantity integer NOT NULL,
    PRIMARY KEY (sku, store_id)
);

CREATE TABLE members (
    member_id                bigint PRIMARY KEY,
    family_name              text,
    given_name               text,
    family_name_kana         text,
    given_name_kana          text,
    birth_month              integer,
    tier                     text NOT NULL DEFAULT 'regular' CHECK (tier IN ('regular', 'silver', 'gold', 'platinum')),
    points                   integer NOT NULL DEFAULT 0,
    points_expire_on         date,
    home_store_id            text REFERENCES stores (store_id) DEFERRABLE,
    email                    text,
    phone                    text,
    consent_online_behaviour boolean NOT NULL DEFAULT FALSE,
    consent_marketing        boolean NOT NULL DEFAULT FALSE,
    created_at               bigint NOT NULL,
    updated_at               bigint NOT NULL,
    erased_at                bigint
);

CREATE TABLE member_identifiers (
    kind      text NOT NULL CHECK (kind IN ('app_member', 'point_card', 'ec_account', 'email')),
    value     text NOT NULL,
    member_id bigint NOT NULL REFERENCES members (member_id) DEFERRABLE,
    status    text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    linked_at bigint NOT NULL,
    PRIMARY KEY (kind, value)
);
CREATE INDEX ix_member_identifiers_member ON member_identifiers (member_id);

CREATE TABLE member_merges (
    merged_member_id   bigint PRIMARY KEY,
    survivor_member_id bigint NOT NULL REFERENCES members (member_id) DEFERRABLE,
    merged_at          bigint NOT NULL
);

CREATE TABLE product_views (
    member_id   bigint NOT NULL,
    occurred_at bigint NOT NULL,
    sku         text NOT NULL,
    channel     text NOT NULL CHECK (channel IN ('ec', 'app')),
    seconds     integer NOT NULL DEFAULT 0
);
CREATE INDEX ix_product_views_member ON product_views (member_id, occurred_at DESC);

CREATE TABLE page_views (
    member_id   bigint NOT NULL,
    occurred_at bigint NOT NULL,
    page        text NOT NULL,
    channel     text NOT NULL CHECK (channel IN ('ec', 'app'))
);
CREATE INDEX ix_page_views_member ON page_views (member_id, occurred_at DESC);

CREATE TABLE cart_lines (
    member_id  bigint NOT NULL,
    sku        text NOT NULL,
    quantity   integer NOT NULL,
    added_at   bigint NOT NULL,
    PRIMARY KEY (member_id, sku)
);

CREATE TABLE cart_events (
    member_id   bigint NOT NULL,
    occurred_at bigint NOT NULL,
    sku         text NOT NULL,
    quantity    integer NOT NULL,
    action      text NOT NULL CHECK (action IN ('added', 'removed'))
);
CREATE INDEX ix_cart_events_member ON cart_events (member_id, occurred_at DESC);

CREATE TABLE wishlist_items (
    member_id bigint NOT NULL,
    sku       text NOT NULL,
    added_at  bigint NOT NULL,
    PRIMARY KEY (member_id, sku)
);

CREATE TABLE orders (
    order_id        text PRIMARY KEY,
    member_id       bigint NOT NULL,
    channel         text NOT NULL CHECK (channel IN ('ec', 'app')),
    fulfilment      text NOT NULL CHECK (fulfilment IN ('delivery', 'click_and_collect')),
    pickup_store_id text REFERENCES stores (store_id) DEFERRABLE,
    status          text NOT NULL CHECK (status IN ('placed', 'ready_for_pickup', 'collected', 'cancelled')),
    placed_at       bigint NOT NULL,
    ready_at        bigint,
    collected_at    bigint,
    total           bigint NOT NULL
);
CREATE INDEX ix_orders_member ON orders (member_id, placed_at DESC);
CREATE INDEX ix_orders_pickup ON orders (pickup_store_id, status) WHERE fulfilment = 'click_and_collect';

CREATE TABLE order_lines (
    order_id   text NOT NULL REFERENCES orders (order_id) DEFERRABLE,
    line_no    integer NOT NULL,
    sku        text NOT NULL,
    quantity   integer NOT NULL,
    unit_price bigint NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE receipts (
    receipt_id  text PRIMARY KEY,
    member_id   bigint NOT NULL,
    store_id    text NOT NULL REFERENCES stores (store_id) DEFERRABLE,
    kind        text NOT NULL CHECK (kind IN ('sale', 'return')),
    occurred_at bigint NOT NULL,
    total       bigint NOT NULL
);
CREATE INDEX ix_receipts_member ON receipts (member_id, occurred_at DESC);
CREATE INDEX ix_receipts_store ON receipts (store_id, occurred_at DESC);

CREATE TABLE receipt_lines (
    receipt_id text NOT NULL REFERENCES receipts (receipt_id) DEFERRABLE,
    line_no    integer NOT NULL,
    sku        text NOT NULL,
    quantity   integer NOT NULL,
    unit_price bigint NOT NULL,
    PRIMARY KEY (receipt_id, line_no)
);

CREATE TABLE try_ons (
    member_id   bigint NOT NULL,
    occurred_at bigint NOT NULL,
    store_id    text NOT NULL REFERENCES stores (store_id) DEFERRABLE,
    sku         text NOT NULL
);
CREATE INDEX ix_try_ons_member ON try_ons (member_id, occurred_at DESC);

CREATE TABLE check_ins (
    check_in_id       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    member_id         bigint NOT NULL,
    store_id          text NOT NULL REFERENCES stores (store_id) DEFERRABLE,
    source            text NOT NULL CHECK (source IN ('app', 'beacon', 'staff')),
    occurred_at       bigint NOT NULL,
    last_seen_at      bigint NOT NULL,
    claimed_by        text,
    claimed_at        bigint
);
CREATE INDEX ix_check_ins_member ON check_ins (member_id, occurred_at DESC);
CREATE INDEX ix_check_ins_store ON check_ins (store_id, occurred_at DESC);

CREATE TABLE staff_notes (
    note_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    member_id  bigint NOT NULL,
    staff_code text NOT NULL,
    store_id   text,
    body       text NOT NULL,
    created_at bigint NOT NULL
);
CREATE INDEX ix_staff_notes_member ON staff_notes (member_id, created_at DESC);

CREATE TABLE ingested_events (
    sender      text NOT NULL,
    event_id    text NOT NULL,
    received_at bigint NOT NULL,
    PRIMARY KEY (sender, event_id)
);

CREATE TABLE talking_point_feedback (
    feedback_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    member_id   bigint NOT NULL,
    store_id    text NOT NULL,
    staff_code  text,
    rule_id     text NOT NULL,
    action      text NOT NULL CHECK (action IN ('shown', 'used', 'dismissed')),
    occurred_at bigint NOT NULL
);
CREATE INDEX ix_talking_point_feedback_store ON talking_point_feedback (store_id, occurred_at);
CREATE INDEX ix_talking_point_feedback_member ON talking_point_feedback (member_id, occurred_at DESC);

CREATE TABLE audit_log (
    audit_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    occurred_at bigint NOT NULL,
    staff_code  text,
    store_id    text,
    action      text NOT NULL,
    member_id   bigint,
    detail      text
);
CREATE INDEX ix_audit_log_store ON audit_log (store_id, occurred_at DESC);
CREATE INDEX ix_audit_log_time ON audit_log (occurred_at DESC);
