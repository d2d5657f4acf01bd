-- A merge can be split for Merges:SplitWithinDays (docs/merges.md). After that, or once it has been split, the journal
-- forgets what moved (merge_journal.moved: the merged record's personal data and rows) and keeps only how many rows of
-- each kind moved, as JSON, for the merges page.
ALTER TABLE merge_journal ADD COLUMN moved_counts TEXT;
-- The hourly sweep finds the merges still holding what moved, oldest first, without reading the ones it has forgotten.
CREATE INDEX ix_merge_journal_unforgotten ON merge_journal (merged_at) WHERE status = 'applied' AND moved IS NOT NULL;
