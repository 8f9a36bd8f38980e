-- 0007: fewer writes per imported offer (docs/performance.md).
-- Offers are searched by words without a full-text index: keeping FTS5 up to date cost an
-- import more than writing the offers themselves (4.5 s of 12.4 s for 1,000,000 rows), for
-- a catalogue read a few thousand rows at a time; the words are now matched while reading
-- the offers (db::offre::actives).
DROP TRIGGER offre_fts_insert;
DROP TRIGGER offre_fts_delete;
DROP TRIGGER offre_fts_update;
DROP TABLE offre_fts;
-- The thematiques of an offer are found through its `thematiques` column, which lists
-- them: the index by offer served only to delete them.
DROP INDEX offre_thematique_offre;
-- No query reads offers by commune (distances are computed from the coordinates of each
-- offer found): its index only cost writes.
DROP INDEX offre_commune;
