-- Catalog: owned and written only by the catalog service; the API and workers read it.
CREATE SCHEMA IF NOT EXISTS catalog;

CREATE TABLE catalog.products (
  id          text PRIMARY KEY,
  document    jsonb NOT NULL,              -- the whole Product as written through the catalog
  revision    bigint NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row once the demo catalog has been seeded, so a later start never re-seeds what operators changed.
CREATE TABLE catalog.seed_marker (
  name       text PRIMARY KEY,
  seeded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE partners (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name            text NOT NULL,
  api_key_prefix  text NOT NULL,              -- first characters of the key, to recognise it in a list
  api_key_hash    bytea NOT NULL UNIQUE,      -- sha256 of the whole key; the key itself is never stored
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customers (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id  uuid NOT NULL REFERENCES partners(id),
  name        text NOT NULL,
  country     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_partner_created ON customers (partner_id, created_at, id);

CREATE TABLE users (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id          uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  -- ICU root collation: the user list sorts as people (and JavaScript's localeCompare) expect.
  user_principal_name  text COLLATE "und-x-icu" NOT NULL,
  display_name         text COLLATE "und-x-icu" NOT NULL,
  usage_location       text,
  created_at           timestamptz NOT NULL DEFAULT now()
);
-- User principal names are case-insensitive, as in Entra ID.
CREATE UNIQUE INDEX users_customer_upn ON users (customer_id, lower(user_principal_name));
CREATE INDEX users_customer_sort ON users (customer_id, display_name, user_principal_name, id);

-- assigned(customer, product) = the number of rows here; there is no counter to keep in step.
CREATE TABLE user_licenses (
  user_id                 uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  product_id              text NOT NULL,
  customer_id             uuid NOT NULL,
  disabled_service_plans  text[] NOT NULL DEFAULT '{}',
  assigned_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, product_id)
);
CREATE INDEX user_licenses_customer_product ON user_licenses (customer_id, product_id);

-- The subscription row is the lock that serialises every decision that takes a free seat.
CREATE TABLE subscriptions (
  customer_id  uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  product_id   text NOT NULL,
  quantity     integer NOT NULL CHECK (quantity >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, product_id)
);

CREATE TABLE license_jobs (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- acceptance order; a user's jobs apply in it
  partner_id       uuid NOT NULL REFERENCES partners(id),
  customer_id      uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  status           text NOT NULL DEFAULT 'queued',
  assign           jsonb NOT NULL,
  revoke           jsonb NOT NULL,
  user_count       integer NOT NULL,
  idempotency_key  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  summary          jsonb                 -- progress and errorsByCode, frozen when the job finishes
);
CREATE INDEX license_jobs_customer_seq ON license_jobs (customer_id, seq DESC);
CREATE INDEX license_jobs_unfinished ON license_jobs (seq) WHERE finished_at IS NULL;
CREATE INDEX license_jobs_finished ON license_jobs (finished_at) WHERE finished_at IS NOT NULL;  -- retention

-- One row per (job, user): Postgres, not the queue, is the record of what is left to do.
CREATE TABLE license_job_items (
  job_id               uuid NOT NULL REFERENCES license_jobs(id) ON DELETE CASCADE,
  user_id              uuid NOT NULL,             -- no foreign key: a deleted user must still be reported
  job_seq              bigint NOT NULL,
  position             integer NOT NULL,          -- the user's place in the user list when the job was accepted
  user_principal_name  text COLLATE "und-x-icu" NOT NULL,
  display_name         text COLLATE "und-x-icu" NOT NULL,
  status               text NOT NULL DEFAULT 'pending',
  changes              jsonb,
  error_codes          text[],
  finished_at          timestamptz,
  PRIMARY KEY (job_id, user_id)
);
CREATE INDEX license_job_items_status_position ON license_job_items (job_id, status, position);
CREATE INDEX license_job_items_position ON license_job_items (job_id, position);
CREATE INDEX license_job_items_pending_by_user ON license_job_items (user_id, job_seq) WHERE status = 'pending';

-- reserved(customer, product) = the number of rows here. A row is one seat held for one user of one job;
-- it is deleted in the same transaction that assigns the license or decides the seat is not needed.
CREATE TABLE seat_reservations (
  job_id       uuid NOT NULL,
  user_id      uuid NOT NULL,
  product_id   text NOT NULL,
  customer_id  uuid NOT NULL,
  PRIMARY KEY (job_id, user_id, product_id)
);
CREATE INDEX seat_reservations_customer_product ON seat_reservations (customer_id, product_id);

CREATE TABLE idempotency_keys (
  partner_id    uuid NOT NULL REFERENCES partners(id),
  key           text NOT NULL,
  request_hash  text NOT NULL,
  job_id        uuid,                 -- null while the first request is still being answered
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
