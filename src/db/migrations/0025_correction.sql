-- 0025: correcting the record. A journal note or an action label corrected, or a note
-- withdrawn, keeps its previous text in `correction`, dated and signed; a diagnostic
-- entered by mistake is kept, marked, and left out of statistics and comparisons.
CREATE TABLE correction (
    id          INTEGER PRIMARY KEY,
    journal_id  INTEGER REFERENCES journal (id),
    action_id   INTEGER REFERENCES action (id),
    date        TEXT NOT NULL,
    ancien      TEXT NOT NULL,
    retrait     INTEGER NOT NULL DEFAULT 0 CHECK (retrait IN (0, 1)),
    motif       TEXT,
    agent_id    INTEGER NOT NULL REFERENCES agent (id),
    CHECK ((journal_id IS NULL) <> (action_id IS NULL)),
    CHECK (retrait = 0 OR (motif IS NOT NULL AND journal_id IS NOT NULL))
) STRICT;
CREATE INDEX correction_journal ON correction (journal_id);
CREATE INDEX correction_action ON correction (action_id);

-- A withdrawn note keeps its row (its date, its author) but no text and counts as no contact.
ALTER TABLE journal ADD COLUMN retiree INTEGER NOT NULL DEFAULT 0 CHECK (retiree IN (0, 1));

ALTER TABLE diagnostic ADD COLUMN erreur_le TEXT;
ALTER TABLE diagnostic ADD COLUMN erreur_motif TEXT;
