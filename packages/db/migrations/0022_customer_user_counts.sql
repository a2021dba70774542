-- How many users each customer has, without counting them. Every list of a customer's users, and
-- every decision about how to evaluate a filter, needs that number; counting 200,000 users is an
-- index range of 20-35 ms on each request. The count is kept as deltas: a statement that inserts
-- or deletes users adds one row per customer it touched (+n or -n), and the count is their sum.
-- Nothing is updated in place, so writers of the same customer (two import batches at once, a
-- deletion beside them) never wait for each other's row lock; and a snapshot sees the deltas of
-- exactly the users rows it sees. Once a customer has many deltas, the statement that adds one
-- folds them into a single row, unless another transaction is folding that customer's deltas
-- right now (it then skips; the next statement folds). A process of the previous release writes
-- users the same way, and its writes are counted by the same triggers.
CREATE TABLE customer_user_deltas (
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  users       integer NOT NULL,
  PRIMARY KEY (customer_id, seq)
);

-- The fold: a customer's deltas replaced by their sum, in one statement (a reader sees either all
-- of them or the sum). The advisory lock (per customer, until the transaction ends) keeps two
-- folds of one customer apart, so neither waits for the other's deleted rows.
CREATE FUNCTION fold_customer_user_deltas(customer uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF pg_try_advisory_xact_lock(hashtextextended('customer_user_deltas:' || customer::text, 0)) THEN
    WITH folded AS (DELETE FROM customer_user_deltas WHERE customer_id = customer RETURNING users)
    INSERT INTO customer_user_deltas (customer_id, users)
    SELECT customer, sum(users)::int FROM folded HAVING count(*) > 0;
  END IF;
END $$;

CREATE FUNCTION count_customer_users() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched uuid[];
  customer uuid;
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH d AS (
      INSERT INTO customer_user_deltas (customer_id, users)
      SELECT customer_id, count(*) FROM new_users GROUP BY customer_id
      RETURNING customer_id)
    SELECT array_agg(customer_id) INTO touched FROM d;
  ELSE
    -- A customer being deleted takes its users (and its deltas) with it: nothing to count.
    WITH d AS (
      INSERT INTO customer_user_deltas (customer_id, users)
      SELECT o.customer_id, -count(*) FROM old_users o
      WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)
      GROUP BY o.customer_id
      RETURNING customer_id)
    SELECT array_agg(customer_id) INTO touched FROM d;
  END IF;
  FOREACH customer IN ARRAY coalesce(touched, '{}') LOOP
    IF (SELECT count(*) FROM (SELECT 1 FROM customer_user_deltas WHERE customer_id = customer LIMIT 65) d) > 64 THEN
      PERFORM fold_customer_user_deltas(customer);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER users_counted_on_insert AFTER INSERT ON users
  REFERENCING NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION count_customer_users();
CREATE TRIGGER users_counted_on_delete AFTER DELETE ON users
  REFERENCING OLD TABLE AS old_users FOR EACH STATEMENT EXECUTE FUNCTION count_customer_users();

-- The triggers exist before the users are counted, in the same transaction: creating them waits for
-- writes of users in progress and holds new ones until this commits, so every user is counted once.
INSERT INTO customer_user_deltas (customer_id, users)
SELECT customer_id, count(*) FROM users GROUP BY customer_id;
