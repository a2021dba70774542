// A worker process's Redis link broken for longer than its tasks' 10 s lock while tasks flow, as
// the soak's net-partition does, then healed: the worker takes tasks again, and every job accepted
// before, during and after the fault finishes exactly, with its seats consistent. Twice: a
// partition (every byte held, then delivered), and every connection reset with the new ones lost
// until it heals (accepted and never answered), which leaves each Redis connection the worker had
// waiting for its handshake's answers until its socket timeout closes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSeatInvariant, type PartnerClient } from './support/client.ts';
import { spawnService, type ServiceProcess } from './support/processes.ts';
import { createRedisProxyEnv, type RedisProxyEnv } from './support/redis-proxy-env.ts';
import type { TcpProxy } from './soak/tcp-proxy.ts';
import type { TestEnv } from './support/test-env.ts';
import { SUITE } from './fixtures.ts';

let setup: RedisProxyEnv;
let env: TestEnv;
let partner: PartnerClient;
let proxy: TcpProxy;
let worker: ServiceProcess;

/** Longer than the workers' task lock (BullMQ's lockDuration, at least 10 s). */
const FAULT_MS = 14_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  setup = await createRedisProxyEnv();
  ({ env, partner, proxy } = setup);
  worker = await spawnService('worker', {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: setup.redisUrl,
    BULLMQ_PREFIX: env.prefix,
    // Small batches and few slots, so that tasks are held (and their locks lapse) when the link goes.
    WORKER_CONCURRENCY: '32',
    WORKER_EXPRESS_CONCURRENCY: '16',
    WORKER_BATCH_SIZE: '8',
    WORKER_BATCH_PARALLELISM: '1',
    STALLED_INTERVAL_MS: '1000',
    RECONCILE_INTERVAL_MS: '2000',
  });
});

afterAll(async () => {
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
    worker.child.kill('SIGKILL');
    await worker.exited;
  }
  await setup?.close();
});

interface Started {
  customer: string;
  jobId: string;
  users: number;
}

async function customerWith(users: number) {
  const customer = await partner.customer();
  const ids = await partner.users(customer, users);
  await partner.subscribe(customer, SUITE.id, users);
  return { customer, ids };
}

async function startJob(customer: string, ids: string[]): Promise<Started> {
  const res = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }] });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return { customer, jobId: res.body.id, users: ids.length };
}

async function expectExact({ customer, jobId, users }: Started, timeoutMs: number) {
  const job = await partner.waitForJob(customer, jobId, timeoutMs);
  expect(job).toMatchObject({
    status: 'completed',
    progress: { total: users, pending: 0, succeeded: users, failed: 0 },
  });
  const [{ holders }] = await env.sql`
    SELECT count(*)::int AS holders FROM user_licenses l JOIN license_job_items i ON i.user_id = l.user_id
    WHERE i.job_id = ${jobId} AND l.product_id = ${SUITE.id}`;
  expect(holders).toBe(users);
}

/**
 * A 2,000-user bulk job and 4-user interactive jobs (the express queue) every 150 ms; `fault` once
 * tasks are being applied; `heal` after FAULT_MS; then two more jobs. Every job is final and exact
 * within `boundMs` of the heal.
 */
async function tasksFlowThrough(fault: () => void, heal: () => void, boundMs: number) {
  const bulk = await customerWith(2000);
  const small = await Promise.all(Array.from({ length: 4 }, () => customerWith(4 * 60)));
  const jobs: Started[] = [await startJob(bulk.customer, bulk.ids)];
  let flowing = true;
  const traffic = (async () => {
    for (let round = 0; flowing && round < 4 * 60; round++) {
      const c = small[round % small.length]!;
      const k = Math.floor(round / small.length);
      jobs.push(await startJob(c.customer, c.ids.slice(4 * k, 4 * k + 4)));
      await sleep(150);
    }
  })();
  await expect
    .poll(
      async () =>
        (
          await env.sql`SELECT count(*)::int AS n FROM license_job_items WHERE job_id = ${jobs[0]!.jobId} AND status <> 'pending'`
        )[0].n,
      { interval: 20, timeout: 20_000 },
    )
    .toBeGreaterThan(50);
  fault();
  await sleep(FAULT_MS);
  heal();
  const healed = Date.now();
  const after = await customerWith(204);
  jobs.push(await startJob(after.customer, after.ids.slice(0, 4)));
  jobs.push(await startJob(after.customer, after.ids.slice(4)));
  flowing = false;
  await traffic;
  for (const job of jobs) await expectExact(job, Math.max(1000, healed + boundMs - Date.now()));
  for (const c of [bulk, ...small, after])
    expect((await partner.subscriptions(c.customer))[SUITE.id]).toMatchObject({ reserved: 0 });
  await expectSeatInvariant(env.sql);
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${worker.port}/readyz`)).status, { timeout: 10_000 })
    .toBe(200);
}

describe('the Redis link of a worker broken for longer than the task lock', () => {
  it('partitioned (every byte held, then delivered): every job finishes within 30 s of the heal', async () => {
    await tasksFlowThrough(
      () => proxy.partition(),
      () => proxy.heal(),
      30_000,
    );
  }, 120_000);

  it('every connection reset, the new ones lost until it heals: every job finishes within 45 s', async () => {
    await tasksFlowThrough(
      () => {
        proxy.partition({ loseNew: true });
        proxy.resetAll();
      },
      () => proxy.heal(),
      45_000,
    );
  }, 120_000);
});
