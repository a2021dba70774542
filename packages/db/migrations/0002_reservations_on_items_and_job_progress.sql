-- Throughput (issue 5): fewer rows written per user, no scan of a job's items per poll, and
-- batch statements whose plans do not depend on statistics that lag behind a burst of work.

-- 1. A seat reservation is no longer a row of its own: the job item records the products reserved
-- for its user, and the reservation lasts exactly as long as the item is pending. Turning a
-- reservation into an assignment, or releasing it, is then the same write that marks the item
-- done, instead of an insert at acceptance and a delete in the worker for every user and product.
ALTER TABLE license_job_items ADD COLUMN reserved_products text[] NOT NULL DEFAULT '{}';
UPDATE license_job_items i SET reserved_products = r.products
FROM (SELECT job_id, user_id, array_agg(product_id ORDER BY product_id) AS products
      FROM seat_reservations GROUP BY job_id, user_id) r
WHERE i.job_id = r.job_id AND i.user_id = r.user_id AND i.status = 'pending';
DROP TABLE seat_reservations;

-- Pending items exist only in unfinished jobs (a job finishes when none is left, and a cancel fails
-- them all), so reserved(customer, product) is counted over the customer's few unfinished jobs.
CREATE INDEX license_jobs_customer_unfinished ON license_jobs (customer_id) WHERE finished_at IS NULL;

-- reserved(customer, product) = the number of rows here; still no counter to keep in step.
CREATE VIEW seat_reservations AS
  SELECT i.job_id, i.user_id, p.product_id, j.customer_id
  FROM license_jobs j
  JOIN license_job_items i ON i.job_id = j.id
  CROSS JOIN LATERAL unnest(i.reserved_products) AS p(product_id)
  WHERE j.finished_at IS NULL AND i.status = 'pending';

-- 2. No index leads with or filters on an item's status any more. Statistics lag behind a burst of
-- work (a fresh deployment, or "few pending items" while a 50,000-user job runs), and with such an
-- index the planner chose to walk every pending item of the table for each batch of 500 users. A
-- user's items are found by user (in acceptance order), a job's by (job, position) or its key; the
-- status is read from the row. Fewer indexes also means fewer index writes per item.
DROP INDEX license_job_items_pending_by_user;
DROP INDEX license_job_items_status_position;
CREATE INDEX license_job_items_user_seq ON license_job_items (user_id, job_seq);

-- 3. Job progress as insert-only deltas: every worker batch (and a cancel) adds one row per job it
-- finished users of, in the same transaction that marks those items done. A job's progress is the
-- sum of a few dozen rows instead of a count over all its items, and no row is updated (or locked)
-- by every batch, so concurrent batches of one job, and a cancel, never wait on each other. No
-- foreign key for that reason: its check would lock the job row for every batch. Rows are inserted
-- only for a job that exists (in its batch's or cancel's transaction) and deleted with it.
CREATE TABLE license_job_progress (
  job_id          uuid NOT NULL,
  succeeded       integer NOT NULL,
  failed          integer NOT NULL,
  errors_by_code  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX license_job_progress_job ON license_job_progress (job_id);

INSERT INTO license_job_progress (job_id, succeeded, failed, errors_by_code)
SELECT j.id,
  (SELECT count(*) FROM license_job_items i WHERE i.job_id = j.id AND i.status = 'succeeded'),
  (SELECT count(*) FROM license_job_items i WHERE i.job_id = j.id AND i.status = 'failed'),
  coalesce((SELECT jsonb_object_agg(code, n) FROM (
     SELECT code, count(*) AS n FROM license_job_items i, unnest(i.error_codes) AS code
     WHERE i.job_id = j.id AND i.status = 'failed' GROUP BY code) c), '{}')
FROM license_jobs j
WHERE j.finished_at IS NULL;

-- 4. Room on every page for an item's second version: marking an item done changes no indexed
-- column, so with free space on its page the update is HOT (heap-only: no index entry is written),
-- and the page is pruned in place instead of waiting for vacuum.
ALTER TABLE license_job_items SET (fillfactor = 40);  -- for pages written from now on

-- 5. No foreign-key trigger on the two tables written once per user: a constraint check is a query
-- per inserted row, which costs more than inserting a large job's items itself. What they
-- guaranteed is kept by construction, and checked by the tests' seat invariant:
--   - items are inserted only in the transaction that creates their job, and retention deletes a
--     job's items with the job;
--   - licenses are inserted only by a worker holding the user's row lock (so the user exists until
--     it commits), and deleting a user deletes its licenses in the same transaction, after the
--     user's row (whose lock waits for any worker applying changes to it).
ALTER TABLE license_job_items DROP CONSTRAINT license_job_items_job_id_fkey;
ALTER TABLE user_licenses DROP CONSTRAINT user_licenses_user_id_fkey;

-- 6. When the API finished enqueueing a job's tasks. Tasks now carry BullMQ's own ids (see
-- packages/queue), so the reconciler must not re-enqueue a job whose tasks are still being added
-- (they would all run twice, harmlessly but at twice the cost): it waits for this mark, or for a
-- timeout when the API died before setting it. Existing jobs count as enqueued.
ALTER TABLE license_jobs ADD COLUMN tasks_enqueued_at timestamptz;
UPDATE license_jobs SET tasks_enqueued_at = created_at;
