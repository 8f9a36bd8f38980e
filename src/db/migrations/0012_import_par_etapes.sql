-- 0012: an import written in steps, each a short transaction, so that the commands of
-- the caseworkers are not kept waiting behind a long import; undoable until it ends.

-- The import in progress, if any: who runs it, and what the base held before it (the
-- highest numbers of offers, sources and thematiques; anything above was added by it).
CREATE TABLE import_en_cours (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    agent          TEXT NOT NULL,
    depuis         TEXT NOT NULL,
    hote           TEXT NOT NULL,
    processus      TEXT NOT NULL,
    offre_max      INTEGER NOT NULL,
    source_max     INTEGER NOT NULL
) STRICT;

-- The offers the import in progress changed, as they were before it: their columns as a
-- JSON array, to put them back if the import is refused or interrupted.
CREATE TABLE import_avant (
    offre_id INTEGER PRIMARY KEY,
    valeurs  TEXT NOT NULL
) STRICT;
