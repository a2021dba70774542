// How many users hold each product, kept by triggers as deltas (migration 0023), against the real
// Postgres: every way licenses come and go is counted per (customer, product), an upsert of a
// license's plans is not counted again, a decision under the subscription's lock counts what the
// previous holder of the lock committed, a license cannot move to another product, and the deltas
// are folded without holding writers up.
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { scratchDatabase } from './support/scratch-database.ts';

let sql: postgres.Sql;
scratchDatabase('holder_counts', { template: true, max: 6 }, (connected) => (sql = connected));

type Tx = postgres.Sql | postgres.TransactionSql;

async function newCustomer(users: number): Promise<{ id: string; users: string[] }> {
  const [partner] = await sql`INSERT INTO partners (name) VALUES ('holders') RETURNING id`;
  const [customer] =
    await sql`INSERT INTO customers (partner_id, name, country) VALUES (${partner!.id}, 'c', 'US') RETURNING id`;
  const rows = await sql`
    INSERT INTO users (customer_id, user_principal_name, display_name)
    SELECT ${customer!.id}, 'u' || g || '-' || gen_random_uuid() || '@example.com', 'User ' || g
    FROM generate_series(1, ${users}) g RETURNING id`;
  return { id: customer!.id as string, users: rows.map((r) => r.id as string) };
}

/** Gives `product` to the users in one statement, as the worker writes licenses (an upsert). */
const grant = (db: Tx, customerId: string, userIds: string[], product: string) => db`
  INSERT INTO user_licenses (customer_id, user_id, product_id, disabled_service_plans)
  SELECT ${customerId}, u, ${product}, '{}' FROM unnest(${userIds}::uuid[]) u
  ON CONFLICT (customer_id, user_id, product_id) DO UPDATE SET disabled_service_plans = '{PLAN}'`;

const revoke = (db: Tx, customerId: string, userIds: string[], product: string) => db`
  DELETE FROM user_licenses WHERE customer_id = ${customerId} AND product_id = ${product} AND user_id = any(${userIds}::uuid[])`;

/** The kept count, the real count and the number of delta rows of a product, in one snapshot. */
async function counts(customerId: string, product: string, db: Tx = sql) {
  const [row] = await db`
    SELECT (SELECT coalesce(sum(holders), 0) FROM license_holder_deltas WHERE customer_id = ${customerId} AND product_id = ${product})::int AS kept,
           (SELECT count(*) FROM user_licenses WHERE customer_id = ${customerId} AND product_id = ${product})::int AS real,
           (SELECT count(*) FROM license_holder_deltas WHERE customer_id = ${customerId} AND product_id = ${product})::int AS deltas`;
  return row as { kept: number; real: number; deltas: number };
}

