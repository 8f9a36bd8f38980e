-- Where each offer was last read: the name of the partner's file (never its path) and
-- the line there (the sheet's row for a workbook), so that a person can find an offer
-- the data·inclusion export leaves out. Kept apart from `offre`: re-importing the same
-- file with its rows reordered changes no offer.
CREATE TABLE offre_provenance (
    offre_id INTEGER PRIMARY KEY REFERENCES offre (id) ON DELETE CASCADE,
    fichier TEXT NOT NULL,
    ligne INTEGER NOT NULL CHECK (ligne >= 1)
) STRICT;
