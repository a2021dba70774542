// Seats across jobs that are queued together, deletes, cancels and catalog changes while jobs wait
// (issue 13). Each case checks the contract's seat invariant after it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { listSubscriptions } from '@licensing/api';
import { applyUserChanges } from '@licensing/worker';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient, putProduct } from './support/client.ts';
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
    const users = await partner.users(customer, 2003);
    await partner.subscribe(customer, SUITE.id, 2000);
    await partner.subscribe(customer, SUITE_BASIC.id, 5);
    await env.queue.pause();
    // Five jobs each on the same 2,000 users (as many unfinished jobs as a user may have).
    for (let k = 0; k < 5; k++)
      expect((await partner.startJob(customer, { userIds: users.slice(0, 2000), revoke: [SUITE.id] })).status).toBe(
        202,
      );
    const reserve = await partner.startJob(customer, {
      userIds: users.slice(2000),
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

describe('deleting a user', () => {
  it('frees at once the seats its pending jobs reserved, and ends its pending users failed with UserNotFound', async () => {
    const customer = await partner.customer();
    const [a, b, c, d] = await partner.users(customer, 4);
    await partner.subscribe(customer, SUITE.id, 4);
    await env.queue.pause();
    const first = await partner.startJob(customer, { userIds: [a, b], assign: [{ productId: SUITE.id }] });
    const only = await partner.startJob(customer, { userIds: [a], revoke: [SUITE_BASIC.id] });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ reserved: 2, available: 2 });

    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${a}`)).status).toBe(204);
    await expectSeatInvariant(env.sql);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 1, available: 3 });
    const reported = (await partner.call('GET', `/v1/customers/${customer}/license-jobs/${first.body.id}`)).body;
    expect(reported).toMatchObject({
      progress: { total: 2, pending: 1, succeeded: 0, failed: 1 },
      errorsByCode: { UserNotFound: 1 },
    });
    expect(await partner.results(customer, first.body.id, 'failed')).toMatchObject([
      {
        userId: a,
        status: 'failed',
        changes: [{ productId: SUITE.id, outcome: 'failed', error: { code: 'UserNotFound' } }],
      },
    ]);
    // A job whose only pending user that was is finished at once.
    expect((await partner.call('GET', `/v1/customers/${customer}/license-jobs/${only.body.id}`)).body).toMatchObject({
      status: 'failed',
      progress: { total: 1, pending: 0, failed: 1 },
      errorsByCode: { UserNotFound: 1 },
    });

    // The freed seat is available to the next job at once: b (still pending in the first job), c and d.
    const next = await partner.startJob(customer, { userIds: [b, c, d], assign: [{ productId: SUITE.id }] });
    expect(next.status).toBe(202);
    await expectSeatInvariant(env.sql);
    await env.queue.resume();
    expect(await partner.waitForJob(customer, first.body.id)).toMatchObject({
      status: 'completed_with_errors',
      progress: { succeeded: 1, failed: 1 },
    });
    expect(await partner.waitForJob(customer, next.body.id)).toMatchObject({ status: 'completed' });
    expect(await holders(customer, SUITE.id)).toBe(3);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 3, reserved: 0, available: 1 });
  });
});

describe('cancel racing the end of a job', () => {
  it('a job whose users were all applied, not yet finished by the worker, is completed: cancel answers 409 job_finished', async () => {
    const customer = await partner.customer();
    const [user] = await partner.users(customer, 1);
    await partner.subscribe(customer, SUITE.id, 1);
    await env.queue.pause();
    const job = await partner.startJob(customer, { userIds: [user], assign: [{ productId: SUITE.id }] });
    // The worker's batch has committed; its finishing of the job has not run yet.
    expect((await applyUserChanges(env.db, customer, [{ userId: user! }])).applied).toMatchObject([
      { status: 'succeeded' },
    ]);

    const cancel = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('job_finished');
    expect((await partner.call('GET', `/v1/customers/${customer}/license-jobs/${job.body.id}`)).body).toMatchObject({
      status: 'completed',
      progress: { total: 1, pending: 0, succeeded: 1, failed: 0, cancelled: 0 },
    });
    expect(await holders(customer, SUITE.id)).toBe(1);
    await expectSeatInvariant(env.sql);
  });

  it('one-user jobs cancelled 0-25 ms after their POST: a 200 is a cancelled user, never an applied one', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 60);
    await partner.subscribe(customer, SUITE.id, 60);
    const outcomes = await Promise.all(
      users.map(async (user, i) => {
        const job = await partner.startJob(customer, { userIds: [user], assign: [{ productId: SUITE.id }] });
        await new Promise((r) => setTimeout(r, (i * 7) % 26));
        const cancel = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`);
        return { user, jobId: job.body.id as string, cancel };
      }),
    );
    for (const { jobId, cancel } of outcomes) {
      const job = await partner.waitForJob(customer, jobId);
      if (cancel.status === 200) {
        expect(cancel.body).toMatchObject({ status: 'cancelled', progress: { succeeded: 0, cancelled: 1 } });
        expect(job).toMatchObject({ status: 'cancelled', progress: { succeeded: 0, cancelled: 1 } });
      } else {
        expect(cancel.status).toBe(409);
        expect(job).toMatchObject({ status: 'completed', progress: { succeeded: 1, cancelled: 0 } });
      }
    }
    const applied = outcomes.filter((o) => o.cancel.status === 409).length;
    expect(await holders(customer, SUITE.id)).toBe(applied);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: applied, reserved: 0 });
  });
});

describe('a catalog change after a job was accepted', () => {
  const product = {
    id: 'CHANGING',
    name: 'Changing product',
    servicePlans: [
      { id: 'P1', name: 'Plan 1' },
      { id: 'P2', name: 'Plan 2' },
    ],
  };

  it('applies the catalog as it is when it applies: a disabled plan the product no longer has is not written', async () => {
    await putProduct(catalog, product);
    const customer = await partner.customer('Catalog Co', 'US');
    const [user] = await partner.users(customer, 1);
    await partner.subscribe(customer, product.id, 1);
    await env.queue.pause();
    const job = await partner.startJob(customer, {
      userIds: [user],
      assign: [{ productId: product.id, disabledServicePlans: ['P2'] }],
    });
    expect(job.status).toBe(202);
    await putProduct(catalog, { ...product, servicePlans: [{ id: 'P1', name: 'Plan 1' }] });
    await env.queue.resume();

    expect(await partner.waitForJob(customer, job.body.id)).toMatchObject({ status: 'completed' });
    const res = await partner.call('GET', `/v1/customers/${customer}/users/${user}`);
    expect(res.body.licenses).toEqual([
      { productId: product.id, disabledServicePlans: [], assignedBy: { direct: true, groupIds: [] } },
    ]);
  });

  it('a user whose change the product no longer allows fails with the rule it breaks, and its seat is released', async () => {
    await putProduct(catalog, product);
    const customer = await partner.customer('Catalog Co', 'US');
    const [user] = await partner.users(customer, 1);
    await partner.subscribe(customer, product.id, 1);
    await env.queue.pause();
    const job = await partner.startJob(customer, { userIds: [user], assign: [{ productId: product.id }] });
    await putProduct(catalog, { ...product, unavailableIn: ['US'] });
    await env.queue.resume();

    expect(await partner.waitForJob(customer, job.body.id)).toMatchObject({
      status: 'failed',
      errorsByCode: { ProhibitedInUsageLocationViolation: 1 },
    });
    expect((await partner.subscriptions(customer))[product.id]).toMatchObject({
      assigned: 0,
      reserved: 0,
      available: 1,
    });
    await putProduct(catalog, product);
  });
});
