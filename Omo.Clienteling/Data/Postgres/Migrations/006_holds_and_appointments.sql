-- Holds and appointments (docs/events-api.md, "Holds and appointments"): items a customer asked a shop to keep for
-- them until closing time on a day they chose, and visits they booked. A hold's lines are stock set aside: the
-- profile, the shelves and the stock API subtract those of open holds from what they offer (Catalog/HeldStock.cs).

CREATE TABLE holds (
    hold_id      text PRIMARY KEY,          -- the app's or web shop's id
    member_id    bigint NOT NULL,
    store_id     text NOT NULL REFERENCES stores (store_id) DEFERRABLE,
    purpose      text NOT NULL CHECK (purpose IN ('try_on', 'purchase')),
    status       text NOT NULL CHECK (status IN ('requested', 'prepared', 'completed', 'expired', 'cancelled')),
    requested_at bigint NOT NULL,
    hold_until   date NOT NULL,             -- the shop day the customer asked for
    expires_at   bigint NOT NULL,          -- closing time that day: the stock goes back to the shelves then
    prepared_at  bigint,
    prepared_by  text,                      -- staff code
    location     text,                      -- where the prepared items wait, e.g. "fitting room 2"
    closed_at    bigint,                   -- completed, expired or cancelled
    receipt_id   text                       -- the sale that completed it
);
CREATE INDEX ix_holds_member ON holds (member_id, requested_at DESC);
CREATE INDEX ix_holds_store ON holds (store_id, status, expires_at);

CREATE TABLE hold_lines (
    hold_id     text NOT NULL REFERENCES holds (hold_id) DEFERRABLE,
    line_no     integer NOT NULL,
    sku         text NOT NULL REFERENCES skus (sku) DEFERRABLE,
    store_id    text NOT NULL,              -- the hold's: the reserved stock is looked up by (sku, store)
    quantity    integer NOT NULL CHECK (quantity > 0),
    to_transfer boolean NOT NULL,           -- not in stock there when requested: another shop sends it
    PRIMARY KEY (hold_id, line_no)
);
CREATE INDEX ix_hold_lines_stock ON hold_lines (sku, store_id);

CREATE TABLE appointments (
    appointment_id text PRIMARY KEY,
    member_id      bigint NOT NULL,
    store_id       text NOT NULL REFERENCES stores (store_id) DEFERRABLE,
    starts_at      bigint NOT NULL,
    minutes        integer NOT NULL,
    purpose        text NOT NULL CHECK (purpose IN ('try_on', 'styling', 'alteration')),
    note           text,
    status         text NOT NULL CHECK (status IN ('booked', 'visited', 'no_show', 'cancelled')),
    booked_at      bigint NOT NULL,
    closed_at      bigint                  -- when the customer came, the day ended without them, or it was cancelled
);
CREATE INDEX ix_appointments_member ON appointments (member_id, starts_at DESC);
CREATE INDEX ix_appointments_store ON appointments (store_id, starts_at);
