-- Shard-ready by customer (issue 18). Every table that holds one customer's data is keyed by
-- customer_id first, carries it in each of its unique indexes, and is joined to the others on it, so
-- that a Postgres sharded by customer (Citus distributing these tables on customer_id, colocated;
-- or one primary per group of customers) keeps each customer's rows, and every statement and
-- transaction about them, on one shard. Tables of a partner (partners, partner_api_keys, webhooks,
-- webhook_deliveries, webhook_delivery_attempts) and the catalog stay as they are; docs/scaling.md
-- says where each kind goes. Nothing here depends on a sharded Postgres: on one primary the new keys
-- serve the same lookups, with the customer in front.
--
-- The API and the worker of the previous version address rows by the old keys and write items,
-- progress and idempotency keys without customer_id: roll them out together with this migration.
-- Backfilling rewrites every job item once; on a large history that takes as long as the rewrite.

-- 1. Users, and their licenses, by customer. No foreign key joins the two (see migration 0002);
-- deleting a user deletes its licenses in the same transaction.
ALTER TABLE users DROP CONSTRAINT users_pkey, ADD CONSTRAINT users_pkey PRIMARY KEY (customer_id, id);
ALTER TABLE user_licenses
  DROP CONSTRAINT user_licenses_pkey,
  ADD CONSTRAINT user_licenses_pkey PRIMARY KEY (customer_id, user_id, product_id);

-- 2. Jobs by customer. A job is still looked up by its id alone in one place: the worker, whose task
-- names a job and a user but not their customer, finds the customer through the job (and remembers
-- it); license_jobs_id serves that. `seq` is the acceptance order; a user's items apply in it, so
-- it needs to grow within a customer only, and is unique within one.
ALTER TABLE license_jobs
  DROP CONSTRAINT license_jobs_pkey,
  ADD CONSTRAINT license_jobs_pkey PRIMARY KEY (customer_id, id),
  DROP CONSTRAINT license_jobs_seq_key;
CREATE INDEX license_jobs_id ON license_jobs (id);
DROP INDEX license_jobs_customer_seq;
CREATE UNIQUE INDEX license_jobs_customer_seq ON license_jobs (customer_id, seq DESC);
-- The oldest unfinished job of a customer bounds the range of its users' pending items.
DROP INDEX license_jobs_unfinished, license_jobs_customer_unfinished;
CREATE INDEX license_jobs_unfinished ON license_jobs (customer_id, seq) WHERE finished_at IS NULL;

-- 3. Job items carry their job's customer. Items of a job deleted with its customer (no foreign key
-- cascades to them) can no longer be read by anything, and go.
ALTER TABLE license_job_items ADD COLUMN customer_id uuid;
UPDATE license_job_items i SET customer_id = j.customer_id FROM license_jobs j WHERE j.id = i.job_id;
DELETE FROM license_job_items WHERE customer_id IS NULL;
ALTER TABLE license_job_items
  ALTER COLUMN customer_id SET NOT NULL,
  DROP CONSTRAINT license_job_items_pkey,
  ADD CONSTRAINT license_job_items_pkey PRIMARY KEY (customer_id, user_id, job_seq);
DROP INDEX license_job_items_position;
CREATE INDEX license_job_items_position ON license_job_items (customer_id, job_id, position);

-- 4. Progress deltas likewise.
ALTER TABLE license_job_progress ADD COLUMN customer_id uuid;
UPDATE license_job_progress p SET customer_id = j.customer_id FROM license_jobs j WHERE j.id = p.job_id;
DELETE FROM license_job_progress WHERE customer_id IS NULL;
ALTER TABLE license_job_progress ALTER COLUMN customer_id SET NOT NULL;
DROP INDEX license_job_progress_job;
CREATE INDEX license_job_progress_job ON license_job_progress (customer_id, job_id);

-- 5. An Idempotency-Key is claimed for the customer in the request's path. A claim without a job is
-- a request being answered right now by the previous version (or one that died); its customer is
-- not recorded, so it is dropped: such a request's key then answers as new. The key stays unique
-- per partner as the contract says (another customer's request with the same key is refused) by a
-- second unique index, which only one primary can keep (docs/scaling.md).
ALTER TABLE idempotency_keys ADD COLUMN customer_id uuid;
UPDATE idempotency_keys k SET customer_id = j.customer_id FROM license_jobs j WHERE j.id = k.job_id;
DELETE FROM idempotency_keys WHERE customer_id IS NULL;
ALTER TABLE idempotency_keys
  ALTER COLUMN customer_id SET NOT NULL,
  DROP CONSTRAINT idempotency_keys_pkey,
  ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (customer_id, partner_id, key);
CREATE UNIQUE INDEX idempotency_keys_partner_key ON idempotency_keys (partner_id, key);

-- 6. The audit trail by customer; `seq` (newest first) is unique within a customer.
ALTER TABLE audit_events
  DROP CONSTRAINT audit_events_pkey,
  ADD CONSTRAINT audit_events_pkey PRIMARY KEY (customer_id, id),
  DROP CONSTRAINT audit_events_seq_key;
DROP INDEX audit_events_customer;
CREATE UNIQUE INDEX audit_events_customer ON audit_events (customer_id, seq DESC);

-- 7. The record the reserved seats counters must equal joins items to their job by customer too.
CREATE OR REPLACE VIEW seat_reservations AS
  SELECT i.job_id, i.user_id, p.product_id, j.customer_id
  FROM license_jobs j
  JOIN license_job_items i ON i.customer_id = j.customer_id AND i.job_id = j.id
  CROSS JOIN LATERAL unnest(i.reserved_products) AS p(product_id)
  WHERE j.finished_at IS NULL AND i.status = 'pending';
