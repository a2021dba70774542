// Scheduled jobs end to end through the API, Postgres, BullMQ on the real Redis, the real worker and
// its scheduler: a job with `notBefore` is `scheduled` with its seats reserved, starts within 2 s of
// its time, can be cancelled (seats released) until then; retries and reverts take it too; a time
// more than 90 days ahead is refused; previews say they predict on the state now.
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApi,
  buildTestCatalog,
  createTestEnv,
  OPERATOR_TOKEN,
  startTestWorker,
  type TestEnv,
  type TestWorker,
} from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';

let env: TestEnv;
let api: FastifyInstance;
let catalog: FastifyInstance;
let worker: TestWorker;
let partner: PartnerClient;

beforeAll(async () => {
  env = await createTestEnv();
  api = await buildTestApi(env, { webhookPolicy: { allowPrivateTargets: true, allowHttp: true } });
  catalog = await buildTestCatalog(env);
  for (const product of TEST_PRODUCTS) {
    const res = await catalog.inject({
      method: 'PUT',
      url: `/v1/products/${product.id}`,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
      payload: product,
    });
    expect(res.statusCode).toBeLessThan(300);
  }
  worker = await startTestWorker(env);
  partner = await PartnerClient.create(api);
  // Nothing listens there: the events are recorded (and their deliveries fail), which is what is checked.
  expect((await partner.call('PUT', '/v1/webhook', { url: 'http://127.0.0.1:9/hook' })).status).toBe(200);
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await catalog?.close();
  await env?.close();
});

afterEach(async () => {
  await expectSeatInvariant(env.sql);
});

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const jobsUrl = (customer: string) => `/v1/customers/${customer}/license-jobs`;

async function setUp(users: number) {
  const customer = await partner.customer();
  const ids = await partner.users(customer, users);
  await partner.subscribe(customer, SUITE.id, users);
  return { customer, ids };
}

async function heldBy(customer: string): Promise<string[]> {
  const rows = await env.sql<{ user_id: string }[]>`
    SELECT user_id FROM user_licenses WHERE customer_id = ${customer} AND product_id = ${SUITE.id} ORDER BY user_id`;
  return rows.map((r) => r.user_id);
}

/** The tasks the file's queue holds, whatever their state. */
async function queuedTasks(): Promise<number> {
  const counts = await env.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(counts).reduce((n, c) => n + c, 0);
}

/** Milliseconds from a job's `notBefore` to when its first user was applied (Postgres's clock). */
async function startDelayMs(jobId: string): Promise<number> {
  const [row] = await env.sql<{ ms: number }[]>`
    SELECT extract(epoch FROM (min(i.finished_at) - j.not_before)) * 1000 AS ms
    FROM license_jobs j JOIN license_job_items i ON i.customer_id = j.customer_id AND i.job_id = j.id
    WHERE j.id = ${jobId} GROUP BY j.not_before`;
  return Number(row!.ms);
}

