-- 0022: the contracts of a parcours (CER, PPAE, CEJ, PACEA), and the person's optional
-- identifiers at France Travail and at the CAF.
-- Released migrations are never edited: add a new numbered file instead.

CREATE TABLE contrat (
    id          INTEGER PRIMARY KEY,
    parcours_id INTEGER NOT NULL REFERENCES parcours (id),
    type        TEXT NOT NULL CHECK (type = 'cer' OR type = 'ppae' OR type = 'cej' OR type = 'pacea'),
    debut       TEXT NOT NULL,
    fin         TEXT NOT NULL,
    cree_le     TEXT NOT NULL,
    agent_id    INTEGER NOT NULL REFERENCES agent (id),
    CHECK (fin >= debut)
) STRICT;
CREATE INDEX contrat_parcours ON contrat (parcours_id, fin);

ALTER TABLE personne ADD COLUMN france_travail TEXT;
ALTER TABLE personne ADD COLUMN caf TEXT;
CREATE INDEX personne_france_travail ON personne (france_travail) WHERE france_travail IS NOT NULL;
CREATE INDEX personne_caf ON personne (caf) WHERE caf IS NOT NULL;
CREATE INDEX personne_telephone ON personne (telephone) WHERE telephone IS NOT NULL;
CREATE INDEX personne_courriel ON personne (courriel) WHERE courriel IS NOT NULL;
