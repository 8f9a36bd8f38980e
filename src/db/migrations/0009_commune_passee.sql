-- 0009: where a person lived before a change of commune, so that a month's figures keep
-- the EPCI of residence at the month's last day.
-- Released migrations are never edited: add a new numbered file instead.

-- The person lived in `commune` until `jusqu_au` included.
CREATE TABLE commune_passee (
    id       INTEGER PRIMARY KEY,
    dossier  INTEGER NOT NULL REFERENCES personne (dossier),
    commune  TEXT NOT NULL,
    jusqu_au TEXT NOT NULL
) STRICT;
CREATE INDEX commune_passee_dossier ON commune_passee (dossier, jusqu_au);
