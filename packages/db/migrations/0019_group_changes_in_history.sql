-- The license changes a user's groups made when a job's item changed the user's licenses (a waiting
-- or refused group grant settled by that change: a license the group now assigns or updates), each
-- with its `groupId`; applied just after the item's own `changes`, in the same transaction, and part
-- of the user's license history. Expand-only: a nullable column the previous release neither reads
-- nor writes (null: none).
ALTER TABLE license_job_items ADD COLUMN group_changes jsonb;
