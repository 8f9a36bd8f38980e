-- 0043: a contract's dates corrected, or the contract withdrawn (recorded by mistake),
-- keep the previous dates in `contrat_correction`, dated, signed and with the reason. A
-- withdrawn contract keeps its row, marked, and no longer counts anywhere.
-- Released migrations are never edited: add a new numbered file instead.

CREATE TABLE contrat_correction (
    id           INTEGER PRIMARY KEY,
    contrat_id   INTEGER NOT NULL REFERENCES contrat (id),
    date         TEXT NOT NULL,
    ancien_debut TEXT NOT NULL,
    ancien_fin   TEXT NOT NULL,
    retrait      INTEGER NOT NULL DEFAULT 0 CHECK (retrait IN (0, 1)),
    motif        TEXT NOT NULL,
    agent_id     INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX contrat_correction_contrat ON contrat_correction (contrat_id);

ALTER TABLE contrat ADD COLUMN retire INTEGER NOT NULL DEFAULT 0 CHECK (retire IN (0, 1));
