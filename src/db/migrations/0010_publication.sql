-- 0010: what a data·inclusion v1 export needs.
-- Released migrations are never edited: add a new numbered file instead.

-- Three service fields of data·inclusion v1, kept through import and export.
ALTER TABLE offre ADD COLUMN lien_source TEXT;
ALTER TABLE offre ADD COLUMN volume_horaire_hebdomadaire REAL CHECK (volume_horaire_hebdomadaire >= 0);
ALTER TABLE offre ADD COLUMN nombre_semaines INTEGER CHECK (nombre_semaines >= 1);

-- A source published by another producer (the national France services list…): its
-- offers are not republished by `offre exporter` unless asked for by name.
ALTER TABLE source ADD COLUMN externe INTEGER NOT NULL DEFAULT 0 CHECK (externe = 0 OR externe = 1);
