// Pooled Postgres connections lost to a fault (pg_terminate_backend, a Postgres restart, a reset while
// a new connection is being set up): once Postgres is back, the pool's next statements answer, and no
// connection failure escapes as an unhandled rejection (which ends a service process). Each fails
// without the postgres.js patch (patches/postgres@3.4.9.patch): a connection whose backend was
// terminated mid-statement handed the backend's "terminating connection" error to the first
// statement of its next connection, however much later; and a failed array-type fetch of a new
// connection was an unhandled rejection.
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { sql as q } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDb, type DbHandle } from '@licensing/db';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.ts';

const POOL = 4;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

const outcome = (p: PromiseLike<unknown>) =>
  Promise.resolve(p).then(
    () => 'answered',
    (e: { code?: string }) => e.code ?? String(e),
  );

/** Waits until a fresh connection to `url` answers, trying for up to a minute. */
async function untilPostgresAnswers(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`SELECT 1`;
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await probe.end({ timeout: 1 });
    }
  }
}

/** Every connection of the pool open: two running a long statement, the others idle. */
async function busyAndIdle(handle: DbHandle) {
  await Promise.all(Array.from({ length: POOL }, () => handle.sql`SELECT pg_sleep(0.1)`));
  return [outcome(handle.sql`SELECT pg_sleep(30)`), outcome(handle.sql`SELECT pg_sleep(30)`)];
}

/** Reads, a drizzle read and a transaction, more at once than the pool has connections, twice. */
async function expectEveryStatementAnswers(handle: DbHandle) {
  for (let round = 0; round < 2; round++) {
    const reads = Array.from({ length: POOL * 2 }, (_, i) =>
      outcome(handle.sql`SELECT ${i}::int AS n`.then(([row]) => expect(row).toEqual({ n: i }))),
    );
    const viaDrizzle = outcome(handle.db.execute(q`SELECT 1 AS one`));
    const transaction = outcome(handle.db.transaction((tx) => tx.execute(q`SELECT txid_current()`)));
    expect(await Promise.all([...reads, viaDrizzle, transaction])).toEqual(Array(POOL * 2 + 2).fill('answered'));
  }
}

describe('after pg_terminate_backend of every pooled connection', () => {
  const application = `lost-connections-${randomUUID().slice(0, 8)}`;
  const admin = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
  const handle = createDb(inject('pgServerUrl'), { max: POOL, applicationName: application });
  afterAll(async () => {
    await handle.close();
    await admin.end();
  });

  it('the statements that ran fail, and every statement after answers', async () => {
    const running = await busyAndIdle(handle);
    for (let i = 0; ; i++) {
      const [{ n }] = await admin<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${application} AND state = 'active'`;
      if (n === 2) break;
      if (i > 100) throw new Error('the long statements never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    const [{ terminated }] = await admin<{ terminated: number }[]>`
      SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated
      FROM pg_stat_activity WHERE application_name = ${application}`;
    expect(terminated).toBe(POOL);
    for (const result of await Promise.all(running)) expect(['CONNECTION_CLOSED', '57P01']).toContain(result);
    // Once the backends are gone and the pool has read their closes (a statement sent in between
    // goes to a dead socket and fails: that is the fault itself, not what this test is about).
    for (let i = 0; ; i++) {
      const [{ n }] = await admin<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${application}`;
      if (n === 0) break;
      if (i > 100) throw new Error('the terminated backends never went');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100));

    await expectEveryStatementAnswers(handle);
    expect(unhandled).toEqual([]);
  });
});

describe('after a Postgres restart', () => {
  let pg: ThrowawayPostgres;
  let handle: DbHandle;
  afterAll(async () => {
    await handle?.close();
    pg?.stop();
  });

  it('the statements that ran fail, and every statement after answers', async () => {
    pg = await startThrowawayPostgres();
    handle = createDb(pg.primary.url('postgres'), { max: POOL, applicationName: 'lost-connections-restart' });
    const running = await busyAndIdle(handle);
    await new Promise((r) => setTimeout(r, 200)); // the long statements are running
    pg.primary.pgCtl('restart');
    for (const result of await Promise.all(running)) expect(['CONNECTION_CLOSED', '57P01']).toContain(result);
    // Once Postgres answers a connection of its own again (on a loaded machine it may not straight
    // after pg_ctl returns) and the pool has read its connections' closes.
    await untilPostgresAnswers(pg.primary.url('postgres'));
    await new Promise((r) => setTimeout(r, 200));

    await expectEveryStatementAnswers(handle);
    expect(unhandled).toEqual([]);
  }, 120_000);
});

/** Forwards to Postgres; `onTypeFetch` decides what happens to a new connection's array-type query. */
class TypeFetchProxy {
  port = 0;
  typeFetches = 0;
  onTypeFetch: (client: Socket, upstream: Socket) => boolean = () => false;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(upstreamPort: number) {
    this.server = createServer((client) => {
      const upstream = connect(upstreamPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      }
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('data', (d: Buffer) => client.write(d));
      client.on('data', (d: Buffer) => {
        if (d.includes('pg_catalog.pg_type')) {
          this.typeFetches++;
          if (this.onTypeFetch(client, upstream)) return;
        }
        upstream.write(d);
      });
    });
  }

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The ErrorResponse a backend sends when it is terminated (pg_terminate_backend, a fast shutdown). */
function terminationMessage(): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', '57P01'],
      ['M', 'terminating connection due to administrator command'],
    ].map(([k, v]) => Buffer.from(`${k}${v}\0`)),
  );
  const body = Buffer.concat([fields, Buffer.from([0])]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

describe('a new connection lost while it fetches the array types', () => {
  const server = new URL(inject('pgServerUrl'));
  let proxy: TypeFetchProxy;
  let handle: DbHandle;
  beforeEach(async () => {
    proxy = new TypeFetchProxy(Number(server.port || 5432));
    await proxy.start();
    const url = new URL(server);
    url.host = `127.0.0.1:${proxy.port}`;
    handle = createDb(url.toString(), { max: 1, applicationName: 'lost-connections-types' });
  });
  afterEach(async () => {
    await handle.close();
    await proxy.close();
  });

  it('reset: the statement waiting for the connection fails, nothing escapes, the next one answers', async () => {
    proxy.onTypeFetch = (client, upstream) => {
      proxy.onTypeFetch = () => false;
      client.resetAndDestroy();
      upstream.destroy();
      return true;
    };
    expect(['ECONNRESET', 'EPIPE', 'CONNECTION_CLOSED']).toContain(await outcome(handle.sql`SELECT 1`));
    await expectEveryStatementAnswers(handle);
    await new Promise((r) => setTimeout(r, 50)); // an unhandled rejection is reported a turn later
    expect(unhandled).toEqual([]);
    expect(proxy.typeFetches).toBe(2);
  });

  it('terminated: the statement waiting for the connection answers on the next attempt, nothing escapes', async () => {
    proxy.onTypeFetch = (client, upstream) => {
      proxy.onTypeFetch = () => false;
      upstream.destroy();
      client.end(terminationMessage());
      return true;
    };
    expect(await outcome(handle.sql`SELECT 1`)).toBe('answered');
    await expectEveryStatementAnswers(handle);
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    expect(proxy.typeFetches).toBe(2);
  });
});
