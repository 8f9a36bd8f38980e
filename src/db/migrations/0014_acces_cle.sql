-- 0014: the audit chain is keyed (HMAC-SHA-256); the key is written into meta by the
-- migration's hook, from the next entry on. No change of schema.
DELETE FROM meta WHERE 0;
