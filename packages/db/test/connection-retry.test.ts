// A pooled connection that died while it sat idle (its backend gone, its socket left open until the
// next write), against the real Postgres through a small proxy that can kill connections that way:
// a read and a transaction are answered on another connection; a write outside a transaction, and a
// failure inside a transaction's callback, are not run again.
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { sql as q } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type DbHandle } from '../src/client.ts';
import { isConnectionLost, isReadOnlyStatement } from '../src/connection-retry.ts';
import { executePrepared } from '../src/prepared.ts';

/** Forwards to Postgres; `killIdle()` ends every backend but leaves the client's socket open until it writes. */
class SilentDeathProxy {
  port = 0;
  private readonly links = new Set<{ client: Socket; upstream: Socket }>();
  private readonly server: Server;

  constructor(private readonly upstreamPort: number) {
    this.server = createServer((client) => {
      const upstream = connect(this.upstreamPort, '127.0.0.1');
      const link = { client, upstream };
      this.links.add(link);
      client.pipe(upstream);
      upstream.pipe(client);
      const drop = () => {
        this.links.delete(link);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop);
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Every backend closed; the clients hear nothing until they next write, which is then reset. */
  killIdle(): number {
    const links = [...this.links];
    for (const { client, upstream } of links) {
      this.links.delete({ client, upstream });
      client.unpipe(upstream);
      upstream.unpipe(client);
      upstream.removeAllListeners('close');
      upstream.destroy();
      client.removeAllListeners('data');
      client.once('data', () => client.resetAndDestroy());
      client.resume();
    }
    this.links.clear();
    return links.length;
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const name = `licensing_retry_${randomUUID().replaceAll('-', '')}`;
const server = new URL(inject('pgServerUrl'));
let proxy: SilentDeathProxy;
let handle: DbHandle;
const retried: unknown[] = [];

beforeAll(async () => {
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  proxy = new SilentDeathProxy(Number(server.port || 5432));
  await proxy.start();
  const url = new URL(server);
  url.host = `127.0.0.1:${proxy.port}`;
  url.pathname = `/${name}`;
  // One connection, so that every statement after a kill takes the dead one first.
  handle = createDb(url.toString(), { max: 1, onConnectionRetry: (error) => retried.push(error) });
  await handle.sql`CREATE TABLE marks (id serial PRIMARY KEY, note text NOT NULL)`;
});
afterAll(async () => {
  await handle?.close();
  await proxy?.close();
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

async function killIdle() {
  await handle.sql`SELECT 1`; // the pool's connection is open and idle
  retried.length = 0;
  expect(proxy.killIdle()).toBe(1);
}

const marks = async (note: string) =>
  (await handle.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM marks WHERE note = ${note}`)[0]!.n;

describe('a pooled connection lost while idle', () => {
  it('a read is answered on another connection (tagged, drizzle, prepared)', async () => {
    await killIdle();
    expect(await handle.sql`SELECT 2 AS n`).toEqual([{ n: 2 }]);
    expect(retried).toHaveLength(1);
    expect(isConnectionLost(retried[0])).toBe(true);

    await killIdle();
    const rows = await handle.db.execute<{ n: number }>(q`SELECT ${3}::int AS n`);
    expect([...rows]).toEqual([{ n: 3 }]);
    expect(retried).toHaveLength(1);

    await killIdle();
    expect(await executePrepared<{ n: number }>(handle.db, q`SELECT ${4}::int AS n`)).toEqual([{ n: 4 }]);
    expect(retried).toHaveLength(1);
  });

  it('a transaction whose BEGIN found the connection lost runs once, on another', async () => {
    await killIdle();
    let runs = 0;
    await handle.db.transaction(async (tx) => {
      runs++;
      await tx.execute(q`INSERT INTO marks (note) VALUES ('transaction')`);
    });
    expect(runs).toBe(1);
    expect(retried).toHaveLength(1);
    expect(await marks('transaction')).toBe(1);
  });

  it('a write outside a transaction is not run again: its failure reaches the caller', async () => {
    await killIdle();
    const error = await handle.db.execute(q`INSERT INTO marks (note) VALUES ('single write')`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isConnectionLost(error)).toBe(true);
    expect(retried).toHaveLength(0);
    expect(await marks('single write')).toBe(0);
  });

  it('a failure inside a transaction callback is not run again', async () => {
    let runs = 0;
    await handle.sql`SELECT 1`;
    retried.length = 0;
    const error = await handle.db
      .transaction(async (tx) => {
        runs++;
        proxy.killIdle();
        await tx.execute(q`INSERT INTO marks (note) VALUES ('inside')`);
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isConnectionLost(error)).toBe(true);
    expect(runs).toBe(1);
    expect(retried).toHaveLength(0);
    expect(await marks('inside')).toBe(0);
  });

  it('an error that is not about the connection is not retried', async () => {
    retried.length = 0;
    await expect(handle.sql`SELECT 1/0`).rejects.toMatchObject({ code: '22012' });
    expect(retried).toHaveLength(0);
  });
});

describe('isReadOnlyStatement', () => {
  it.each([
    ['select "id" from "customers" where "id" = $1', true],
    ['  WITH x AS (SELECT 1) SELECT * FROM x', true],
    ['SELECT 1', true],
    ['INSERT INTO marks (note) VALUES ($1)', false],
    ['WITH d AS (DELETE FROM marks RETURNING 1) SELECT count(*) FROM d', false],
    ['SELECT * FROM subscriptions WHERE customer_id = $1 FOR UPDATE', false],
    ['SELECT nextval($1)', false],
    ['SELECT pg_advisory_lock(1)', false],
    ['UPDATE license_jobs SET status = $1', false],
    ['select "updated_at" from "groups"', true],
  ])('%s → %s', (text, readOnly) => {
    expect(isReadOnlyStatement(text)).toBe(readOnly);
  });
});
