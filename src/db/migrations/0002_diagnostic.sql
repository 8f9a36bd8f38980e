-- 0002: the diagnostic (DESIGN.md §4) and the orientation decisions.
-- Released migrations are never edited: add a new numbered file instead.

-- A dated assessment, never edited: a new one is added instead. The suggestion shown to
-- the agent when it was recorded is kept with it.
CREATE TABLE diagnostic (
    id                   INTEGER PRIMARY KEY,
    parcours_id          INTEGER NOT NULL REFERENCES parcours (id),
    date                 TEXT NOT NULL,
    agent_id             INTEGER NOT NULL REFERENCES agent (id),
    activite_24_mois     INTEGER CHECK (activite_24_mois IN (0, 1)),
    projet               TEXT CHECK (projet IN ('defini', 'a-preciser', 'aucun')),
    niveau_formation     TEXT CHECK (niveau_formation IN ('infra-3', '3', '4', '5', '6', '7', '8')),
    complet              INTEGER NOT NULL CHECK (complet IN (0, 1)),
    orientation_suggeree TEXT NOT NULL CHECK (orientation_suggeree IN ('pro', 'sociopro', 'social')),
    regle                INTEGER NOT NULL CHECK (regle BETWEEN 1 AND 4),
    explication          TEXT NOT NULL
) STRICT;
CREATE INDEX diagnostic_parcours ON diagnostic (parcours_id, date);
CREATE INDEX diagnostic_date ON diagnostic (date);

-- The eight constraints of each diagnostic; situations are comma-separated codes.
CREATE TABLE diagnostic_contrainte (
    diagnostic_id INTEGER NOT NULL REFERENCES diagnostic (id),
    dimension     TEXT NOT NULL CHECK (dimension IN (
        'mobilite', 'famille', 'sante', 'langue', 'logement', 'finances', 'administratif', 'numerique')),
    niveau        TEXT NOT NULL CHECK (niveau IN ('non-aborde', 'sans-impact', 'moyen', 'fort')),
    situations    TEXT NOT NULL DEFAULT '',
    commentaire   TEXT,
    PRIMARY KEY (diagnostic_id, dimension)
) STRICT, WITHOUT ROWID;

-- Professional needs: data·inclusion thematiques (or categories).
CREATE TABLE diagnostic_besoin (
    diagnostic_id INTEGER NOT NULL REFERENCES diagnostic (id),
    thematique    TEXT NOT NULL,
    PRIMARY KEY (diagnostic_id, thematique)
) STRICT, WITHOUT ROWID;

-- The agent's orientation decisions; the last one by date is the current orientation.
-- `suggestion` is what the last diagnostic suggested then (NULL without diagnostic).
CREATE TABLE orientation (
    id            INTEGER PRIMARY KEY,
    parcours_id   INTEGER NOT NULL REFERENCES parcours (id),
    date          TEXT NOT NULL,
    orientation   TEXT NOT NULL CHECK (orientation IN ('pro', 'sociopro', 'social')),
    motif         TEXT,
    agent_id      INTEGER NOT NULL REFERENCES agent (id),
    diagnostic_id INTEGER REFERENCES diagnostic (id),
    suggestion    TEXT CHECK (suggestion IN ('pro', 'sociopro', 'social'))
) STRICT;
CREATE INDEX orientation_parcours ON orientation (parcours_id, date);
