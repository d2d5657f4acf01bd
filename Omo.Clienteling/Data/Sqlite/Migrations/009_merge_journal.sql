-- Every merge, and every link held back for a manager (docs/merges.md): why it happened (which event, which sender),
-- exactly what moved (so a split gives the merged record back its own rows) and what became of it. A journal entry holds
-- the merged record's personal data while the merge stands; an erasure removes it with the person.
CREATE TABLE merge_journal (
    merge_id           INTEGER PRIMARY KEY,
    survivor_member_id INTEGER NOT NULL,
    merged_member_id   INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'rejected', 'split')),
    sender             TEXT,                    -- the API key that sent the link; NULL for the demo
    event_id           TEXT,
    link_kind          TEXT,                    -- the identifier the link named
    link_value         TEXT,
    risks              TEXT NOT NULL DEFAULT '', -- why it was held, comma-separated (MergeRisk)
    requested_at       INTEGER NOT NULL,
    merged_at          INTEGER,
    moved              TEXT,                    -- JSON: the rows and values the merge moved (MergeJournal)
    decided_by         TEXT,                    -- the staff member who approved or rejected a held link
    decided_at         INTEGER,
    split_by           TEXT,
    split_at           INTEGER
);
CREATE INDEX ix_merge_journal_survivor ON merge_journal (survivor_member_id, status);
CREATE INDEX ix_merge_journal_merged ON merge_journal (merged_member_id, status);
CREATE INDEX ix_merge_journal_status ON merge_journal (status, merge_id DESC);
