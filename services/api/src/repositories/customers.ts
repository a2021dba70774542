// Every query here is scoped by partner: a partner never reads or writes another partner's customers.
import { and, asc, count, eq, sql } from 'drizzle-orm';
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

export async function listCustomers(
  db: DbOrTx,
  partnerId: string,
  page: PageQuery,
): Promise<{ items: CustomerRow[]; total: number }> {
  const where = eq(tables.customers.partnerId, partnerId);
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