describe('license holder counts', () => {
  it('counts licenses granted and revoked per customer and product, an upsert once', async () => {
    const a = await newCustomer(3_000);
    const b = await newCustomer(10);
    await grant(sql, a.id, a.users, 'P1');
    await grant(sql, a.id, a.users.slice(0, 1_000), 'P2');
    await grant(sql, b.id, b.users, 'P1');
    // Both products in one statement, half of the rows already there (updated, not counted again).
    await sql`
      INSERT INTO user_licenses (customer_id, user_id, product_id)
      SELECT ${a.id}, u, p FROM unnest(${a.users.slice(500, 1_500)}::uuid[]) u, unnest('{P2,P3}'::text[]) p
      ON CONFLICT (customer_id, user_id, product_id) DO UPDATE SET disabled_service_plans = '{X}'`;
    expect(await counts(a.id, 'P1')).toMatchObject({ kept: 3_000, real: 3_000 });
    expect(await counts(a.id, 'P2')).toMatchObject({ kept: 1_500, real: 1_500 });
    expect(await counts(a.id, 'P3')).toMatchObject({ kept: 1_000, real: 1_000 });
    expect(await counts(b.id, 'P1')).toMatchObject({ kept: 10, real: 10 });
    await revoke(sql, a.id, a.users.slice(0, 700), 'P1');
    for (const u of a.users.slice(0, 3)) await revoke(sql, a.id, [u], 'P2');
    await sql`DELETE FROM user_licenses WHERE customer_id = ${b.id}`;
    expect(await counts(a.id, 'P1')).toMatchObject({ kept: 2_300, real: 2_300 });
    expect(await counts(a.id, 'P2')).toMatchObject({ kept: 1_497, real: 1_497 });
    expect(await counts(b.id, 'P1')).toMatchObject({ kept: 0, real: 0 });
    // A rolled-back grant leaves no delta behind.
    await sql
      .begin(async (tx) => {
        await grant(tx, b.id, b.users, 'P1');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await counts(b.id, 'P1')).toMatchObject({ kept: 0, real: 0 });
  });

  it('a license keeps its customer and product', async () => {
    const a = await newCustomer(2);
    await grant(sql, a.id, a.users, 'P1');
    await expect(sql`UPDATE user_licenses SET product_id = 'P2' WHERE customer_id = ${a.id}`).rejects.toMatchObject({
      code: '23514',
    });
    await sql`UPDATE user_licenses SET disabled_service_plans = '{A}' WHERE customer_id = ${a.id}`;
    expect(await counts(a.id, 'P1')).toMatchObject({ kept: 2, real: 2 });
    expect(await counts(a.id, 'P2')).toMatchObject({ kept: 0, real: 0 });
  });

  it('a deleted customer takes its counts with it', async () => {
    const a = await newCustomer(100);
    await grant(sql, a.id, a.users, 'P1');
    await sql.begin(async (tx) => {
      await tx`DELETE FROM customers WHERE id = ${a.id}`;
      await tx`DELETE FROM user_licenses WHERE customer_id = ${a.id}`;
    });
    expect(await counts(a.id, 'P1')).toEqual({ kept: 0, real: 0, deltas: 0 });
  });

  it("a seat decision under the subscription's lock counts what the lock's previous holder committed", async () => {
    const a = await newCustomer(200);
    await sql`INSERT INTO subscriptions (customer_id, product_id, quantity) VALUES (${a.id}, 'P1', 150)`;
    await grant(sql, a.id, a.users.slice(0, 100), 'P1');
    const lock = (tx: Tx) =>
      tx`SELECT 1 FROM subscriptions WHERE customer_id = ${a.id} AND product_id = 'P1' FOR UPDATE`;
    let firstLocked!: () => void;
    const firstHasLock = new Promise<void>((r) => (firstLocked = r));
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => (releaseFirst = r));
    const first = sql.begin(async (tx) => {
      await lock(tx);
      firstLocked();
      await grant(tx, a.id, a.users.slice(100, 140), 'P1');
      await firstMayCommit;
    });
    await firstHasLock;
    const second = sql.begin(async (tx) => {
      await lock(tx); // waits for the first to commit
      return (await counts(a.id, 'P1', tx)).kept;
    });
    await new Promise((r) => setTimeout(r, 200));
    releaseFirst();
    await first;
    expect(await second).toBe(140);
  });

  it('folds many deltas into one, and a fold in progress does not hold writers up', async () => {
    const a = await newCustomer(200);
    for (const u of a.users.slice(0, 70)) await grant(sql, a.id, [u], 'P1');
    const folded = await counts(a.id, 'P1');
    expect(folded).toMatchObject({ kept: 70, real: 70 });
    expect(folded.deltas).toBeLessThan(70);
    // Another product's deltas are not folded with them.
    await grant(sql, a.id, a.users.slice(0, 5), 'P2');
    expect(await counts(a.id, 'P2')).toMatchObject({ kept: 5, real: 5, deltas: 1 });
    for (let i = 0; i < 70; i++)
      await sql`INSERT INTO license_holder_deltas (customer_id, product_id, holders) VALUES (${a.id}, 'P1', 0)`;
    // A fold left open: the writers' own folds skip it, and nothing waits.
    await sql.begin(async (open) => {
      await open`SELECT fold_license_holder_deltas(${a.id}, 'P1')`;
      await Promise.all(
        [0, 1, 2, 3].map((w) =>
          sql.begin(async (tx) => {
            await tx`SET LOCAL lock_timeout = '2s'`;
            for (const u of a.users.slice(70 + w * 20, 90 + w * 20)) await grant(tx, a.id, [u], 'P1');
          }),
        ),
      );
    });
    expect(await counts(a.id, 'P1')).toMatchObject({ kept: 150, real: 150 });
    await Promise.all([
      sql`SELECT fold_license_holder_deltas(${a.id}, 'P1')`,
      sql`SELECT fold_license_holder_deltas(${a.id}, 'P1')`,
    ]);
    const after = await counts(a.id, 'P1');
    expect(after).toMatchObject({ kept: 150, real: 150 });
    expect(after.deltas).toBeLessThanOrEqual(64);
  });
});
