-- 0008: erasure deletes the person's rows. What they counted in past months' figures is
-- kept as counts by month and group (never a row per person), and the erased dossier
-- leaves only its number and date, so that the number is never given again.
-- Released migrations are never edited: add a new numbered file instead.

-- One count of the indicators of `mois` (AAAA-MM) for one group: `groupement` is total,
-- epci, structure or referent, `groupe` the group's key (empty for total), `cle` the
-- count's name (file_active, sortie:iae, delai:12…).
CREATE TABLE residu (
    mois       TEXT NOT NULL,
    groupement TEXT NOT NULL CHECK (groupement = 'total' OR groupement = 'epci' OR
            groupement = 'structure' OR groupement = 'referent'),
    groupe     TEXT NOT NULL,
    cle        TEXT NOT NULL,
    nombre     INTEGER NOT NULL CHECK (nombre > 0),
    PRIMARY KEY (mois, groupement, groupe, cle)
) STRICT, WITHOUT ROWID;

CREATE TABLE dossier_efface (
    dossier   INTEGER PRIMARY KEY,
    efface_le TEXT NOT NULL
) STRICT;

-- A deleted name is removed from the search index's pages at once, not only marked.
INSERT INTO personne_fts (personne_fts, rank) VALUES ('secure-delete', 1);
