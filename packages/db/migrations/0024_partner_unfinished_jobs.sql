-- A partner's unfinished jobs, counted when it posts another (its share of the queue, answered 429
-- `partner_queue_full` past it): an index range of at most a few dozen entries, instead of every
-- unfinished job of every partner read to find its own.
CREATE INDEX license_jobs_partner_unfinished ON license_jobs (partner_id) WHERE finished_at IS NULL;
