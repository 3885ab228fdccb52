-- Schema 2: diacritic-insensitive search. The app folds text itself (đ → d as well as the
-- accents, which SQLite's unicode61 folding misses) and keeps one row per searchable record.
CREATE VIRTUAL TABLE search_index USING fts5(
    folded,
    entity UNINDEXED,
    entity_id UNINDEXED,
    unit_id UNINDEXED,
    reference UNINDEXED,
    display UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE search_row (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    rowid_fts INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id)
) STRICT;
