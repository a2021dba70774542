-- Throughput (issue 5): one index fewer to write for every item of every accepted job.
-- An item was indexed three times: by (job, user) as its key, by (job, position) for a job's
-- results in user-list order, and by (user, job_seq) for a user's pending items. (user, job_seq)
-- identifies an item as well as (job, user) does (a job has one seq), so it becomes the key and
-- the (job, user) index goes: workers find and mark items by user, everything that reads a job's
-- items goes by (job, position).
-- Workers of the previous version mark items by (job, user): roll them out together with this.
ALTER TABLE license_job_items DROP CONSTRAINT license_job_items_pkey;
DROP INDEX license_job_items_user_seq;
ALTER TABLE license_job_items ADD CONSTRAINT license_job_items_pkey PRIMARY KEY (user_id, job_seq);
