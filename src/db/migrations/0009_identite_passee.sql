-- 0009: where a person lived, and the sex recorded, before a change, so that a month's
-- figures and its pack keep what the base said at the month's last day.
-- Released migrations are never edited: add a new numbered file instead.

-- The person's `champ` (commune or sexe) was `valeur` until `jusqu_au` included (an
-- empty `valeur`: none).
CREATE TABLE identite_passee (
    id       INTEGER PRIMARY KEY,
    dossier  INTEGER NOT NULL REFERENCES personne (dossier),
    champ    TEXT NOT NULL CHECK (champ = 'commune' OR champ = 'sexe'),
    valeur   TEXT NOT NULL,
    jusqu_au TEXT NOT NULL
) STRICT;
CREATE INDEX identite_passee_dossier ON identite_passee (dossier, champ, jusqu_au);
