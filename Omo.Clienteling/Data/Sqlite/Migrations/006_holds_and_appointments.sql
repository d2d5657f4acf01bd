-- Holds and appointments (docs/events-api.md, "Holds and appointments"): items a customer asked a shop to keep for
-- them until closing time on a day they chose, and visits they booked. A hold's lines are stock set aside: the
-- profile, the shelves and the stock API subtract those of open holds from what they offer (Catalog/HeldStock.cs).

CREATE TABLE holds (
    hold_id      TEXT PRIMARY KEY,          -- the app's or web shop's id
    member_id    INTEGER NOT NULL,
    store_id     TEXT NOT NULL REFERENCES stores (store_id),
    purpose      TEXT NOT NULL CHECK (purpose IN ('try_on', 'purchase')),
    status       TEXT NOT NULL CHECK (status IN ('requested', 'prepared', 'completed', 'expired', 'cancelled')),
    requested_at INTEGER NOT NULL,
    hold_until   TEXT NOT NULL,             -- the shop day (yyyy-MM-dd) the customer asked for
    expires_at   INTEGER NOT NULL,          -- closing time that day: the stock goes back to the shelves then
    prepared_at  INTEGER,
    prepared_by  TEXT,                      -- staff code
    location     TEXT,                      -- where the prepared items wait, e.g. "fitting room 2"
    closed_at    INTEGER,                   -- completed, expired or cancelled
    receipt_id   TEXT                       -- the sale that completed it
);
CREATE INDEX ix_holds_member ON holds (member_id, requested_at DESC);
CREATE INDEX ix_holds_store ON holds (store_id, status, expires_at);

CREATE TABLE hold_lines (
    hold_id     TEXT NOT NULL REFERENCES holds (hold_id),
    line_no     INTEGER NOT NULL,
    sku         TEXT NOT NULL REFERENCES skus (sku),
    store_id    TEXT NOT NULL,              -- the hold's: the reserved stock is looked up by (sku, store)
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    to_transfer INTEGER NOT NULL,           -- not in stock there when requested: another shop sends it
    PRIMARY KEY (hold_id, line_no)
);
CREATE INDEX ix_hold_lines_stock ON hold_lines (sku, store_id);

CREATE TABLE appointments (
    appointment_id TEXT PRIMARY KEY,
    member_id      INTEGER NOT NULL,
    store_id       TEXT NOT NULL REFERENCES stores (store_id),
    starts_at      INTEGER NOT NULL,
    minutes        INTEGER NOT NULL,
    purpose        TEXT NOT NULL CHECK (purpose IN ('try_on', 'styling', 'alteration')),
    note           TEXT,
    status         TEXT NOT NULL CHECK (status IN ('booked', 'visited', 'no_show', 'cancelled')),
    booked_at      INTEGER NOT NULL,
    closed_at      INTEGER                  -- when the customer came, the day ended without them, or it was cancelled
);
CREATE INDEX ix_appointments_member ON appointments (member_id, starts_at DESC);
CREATE INDEX ix_appointments_store ON appointments (store_id, starts_at);
