-- 0003: the shared follow-up — team, consent, plan (objectives and actions), journal,
-- and the erasure mark of a dossier.
-- Released migrations are never edited: add a new numbered file instead.
-- CHECKs list allowed values with OR: an IN list costs SQLite an ephemeral table per row.

-- Agents taking part in a parcours over time, besides the référent.
-- `motif_sans_consentement`: the written reason when added without the person's consent.
CREATE TABLE membre (
    id                      INTEGER PRIMARY KEY,
    parcours_id             INTEGER NOT NULL REFERENCES parcours (id),
    agent_id                INTEGER NOT NULL REFERENCES agent (id),
    debut                   TEXT NOT NULL,
    fin                     TEXT,
    motif_sans_consentement TEXT,
    CHECK (fin IS NULL OR fin >= debut)
) STRICT;
CREATE UNIQUE INDEX membre_un_seul_actif ON membre (parcours_id, agent_id) WHERE fin IS NULL;
CREATE INDEX membre_agent ON membre (agent_id);

-- The person's consent to share the dossier with other structures; the last one counts.
CREATE TABLE consentement (
    id       INTEGER PRIMARY KEY,
    dossier  INTEGER NOT NULL REFERENCES personne (dossier),
    date     TEXT NOT NULL,
    partage  INTEGER NOT NULL CHECK (partage = 0 OR partage = 1),
    agent_id INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX consentement_dossier ON consentement (dossier, date);

CREATE TABLE objectif (
    id          INTEGER PRIMARY KEY,
    parcours_id INTEGER NOT NULL REFERENCES parcours (id),
    thematique  TEXT NOT NULL,
    libelle     TEXT,
    statut      TEXT NOT NULL CHECK (statut = 'en-cours' OR statut = 'realise' OR
            statut = 'abandonne'),
    statut_le   TEXT NOT NULL,
    cree_le     TEXT NOT NULL,
    agent_id    INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX objectif_parcours ON objectif (parcours_id);

CREATE TABLE action (
    id           INTEGER PRIMARY KEY,
    parcours_id  INTEGER NOT NULL REFERENCES parcours (id),
    objectif_id  INTEGER REFERENCES objectif (id),
    libelle      TEXT NOT NULL,
    thematique   TEXT,
    structure_id INTEGER REFERENCES structure (id),
    echeance     TEXT,
    statut       TEXT NOT NULL CHECK (statut = 'proposee' OR statut = 'en-cours' OR
            statut = 'realisee' OR statut = 'abandonnee' OR statut = 'refusee'),
    cree_le      TEXT NOT NULL,
    agent_id     INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX action_parcours ON action (parcours_id);
CREATE INDEX action_objectif ON action (objectif_id);
CREATE INDEX action_cree_le ON action (cree_le);

-- Every status of an action with its date, the first one included.
CREATE TABLE action_statut (
    id        INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES action (id),
    date      TEXT NOT NULL,
    statut    TEXT NOT NULL CHECK (statut = 'proposee' OR statut = 'en-cours' OR statut = 'realisee' OR
            statut = 'abandonnee' OR statut = 'refusee'),
    agent_id  INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX action_statut_action ON action_statut (action_id, date);
CREATE INDEX action_statut_date ON action_statut (date);

-- Dated entries of the follow-up. Entretien, telephone, visite and atelier are contacts
-- with the person.
CREATE TABLE journal (
    id          INTEGER PRIMARY KEY,
    parcours_id INTEGER NOT NULL REFERENCES parcours (id),
    date        TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type = 'entretien' OR type = 'telephone' OR type = 'visite' OR
            type = 'atelier' OR type = 'courriel' OR type = 'courrier' OR type = 'absence' OR
            type = 'note'),
    texte       TEXT NOT NULL,
    agent_id    INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX journal_parcours ON journal (parcours_id, date);

-- A dossier erased at the person's request keeps an anonymous residue for statistics.
ALTER TABLE personne ADD COLUMN efface_le TEXT;
