// The services behind a real transaction-mode pooler: a pgbouncer 1.18 of this test's own (Debian's
// package), which hands each transaction whichever server connection is free, so a named prepared
// statement made in one transaction is missing in the next. The API and the worker run as processes
// with DATABASE_URL on pgbouncer (serving only their database). With DATABASE_PREPARED_STATEMENTS=false
// several customers' concurrent assign and revoke jobs complete exactly, without a single error; with
// prepared statements on, the same load fails there, which is what the setting is for. The migrations
// apply through it too.
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { prepareDatabase } from '@licensing/db';
import { SUITE } from './fixtures.ts';
import { call, expectSeatInvariant, putProduct, type Reply } from './support/client.ts';
import { type Pgbouncer, pgbouncerBinary, startPgbouncer } from './support/pgbouncer.ts';
import { spawnService, type ServiceProcess } from './support/processes.ts';
import { buildTestCatalog, createTestEnv, OPERATOR_TOKEN, type TestEnv } from './support/test-env.ts';

const USERS = 240;
/** A prepared statement missing on the server connection a transaction got (SQLSTATE 26000). */
const MISSING_STATEMENT = /prepared statement \\?"[^"\\]+\\?" does not exist/;

interface Services {
  env: TestEnv;
  pgbouncer: Pgbouncer;
  api: ServiceProcess;
  worker: ServiceProcess;
  base: string;
  close: () => Promise<void>;
}

const started: Services[] = [];
afterAll(async () => {
  for (const services of started) await services.close();
}, 60_000);

/** Its own database (migrated directly, as the template is) and queue prefix; the API and worker on pgbouncer. */
async function startServices(preparedStatements: boolean): Promise<Services> {
  const env = await createTestEnv();
  const catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  await catalog.close();
  const database = new URL(env.databaseUrl).pathname.slice(1);
  const pgbouncer = await startPgbouncer({
    server: env.databaseUrl,
    databases: [database],
    // With prepared statements on, the services also send jit and max_parallel_workers_per_gather as
    // startup parameters, which pgbouncer refuses unless told to ignore them: ignored here, so that
    // only the prepared statements differ.
    ignoreStartupParameters: preparedStatements ? ['jit', 'max_parallel_workers_per_gather'] : [],
  });
  const processes: ServiceProcess[] = [];
  const services: Services = {
    env,
    pgbouncer,
    api: undefined as never,
    worker: undefined as never,
    base: '',
    close: async () => {
      for (const p of processes) {
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
        await p.exited;
      }
      await pgbouncer.stop();
      await env.close();
    },
  };
  started.push(services);
  const settings = {
    DATABASE_URL: pgbouncer.url(database),
    DATABASE_PREPARED_STATEMENTS: String(preparedStatements),
    REDIS_URL: env.redisUrl,
    BULLMQ_PREFIX: env.prefix,
    OPERATOR_TOKEN,
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_FAILURES_PER_MINUTE: '0',
    // Small batches: many worker transactions, two at a time, beside the API's.
    WORKER_CONCURRENCY: '64',
    WORKER_BATCH_SIZE: '20',
    WORKER_BATCH_PARALLELISM: '2',
    RECONCILE_INTERVAL_MS: '2000',
  };
  services.api = await spawnService('api', settings);
  processes.push(services.api);
  services.worker = await spawnService('worker', settings);
  processes.push(services.worker);
  services.base = `http://127.0.0.1:${services.api.port}`;
  return services;
}

interface Job {
  customer: string;
  jobId: string;
  action: 'assign' | 'revoke';
  users: string[];
}

/**
 * Several customers' jobs at once, as a partner's client runs them: a 5xx answer, or a 401 for the
 * partner's own valid key, is retried (job requests carry an Idempotency-Key); any other unexpected
 * answer stops the load. Every unexpected answer is kept in `failures`. First four customers assign
 * every user; then those four revoke half of their users while two more customers assign theirs.
 */
class Load {
  readonly failures: string[] = [];
  readonly jobs: Job[] = [];
  private apiKey = '';

  constructor(
    private readonly base: string,
    private readonly deadline: number,
  ) {}

