-- The profile says which records were merged into the member on screen (survivor → merged): one indexed lookup, not a
-- scan of every merge.
CREATE INDEX ix_member_merges_survivor ON member_merges (survivor_member_id, merged_at DESC);
