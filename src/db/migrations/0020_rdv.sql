-- 0020: appointments of a parcours, with their outcome, and the postal address of a
-- structure (printed on a convocation).
-- Released migrations are never edited: add a new numbered file instead.

-- `debut`: local date and time, 'AAAA-MM-JJTHH:MM'. `agent_id`: the agent who receives
-- the person. `statut`: prevu until its outcome is recorded (`statut_le`, `motif`).
CREATE TABLE rdv (
    id          INTEGER PRIMARY KEY,
    parcours_id INTEGER NOT NULL REFERENCES parcours (id),
    agent_id    INTEGER NOT NULL REFERENCES agent (id),
    debut       TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type = 'accueil' OR type = 'diagnostic' OR type = 'suivi' OR
            type = 'atelier' OR type = 'orientation'),
    lieu        TEXT,
    statut      TEXT NOT NULL CHECK (statut = 'prevu' OR statut = 'honore' OR statut = 'absent' OR
            statut = 'excuse' OR statut = 'annule'),
    statut_le   TEXT,
    motif       TEXT,
    cree_le     TEXT NOT NULL,
    cree_par    INTEGER NOT NULL REFERENCES agent (id),
    CHECK ((statut = 'prevu') = (statut_le IS NULL))
) STRICT;
-- An agent's agenda reads its own appointments of the period: its cost follows the
-- agent's caseload, not the base.
CREATE INDEX rdv_agent ON rdv (agent_id, debut);
CREATE INDEX rdv_parcours ON rdv (parcours_id, debut);
CREATE INDEX rdv_debut ON rdv (debut);

ALTER TABLE structure ADD COLUMN adresse TEXT;
