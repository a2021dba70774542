-- License groups (contract 1.2): a license is a set of sources (the direct one and every group whose
-- grant is applied to the user), one seat however many. Expand-only: the previous release's API and
-- worker keep reading and writing every table as before (new columns have defaults that mean what
-- that release meant, new tables are not known to it).

-- 1. Groups of a customer: static (membership_rule null) or dynamic (the rule selects the members).
-- `licenses` is what every member should hold: [{productId, disabledServicePlans}].
CREATE TABLE groups (
  customer_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  description text,
  membership_rule jsonb,
  licenses jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, id)
);
-- Names are unique per customer, compared as people read them (case aside).
CREATE UNIQUE INDEX groups_customer_name ON groups (customer_id, lower(name));

-- 2. Members. For a dynamic group the rows are kept equal to the users matching the rule by every
-- change of a user or of the rule. A user's groups are found by the second index.
CREATE TABLE group_members (
  customer_id uuid NOT NULL,
  group_id uuid NOT NULL,
  user_id uuid NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (customer_id, user_id);

-- 3. Where each member stands with each product of each group: one row per (user, group, product)
-- the group grants the user, or still holds (a blocked removal). `applied`: the row is one of the
-- license's sources. `waiting_for`: the product whose seat a `waiting` row waits for.
CREATE TABLE group_license_states (
  customer_id uuid NOT NULL,
  user_id uuid NOT NULL,
  group_id uuid NOT NULL,
  product_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('active', 'waiting', 'error')),
  applied boolean NOT NULL,
  disabled_service_plans text[] NOT NULL DEFAULT '{}',
  since timestamptz NOT NULL DEFAULT now(),
  waiting_for text,
  error jsonb,
  PRIMARY KEY (customer_id, user_id, group_id, product_id)
);
-- A group's members by state (members list filtered by waiting/error, the group's counts).
CREATE INDEX group_license_states_group ON group_license_states (customer_id, group_id, state);
-- The waiting room of a product: oldest first.
CREATE INDEX group_license_states_waiting ON group_license_states (customer_id, waiting_for, since)
  WHERE state = 'waiting';

-- 4. The direct source of a license. A row the previous release inserts is a direct assignment
-- (default true); `direct_disabled_service_plans` null means the direct source disables what the
-- license disables (every license before groups, and every license without a group source).
ALTER TABLE user_licenses
  ADD COLUMN direct boolean NOT NULL DEFAULT true,
  ADD COLUMN direct_disabled_service_plans text[];

-- 5. A group change is a license job with a source: the group whose change it processes.
ALTER TABLE license_jobs ADD COLUMN source_group_id uuid;
