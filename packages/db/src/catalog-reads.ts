import { asc, inArray } from 'drizzle-orm';
import { catalogOf, type Catalog, type Product } from '@licensing/domain';
import type { DbOrTx } from './client.ts';
import { products } from './schema.ts';

// The catalog service is the only writer of catalog.products. The API and workers read it straight
// from Postgres on every decision, never from a cache, so a product written through the catalog is
// in force for every job accepted after the write has answered.

export async function listProducts(db: DbOrTx): Promise<Product[]> {
  const rows = await db.select({ document: products.document }).from(products).orderBy(asc(products.id));
  return rows.map((r) => r.document);
}

export async function getProduct(db: DbOrTx, productId: string): Promise<Product | undefined> {
  const [row] = await db
    .select({ document: products.document })
    .from(products)
    .where(inArray(products.id, [productId]));
  return row?.document;
}

export async function getProducts(db: DbOrTx, productIds: readonly string[]): Promise<Map<string, Product>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .select({ document: products.document })
    .from(products)
    .where(inArray(products.id, [...productIds]));
  return new Map(rows.map((r) => [r.document.id, r.document]));
}

export async function loadCatalog(db: DbOrTx): Promise<Catalog> {
  return catalogOf(await listProducts(db));
}
