-- API key rotation (issue 17): a partner has keys of its own, at most two live at once, so a new
-- key can be handed out and put to work before the old one is revoked. A revoked key keeps its row
-- (revoked_at set), so that the key id recorded with past changes still names a key.
CREATE TABLE partner_api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id    uuid NOT NULL REFERENCES partners(id),
  prefix        text NOT NULL,               -- first characters of the key, to recognise it in a list
  hash          bytea NOT NULL UNIQUE,       -- sha256 of the whole key; the key itself is never stored
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,                 -- written at most once a minute per key
  revoked_at    timestamptz
);
CREATE INDEX partner_api_keys_partner ON partner_api_keys (partner_id, created_at);

INSERT INTO partner_api_keys (partner_id, prefix, hash, created_at)
SELECT id, api_key_prefix, api_key_hash, created_at FROM partners;

ALTER TABLE partners DROP COLUMN api_key_prefix, DROP COLUMN api_key_hash;
