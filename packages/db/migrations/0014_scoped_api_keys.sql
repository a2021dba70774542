-- Scoped API keys (contract 1.2). A key carries the scopes it grants ('*': every scope, as the keys
-- an operator issues), may be limited to some customers of its partner (customer_ids; NULL: all of
-- them) and may expire. issued_by tells the operator's keys (at most two live, for rotation) from
-- the ones a partner issues itself under /v1/keys (at most 25 live). The keys that exist keep
-- working as they did: operator-issued, every scope, every customer, no expiry.
ALTER TABLE partner_api_keys
  ADD COLUMN name text NOT NULL DEFAULT 'Operator-issued key',
  ADD COLUMN issued_by text NOT NULL DEFAULT 'operator' CHECK (issued_by IN ('operator', 'partner')),
  ADD COLUMN scopes text[] NOT NULL DEFAULT '{*}',
  ADD COLUMN customer_ids uuid[],
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN issued_by_key_id uuid REFERENCES partner_api_keys(id);
-- Every key written from here on names what it grants: no default hands out every scope.
ALTER TABLE partner_api_keys
  ALTER COLUMN name DROP DEFAULT,
  ALTER COLUMN issued_by DROP DEFAULT,
  ALTER COLUMN scopes DROP DEFAULT;

-- The customer an event is about (NULL for partner-wide ones such as `ping`), so that a key limited
-- to some customers lists only their deliveries.
ALTER TABLE webhook_deliveries ADD COLUMN customer_id uuid;
UPDATE webhook_deliveries d SET customer_id = j.customer_id FROM license_jobs j WHERE j.id = d.job_id;
