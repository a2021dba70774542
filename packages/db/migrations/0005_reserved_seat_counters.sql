-- Seat reads in proportion to products, not to items waiting (issue 13). reserved(customer, product)
-- was a count over the seat_reservations view, which reads every pending item of every unfinished
-- job of the customer: five queued jobs of 20,000 users made every seat read take seconds. It is
-- now a counter per subscription, changed in the transactions that change reservations, each by
-- one aggregated delta per product (never one update per user):
--   + the seats a job reserves, when it is accepted (under the subscription's row lock);
--   - the reservations a worker batch, a cancel or a user's deletion ends (its items stop pending).
-- Lock order everywhere: users, subscriptions, jobs, items, then these rows (sorted), so none deadlock.
CREATE TABLE reserved_seats (
  customer_id  uuid NOT NULL,
  product_id   text NOT NULL,
  reserved     integer NOT NULL CHECK (reserved >= 0),
  PRIMARY KEY (customer_id, product_id),
  FOREIGN KEY (customer_id, product_id) REFERENCES subscriptions (customer_id, product_id) ON DELETE CASCADE
);

INSERT INTO reserved_seats (customer_id, product_id, reserved)
SELECT customer_id, product_id, count(*) FROM seat_reservations GROUP BY customer_id, product_id;

-- The seat_reservations view stays as the record the counter must always equal (the tests check
-- it); nothing on a request path reads it any more.
