-- 0005: the audit trail of the accesses to dossiers, chained by SHA-256.
-- Released migrations are never edited: add a new numbered file instead.

-- One entry per command that read or wrote a dossier (`dossier` NULL for a command on
-- several). No personal content. `empreinte` = SHA-256 of the previous entry's
-- `empreinte` and of this entry's fields: an edited, removed or moved entry breaks the
-- chain. No foreign key: the trail outlives an erased dossier.
CREATE TABLE acces (
    id         INTEGER PRIMARY KEY,
    horodatage TEXT NOT NULL,
    agent      TEXT NOT NULL,
    commande   TEXT NOT NULL,
    dossier    INTEGER,
    empreinte  TEXT NOT NULL
) STRICT;
CREATE INDEX acces_dossier ON acces (dossier);
CREATE INDEX acces_horodatage ON acces (horodatage);
