-- 0013: an agent who left the structure is removed, not deleted: the audit trail and the
-- parcours still name them.
ALTER TABLE agent ADD COLUMN retire_le TEXT;
