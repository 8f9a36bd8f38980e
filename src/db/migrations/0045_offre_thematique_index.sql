-- 0045: `offre_thematique` is the index of `offre.thematiques` by thematique (which
-- offers answer a need), written by the import alone, and by its undo. Its link to the
-- offer is no longer a declared foreign key: such a key needed an index of its own on
-- `offre_id` (every offer deleted checks the rows that point to it), two index entries
-- per thematique written, a tenth of an import's time. Nothing deletes an offer but an
-- import's undo, which deletes its links first, by the offer's thematiques; `spie base
-- verifier` reports a link to an offer that does not exist.
-- Released migrations are never edited: add a new numbered file instead.

CREATE TABLE offre_thematique_0045 (
    thematique_id INTEGER NOT NULL REFERENCES thematique (id),
    offre_id      INTEGER NOT NULL,
    PRIMARY KEY (thematique_id, offre_id)
) STRICT, WITHOUT ROWID;
INSERT INTO offre_thematique_0045 SELECT thematique_id, offre_id FROM offre_thematique;
DROP TABLE offre_thematique;
ALTER TABLE offre_thematique_0045 RENAME TO offre_thematique;