describe('scheduled jobs', () => {
  it('is scheduled with its seats reserved, listed by status=scheduled, and runs within 2 s of its time', async () => {
    const { customer, ids } = await setUp(3);
    const notBefore = inMs(3000);
    const res = await partner.startJob(customer, {
      userIds: ids,
      assign: [{ productId: SUITE.id }],
      notBefore: notBefore.replace('Z', '+00:00'),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ status: 'scheduled', notBefore, startedAt: null });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 3 });
    const listed = await partner.call('GET', `${jobsUrl(customer)}?status=scheduled`);
    expect(listed.body.items.map((j: { id: string }) => j.id)).toEqual([res.body.id]);
    expect((await partner.call('GET', `${jobsUrl(customer)}?status=queued,running`)).body.total).toBe(0);
    // Nothing of it is in Redis before its time.
    expect(await queuedTasks()).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await heldBy(customer)).toEqual([]);

    const done = await partner.waitForJob(customer, res.body.id, 15_000);
    expect(done).toMatchObject({ status: 'completed', notBefore, progress: { succeeded: 3 } });
    expect(Date.parse(done.startedAt)).toBeGreaterThanOrEqual(Date.parse(notBefore));
    const delay = await startDelayMs(res.body.id);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(2000);
    expect(await heldBy(customer)).toEqual([...ids].sort());
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 3, reserved: 0 });

    const audit = await partner.call('GET', `/v1/customers/${customer}/audit-events?type=license_job.scheduled`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ type: 'license_job.scheduled', data: { jobId: res.body.id, notBefore } }),
    ]);
    // Its finish is announced like any job's.
    const [event] = await env.sql`
      SELECT type FROM webhook_deliveries WHERE job_id = ${res.body.id} AND type = 'license_job.finished'`;
    expect(event).toBeDefined();
  });

  it('refuses a time more than 90 days ahead (422 not_before_too_far, nothing created) and one without an offset', async () => {
    const { customer, ids } = await setUp(2);
    const far = await partner.startJob(
      customer,
      { userIds: ids, assign: [{ productId: SUITE.id }], notBefore: inMs(91 * 86_400_000) },
      { 'accept-language': 'ru' },
    );
    expect(far.status).toBe(422);
    expect(far.body).toMatchObject({ code: 'not_before_too_far', maxDays: 90 });
    expect(far.body.detail).toContain('90 дней');
    expect(Date.parse(far.body.latest)).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    const local = await partner.startJob(customer, {
      userIds: ids,
      assign: [{ productId: SUITE.id }],
      notBefore: '2030-01-01T10:00:00',
    });
    expect(local.status).toBe(400);
    expect(local.body.code).toBe('validation_error');
    const [{ n }] = await env.sql`SELECT count(*)::int AS n FROM license_jobs WHERE customer_id = ${customer}`;
    expect(n).toBe(0);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ reserved: 0 });
    // 90 days ahead is taken.
    const edge = await partner.startJob(customer, {
      userIds: ids,
      assign: [{ productId: SUITE.id }],
      notBefore: inMs(90 * 86_400_000 - 60_000),
    });
    expect(edge.status).toBe(202);
    expect(edge.body.status).toBe('scheduled');
    expect((await partner.call('POST', `${jobsUrl(customer)}/${edge.body.id}/cancel`)).status).toBe(200);
  });

  it('runs at once when its time has come', async () => {
    const { customer, ids } = await setUp(2);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const res = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }], notBefore: past });
    expect(res.status).toBe(202);
    expect(['queued', 'running', 'completed']).toContain(res.body.status);
    expect(res.body.notBefore).toBe(past);
    expect(await partner.waitForJob(customer, res.body.id, 10_000)).toMatchObject({ status: 'completed' });
    const audit = await partner.call('GET', `/v1/customers/${customer}/audit-events?type=license_job.scheduled`);
    expect(audit.body.total).toBe(0);
  });

  it('cancelled before its time: seats released, nothing applied then; a retry of it can be scheduled too', async () => {
    const { customer, ids } = await setUp(4);
    const res = await partner.startJob(customer, {
      userIds: ids,
      assign: [{ productId: SUITE.id }],
      notBefore: inMs(1500),
    });
    expect(res.body.status).toBe('scheduled');
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ reserved: 4 });
    const cancelled = await partner.call('POST', `${jobsUrl(customer)}/${res.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', progress: { cancelled: 4, pending: 0 } });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 0 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await heldBy(customer)).toEqual([]);
    expect((await partner.call('GET', `${jobsUrl(customer)}/${res.body.id}`)).body.status).toBe('cancelled');

    const notBefore = inMs(2000);
    const retry = await partner.call('POST', `${jobsUrl(customer)}/${res.body.id}/retry`, { notBefore });
    expect(retry.status, JSON.stringify(retry.body)).toBe(202);
    expect(retry.body).toMatchObject({ status: 'scheduled', retryOf: res.body.id, notBefore });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ reserved: 4 });
    expect(await partner.waitForJob(customer, retry.body.id, 15_000)).toMatchObject({ status: 'completed' });
    expect(await startDelayMs(retry.body.id)).toBeLessThan(2000);
    expect(await heldBy(customer)).toEqual([...ids].sort());
  });

  it('a scheduled revert undoes at its time, leaving alone users a job applied before it changed', async () => {
    const { customer, ids } = await setUp(6);
    const job = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, job.body.id);
    const notBefore = inMs(2500);
    const undo = await partner.call('POST', `${jobsUrl(customer)}/${job.body.id}/revert`, { notBefore });
    expect(undo.status, JSON.stringify(undo.body)).toBe(202);
    expect(undo.body).toMatchObject({ status: 'scheduled', revertOf: job.body.id, notBefore });
    // Accepted after the revert, but applied before its time: the revert leaves these users alone.
    const newer = await partner.startJob(customer, {
      userIds: ids.slice(0, 2),
      assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    expect(await partner.waitForJob(customer, newer.body.id)).toMatchObject({ status: 'completed' });
    expect(await partner.waitForJob(customer, undo.body.id, 15_000)).toMatchObject({
      status: 'completed_with_errors',
      progress: { succeeded: 4, failed: 2 },
      errorsByCode: { ChangedSinceJob: 2 },
    });
    expect(await heldBy(customer)).toEqual(ids.slice(0, 2).sort());
    const failed = await partner.results(customer, undo.body.id, 'failed');
    for (const r of failed) expect(r.changes[0].error).toMatchObject({ jobIds: [newer.body.id] });
    const audit = await partner.call('GET', `/v1/customers/${customer}/audit-events?type=license_job.reverted`);
    expect(audit.body.items[0].data).toMatchObject({ jobId: undo.body.id, revertOf: job.body.id, notBefore });
    const [event] = await env.sql`
      SELECT type FROM webhook_deliveries WHERE job_id = ${undo.body.id} AND type = 'license_job.finished'`;
    expect(event).toBeDefined();
  });

  it('previews take notBefore and say they predict on the state now', async () => {
    const { customer, ids } = await setUp(2);
    const notBefore = inMs(86_400_000);
    const before = Date.now();
    const preview = await partner.call('POST', `${jobsUrl(customer)}/preview`, {
      userIds: ids,
      assign: [{ productId: SUITE.id }],
      notBefore: notBefore.replace('Z', '+00:00'),
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ notBefore, outcomes: { assigned: 2 } });
    expect(Date.parse(preview.body.evaluatedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(preview.body.evaluatedAt)).toBeLessThanOrEqual(Date.now());
    const far = await partner.call('POST', `${jobsUrl(customer)}/preview`, {
      userIds: ids,
      assign: [{ productId: SUITE.id }],
      notBefore: inMs(100 * 86_400_000),
    });
    expect(far.body.code).toBe('not_before_too_far');

    const job = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, job.body.id);
    const undo = await partner.call('POST', `${jobsUrl(customer)}/${job.body.id}/revert/preview`, { notBefore });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body).toMatchObject({ notBefore, outcomes: { revoked: 2 } });
    const plain = await partner.call('POST', `${jobsUrl(customer)}/${job.body.id}/revert/preview`);
    expect(plain.body).toMatchObject({ notBefore: null, outcomes: { revoked: 2 } });
  });

  it('a scheduled job left by a worker that stopped is started by the next one; the reconciler leaves it alone', async () => {
    const { customer, ids } = await setUp(3);
    await worker.close();
    const res = await partner.startJob(customer, {
      userIds: ids,
      assign: [{ productId: SUITE.id }],
      notBefore: inMs(1000),
    });
    expect(res.body.status).toBe('scheduled');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await partner.call('GET', `${jobsUrl(customer)}/${res.body.id}`)).body.status).toBe('scheduled');
    worker = await startTestWorker(env);
    expect(await partner.waitForJob(customer, res.body.id, 15_000)).toMatchObject({ status: 'completed' });
  });
});
