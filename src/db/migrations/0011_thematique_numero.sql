-- 0011: an offer's thematiques indexed by a number rather than by their text.
-- Released migrations are never edited: add a new numbered file instead.
-- Each imported offer writes a row per thematique: keyed by their 40-character code,
-- these rows made a sixth of the base an import writes (twice: to the WAL, then to the
-- base), and each insert compared codes rather than numbers.

-- The thematiques the catalogue uses, numbered as they first appear (never renumbered).
CREATE TABLE thematique (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO thematique (code) SELECT DISTINCT thematique FROM offre_thematique ORDER BY thematique;

ALTER TABLE offre_thematique RENAME TO offre_thematique_par_code;
CREATE TABLE offre_thematique (
    thematique_id INTEGER NOT NULL REFERENCES thematique (id),
    offre_id      INTEGER NOT NULL REFERENCES offre (id),
    PRIMARY KEY (thematique_id, offre_id)
) STRICT, WITHOUT ROWID;
INSERT INTO offre_thematique (thematique_id, offre_id)
    SELECT th.id, t.offre_id FROM offre_thematique_par_code t JOIN thematique th ON th.code = t.thematique;
DROP TABLE offre_thematique_par_code;
