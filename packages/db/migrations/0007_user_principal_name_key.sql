-- Look-alike user principal names (issue 13.7): names that differ only in Unicode form (composed
-- "é" or "e" + U+0301), in compatibility variants (full-width "ｊｏｈｎ") or in case are one name.
-- upn_key is that name's key: NFKC, case folding (upper then lower case, with the column's ICU
-- collation, which folds "ß" to "ss"), NFKC again; the API computes the same key
-- (userPrincipalNameKey in @licensing/domain) for duplicates within one request. The unique index on
-- it replaces the one on lower(user_principal_name).
ALTER TABLE users ADD COLUMN upn_key text
  GENERATED ALWAYS AS (normalize(lower(upper(normalize(user_principal_name, NFKC))), NFKC)) STORED;

-- Names accepted before this migration may already collide under the new key; then stop with the
-- names to resolve rather than keep either silently.
DO $$
DECLARE
  clash record;
BEGIN
  SELECT customer_id, string_agg(user_principal_name, ', ') AS names INTO clash
  FROM users GROUP BY customer_id, upn_key HAVING count(*) > 1 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'customer % has users whose principal names differ only in Unicode form or case (%): rename or delete all but one, then migrate again',
      clash.customer_id, clash.names;
  END IF;
END $$;

DROP INDEX users_customer_upn;
CREATE UNIQUE INDEX users_customer_upn_key ON users (customer_id, upn_key);
