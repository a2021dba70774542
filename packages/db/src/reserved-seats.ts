import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';
import { executePrepared } from './prepared.ts';

// reserved(customer, product) is a counter (see migration 0005), changed by the transactions that
// create or end reservations, each by one delta per product for all its users (one shared row is
// never updated per user). Its rows are the last locks a transaction takes, in (customer, product)
// order, after the items whose reservations change: so nothing waits on one while holding another.

/** Seats of one subscription reserved, or whose reservations ended, in one transaction. */
export interface SeatCount {
  customerId: string;
  productId: string;
  seats: number;
}

/** Sums per-user reservations into one count per subscription. */
export function countSeats(reservations: Iterable<{ customerId: string; productIds: Iterable<string> }>): SeatCount[] {
  const byKey = new Map<string, SeatCount>();
  for (const r of reservations) {
    for (const productId of r.productIds) {
      const key = `${r.customerId}/${productId}`;
      const count = byKey.get(key) ?? { customerId: r.customerId, productId, seats: 0 };
      count.seats += 1;
      byKey.set(key, count);
    }
  }
  return [...byKey.values()];
}

const rowsOf = (counts: readonly SeatCount[]) =>
  JSON.stringify(
    counts
      .filter((c) => c.seats > 0)
      .map((c) => ({ customer_id: c.customerId, product_id: c.productId, seats: c.seats })),
  );

/** Adds seats a job reserves; in the transaction that inserts its pending items, after them. */
export async function addReservedSeats(tx: DbOrTx, counts: readonly SeatCount[]): Promise<void> {
  if (!counts.some((c) => c.seats > 0)) return;
  await executePrepared(
    tx,
    sql`
    INSERT INTO reserved_seats (customer_id, product_id, reserved)
    SELECT x.customer_id, x.product_id, x.seats
    FROM jsonb_to_recordset(${sql.param(rowsOf(counts))}::jsonb) AS x(customer_id uuid, product_id text, seats int)
    ORDER BY x.customer_id, x.product_id
    ON CONFLICT (customer_id, product_id) DO UPDATE SET reserved = reserved_seats.reserved + excluded.reserved`,
  );
}

/**
 * Subtracts reservations that ended; in the transaction that marks their items done, after them.
 * The table's check refuses a total below zero, which would mean a reservation ended twice.
 */
export async function releaseReservedSeats(tx: DbOrTx, counts: readonly SeatCount[]): Promise<void> {
  if (!counts.some((c) => c.seats > 0)) return;
  await executePrepared(tx, releaseReservedSeatsStatement(counts));
}

/**
 * releaseReservedSeats as a statement to embed in a larger one (a data-modifying CTE). With
 * `after`, a relation of that statement (a CTE's name), the counters are locked only once that
 * relation has been computed in full, so whatever it locks is locked first.
 */
export function releaseReservedSeatsStatement(counts: readonly SeatCount[], after?: SQL): SQL {
  return sql`
    UPDATE reserved_seats r SET reserved = r.reserved - l.seats
    FROM (
      SELECT c.customer_id, c.product_id, x.seats
      FROM jsonb_to_recordset(${sql.param(rowsOf(counts))}::jsonb) AS x(customer_id uuid, product_id text, seats int)${
        after
          ? sql`
      CROSS JOIN ${after}`
          : sql``
      }
      JOIN reserved_seats c ON c.customer_id = x.customer_id AND c.product_id = x.product_id
      ORDER BY c.customer_id, c.product_id
      FOR UPDATE OF c) l
    WHERE r.customer_id = l.customer_id AND r.product_id = l.product_id`;
}
