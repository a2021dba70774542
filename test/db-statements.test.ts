// The database layer's statement plumbing, on the real Postgres: prepared statements run on the
// caller's connection (inside its transaction), are parsed once per connection, and no connection
// of the pool JIT-compiles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createDb, executePrepared } from '@licensing/db';
import { createTestEnv, type TestEnv } from './support/test-env.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('executePrepared', () => {
  it("runs in the caller's transaction, as one prepared statement of that connection however often it runs", async () => {
    await env.db.transaction(async (tx) => {
      const [{ txid }] = await tx.execute<{ txid: string }>(sql`SELECT txid_current()::text AS txid`);
      for (let i = 0; i < 3; i++) {
        const rows = await executePrepared<{ txid: string; prepared_probe: number }>(
          tx,
          sql`SELECT txid_current()::text AS txid, ${i}::int AS prepared_probe`,
        );
        expect(rows).toEqual([{ txid, prepared_probe: i }]);
      }
      // A lock taken through it is held by the transaction: it is visible from the same backend.
      await executePrepared(tx, sql`SELECT pg_advisory_xact_lock(4242)`);
      const [{ held }] = await tx.execute<{ held: number }>(
        sql`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND pid = pg_backend_pid()`,
      );
      expect(held).toBe(1);
      const [{ prepared }] = await tx.execute<{ prepared: number }>(
        sql`SELECT count(*)::int AS prepared FROM pg_prepared_statements WHERE statement LIKE '%AS prepared\_probe' AND statement NOT LIKE '%pg\_prepared\_statements%'`,
      );
      expect(prepared).toBe(1);
    });
    // The transaction is over: the lock went with it.
    const [{ held }] = await env.db.execute<{ held: number }>(
      sql`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242`,
    );
    expect(held).toBe(0);
  });

  it('prepares nothing on a pool created without prepared statements (for transaction-mode poolers)', async () => {
    const unprepared = createDb(env.databaseUrl, { max: 1, prepare: false });
    try {
      await unprepared.db.transaction(async (tx) => {
        const rows = await executePrepared<{ unprepared_probe: number }>(tx, sql`SELECT ${7}::int AS unprepared_probe`);
        expect(rows).toEqual([{ unprepared_probe: 7 }]);
        const [{ prepared }] = await tx.execute<{ prepared: number }>(
          sql`SELECT count(*)::int AS prepared FROM pg_prepared_statements`,
        );
        expect(prepared).toBe(0);
      });
    } finally {
      await unprepared.close();
    }
  });

  it('no connection of the pool JIT-compiles or starts parallel workers', async () => {
    const settings = sql`SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers`;
    const rows = await Promise.all(
      Array.from({ length: 6 }, () => executePrepared<{ jit: string; workers: string }>(env.db, settings)),
    );
    expect(rows.flat()).toEqual(Array(6).fill({ jit: 'off', workers: '0' }));
    const [plain] = await env.db.execute<{ jit: string; workers: string }>(settings);
    expect(plain).toEqual({ jit: 'off', workers: '0' });
  });
});
