-- Undo and scheduled jobs (contract 1.2).

-- 1. A revert names the job it puts back; a scheduled job the time it may start (null: at once).
ALTER TABLE license_jobs ADD COLUMN revert_of uuid, ADD COLUMN not_before timestamptz;

-- The worker's scheduler looks for scheduled jobs that are due, a few times a second: a small
-- partial index answers it without reading any other job.
CREATE INDEX license_jobs_scheduled ON license_jobs (not_before) WHERE status = 'scheduled';

-- 2. A job's changes are the same for every user, except a revert's: each of its users is put back
-- as it was, so each item carries its own `{assign, revoke}` (null: the job's). No index covers it,
-- so marking an item done stays a heap-only update.
ALTER TABLE license_job_items ADD COLUMN request jsonb;
