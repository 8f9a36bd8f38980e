-- 0037: an appointment's outcome corrected keeps the previous one in `rdv_correction`,
-- dated, signed and with its reason; `rdv.convoque_le` says a convocation (letter and
-- calendar file) was written, so that cancelling the appointment writes its cancellation.
-- Released migrations are never edited: add a new numbered file instead.

CREATE TABLE rdv_correction (
    id          INTEGER PRIMARY KEY,
    rdv_id      INTEGER NOT NULL REFERENCES rdv (id),
    date        TEXT NOT NULL,
    ancien      TEXT NOT NULL CHECK (ancien = 'honore' OR ancien = 'absent' OR ancien = 'excuse' OR
            ancien = 'annule'),
    ancien_le   TEXT NOT NULL,
    ancien_motif TEXT,
    motif       TEXT NOT NULL,
    agent_id    INTEGER NOT NULL REFERENCES agent (id)
) STRICT;
CREATE INDEX rdv_correction_rdv ON rdv_correction (rdv_id);

-- The last day a convocation was written for the appointment.
ALTER TABLE rdv ADD COLUMN convoque_le TEXT;
