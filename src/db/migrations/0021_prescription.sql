-- 0021: the answer to a prescription (an action of the plan linked to an offer), dated.
-- A prescription without any row here is proposee; sans-reponse is not stored: it is an
-- envoyee one without answer after 15 days.
-- Released migrations are never edited: add a new numbered file instead.

CREATE TABLE prescription_statut (
    id        INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES action (id),
    date      TEXT NOT NULL,
    statut    TEXT NOT NULL CHECK (statut = 'envoyee' OR statut = 'acceptee' OR statut = 'refusee' OR
            statut = 'realisee' OR statut = 'abandonnee'),
    motif     TEXT,
    agent_id  INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX prescription_statut_action ON prescription_statut (action_id, date);
CREATE INDEX prescription_statut_date ON prescription_statut (date);
CREATE INDEX action_offre ON action (offre_id) WHERE offre_id IS NOT NULL;
