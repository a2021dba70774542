import { sql } from 'drizzle-orm';
import { licenseHolderCount, type DbOrTx } from '@licensing/db';

export interface SeatUsage {
  assigned: number;
  reserved: number;
}

/**
 * assigned and reserved per product of a customer, read in ONE statement so both come from the
 * same snapshot: a worker turning a reservation into an assignment commits both halves at once,
 * and two separate reads could see one half and not the other. Costs an index lookup of the
 * counter and of the holders' kept count, whatever the number of items waiting or holders.
 */
export async function seatUsage(db: DbOrTx, customerId: string, productIds: string[]): Promise<Map<string, SeatUsage>> {
  const usage = new Map<string, SeatUsage>(productIds.map((p) => [p, { assigned: 0, reserved: 0 }]));
  if (productIds.length === 0) return usage;
  const rows = await db.execute<{ product_id: string; assigned: number; reserved: number }>(sql`
    SELECT p.product_id,
      ${licenseHolderCount(customerId, sql`p.product_id`)} AS assigned,
      coalesce((SELECT r.reserved FROM reserved_seats r WHERE r.customer_id = ${customerId} AND r.product_id = p.product_id), 0) AS reserved
    FROM unnest(${sql.param(productIds)}::text[]) AS p(product_id)`);
  for (const r of rows) usage.set(r.product_id, { assigned: r.assigned, reserved: r.reserved });
  return usage;
}
