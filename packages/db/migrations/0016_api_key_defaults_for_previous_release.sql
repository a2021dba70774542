-- Expand step for rolling upgrades: migration 0014 left partner_api_keys.name, issued_by and scopes
-- NOT NULL without a default, so the previous release's API (which inserts keys without them) failed
-- to create partners and keys while it still ran beside the current one. The previous release issues
-- operator keys only, with every scope: these defaults are exactly what its inserts mean. The current
-- release names all three on every insert. A later contract migration drops the defaults again, once no
-- process of the release before 0014 runs (docs/operations.md, "Rolling upgrades").
ALTER TABLE partner_api_keys
  ALTER COLUMN name SET DEFAULT 'Operator-issued key',
  ALTER COLUMN issued_by SET DEFAULT 'operator',
  ALTER COLUMN scopes SET DEFAULT '{*}';
