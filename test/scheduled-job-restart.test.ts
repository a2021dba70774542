// The schedule lives in Postgres: scheduled jobs survive a restart of every API and worker process
// and the loss of everything in Redis under the system's prefix, and start on time afterwards; one
// whose time passed while nothing ran starts as soon as a worker is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestCatalog, createTestEnv, OPERATOR_TOKEN, type TestEnv } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient, putProduct } from './support/client.ts';
import { spawnService, type ServiceProcess } from './support/processes.ts';
import { SUITE } from './fixtures.ts';

let env: TestEnv;
let catalog: FastifyInstance;
const running: ServiceProcess[] = [];

const services = () => ({
  DATABASE_URL: env.databaseUrl,
  REDIS_URL: env.redisUrl,
  BULLMQ_PREFIX: env.prefix,
  OPERATOR_TOKEN,
  RATE_LIMIT_PER_MINUTE: '0',
  RECONCILE_INTERVAL_MS: '1000',
  SCHEDULER_INTERVAL_MS: '500',
});

async function startProcesses(): Promise<string> {
  const api = await spawnService('api', services());
  running.push(api);
  running.push(await spawnService('worker', services()));
  return `http://127.0.0.1:${api.port}`;
}

async function stopProcesses(): Promise<void> {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await p.exited;
  }
}

/** Deletes every key under the system's prefix (queues, locks, rate limits): Redis lost its data. */
async function flushPrefix(): Promise<number> {
  const keys = await env.redis.keys(`${env.prefix}:*`);
  if (keys.length) await env.redis.del(...keys);
  return keys.length;
}

beforeAll(async () => {
  env = await createTestEnv();
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
});

afterAll(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
  }
  await catalog?.close();
  await env?.close();
});

describe('scheduled jobs across restarts', () => {
  it('survive a restart of every process and a flush of Redis, and start on time', async () => {
    let apiUrl = await startProcesses();
    let partner = await PartnerClient.create(apiUrl);
    const customer = await partner.customer();
    const ids = await partner.users(customer, 40);
    await partner.subscribe(customer, SUITE.id, 40);
    const later = new Date(Date.now() + 30_000).toISOString();
    const soon = new Date(Date.now() + 4_000).toISOString();
    const a = await partner.startJob(customer, {
      userIds: ids.slice(0, 20),
      assign: [{ productId: SUITE.id }],
      notBefore: later,
    });
    const b = await partner.startJob(customer, {
      userIds: ids.slice(20),
      assign: [{ productId: SUITE.id }],
      notBefore: soon,
    });
    expect([a.body.status, b.body.status]).toEqual(['scheduled', 'scheduled']);

    // Everything stops, `soon` passes while nothing runs, and Redis loses the system's keys.
    await stopProcesses();
    const wait = Date.parse(soon) - Date.now() + 500;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect(await flushPrefix()).toBeGreaterThan(0);
    const [{ n }] = await env.sql`SELECT count(*)::int AS n FROM user_licenses WHERE customer_id = ${customer}`;
    expect(n).toBe(0);

    apiUrl = await startProcesses();
    const restartedAt = Date.now();
    partner = new PartnerClient(apiUrl, partner.apiKey, partner.id);
    // The job whose time passed while nothing ran starts as soon as a worker is back.
    expect(await partner.waitForJob(customer, b.body.id, 20_000)).toMatchObject({
      status: 'completed',
      progress: { succeeded: 20 },
    });
    expect(Date.now() - restartedAt).toBeLessThan(10_000);
    // The other is still scheduled, its seats reserved, nothing of it applied.
    if (Date.now() < Date.parse(later) - 1000) {
      expect((await partner.call('GET', `/v1/customers/${customer}/license-jobs/${a.body.id}`)).body).toMatchObject({
        status: 'scheduled',
        progress: { pending: 20 },
      });
      expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 20, reserved: 20 });
    }
    expect(await partner.waitForJob(customer, a.body.id, 60_000)).toMatchObject({
      status: 'completed',
      progress: { succeeded: 20 },
    });
    const [{ ms }] = await env.sql`
      SELECT extract(epoch FROM (min(i.finished_at) - j.not_before)) * 1000 AS ms
      FROM license_jobs j JOIN license_job_items i ON i.customer_id = j.customer_id AND i.job_id = j.id
      WHERE j.id = ${a.body.id} GROUP BY j.not_before`;
    expect(Number(ms)).toBeGreaterThanOrEqual(0);
    expect(Number(ms)).toBeLessThan(2000);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 40, reserved: 0 });
    await expectSeatInvariant(env.sql);
    await stopProcesses();
  }, 120_000);
});
