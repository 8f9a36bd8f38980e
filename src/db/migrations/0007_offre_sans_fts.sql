-- 0007: offers are searched by words without a full-text index. Keeping FTS5 up to date
-- cost an import more than writing the offers themselves (4.5 s of 12.4 s for 1,000,000
-- rows, docs/performance.md), for a catalogue read a few thousand rows at a time; the
-- words are now matched while reading the offers (db::offre::actives).
DROP TRIGGER offre_fts_insert;
DROP TRIGGER offre_fts_delete;
DROP TRIGGER offre_fts_update;
DROP TABLE offre_fts;
