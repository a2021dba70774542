import { sql, type SQL } from 'drizzle-orm';

/**
 * How many users the customer has, as an SQL expression: the sum of its deltas (migration 0022),
 * a handful of rows, instead of a count of its users (an index range of 20-35 ms at 200,000). Read
 * in the same snapshot as the users it counts, it agrees with them.
 */
export function customerUserCount(customerId: string): SQL {
  return sql`(SELECT coalesce(sum(d.users), 0) FROM customer_user_deltas d WHERE d.customer_id = ${customerId})::int`;
}

/**
 * How many of the customer's users hold the product, as an SQL expression (`productId` an SQL
 * value: a parameter or a column of the calling query): the sum of its deltas (migration 0023)
 * instead of a count of its holders (30-60 ms at 200,000). Read in the same snapshot as the
 * licenses it counts, it agrees with them; read after taking the subscription's row lock, it counts
 * every license committed by the decisions that held that lock before.
 */
export function licenseHolderCount(customerId: string, productId: SQL): SQL {
  return sql`(SELECT coalesce(sum(h.holders), 0) FROM license_holder_deltas h WHERE h.customer_id = ${customerId} AND h.product_id = ${productId})::int`;
}
