// A worker process stopped mid-job, gracefully (SIGTERM) and brutally (SIGKILL): no user is lost
// or applied twice, the report is exact, and no seat stays reserved once the job is done.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApi, buildTestCatalog, createTestEnv, type TestEnv } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient, putProduct } from './support/client.ts';
import { spawnService, type ServiceProcess } from './support/processes.ts';
import { SUITE } from './fixtures.ts';

let env: TestEnv;
let api: FastifyInstance;
let catalog: FastifyInstance;
let partner: PartnerClient;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  api = await buildTestApi(env);
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  partner = await PartnerClient.create(api);
});

afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
  }
});

afterAll(async () => {
  await api?.close();
  await catalog?.close();
  await env?.close();
});

function workerEnv(extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    BULLMQ_PREFIX: env.prefix,
    // Small batches so that the job is still running when the signal lands.
    WORKER_CONCURRENCY: '16',
    WORKER_BATCH_SIZE: '8',
    WORKER_BATCH_PARALLELISM: '1',
    STALLED_INTERVAL_MS: '1000',
    RECONCILE_INTERVAL_MS: '600000',
    ...extra,
  };
}

async function startJob(users: number) {
  const customer = await partner.customer();
  const ids = await partner.users(customer, users);
  await partner.subscribe(customer, SUITE.id, users);
  const res = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }] });
  expect(res.status).toBe(202);
  return { customer, jobId: res.body.id as string, users: ids };
}

async function waitForProgress(jobId: string, atLeast: number) {
  for (;;) {
    const [{ done }] =
      await env.sql`SELECT count(*)::int AS done FROM license_job_items WHERE job_id = ${jobId} AND status <> 'pending'`;
    if (done >= atLeast) return done;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function expectExactlyOnce(customer: string, jobId: string, users: string[]) {
  const job = await partner.waitForJob(customer, jobId, 60_000);
  expect(job).toMatchObject({
    status: 'completed',
    progress: { total: users.length, pending: 0, succeeded: users.length, failed: 0 },
  });
  const results = await partner.results(customer, jobId);
  // Applied once: a second application would have found the item done; every outcome is 'assigned'.
  expect(results.filter((r) => r.changes.length === 1 && r.changes[0].outcome === 'assigned')).toHaveLength(
    users.length,
  );
  const [{ holders }] =
    await env.sql`SELECT count(*)::int AS holders FROM user_licenses WHERE customer_id = ${customer} AND product_id = ${SUITE.id}`;
  expect(holders).toBe(users.length);
  expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: users.length, reserved: 0 });
  await expectSeatInvariant(env.sql);
}

describe('worker stopped mid-job', () => {
  it('SIGTERM: finishes what it holds, exits 0, and another worker completes the job', async () => {
    const { customer, jobId, users } = await startJob(3000);
    const first = await spawnService('worker', workerEnv());
    running.push(first);
    await waitForProgress(jobId, 100);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const [{ pending }] =
      await env.sql`SELECT count(*)::int AS pending FROM license_job_items WHERE job_id = ${jobId} AND status = 'pending'`;
    expect(pending).toBeGreaterThan(0); // the signal really landed mid-job
    // Nothing half-applied: a user is done exactly when it holds the license (its reservation ended
    // in the same commit), and the job's progress counts exactly the done items.
    const [half] = await env.sql`
      SELECT count(*) FILTER (WHERE i.status <> 'pending' AND l.user_id IS NULL)::int AS "doneWithoutLicense",
             count(*) FILTER (WHERE i.status = 'pending' AND l.user_id IS NOT NULL)::int AS "pendingWithLicense",
             count(*) FILTER (WHERE i.status <> 'pending')::int AS done,
             (SELECT coalesce(sum(succeeded + failed), 0)::int FROM license_job_progress WHERE job_id = ${jobId}) AS counted
      FROM license_job_items i LEFT JOIN user_licenses l ON l.user_id = i.user_id AND l.product_id = ${SUITE.id}
      WHERE i.job_id = ${jobId}`;
    expect(half).toMatchObject({ doneWithoutLicense: 0, pendingWithLicense: 0, counted: half!.done });
    running.push(await spawnService('worker', workerEnv({ WORKER_BATCH_SIZE: '200', WORKER_CONCURRENCY: '400' })));
    await expectExactlyOnce(customer, jobId, users);
  });

  it('SIGKILL: tasks held by the dead worker are recovered within seconds', async () => {
    const { customer, jobId, users } = await startJob(3000);
    const first = await spawnService('worker', workerEnv());
    running.push(first);
    await waitForProgress(jobId, 100);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const [{ pending }] =
      await env.sql`SELECT count(*)::int AS pending FROM license_job_items WHERE job_id = ${jobId} AND status = 'pending'`;
    expect(pending).toBeGreaterThan(0);
    const restarted = Date.now();
    running.push(await spawnService('worker', workerEnv({ WORKER_BATCH_SIZE: '200', WORKER_CONCURRENCY: '400' })));
    await expectExactlyOnce(customer, jobId, users);
    expect(Date.now() - restarted).toBeLessThan(30_000);
  });
});
