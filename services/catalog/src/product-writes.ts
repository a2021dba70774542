import { sql } from 'drizzle-orm';
import type { Product } from '@licensing/domain';
import { tables, type DbOrTx } from '@licensing/db';
import { demoProducts } from './demo-products.ts';

/** Creates or replaces a product; answers whether it was created, and its revision after the write. */
export async function upsertProduct(db: DbOrTx, product: Product): Promise<{ created: boolean; revision: number }> {
  const [row] = await db
    .insert(tables.products)
    .values({ id: product.id, document: product })
    .onConflictDoUpdate({
      target: tables.products.id,
      set: { document: product, revision: sql`${tables.products.revision} + 1`, updatedAt: sql`now()` },
    })
    .returning({ revision: tables.products.revision, created: sql<boolean>`(xmax = 0)` });
  return { created: Boolean(row?.created), revision: Number(row?.revision) };
}

/**
 * Seeds the demo catalog once per database: the marker row makes a later start (or a second
 * catalog starting at the same moment) leave alone what operators have changed since.
 */
export async function seedDemoCatalog(db: DbOrTx): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(tables.seedMarker)
      .values({ name: 'demo-catalog' })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return false;
    await tx
      .insert(tables.products)
      .values(demoProducts.map((p) => ({ id: p.id, document: p })))
      .onConflictDoNothing();
    return true;
  });
}
