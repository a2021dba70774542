// Redis may lose the queue; Postgres is the source of truth. A throwaway redis-server (nothing on
// disk) is flushed and restarted mid-job; the reconciler re-enqueues what is pending.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createRedis } from '@licensing/redis';
import { createLicenseTaskQueue, type LicenseTaskQueue, licenseTaskQueues } from '@licensing/queue';
import { buildApiApp, createJobWithReservations } from '@licensing/api';
import {
  buildTestCatalog,
  createTestEnv,
  createTestReconciler,
  OPERATOR_TOKEN,
  startTestWorker,
  type TestEnv,
  type TestWorker,
} from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient, putProduct } from './support/client.ts';
import { freePort } from './support/processes.ts';
import { SUITE } from './fixtures.ts';

let env: TestEnv;
let redisProcess: ChildProcess;
let redisPort: number;
let redisUrl: string;
let redis: Redis;
let queue: LicenseTaskQueue;
let api: FastifyInstance;
let catalog: FastifyInstance;
let worker: TestWorker;
let partner: PartnerClient;

async function startRedis() {
  redisProcess = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const probe = createRedis(redisUrl, 'producer', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {}); // refused until the server is up
    const ok = await probe
      .connect()
      .then(() => probe.ping())
      .then(
        () => true,
        () => false,
      );
    probe.disconnect();
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('throwaway redis did not start');
}

async function stopRedis() {
  const exited = new Promise((r) => redisProcess.once('exit', r));
  redisProcess.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  env = await createTestEnv();
  redisPort = await freePort();
  redisUrl = `redis://127.0.0.1:${redisPort}`;
  await startRedis();
  redis = createRedis(redisUrl, 'producer');
  redis.on('error', () => {});
  queue = createLicenseTaskQueue(redis, env.prefix);
  queue.on('error', () => {});
  api = await buildApiApp({
    db: env.db,
    sql: env.sql,
    redis,
    queues: licenseTaskQueues([queue]),
    operatorToken: OPERATOR_TOKEN,
    rateLimitPerMinute: 0,
    logLevel: 'silent',
  });
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  partner = await PartnerClient.create(api);
  worker = await startTestWorker(env, { redisUrl });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await catalog?.close();
  await queue?.close();
  redis?.disconnect();
  if (redisProcess && redisProcess.exitCode === null) await stopRedis();
  await env?.close();
});

async function jobFor(users: number) {
  const customer = await partner.customer();
  const ids = await partner.users(customer, users);
  await partner.subscribe(customer, SUITE.id, users);
  return { customer, ids };
}

async function reconcileUntilDone(customer: string, jobId: string) {
  const reconciler = createTestReconciler(env, queue, redis);
  const started = Date.now();
  for (;;) {
    await reconciler.reconcile().catch(() => undefined);
    const job = (await partner.call('GET', `/v1/customers/${customer}/license-jobs/${jobId}`)).body;
    if (job.finishedAt) return { job, seconds: (Date.now() - started) / 1000 };
    if (Date.now() - started > 60_000) throw new Error(`job not recovered: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function expectExact(customer: string, jobId: string, users: number, job: any) {
  expect(job).toMatchObject({
    status: 'completed',
    progress: { total: users, pending: 0, succeeded: users, failed: 0 },
  });
  const results = await partner.results(customer, jobId);
  expect(results.filter((r) => r.changes[0]?.outcome === 'assigned')).toHaveLength(users);
  expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: users, reserved: 0 });
  await expectSeatInvariant(env.sql);
}

describe('Redis loses the queue', () => {
  it('FLUSHALL mid-job: the reconciler re-enqueues the pending users from Postgres', async () => {
    const { customer, ids } = await jobFor(2000);
    await queue.pause();
    const res = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }] });
    expect(res.status).toBe(202);
    await queue.resume();
    await expect
      .poll(
        async () =>
          (
            await env.sql`SELECT count(*)::int AS n FROM license_job_items WHERE job_id = ${res.body.id} AND status <> 'pending'`
          )[0].n,
        { interval: 5, timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    await redis.flushall();
    const [{ pending }] =
      await env.sql`SELECT count(*)::int AS pending FROM license_job_items WHERE job_id = ${res.body.id} AND status = 'pending'`;
    expect(pending).toBeGreaterThan(0);
    const { job, seconds } = await reconcileUntilDone(customer, res.body.id);
    expect(seconds).toBeLessThan(30);
    await expectExact(customer, res.body.id, ids.length, job);
  });

  it('Redis restarted with nothing on disk: the worker reconnects and the job completes', async () => {
    const { customer, ids } = await jobFor(1500);
    await queue.pause();
    const res = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }] });
    expect(res.status).toBe(202);
    await stopRedis();
    await startRedis(); // empty: the paused tasks are gone
    const { job, seconds } = await reconcileUntilDone(customer, res.body.id);
    expect(seconds).toBeLessThan(30);
    await expectExact(customer, res.body.id, ids.length, job);
  });

  it('the API died after committing a job and before enqueueing it', async () => {
    const { customer, ids } = await jobFor(300);
    const partnerId = (await env.sql`SELECT partner_id FROM customers WHERE id = ${customer}`)[0]!.partner_id;
    const { job } = await env.db.transaction((tx) =>
      createJobWithReservations(tx, {
        partnerId,
        customerId: customer,
        userIds: ids,
        assign: [{ productId: SUITE.id, disabledServicePlans: [] }],
        revoke: [],
      }),
    );
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ reserved: 300 });
    // While the API may still be adding its tasks (no "enqueued" mark yet, within the timeout), the
    // reconciler leaves the job alone rather than queue every user twice...
    expect(await createTestReconciler(env, queue, redis, { enqueueTimeoutSeconds: 3600 }).reconcile()).toEqual({
      requeued: 0,
      finished: 0,
    });
    await new Promise((r) => setTimeout(r, 300));
    const [{ pending }] =
      await env.sql`SELECT count(*)::int AS pending FROM license_job_items WHERE job_id = ${job.id} AND status = 'pending'`;
    expect(pending).toBe(300);
    // ...and once that timeout has passed it takes the API for dead and enqueues them.
    const recovered = await reconcileUntilDone(customer, job.id);
    await expectExact(customer, job.id, ids.length, recovered.job);
  });
});
