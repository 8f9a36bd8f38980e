-- 0039: every foreign key gets an index that begins with its child column. Deleting a row
-- checks the rows that point to it: without such an index, each delete read the child
-- table whole (undoing an interrupted import of 100,000 offers read `offre_thematique`
-- once per offer). `action_offre` was partial (`WHERE offre_id IS NOT NULL`), which the
-- check cannot use.
-- Released migrations are never edited: add a new numbered file instead.

CREATE INDEX offre_thematique_offre ON offre_thematique (offre_id);
DROP INDEX action_offre;
CREATE INDEX action_offre ON action (offre_id);
CREATE INDEX orientation_diagnostic ON orientation (diagnostic_id);
