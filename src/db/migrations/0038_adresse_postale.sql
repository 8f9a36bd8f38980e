-- 0038: what a convocation sent by post needs: the person's postal address (optional,
-- erased with the dossier) and the structure's telephone number.
-- Released migrations are never edited: add a new numbered file instead.

ALTER TABLE personne ADD COLUMN adresse TEXT;
ALTER TABLE structure ADD COLUMN telephone TEXT;
