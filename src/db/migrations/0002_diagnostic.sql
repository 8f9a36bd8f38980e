-- 0002: the diagnostic and the orientation decisions.
-- Released migrations are never edited: add a new numbered file instead.
-- CHECKs list allowed values with OR: an IN list costs SQLite an ephemeral table per row.

-- A dated assessment, never edited: a new one is added instead. The suggestion shown to
-- the agent when it was recorded is kept with it.
CREATE TABLE diagnostic (
    id                   INTEGER PRIMARY KEY,
    parcours_id          INTEGER NOT NULL REFERENCES parcours (id),
    date                 TEXT NOT NULL,
    agent_id             INTEGER NOT NULL REFERENCES agent (id),
    activite_24_mois     INTEGER CHECK (activite_24_mois = 0 OR activite_24_mois = 1),
    projet               TEXT CHECK (projet = 'defini' OR projet = 'a-preciser' OR
            projet = 'aucun'),
    niveau_formation     TEXT CHECK (niveau_formation = 'infra-3' OR niveau_formation = '3' OR
            niveau_formation = '4' OR niveau_formation = '5' OR niveau_formation = '6' OR
            niveau_formation = '7' OR niveau_formation = '8'),
    complet              INTEGER NOT NULL CHECK (complet = 0 OR complet = 1),
    orientation_suggeree TEXT NOT NULL CHECK (orientation_suggeree = 'pro' OR
            orientation_suggeree = 'sociopro' OR orientation_suggeree = 'social'),
    regle                INTEGER NOT NULL CHECK (regle BETWEEN 1 AND 4),
    explication          TEXT NOT NULL
) STRICT;
CREATE INDEX diagnostic_parcours ON diagnostic (parcours_id, date);
CREATE INDEX diagnostic_date ON diagnostic (date);

-- The eight constraints of each diagnostic; situations are comma-separated codes.
CREATE TABLE diagnostic_contrainte (
    diagnostic_id INTEGER NOT NULL REFERENCES diagnostic (id),
    dimension     TEXT NOT NULL CHECK (dimension = 'mobilite' OR dimension = 'famille' OR
            dimension = 'sante' OR dimension = 'langue' OR dimension = 'logement' OR
            dimension = 'finances' OR dimension = 'administratif' OR dimension = 'numerique'),
    niveau        TEXT NOT NULL CHECK (niveau = 'non-aborde' OR niveau = 'sans-impact' OR
            niveau = 'moyen' OR niveau = 'fort'),
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
    orientation   TEXT NOT NULL CHECK (orientation = 'pro' OR orientation = 'sociopro' OR
            orientation = 'social'),
    motif         TEXT,
    agent_id      INTEGER NOT NULL REFERENCES agent (id),
    diagnostic_id INTEGER REFERENCES diagnostic (id),
    suggestion    TEXT CHECK (suggestion = 'pro' OR suggestion = 'sociopro' OR
            suggestion = 'social')
) STRICT;
CREATE INDEX orientation_parcours ON orientation (parcours_id, date);
