// Seats across jobs that are queued together, deletes, cancels and catalog changes while jobs wait
// (issue 13). Each case checks the contract's seat invariant after it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { listSubscriptions } from '@licensing/api';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, SUITE_BASIC, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let catalog: FastifyInstance;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  ({ env, catalog } = system);
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

afterEach(async () => {
  await env.queue.resume();
  await expectSeatInvariant(env.sql);
});

async function holders(customer: string, productId: string): Promise<number> {
  const [{ n }] =
    await env.sql`SELECT count(*)::int AS n FROM user_licenses WHERE customer_id = ${customer} AND product_id = ${productId}`;
  return n;
}

describe('jobs queued together apply as if one after another', () => {
  it('a revoke then a re-assign of every seat, both queued before the worker runs, leaves every user licensed', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 60);
    await partner.subscribe(customer, SUITE.id, 60);
    const assigned = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect((await partner.waitForJob(customer, assigned.body.id)).status).toBe('completed');

    await env.queue.pause();
    const revoke = await partner.startJob(customer, { userIds: users, revoke: [SUITE.id] });
    const reassign = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect([revoke.status, reassign.status]).toEqual([202, 202]);
    // Every user held the product when the re-assign was accepted: it needed (and reserved) no seat.
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 60, reserved: 0 });
    await expectSeatInvariant(env.sql);
    await env.queue.resume();

    expect(await partner.waitForJob(customer, revoke.body.id)).toMatchObject({
      status: 'completed',
      progress: { succeeded: 60, failed: 0 },
    });
    expect(await partner.waitForJob(customer, reassign.body.id)).toMatchObject({
      status: 'completed',
      progress: { succeeded: 60, failed: 0 },
      errorsByCode: {},
    });
    const results = await partner.results(customer, reassign.body.id);
    expect(new Set(results.map((r) => r.changes[0].outcome))).toEqual(new Set(['assigned']));
    expect(await holders(customer, SUITE.id)).toBe(60);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({
      quantity: 60,
      assigned: 60,
      reserved: 0,
      available: 0,
    });
  });

  it('a swap and a swap back, queued together, end as the two applied one after another would', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 40);
    await partner.subscribe(customer, SUITE.id, 40);
    await partner.subscribe(customer, SUITE_BASIC.id, 40);
    const assigned = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect((await partner.waitForJob(customer, assigned.body.id)).status).toBe('completed');

    await env.queue.pause();
    const swap = await partner.startJob(customer, {
      userIds: users,
      revoke: [SUITE.id],
      assign: [{ productId: SUITE_BASIC.id }],
    });
    const back = await partner.startJob(customer, {
      userIds: users,
      revoke: [SUITE_BASIC.id],
      assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    expect([swap.status, back.status]).toEqual([202, 202]);
    await expectSeatInvariant(env.sql);
    await env.queue.resume();

    for (const job of [swap, back]) {
      expect(await partner.waitForJob(customer, job.body.id)).toMatchObject({
        status: 'completed',
        progress: { succeeded: 40, failed: 0 },
      });
    }
    // One after another: the swap takes Suite Basic's reserved seats and frees Suite's, the swap
    // back frees Suite Basic's and takes Suite's again (now free, though it reserved none).
    const results = await partner.results(customer, back.body.id);
    expect(results.map((r) => r.changes.map((c: { outcome: string }) => c.outcome))).toEqual(
      users.map(() => ['revoked', 'assigned']),
    );
    expect(await holders(customer, SUITE.id)).toBe(40);
    expect(await holders(customer, SUITE_BASIC.id)).toBe(0);
    const subs = await partner.subscriptions(customer);
    expect(subs[SUITE.id]).toMatchObject({ assigned: 40, reserved: 0, available: 0 });
    expect(subs[SUITE_BASIC.id]).toMatchObject({ assigned: 0, reserved: 0, available: 40 });
  });
});

describe('seat reads cost in proportion to products, not to items waiting', () => {
  it('counts seats without reading one job item while 10,000 revoke-only items are queued', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2000);
    await partner.subscribe(customer, SUITE.id, 2000);
    await partner.subscribe(customer, SUITE_BASIC.id, 5);
    await env.queue.pause();
    for (let k = 0; k < 5; k++)
      expect((await partner.startJob(customer, { userIds: users, revoke: [SUITE.id] })).status).toBe(202);
    const reserve = await partner.startJob(customer, {
      userIds: users.slice(0, 3),
      assign: [{ productId: SUITE_BASIC.id }],
    });
    expect(reserve.status).toBe(202);
    await expectSeatInvariant(env.sql);

    // What GET /subscriptions runs, and what it read of the job tables meanwhile (the statistics of
    // the current transaction are not reset between transactions: the difference counts).
    const { subscriptions, read } = await env.db.transaction(async (tx) => {
      const reads = async () => {
        const [row] = await tx.execute<{ items: string; jobs: string }>(sql`
          SELECT pg_stat_get_xact_tuples_returned('license_job_items'::regclass)
               + pg_stat_get_xact_tuples_fetched('license_job_items'::regclass)
               + pg_stat_get_xact_blocks_fetched('license_job_items'::regclass) AS items,
                 pg_stat_get_xact_tuples_returned('license_jobs'::regclass)
               + pg_stat_get_xact_tuples_fetched('license_jobs'::regclass) AS jobs`);
        return { items: Number(row!.items), jobs: Number(row!.jobs) };
      };
      const before = await reads();
      const subscriptions = await listSubscriptions(tx, customer);
      const after = await reads();
      return { subscriptions, read: { items: after.items - before.items, jobs: after.jobs - before.jobs } };
    });
    expect(subscriptions.map((s) => [s.productId, s.assigned, s.reserved, s.available])).toEqual([
      [SUITE_BASIC.id, 0, 3, 2],
      [SUITE.id, 0, 0, 2000],
    ]);
    expect(read).toEqual({ items: 0, jobs: 0 });

    await env.queue.resume();
    const jobs = (await partner.call('GET', `/v1/customers/${customer}/license-jobs?pageSize=10`)).body.items;
    for (const job of jobs) await partner.waitForJob(customer, job.id);
    expect((await partner.subscriptions(customer))[SUITE_BASIC.id]).toMatchObject({ assigned: 3, reserved: 0 });
  });
});