  private async call(
    expected: number,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<any> {
    for (;;) {
      const res: Reply = await call(this.base, method, url, this.apiKey || OPERATOR_TOKEN, body, headers);
      if (res.status === expected) return res.body;
      const answer = `${method} ${url}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      if (res.status === 409 && res.body?.code === 'idempotency_key_in_use') {
        // the same request, still being answered: not a failure
      } else if (res.status >= 500 || (res.status === 401 && this.apiKey)) {
        // retried as a client would; a 401 for the partner's own valid key is the service's failure
        this.failures.push(answer);
      } else {
        this.failures.push(answer);
        throw new Error(answer);
      }
      if (Date.now() > this.deadline) throw new Error(`still failing at the deadline: ${answer}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async customerWithUsers(i: number) {
    const { id: customer } = await this.call(201, 'POST', '/v1/customers', { name: `Pooled ${i}`, country: 'US' });
    const users = Array.from({ length: USERS }, (_, k) => ({
      userPrincipalName: `user${k}@pooled${i}.example`,
      displayName: `User ${k}`,
    }));
    const created = await this.call(201, 'POST', `/v1/customers/${customer}/users/batch`, { users });
    await this.call(200, 'PUT', `/v1/customers/${customer}/subscriptions/${SUITE.id}`, { quantity: USERS });
    return { customer: customer as string, users: created.items.map((u: { id: string }) => u.id) as string[] };
  }

  private async startJob(customer: string, action: Job['action'], users: string[]) {
    const body =
      action === 'assign'
        ? { userIds: users, assign: [{ productId: SUITE.id }] }
        : { userIds: users, revoke: [SUITE.id] };
    const job = await this.call(202, 'POST', `/v1/customers/${customer}/license-jobs`, body, {
      'idempotency-key': randomUUID(),
    });
    const entry = { customer, jobId: job.id as string, action, users };
    this.jobs.push(entry);
    return entry;
  }

  async finished(job: Job) {
    for (;;) {
      const body = await this.call(200, 'GET', `/v1/customers/${job.customer}/license-jobs/${job.jobId}`);
      if (body.finishedAt) return body;
      if (Date.now() > this.deadline) throw new Error(`job ${job.jobId} not finished: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async results(job: Job) {
    const items: { userId: string; status: string; changes: { outcome: string }[] }[] = [];
    for (let page = 1; ; page++) {
      const body = await this.call(
        200,
        'GET',
        `/v1/customers/${job.customer}/license-jobs/${job.jobId}/results?page=${page}&pageSize=500`,
      );
      items.push(...body.items);
      if (page >= body.totalPages) return items;
    }
  }

  async subscription(customer: string) {
    const body = await this.call(200, 'GET', `/v1/customers/${customer}/subscriptions`);
    return body.items.find((s: { productId: string }) => s.productId === SUITE.id);
  }

  async run() {
    this.apiKey = (await this.call(201, 'POST', '/v1/admin/partners', { name: 'Pooled' })).apiKey;
    const first = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const { customer, users } = await this.customerWithUsers(i);
        return this.startJob(customer, 'assign', users);
      }),
    );
    await Promise.all(first.map((job) => this.finished(job)));
    const second = await Promise.all([
      ...first.map((job) => this.startJob(job.customer, 'revoke', job.users.slice(0, USERS / 2))),
      ...[4, 5].map(async (i) => {
        const { customer, users } = await this.customerWithUsers(i);
        return this.startJob(customer, 'assign', users);
      }),
    ]);
    await Promise.all(second.map((job) => this.finished(job)));
  }
}

/** Log lines of the API and worker about a prepared statement missing on the server connection. */
const missingStatementLines = (services: Services) =>
  [services.api.output(), services.worker.output()].flatMap((output) =>
    output.split('\n').filter((line) => MISSING_STATEMENT.test(line)),
  );

describe.skipIf(!pgbouncerBinary)(
  `behind pgbouncer in transaction mode${pgbouncerBinary ? '' : ' (skipped: no pgbouncer binary; apt-get install pgbouncer)'}`,
  () => {
    it('with DATABASE_PREPARED_STATEMENTS=false, concurrent assign and revoke jobs complete exactly, without an error', async () => {
      const services = await startServices(false);
      const load = new Load(services.base, Date.now() + 120_000);
      await load.run();

      expect(load.failures).toEqual([]);
      expect(load.jobs).toHaveLength(10);
      for (const job of load.jobs) {
        const done = await load.finished(job);
        expect(done, job.jobId).toMatchObject({
          status: 'completed',
          progress: { total: job.users.length, pending: 0, succeeded: job.users.length, failed: 0 },
        });
        const results = await load.results(job);
        expect(results).toHaveLength(job.users.length);
        const outcome = job.action === 'assign' ? 'assigned' : 'revoked';
        expect(results.filter((r) => r.status === 'succeeded' && r.changes[0]?.outcome === outcome)).toHaveLength(
          job.users.length,
        );
      }
      // Rows in Postgres (read directly): the users each customer should hold the product, no others.
      const sql = services.env.sql;
      for (const customer of new Set(load.jobs.map((j) => j.customer))) {
        const assigned = load.jobs.find((j) => j.customer === customer && j.action === 'assign')!.users;
        const revoked = new Set(load.jobs.find((j) => j.customer === customer && j.action === 'revoke')?.users ?? []);
        const holders = await sql<{ user_id: string }[]>`
          SELECT user_id FROM user_licenses WHERE customer_id = ${customer} AND product_id = ${SUITE.id}`;
        expect(holders.map((h) => h.user_id).sort()).toEqual(assigned.filter((u) => !revoked.has(u)).sort());
        expect(await load.subscription(customer)).toMatchObject({
          quantity: USERS,
          assigned: USERS - revoked.size,
          reserved: 0,
        });
      }
      const [{ items }] = await sql<{ items: number }[]>`
        SELECT count(*)::int AS items FROM license_job_items WHERE status = 'succeeded'`;
      expect(items).toBe(6 * USERS + 4 * (USERS / 2));
      await expectSeatInvariant(sql);
      // All of it went through pgbouncer, and nothing failed on the way, not even something a retry hid.
      expect(
        (await services.pgbouncer.stats(new URL(services.env.databaseUrl).pathname.slice(1))).transactions,
      ).toBeGreaterThan(100); // 1,920 user changes in batches of at most 20, beside the requests
      expect(missingStatementLines(services)).toEqual([]);
      expect(services.worker.output()).not.toMatch(/batch failed|task failed/);
      expect(pgbouncerOutputErrors(services.pgbouncer)).toEqual([]);
    }, 180_000);

    it('migrates an empty database through the pooler (created beforehand, as the pooler serves no other)', async () => {
      const server = inject('pgServerUrl');
      const database = `licensing_test_pooled_${randomUUID().replaceAll('-', '')}`;
      const admin = postgres(server, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE ${database}`);
      const pgbouncer = await startPgbouncer({ server, databases: [database] });
      try {
        const migrations = readdirSync(fileURLToPath(new URL('../packages/db/migrations/', import.meta.url))).filter(
          (f) => f.endsWith('.sql'),
        );
        expect(await prepareDatabase(pgbouncer.url(database))).toEqual(migrations.sort());
        expect(await prepareDatabase(pgbouncer.url(database))).toEqual([]);
        expect(pgbouncerOutputErrors(pgbouncer)).toEqual([]);
      } finally {
        await pgbouncer.stop();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await admin.end();
      }
    });

    it('with prepared statements on, the same load fails through the same pooler', async () => {
      const services = await startServices(true);
      const load = new Load(services.base, Date.now() + 60_000);
      const stopped = await load.run().then(
        () => undefined,
        (error: unknown) => String(error),
      );
      // A failed load: answers other than the contract's (seen: a valid key refused with 401, an
      // existing customer not found, existing users unknown; 5xx), or statements missing on the
      // server connection a transaction got.
      const failures = [...load.failures, ...missingStatementLines(services)];
      expect(
        failures.length,
        `the load ${stopped ? `stopped (${stopped})` : 'completed'} without a failure`,
      ).toBeGreaterThan(0);
    }, 120_000);
  },
);

/** Errors pgbouncer logged about clients or servers (a refused startup parameter, a lost server…). */
function pgbouncerOutputErrors(pgbouncer: Pgbouncer): string[] {
  return pgbouncer
    .output()
    .split('\n')
    .filter((line) => /\b(ERROR|FATAL|WARNING)\b/.test(line));
}
