-- 0001: the foundation — structures, agents, persons (dossiers) and their parcours.
-- Released migrations are never edited: add a new numbered file instead.
-- CHECKs list allowed values with OR: an IN list costs SQLite an ephemeral table per row.

CREATE TABLE meta (
    cle    TEXT PRIMARY KEY,
    valeur TEXT NOT NULL
) STRICT;

CREATE TABLE structure (
    id        INTEGER PRIMARY KEY,
    nom       TEXT NOT NULL,
    nom_norm  TEXT NOT NULL UNIQUE,
    siret     TEXT UNIQUE,
    typologie TEXT,
    commune   TEXT,
    cree_le   TEXT NOT NULL
) STRICT;

CREATE TABLE agent (
    id           INTEGER PRIMARY KEY,
    identifiant  TEXT NOT NULL UNIQUE,
    nom          TEXT NOT NULL,
    structure_id INTEGER NOT NULL REFERENCES structure (id),
    role         TEXT NOT NULL CHECK (role = 'referent' OR role = 'accueil' OR role = 'admin'),
    cree_le      TEXT NOT NULL
) STRICT;
CREATE INDEX agent_structure ON agent (structure_id);

-- One row per person; the dossier number is what caseworkers type.
CREATE TABLE personne (
    dossier     INTEGER PRIMARY KEY,
    nom         TEXT NOT NULL,
    prenom      TEXT NOT NULL,
    nom_norm    TEXT NOT NULL,
    prenom_norm TEXT NOT NULL,
    naissance   TEXT NOT NULL,
    sexe        TEXT CHECK (sexe = 'f' OR sexe = 'm'),
    commune     TEXT NOT NULL,
    telephone   TEXT,
    courriel    TEXT,
    publics     TEXT NOT NULL DEFAULT '',
    cree_le     TEXT NOT NULL,
    cree_par    INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX personne_identite ON personne (nom_norm, prenom_norm, naissance);
CREATE INDEX personne_naissance ON personne (naissance);
CREATE INDEX personne_commune ON personne (commune);
CREATE INDEX personne_cree_par ON personne (cree_par);

-- Name search, on the normalised names only (accents and case already folded).
CREATE VIRTUAL TABLE personne_fts USING fts5 (
    nom_norm, prenom_norm,
    content = 'personne', content_rowid = 'dossier', prefix = '2 3'
);
CREATE TRIGGER personne_fts_insert AFTER INSERT ON personne BEGIN
    INSERT INTO personne_fts (rowid, nom_norm, prenom_norm)
    VALUES (new.dossier, new.nom_norm, new.prenom_norm);
END;
CREATE TRIGGER personne_fts_delete AFTER DELETE ON personne BEGIN
    INSERT INTO personne_fts (personne_fts, rowid, nom_norm, prenom_norm)
    VALUES ('delete', old.dossier, old.nom_norm, old.prenom_norm);
END;
CREATE TRIGGER personne_fts_update AFTER UPDATE OF nom_norm, prenom_norm ON personne BEGIN
    INSERT INTO personne_fts (personne_fts, rowid, nom_norm, prenom_norm)
    VALUES ('delete', old.dossier, old.nom_norm, old.prenom_norm);
    INSERT INTO personne_fts (rowid, nom_norm, prenom_norm)
    VALUES (new.dossier, new.nom_norm, new.prenom_norm);
END;

-- A period of follow-up; a person has at most one open parcours.
CREATE TABLE parcours (
    id           INTEGER PRIMARY KEY,
    dossier      INTEGER NOT NULL REFERENCES personne (dossier),
    structure_id INTEGER NOT NULL REFERENCES structure (id),
    entree       TEXT NOT NULL,
    sortie       TEXT,
    motif_sortie TEXT CHECK (motif_sortie = 'emploi-durable' OR motif_sortie = 'emploi-temporaire' OR
            motif_sortie = 'creation-entreprise' OR motif_sortie = 'iae' OR
            motif_sortie = 'formation-qualifiante' OR motif_sortie = 'demenagement' OR
            motif_sortie = 'reorientation' OR motif_sortie = 'abandon' OR motif_sortie = 'autre'),
    CHECK ((sortie IS NULL) = (motif_sortie IS NULL)),
    CHECK (sortie IS NULL OR sortie >= entree)
) STRICT;
CREATE UNIQUE INDEX parcours_un_seul_ouvert ON parcours (dossier) WHERE sortie IS NULL;
CREATE INDEX parcours_dossier ON parcours (dossier, entree);
CREATE INDEX parcours_structure ON parcours (structure_id);

-- The référent of a parcours over time; at most one active (fin IS NULL).
CREATE TABLE referent (
    id          INTEGER PRIMARY KEY,
    parcours_id INTEGER NOT NULL REFERENCES parcours (id),
    agent_id    INTEGER NOT NULL REFERENCES agent (id),
    debut       TEXT NOT NULL,
    fin         TEXT,
    CHECK (fin IS NULL OR fin >= debut)
) STRICT;
CREATE UNIQUE INDEX referent_un_seul_actif ON referent (parcours_id) WHERE fin IS NULL;
CREATE INDEX referent_parcours ON referent (parcours_id, debut);
CREATE INDEX referent_agent ON referent (agent_id);
