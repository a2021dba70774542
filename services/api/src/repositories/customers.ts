// Every query here is scoped by partner: a partner never reads or writes another partner's customers.
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { preparedQuery, tables, type Db, type DbOrTx } from '@licensing/db';
import type { PageQuery } from '../schemas/common.ts';

const columns = {
  id: tables.customers.id,
  name: tables.customers.name,
  country: tables.customers.country,
  createdAt: tables.customers.createdAt,
};
export type CustomerRow = { id: string; name: string; country: string; createdAt: Date };

export async function createCustomer(
  db: DbOrTx,
  partnerId: string,
  input: { name: string; country: string },
): Promise<CustomerRow> {
  const [row] = await db
    .insert(tables.customers)
    .values({ partnerId, ...input })
    .returning(columns);
  return row!;
}

const customerOfPartner = preparedQuery((db) =>
  db
    .select(columns)
    .from(tables.customers)
    .where(
      and(
        eq(tables.customers.partnerId, sql.placeholder('partnerId')),
        eq(tables.customers.id, sql.placeholder('customerId')),
      ),
    )
    .prepare('customer_of_partner'),
);

export async function getCustomer(db: Db, partnerId: string, customerId: string): Promise<CustomerRow | undefined> {
  const [row] = await customerOfPartner(db).execute({ partnerId, customerId });
  return row;
}

/** The partner's customers, or only those of `customerIds` (the customers a limited key may reach). */
export async function listCustomers(
  db: DbOrTx,
  partnerId: string,
  page: PageQuery,
  customerIds: readonly string[] | null = null,
): Promise<{ items: CustomerRow[]; total: number }> {
  const where = and(
    eq(tables.customers.partnerId, partnerId),
    customerIds === null ? undefined : inArray(tables.customers.id, [...customerIds]),
  );
  const [items, [totals]] = await Promise.all([
    db
      .select(columns)
      .from(tables.customers)
      .where(where)
      .orderBy(asc(tables.customers.createdAt), asc(tables.customers.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ total: count() }).from(tables.customers).where(where),
  ]);
  return { items, total: totals?.total ?? 0 };
}

export const customerJson = (c: CustomerRow) => ({ ...c, createdAt: c.createdAt.toISOString() });

/** Which of these ids are customers of the partner. */
export async function existingCustomerIds(db: DbOrTx, partnerId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: tables.customers.id })
    .from(tables.customers)
    .where(and(eq(tables.customers.partnerId, partnerId), inArray(tables.customers.id, [...ids])));
  return new Set(rows.map((r) => r.id));
}
