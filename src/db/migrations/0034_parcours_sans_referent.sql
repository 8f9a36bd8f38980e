-- 0034: the open parcours of a structure that have no référent, found through an index
-- (the to-do list of each agent of the structure names them): without it, finding them
-- read every open parcours of the structure.
-- Released migrations are never edited: add a new numbered file instead.

-- `sans_referent`: 1 while the parcours has no référent in office (no `referent` row
-- without `fin`). Kept by the triggers below, whoever writes `referent`.
ALTER TABLE parcours ADD COLUMN sans_referent INTEGER NOT NULL DEFAULT 1 CHECK (sans_referent IN (0, 1));
UPDATE parcours SET sans_referent = NOT EXISTS
    (SELECT 1 FROM referent r WHERE r.parcours_id = parcours.id AND r.fin IS NULL);
CREATE INDEX parcours_sans_referent ON parcours (structure_id) WHERE sortie IS NULL AND sans_referent = 1;

CREATE TRIGGER referent_insere AFTER INSERT ON referent BEGIN
    UPDATE parcours SET sans_referent = NOT EXISTS
        (SELECT 1 FROM referent r WHERE r.parcours_id = parcours.id AND r.fin IS NULL)
    WHERE id = NEW.parcours_id;
END;
CREATE TRIGGER referent_modifie AFTER UPDATE OF parcours_id, fin ON referent BEGIN
    UPDATE parcours SET sans_referent = NOT EXISTS
        (SELECT 1 FROM referent r WHERE r.parcours_id = parcours.id AND r.fin IS NULL)
    WHERE id IN (OLD.parcours_id, NEW.parcours_id);
END;
CREATE TRIGGER referent_supprime AFTER DELETE ON referent BEGIN
    UPDATE parcours SET sans_referent = NOT EXISTS
        (SELECT 1 FROM referent r WHERE r.parcours_id = parcours.id AND r.fin IS NULL)
    WHERE id = OLD.parcours_id;
END;
