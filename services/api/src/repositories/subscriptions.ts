// Subscriptions are addressed through their customer, already scoped to the caller's partner.
import { and, asc, eq, sql } from 'drizzle-orm';
import { getProducts, tables, type DbOrTx, waitingPerProduct } from '@licensing/db';
import { conflict } from '@licensing/http';
import type { Subscription } from '../schemas/subscriptions.ts';
import { seatUsage } from './seats.ts';

export async function listSubscriptions(db: DbOrTx, customerId: string): Promise<Subscription[]> {
  const subs = await db
    .select({ productId: tables.subscriptions.productId, quantity: tables.subscriptions.quantity })
    .from(tables.subscriptions)
    .where(eq(tables.subscriptions.customerId, customerId))
    .orderBy(asc(tables.subscriptions.productId));
  const productIds = subs.map((s) => s.productId);
  const [usage, products, waiting] = await Promise.all([
    seatUsage(db, customerId, productIds),
    getProducts(db, productIds),
    waitingPerProduct(db, customerId),
  ]);
  return subs.map((s) =>
    toSubscription(
      s.productId,
      products.get(s.productId)?.name ?? s.productId,
      s.quantity,
      usage.get(s.productId),
      waiting.get(s.productId) ?? 0,
    ),
  );
}

function toSubscription(
  productId: string,
  productName: string,
  quantity: number,
  usage = { assigned: 0, reserved: 0 },
  waiting = 0,
): Subscription {
  return { productId, productName, quantity, ...usage, available: quantity - usage.assigned - usage.reserved, waiting };
}

/**
 * Creates the subscription or sets its quantity. The row lock serialises this with seat
 * reservations, so the quantity can never drop below what is assigned plus reserved.
 * Must run inside a transaction.
 */
export async function setSubscriptionQuantity(
  tx: DbOrTx,
  customerId: string,
  product: { id: string; name: string },
  quantity: number,
): Promise<Subscription> {
  await tx
    .insert(tables.subscriptions)
    .values({ customerId, productId: product.id, quantity: 0 })
    .onConflictDoNothing();
  await tx.execute(
    sql`SELECT 1 FROM subscriptions WHERE customer_id = ${customerId} AND product_id = ${product.id} FOR UPDATE`,
  );
  const usage = (await seatUsage(tx, customerId, [product.id])).get(product.id)!;
  if (quantity < usage.assigned + usage.reserved) {
    throw conflict(
      'quantity_below_usage',
      `Quantity ${quantity} is below the ${usage.assigned} assigned and ${usage.reserved} reserved seats of "${product.id}".`,
      {
        productId: product.id,
        quantity,
        ...usage,
        minimumQuantity: usage.assigned + usage.reserved,
      },
    );
  }
  await tx
    .update(tables.subscriptions)
    .set({ quantity, updatedAt: sql`now()` })
    .where(and(eq(tables.subscriptions.customerId, customerId), eq(tables.subscriptions.productId, product.id)));
  const waiting = (await waitingPerProduct(tx, customerId)).get(product.id) ?? 0;
  return toSubscription(product.id, product.name, quantity, usage, waiting);
}
