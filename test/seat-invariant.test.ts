// The seat invariant under random concurrent load: many job requests and overlapping assign /
// revoke / swap jobs on the same users, some cancelled, over several seeds. After every seed:
// 0 <= assigned + reserved <= quantity, assigned = holders, reserved back to 0. Also retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneExpired } from '@licensing/worker';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, SUITE_BASIC, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: { concurrency: 32, batchSize: 16 } });
  env = system.env;
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

/** mulberry32: a small seeded generator, so a failing seed can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('seat invariant under random concurrent load', () => {
  it.each([1, 2, 3, 4])('seed %i', async (seed) => {
    const rand = random(seed);
    const pick = <T>(xs: T[], n: number) => [...xs].sort(() => rand() - 0.5).slice(0, n);
    const customer = await partner.customer(`Seed ${seed}`);
    const users = await partner.users(customer, 40);
    await partner.subscribe(customer, SUITE.id, 25);
    await partner.subscribe(customer, SUITE_BASIC.id, 20);
    const bodies = Array.from({ length: 30 }, () => {
      const who = pick(users, 1 + Math.floor(rand() * 12));
      switch (Math.floor(rand() * 4)) {
        case 0:
          return { userIds: who, assign: [{ productId: SUITE.id }] };
        case 1:
          return { userIds: who, revoke: [SUITE.id] };
        case 2:
          return { userIds: who, revoke: [SUITE.id], assign: [{ productId: SUITE_BASIC.id }] };
        default:
          return {
            userIds: who,
            revoke: [SUITE_BASIC.id],
            assign: [{ productId: SUITE.id, disabledServicePlans: rand() < 0.5 ? ['TEAMS'] : [] }],
          };
      }
    });
    const responses = await Promise.all(
      bodies.map(async (body, i) => {
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 20) + i));
        return partner.startJob(customer, body);
      }),
    );
    // 409: not enough seats; 429: a user already has five unfinished jobs. Either creates nothing.
    for (const r of responses) expect([202, 409, 429]).toContain(r.status);
    const accepted = responses.filter((r) => r.status === 202).map((r) => r.body.id as string);
    await expectSeatInvariant(env.sql);
    // Cancel a few while they may still run.
    for (const id of accepted.filter(() => rand() < 0.2)) {
      const res = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${id}/cancel`);
      expect([200, 409]).toContain(res.status);
    }
    for (const id of accepted) {
      const job = await partner.waitForJob(customer, id);
      expect(job.progress.pending).toBe(0);
      expect(job.progress.succeeded + job.progress.failed + job.progress.cancelled).toBe(job.progress.total);
    }
    await expectSeatInvariant(env.sql);
    const subs = await partner.subscriptions(customer);
    for (const product of [SUITE.id, SUITE_BASIC.id]) {
      const [{ holders }] =
        await env.sql`SELECT count(*)::int AS holders FROM user_licenses l JOIN users u ON u.id = l.user_id WHERE u.customer_id = ${customer} AND l.product_id = ${product}`;
      expect(subs[product]).toMatchObject({ assigned: holders, reserved: 0 });
    }
    // Nobody holds two products that exclude each other.
    const [{ both }] = await env.sql`
      SELECT count(*)::int AS both FROM user_licenses a JOIN user_licenses b ON a.user_id = b.user_id
      WHERE a.customer_id = ${customer} AND a.product_id = ${SUITE.id} AND b.product_id = ${SUITE_BASIC.id}`;
    expect(both).toBe(0);
  });
});

describe('retention', () => {
  it('prunes idempotency keys after 24 h and finished jobs after the retention period', async () => {
    const customer = await partner.customer('Retention');
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    const old = await partner.startJob(
      customer,
      { userIds: users, assign: [{ productId: SUITE.id }] },
      { 'idempotency-key': 'old-key' },
    );
    const recent = await partner.startJob(
      customer,
      { userIds: users, revoke: [SUITE.id] },
      { 'idempotency-key': 'recent-key' },
    );
    await partner.waitForJob(customer, old.body.id);
    await partner.waitForJob(customer, recent.body.id);
    await env.sql`UPDATE license_jobs SET finished_at = now() - interval '31 days' WHERE id = ${old.body.id}`;
    await env.sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'`;
    const pruned = await pruneExpired(env.db, { idempotencyKeyHours: 24, jobRetentionDays: 30 });
    expect(pruned.jobs).toBeGreaterThanOrEqual(1);
    expect((await partner.call('GET', `/v1/customers/${customer}/license-jobs/${old.body.id}`)).status).toBe(404);
    expect((await partner.call('GET', `/v1/customers/${customer}/license-jobs/${recent.body.id}`)).status).toBe(200);
    const [left] =
      await env.sql`SELECT (SELECT count(*)::int FROM license_job_items WHERE job_id = ${old.body.id}) AS items,
      (SELECT count(*)::int FROM license_job_progress WHERE job_id = ${old.body.id}) AS progress`;
    expect(left).toEqual({ items: 0, progress: 0 });
    const keys = await env.sql`SELECT key FROM idempotency_keys WHERE key IN ('old-key', 'recent-key') ORDER BY key`;
    expect(keys.map((k) => k.key)).toEqual(['recent-key']);
  });
});
