-- A retailer's own catalogue and stock (docs/events-api.md, "Master data and stock"): pictures by URL, JAN codes,
-- styles and SKUs that stop being sold, and stock that follows event time: the latest count with its time, and every
-- movement (sale, return, collection, delivery, transfer, write-off) with its own, so a late count or a late receipt
-- lands where it belongs.

ALTER TABLE products ADD COLUMN image_url TEXT;
ALTER TABLE products ADD COLUMN discontinued_at INTEGER;
ALTER TABLE skus ADD COLUMN jan TEXT;
ALTER TABLE skus ADD COLUMN on_sale INTEGER NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX ux_skus_jan ON skus (jan) WHERE jan IS NOT NULL;

ALTER TABLE stock ADD COLUMN counted_at INTEGER;
CREATE INDEX ix_stock_store ON stock (store_id, sku);

CREATE TABLE stock_movements (
    movement_id INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL REFERENCES skus (sku),
    store_id    TEXT NOT NULL REFERENCES stores (store_id),
    occurred_at INTEGER NOT NULL,
    quantity    INTEGER NOT NULL,   -- signed: a sale takes off (-), a return puts back (+)
    reason      TEXT NOT NULL CHECK (reason IN ('sale', 'return', 'collection', 'received', 'transfer_in', 'transfer_out', 'damaged', 'adjusted')),
    reference   TEXT                -- the receipt, order or event it came from
);
CREATE INDEX ix_stock_movements_sku ON stock_movements (sku, store_id, occurred_at);
