-- 0006: the team of a parcours is read through an index (the partial index of active
-- members does not serve `parcours voir`, which lists past members too). Found by the
-- query-plan test (tests/suite/plans.rs).
CREATE INDEX membre_parcours ON membre (parcours_id, debut);
