-- Contract 1.1 for jobs: a client's own reference, retries, and cancelled users told apart from failed ones.

-- 1. A reference the client chose (echoed on the Job, filterable), and the job a retry repeats.
ALTER TABLE license_jobs ADD COLUMN client_reference text, ADD COLUMN retry_of uuid;
CREATE INDEX license_jobs_customer_reference ON license_jobs (customer_id, client_reference, seq DESC)
  WHERE client_reference IS NOT NULL;

-- 2. A cancel leaves its pending users 'cancelled' (never applied), not 'failed': their changes are
-- all 'skipped' without an error, and progress counts them apart. Rows written by the previous
-- version (failed with the pseudo-code JobCancelled) are converted so every job reads the same way.
ALTER TABLE license_job_progress ADD COLUMN cancelled integer NOT NULL DEFAULT 0;

UPDATE license_job_items
SET status = 'cancelled',
    error_codes = NULL,
    changes = (SELECT coalesce(jsonb_agg((c - 'error') || '{"outcome": "skipped"}' ORDER BY n), '[]')
               FROM jsonb_array_elements(changes) WITH ORDINALITY AS x(c, n))
WHERE status = 'failed' AND error_codes = '{JobCancelled}';

UPDATE license_job_progress
SET cancelled = (errors_by_code ->> 'JobCancelled')::int,
    failed = failed - (errors_by_code ->> 'JobCancelled')::int,
    errors_by_code = errors_by_code - 'JobCancelled'
WHERE errors_by_code ? 'JobCancelled';

UPDATE license_jobs
SET summary = jsonb_build_object(
  'progress', (summary -> 'progress')
      || jsonb_build_object(
           'failed', (summary #>> '{progress,failed}')::int - (summary #>> '{errorsByCode,JobCancelled}')::int,
           'cancelled', (summary #>> '{errorsByCode,JobCancelled}')::int),
  'errorsByCode', (summary -> 'errorsByCode') - 'JobCancelled')
WHERE summary #> '{errorsByCode}' ? 'JobCancelled';
