-- 0004: the territory's catalogue of offers (data·inclusion v1 services), by source.
-- Released migrations are never edited: add a new numbered file instead.
-- CHECKs list allowed values with OR: an IN list costs SQLite an ephemeral table per row.

-- A partner list, imported again and again under the same name.
CREATE TABLE source (
    id             INTEGER PRIMARY KEY,
    nom            TEXT NOT NULL UNIQUE,
    dernier_import TEXT
) STRICT;

-- One offer; list fields hold comma-separated codes. `retiree_le`: absent from the last
-- full import of its source (kept, not deleted).
CREATE TABLE offre (
    id                      INTEGER PRIMARY KEY,
    source_id               INTEGER NOT NULL REFERENCES source (id),
    identifiant             TEXT NOT NULL,
    structure_id            TEXT,
    structure_nom           TEXT,
    nom                     TEXT NOT NULL,
    description             TEXT,
    date_maj                TEXT,
    types                   TEXT NOT NULL DEFAULT '',
    thematiques             TEXT NOT NULL DEFAULT '',
    frais                   TEXT CHECK (frais = 'gratuit' OR frais = 'payant'),
    frais_precisions        TEXT,
    publics                 TEXT NOT NULL DEFAULT '',
    publics_precisions      TEXT,
    conditions_acces        TEXT,
    commune                 TEXT,
    code_postal             TEXT,
    adresse                 TEXT,
    complement_adresse      TEXT,
    latitude                REAL,
    longitude               REAL,
    telephone               TEXT,
    courriel                TEXT,
    contact_nom_prenom      TEXT,
    modes_accueil           TEXT NOT NULL DEFAULT '',
    zone_eligibilite        TEXT NOT NULL DEFAULT '',
    lien_mobilisation       TEXT,
    modes_mobilisation      TEXT NOT NULL DEFAULT '',
    mobilisable_par         TEXT NOT NULL DEFAULT '',
    mobilisation_precisions TEXT,
    horaires_accueil        TEXT,
    score_qualite           REAL NOT NULL,
    importee_le             TEXT NOT NULL,
    retiree_le              TEXT,
    UNIQUE (source_id, identifiant)
) STRICT;
CREATE INDEX offre_commune ON offre (commune);

-- One row per thematique of an offer, for matching by thematique or category.
CREATE TABLE offre_thematique (
    thematique TEXT NOT NULL,
    offre_id   INTEGER NOT NULL REFERENCES offre (id),
    PRIMARY KEY (thematique, offre_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX offre_thematique_offre ON offre_thematique (offre_id);

CREATE VIRTUAL TABLE offre_fts USING fts5 (
    nom, description,
    content = 'offre', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER offre_fts_insert AFTER INSERT ON offre BEGIN
    INSERT INTO offre_fts (rowid, nom, description) VALUES (new.id, new.nom, new.description);
END;
CREATE TRIGGER offre_fts_delete AFTER DELETE ON offre BEGIN
    INSERT INTO offre_fts (offre_fts, rowid, nom, description) VALUES ('delete', old.id, old.nom, old.description);
END;
CREATE TRIGGER offre_fts_update AFTER UPDATE OF nom, description ON offre BEGIN
    INSERT INTO offre_fts (offre_fts, rowid, nom, description) VALUES ('delete', old.id, old.nom, old.description);
    INSERT INTO offre_fts (rowid, nom, description) VALUES (new.id, new.nom, new.description);
END;

-- The offer an action of a parcours uses (set by `spie offre prescrire`).
ALTER TABLE action ADD COLUMN offre_id INTEGER REFERENCES offre (id);
