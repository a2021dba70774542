-- How many of a customer's users hold each product, without counting them. Every decision that
-- takes a seat it has not reserved (a group's grant, the waiting room's drain) and every answer
-- about seats needs "assigned"; counting 200,000 holders is an index range of 30-60 ms, and the
-- decision counts under the subscription's row lock, so a group's batches of one product queued
-- behind each other's counts. Kept as customer_user_deltas is (migration 0022): a statement that
-- inserts or deletes licenses adds one row per (customer, product) it touched (+n or -n), the
-- count is their sum, and a snapshot sees the deltas of exactly the licenses it sees. Past 64 rows
-- the statement that adds one folds the (customer, product)'s deltas into one, unless another
-- transaction is folding them right now. A process of the previous release writes licenses the
-- same way, and its writes are counted by the same triggers.
CREATE TABLE license_holder_deltas (
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  product_id  text NOT NULL,
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  holders     integer NOT NULL,
  PRIMARY KEY (customer_id, product_id, seq)
);

-- The fold, once the (customer, product) has more than 64 deltas: replaced by their sum in one
-- statement (a reader sees all of them or the sum); the advisory lock keeps two folds of the same
-- (customer, product) apart, so neither waits for the other's deleted rows.
CREATE FUNCTION fold_license_holder_deltas(customer uuid, product text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM (
        SELECT 1 FROM license_holder_deltas WHERE customer_id = customer AND product_id = product LIMIT 65) d) > 64
     AND pg_try_advisory_xact_lock(hashtextextended('license_holder_deltas:' || customer::text || ':' || product, 0)) THEN
    WITH folded AS (
      DELETE FROM license_holder_deltas WHERE customer_id = customer AND product_id = product RETURNING holders)
    INSERT INTO license_holder_deltas (customer_id, product_id, holders)
    SELECT customer, product, sum(holders)::int FROM folded HAVING count(*) > 0;
  END IF;
END $$;

CREATE FUNCTION count_license_holders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched_customers uuid[];
  touched_products text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH d AS (
      INSERT INTO license_holder_deltas (customer_id, product_id, holders)
      SELECT customer_id, product_id, count(*) FROM new_licenses GROUP BY customer_id, product_id
      RETURNING customer_id, product_id)
    SELECT array_agg(customer_id), array_agg(product_id) INTO touched_customers, touched_products FROM d;
  ELSE
    -- A customer being deleted takes its licenses (and its deltas) with it: nothing to count.
    WITH d AS (
      INSERT INTO license_holder_deltas (customer_id, product_id, holders)
      SELECT o.customer_id, o.product_id, -count(*) FROM old_licenses o
      WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)
      GROUP BY o.customer_id, o.product_id
      RETURNING customer_id, product_id)
    SELECT array_agg(customer_id), array_agg(product_id) INTO touched_customers, touched_products FROM d;
  END IF;
  FOR i IN 1 .. coalesce(array_length(touched_customers, 1), 0) LOOP
    PERFORM fold_license_holder_deltas(touched_customers[i], touched_products[i]);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER user_licenses_counted_on_insert AFTER INSERT ON user_licenses
  REFERENCING NEW TABLE AS new_licenses FOR EACH STATEMENT EXECUTE FUNCTION count_license_holders();
CREATE TRIGGER user_licenses_counted_on_delete AFTER DELETE ON user_licenses
  REFERENCING OLD TABLE AS old_licenses FOR EACH STATEMENT EXECUTE FUNCTION count_license_holders();

-- Counted by (customer, product): a license never moves to another customer or product (a change
-- of product is a revoke and an assignment). The guard fires only for an UPDATE that names one of
-- those columns, so the upserts of the license's plans pay nothing for it.
CREATE FUNCTION license_keys_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.product_id IS DISTINCT FROM OLD.product_id THEN
    RAISE EXCEPTION 'a license keeps its customer and product (delete it and insert another)'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER user_licenses_keys_unchanged BEFORE UPDATE OF customer_id, product_id ON user_licenses
  FOR EACH ROW EXECUTE FUNCTION license_keys_unchanged();

-- The triggers exist before the licenses are counted, in the same transaction: creating them waits
-- for writes of licenses in progress and holds new ones until this commits, so each is counted once.
INSERT INTO license_holder_deltas (customer_id, product_id, holders)
SELECT customer_id, product_id, count(*) FROM user_licenses GROUP BY customer_id, product_id;
