-- 0047: where each offer was last read (the partner file's name, never its path, and
-- the line there) moves into `offre` itself: one row less to write per offer imported.
-- Re-importing the same file with its rows reordered still changes no offer: these two
-- columns are not among those an import compares, nor among those its undo keeps.
-- Released migrations are never edited: add a new numbered file instead.

ALTER TABLE offre ADD COLUMN lu_dans TEXT;
ALTER TABLE offre ADD COLUMN ligne INTEGER CHECK (ligne >= 1);
UPDATE offre SET (lu_dans, ligne) = (SELECT p.fichier, p.ligne FROM offre_provenance p WHERE p.offre_id = offre.id)
WHERE id IN (SELECT offre_id FROM offre_provenance);
DROP TABLE offre_provenance;
