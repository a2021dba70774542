// A customer's number of users kept by triggers as deltas (migration 0022), against the real
// Postgres: every way users come and go is counted, writers of one customer never wait for each
// other, a snapshot's count agrees with the users it sees, and the deltas are folded.
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { scratchDatabase } from './support/scratch-database.ts';

let sql: postgres.Sql;
scratchDatabase('user_counts', { template: true, max: 6 }, (connected) => (sql = connected));

async function newCustomer(): Promise<string> {
  const [partner] = await sql`INSERT INTO partners (name) VALUES ('counts') RETURNING id`;
  const [customer] =
    await sql`INSERT INTO customers (partner_id, name, country) VALUES (${partner!.id}, 'c', 'US') RETURNING id`;
  return customer!.id as string;
}

/** Inserts `n` users in one statement. */
const insertUsers = (db: postgres.Sql | postgres.TransactionSql, customerId: string, n: number) => db`
  INSERT INTO users (customer_id, user_principal_name, display_name)
  SELECT ${customerId}, 'u' || g || '-' || gen_random_uuid() || '@example.com', 'User ' || g
  FROM generate_series(1, ${n}) g`;

/** The kept count, the real count and the number of delta rows, in one snapshot. */
async function counts(customerId: string, db: postgres.Sql | postgres.TransactionSql = sql) {
  const [row] = await db`
    SELECT (SELECT coalesce(sum(users), 0) FROM customer_user_deltas WHERE customer_id = ${customerId})::int AS kept,
           (SELECT count(*) FROM users WHERE customer_id = ${customerId})::int AS real,
           (SELECT count(*) FROM customer_user_deltas WHERE customer_id = ${customerId})::int AS deltas`;
  return row as { kept: number; real: number; deltas: number };
}

describe('customer user counts', () => {
  it('counts users inserted and deleted, in batches and one by one, per customer', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    await insertUsers(sql, a, 10_000);
    await sql`
      INSERT INTO users (customer_id, user_principal_name, display_name)
      VALUES (${a}, 'x1@example.com', 'X'), (${b}, 'y1@example.com', 'Y'), (${b}, 'y2@example.com', 'Y')`;
    expect(await counts(a)).toMatchObject({ kept: 10_001, real: 10_001 });
    expect(await counts(b)).toMatchObject({ kept: 2, real: 2 });
    await sql`DELETE FROM users WHERE customer_id = ${a} AND display_name IN ('User 1', 'User 2', 'X')`;
    await sql`DELETE FROM users WHERE customer_id = ${b} AND user_principal_name = 'y1@example.com'`;
    expect(await counts(a)).toMatchObject({ kept: 9_998, real: 9_998 });
    expect(await counts(b)).toMatchObject({ kept: 1, real: 1 });
    // A rolled-back insert leaves no delta behind.
    await sql
      .begin(async (tx) => {
        await insertUsers(tx, b, 5);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await counts(b)).toMatchObject({ kept: 1, real: 1 });
  });

  it('a deleted customer takes its users and their count with it', async () => {
    const a = await newCustomer();
    await insertUsers(sql, a, 300);
    await sql`DELETE FROM customers WHERE id = ${a}`;
    expect(await counts(a)).toEqual({ kept: 0, real: 0, deltas: 0 });
  });

  it('two writers of one customer do not wait for each other, and each snapshot agrees with its users', async () => {
    const a = await newCustomer();
    await insertUsers(sql, a, 100);
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => (releaseFirst = r));
    let firstInserted!: () => void;
    const firstHasInserted = new Promise<void>((r) => (firstInserted = r));
    const first = sql.begin(async (tx) => {
      await insertUsers(tx, a, 1_000);
      firstInserted();
      await firstMayCommit;
    });
    await firstHasInserted;
    // While the first is open: another insert and a deletion of the same customer commit at once.
    await sql.begin(async (tx) => {
      await tx`SET LOCAL lock_timeout = '2s'`;
      await insertUsers(tx, a, 50);
      await tx`DELETE FROM users WHERE id IN (SELECT id FROM users WHERE customer_id = ${a} LIMIT 10)`;
    });
    const reader = sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
      const before = await counts(a, tx);
      releaseFirst();
      await first;
      // The first writer has committed; this snapshot still sees neither its users nor its delta.
      return { before, after: await counts(a, tx) };
    });
    const seen = await reader;
    expect(seen.before).toMatchObject({ kept: 140, real: 140 });
    expect(seen.after).toMatchObject({ kept: 140, real: 140 });
    expect(await counts(a)).toMatchObject({ kept: 1_140, real: 1_140 });
  });

  it('folds many deltas into one, and a fold in progress does not hold writers up', async () => {
    const a = await newCustomer();
    for (let i = 0; i < 70; i++) await insertUsers(sql, a, 1);
    const folded = await counts(a);
    expect(folded).toMatchObject({ kept: 70, real: 70 });
    expect(folded.deltas).toBeLessThan(70);
    // A fold left open: the writers' own folds skip it, and nothing waits.
    await sql.begin(async (open) => {
      await open`SELECT fold_customer_user_deltas(${a})`;
      await Promise.all(
        Array.from({ length: 4 }, () =>
          sql.begin(async (tx) => {
            await tx`SET LOCAL lock_timeout = '2s'`;
            for (let i = 0; i < 20; i++) await insertUsers(tx, a, 1);
          }),
        ),
      );
    });
    const after = await counts(a);
    expect(after).toMatchObject({ kept: 150, real: 150 });
    // Two folds at once: each is a statement of its own transaction, the sum stays right.
    await Promise.all([sql`SELECT fold_customer_user_deltas(${a})`, sql`SELECT fold_customer_user_deltas(${a})`]);
    expect(await counts(a)).toEqual({ kept: 150, real: 150, deltas: 1 });
  });
});
