-- 0015: structures exchange parcours. Each base holds its structure's keys (written into
-- meta by the migration's hook); a partner is a structure with public keys; a parcours
-- shared with partners gets an identifier common to every base, and so does each record
-- it carries. Released migrations are never edited: add a new numbered file instead.

-- A partner's public keys (age X25519 to encrypt to it, Ed25519 to check its
-- signatures), the number of the last file sent to it and of the last one received.
ALTER TABLE structure ADD COLUMN cle_age TEXT;
ALTER TABLE structure ADD COLUMN cle_signature TEXT;
ALTER TABLE structure ADD COLUMN envoi_numero INTEGER NOT NULL DEFAULT 0;
ALTER TABLE structure ADD COLUMN recu_numero INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX structure_cle_signature ON structure (cle_signature) WHERE cle_signature IS NOT NULL;

-- A private note stays in this base: it is never sent.
ALTER TABLE journal ADD COLUMN prive INTEGER NOT NULL DEFAULT 0 CHECK (prive = 0 OR prive = 1);

-- When the identity last changed (system clock, milliseconds): the most recent value
-- wins between bases.
ALTER TABLE personne ADD COLUMN modifie_le TEXT;
CREATE TRIGGER personne_modifiee AFTER UPDATE OF nom, prenom, naissance, sexe, commune, telephone, courriel,
    publics ON personne
BEGIN
    UPDATE personne SET modifie_le = strftime('%Y-%m-%dT%H:%M:%f', 'now') WHERE dossier = NEW.dossier;
END;

-- The identifier a parcours has in every base that follows it; `origine` the structure
-- it came from (none: opened here), `recu_le` the day it was first received;
-- `retrait_le` the day a partner said the person withdrew their consent to share;
-- `referent_externe` the partner's référent as last known, `referent_propose` an agent
-- of this base the partner proposed as référent, until accepted.
CREATE TABLE echange_parcours (
    parcours_id         INTEGER PRIMARY KEY REFERENCES parcours (id),
    uid                 TEXT NOT NULL UNIQUE,
    origine             INTEGER REFERENCES structure (id),
    recu_le             TEXT,
    retrait_le          TEXT,
    referent_externe    TEXT,
    referent_externe_le TEXT,
    referent_propose    TEXT
) STRICT;

-- A record received from a partner (a note, a diagnostic…), by its identifier in every
-- base: received twice, it is stored once.
CREATE TABLE echange_element (
    uid         TEXT PRIMARY KEY,
    parcours_id INTEGER NOT NULL REFERENCES parcours (id),
    nature      TEXT NOT NULL CHECK (nature = 'journal' OR nature = 'orientation' OR nature = 'diagnostic' OR
            nature = 'objectif' OR nature = 'action' OR nature = 'statut'),
    local_id    INTEGER NOT NULL,
    origine     INTEGER NOT NULL REFERENCES structure (id),
    auteur      TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX echange_element_local ON echange_element (nature, local_id);
CREATE INDEX echange_element_parcours ON echange_element (parcours_id);

-- What was last sent to a partner, record by record (a digest of its content): the next
-- file carries only what changed.
CREATE TABLE echange_envoye (
    partenaire_id INTEGER NOT NULL REFERENCES structure (id),
    uid           TEXT NOT NULL,
    parcours_id   INTEGER NOT NULL REFERENCES parcours (id),
    empreinte     TEXT NOT NULL,
    PRIMARY KEY (partenaire_id, uid)
) STRICT, WITHOUT ROWID;
CREATE INDEX echange_envoye_parcours ON echange_envoye (parcours_id);

-- A value that changed on both sides: the most recent one was kept, the other is here.
CREATE TABLE echange_ecart (
    id          INTEGER PRIMARY KEY,
    parcours_id INTEGER NOT NULL REFERENCES parcours (id),
    champ       TEXT NOT NULL,
    gardee      TEXT,
    ecartee     TEXT,
    origine     INTEGER NOT NULL REFERENCES structure (id),
    le          TEXT NOT NULL
) STRICT;
CREATE INDEX echange_ecart_parcours ON echange_ecart (parcours_id);
