// The database layer relies on things its libraries do not promise or do not do yet; each test here
// fails if an upgrade takes them away.
import { sql } from 'drizzle-orm';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../src/client.ts';
import { postgresClientOf } from '../src/drizzle-internals.ts';

const handle = createDb(inject('pgServerUrl'), { max: 2, applicationName: 'test-library-internals' });
afterAll(() => handle.close());

describe("drizzle's private postgres.js client (drizzle-internals.ts)", () => {
  it('is the pool for a database handle and the reserved connection inside a transaction', async () => {
    expect(postgresClientOf(handle.db)).toBe(handle.sql);
    await handle.db.transaction(async (tx) => {
      const client = postgresClientOf(tx);
      expect(client).not.toBe(handle.sql);
      const [viaTx] = await tx.execute<{ txid: string }>(sql`SELECT txid_current()::text AS txid`);
      const [viaClient] = await client.unsafe<{ txid: string }[]>('SELECT txid_current()::text AS txid');
      expect(viaClient?.txid).toBe(viaTx?.txid);
    });
  });
});

describe('the postgres.js patch (patches/postgres@*.patch, porsager/postgres#1208)', () => {
  it('rejects a write on a connection whose backend died instead of crashing the process', async () => {
    // Unpatched, the write below is flushed from a setImmediate after the socket was dropped and
    // throws an uncaught TypeError ("Cannot read properties of null (reading 'write')"), which
    // vitest reports as an unhandled error and which kills a service.
    const pool = postgres(inject('pgServerUrl'), { max: 2, onnotice: () => {} });
    const reserved = await pool.reserve();
    try {
      const [row] = await reserved<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await handle.sql`SELECT pg_terminate_backend(${row!.pid})`;
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(reserved`SELECT 1`).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    } finally {
      reserved.release();
      await pool.end({ timeout: 1 });
    }
  });
});

describe('the postgres.js patch: what a transaction returned', () => {
  it('is not kept reachable by its connection once the transaction is over', async () => {
    // Unpatched, `begin` leaves `connection.onclose` set to the rejecter of a promise raced against
    // the transaction, which keeps the race, and so the transaction's return value, reachable from
    // the idle connection until its next transaction: with a pool of 40 connections that is up to
    // 40 large reads (tens of MB each) held after their answers were sent.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const pool = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
    try {
      const returned = await (async () => {
        const rows = await pool.begin((tx) => tx`SELECT g AS n FROM generate_series(1, 1000) g`);
        expect(rows).toHaveLength(1000);
        return new WeakRef(rows);
      })();
      for (let i = 0; i < 5 && returned.deref(); i++) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
      }
      expect(returned.deref()).toBeUndefined();
      // The connection still rejects a transaction it is closed under.
      await expect(
        pool.begin(async (tx) => {
          const [row] = await tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await handle.sql`SELECT pg_terminate_backend(${row!.pid})`;
          await new Promise(() => {});
        }),
      ).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    } finally {
      await pool.end({ timeout: 1 });
    }
  });
});
