// End to end: API (inject) → Postgres → BullMQ on the real Redis → the real worker → job report.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { enqueueLicenseTasks, type LicenseTaskData } from '@licensing/queue';
import { applyUserChanges } from '@licensing/worker';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient, putProduct } from './support/client.ts';
import { ADDON, REFUSED_IN_FR, REGIONAL, SUITE, SUITE_BASIC, TEST_PRODUCTS } from './fixtures.ts';

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
  await expectSeatInvariant(env.sql);
});

describe('bulk assign and revoke', () => {
  it('assigns a product to 300 users, turning reservations into assignments', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 300);
    await partner.subscribe(customer, SUITE.id, 310);
    await env.queue.pause();
    const res = await partner.startJob(customer, {
      userIds: users,
      assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/v1/customers/${customer}/license-jobs/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'queued',
      customerId: customer,
      request: { userCount: 300, revoke: [] },
      progress: { total: 300, pending: 300, succeeded: 0, failed: 0 },
    });
    // Seats are reserved before the 202, while no worker has run.
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({
      quantity: 310,
      assigned: 0,
      reserved: 300,
      available: 10,
    });
    const pending = await partner.call('GET', `/v1/customers/${customer}/license-jobs/${res.body.id}`);
    expect(pending.headers['retry-after']).toBeDefined();
    await env.queue.resume();

    const job = await partner.waitForJob(customer, res.body.id);
    // The API marked the job once all its tasks were queued (the reconciler relies on the mark).
    const [{ marked }] =
      await env.sql`SELECT tasks_enqueued_at IS NOT NULL AS marked FROM license_jobs WHERE id = ${res.body.id}`;
    expect(marked).toBe(true);
    expect(job).toMatchObject({
      status: 'completed',
      progress: { total: 300, pending: 0, succeeded: 300, failed: 0 },
      errorsByCode: {},
    });
    expect(job.startedAt).not.toBeNull();
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({
      quantity: 310,
      assigned: 300,
      reserved: 0,
      available: 10,
    });
    const [{ n }] =
      await env.sql`SELECT count(*)::int AS n FROM user_licenses WHERE customer_id = ${customer} AND product_id = ${SUITE.id} AND disabled_service_plans = '{TEAMS}'`;
    expect(n).toBe(300);
    const results = await partner.results(customer, res.body.id);
    expect(results).toHaveLength(300);
    expect(results[0]).toMatchObject({
      status: 'succeeded',
      changes: [{ productId: SUITE.id, action: 'assign', outcome: 'assigned' }],
    });
    expect(results.map((r) => r.displayName)).toEqual([...results.map((r) => r.displayName)].sort());
    const done = await partner.call('GET', `/v1/customers/${customer}/license-jobs/${res.body.id}`);
    expect(done.headers['retry-after']).toBeUndefined();

    // Assigning again: unchanged for most, updated where plans change; no seat is needed.
    const again = await partner.startJob(customer, { userIds: users.slice(0, 10), assign: [{ productId: SUITE.id }] });
    expect(again.status).toBe(202);
    const againJob = await partner.waitForJob(customer, again.body.id);
    expect(againJob.status).toBe('completed');
    const againResults = await partner.results(customer, again.body.id);
    expect(againResults.every((r) => r.changes[0].outcome === 'updated')).toBe(true);

    // Revoke from 100 users; revoking from someone who does not hold it is not_assigned.
    const other = await partner.users(customer, 1, () => ({
      userPrincipalName: 'nobody@fabrikam.example',
      displayName: 'Nobody',
    }));
    const revoke = await partner.startJob(customer, {
      userIds: [...users.slice(0, 100), ...other],
      revoke: [SUITE.id],
    });
    expect(revoke.status).toBe(202);
    const revoked = await partner.waitForJob(customer, revoke.body.id);
    expect(revoked).toMatchObject({ status: 'completed', progress: { total: 101, succeeded: 101, failed: 0 } });
    const revokeResults = await partner.results(customer, revoke.body.id);
    expect(revokeResults.filter((r) => r.changes[0].outcome === 'revoked')).toHaveLength(100);
    expect(revokeResults.find((r) => r.userId === other[0]).changes[0].outcome).toBe('not_assigned');
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({
      assigned: 200,
      reserved: 0,
      available: 110,
    });
  });

  it('shows all / some / none for a selection in the license overview', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 4);
    await partner.subscribe(customer, SUITE.id, 3);
    await partner.subscribe(customer, ADDON.id, 5);
    await partner.subscribe(customer, REGIONAL.id, 0);
    const job = await partner.startJob(customer, { userIds: users.slice(0, 3), assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    await partner.waitForJob(customer, job.body.id);

    const some = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userIds: [users[3], users[0]],
    });
    expect(some.status).toBe(200);
    expect(some.body.users.map((u: any) => u.id)).toEqual([users[0], users[3]]);
    const byId = Object.fromEntries(some.body.products.map((p: any) => [p.productId, p]));
    expect(byId[SUITE.id]).toMatchObject({
      name: SUITE.name,
      quantity: 3,
      assigned: 3,
      available: 0,
      selection: 'some',
      assignedUserIds: [users[0]],
      buyMore: true,
    });
    expect(byId[SUITE.id].servicePlans).toEqual(SUITE.servicePlans.map((p) => ({ id: p.id, name: p.name })));
    expect(byId[ADDON.id]).toMatchObject({ selection: 'none', assignedUserIds: [], buyMore: false, available: 5 });
    expect(byId[REGIONAL.id]).toMatchObject({ quantity: 0, buyMore: true });

    const all = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userIds: users.slice(0, 3),
    });
    expect(all.body.products.find((p: any) => p.productId === SUITE.id).selection).toBe('all');
  });

  it('reports rule violations per user, all-or-nothing, with errorsByCode', async () => {
    const customer = await partner.customer('Rules Inc', 'US');
    const [us, fr, holder] = [
      ...(await partner.users(customer, 1, () => ({
        userPrincipalName: 'us@rules.example',
        displayName: 'A US user',
      }))),
      ...(await partner.users(customer, 1, () => ({
        userPrincipalName: 'fr@rules.example',
        displayName: 'B French user',
        usageLocation: 'FR',
      }))),
      ...(await partner.users(customer, 1, () => ({
        userPrincipalName: 'basic@rules.example',
        displayName: 'C Basic holder',
      }))),
    ];
    for (const p of [SUITE, SUITE_BASIC, ADDON, REGIONAL, REFUSED_IN_FR]) await partner.subscribe(customer, p.id, 10);
    const basic = await partner.startJob(customer, { userIds: [holder!], assign: [{ productId: SUITE_BASIC.id }] });
    await partner.waitForJob(customer, basic.body.id);

    // Region rules: the French user is refused both products, the US user gets both.
    const regional = await partner.startJob(customer, {
      userIds: [us!, fr!],
      assign: [{ productId: REGIONAL.id }, { productId: REFUSED_IN_FR.id }],
    });
    const regionalJob = await partner.waitForJob(customer, regional.body.id);
    expect(regionalJob).toMatchObject({
      status: 'completed_with_errors',
      progress: { succeeded: 1, failed: 1 },
      errorsByCode: { ProhibitedInUsageLocationViolation: 1 },
    });
    const frResult = (await partner.results(customer, regional.body.id, 'failed'))[0];
    expect(frResult.userId).toBe(fr);
    expect(frResult.changes.map((c: any) => [c.productId, c.outcome, c.error?.code, c.error?.productIds])).toEqual([
      [REGIONAL.id, 'failed', 'ProhibitedInUsageLocationViolation', [REGIONAL.id]],
      [REFUSED_IN_FR.id, 'failed', 'ProhibitedInUsageLocationViolation', [REFUSED_IN_FR.id]],
    ]);

    // Add-on without its base fails; the same add-on with its base in the same job succeeds.
    const addon = await partner.startJob(customer, { userIds: [us!], assign: [{ productId: ADDON.id }] });
    const addonJob = await partner.waitForJob(customer, addon.body.id);
    expect(addonJob).toMatchObject({ status: 'failed', errorsByCode: { DependencyViolation: 1 } });
    expect((await partner.results(customer, addon.body.id))[0].changes[0].error).toMatchObject({
      code: 'DependencyViolation',
      productIds: [SUITE.id],
    });
    const both = await partner.startJob(customer, {
      userIds: [us!],
      assign: [{ productId: SUITE.id }, { productId: ADDON.id }],
    });
    expect((await partner.waitForJob(customer, both.body.id)).status).toBe('completed');

    // Revoking the base under the add-on is refused; swapping suites in one job for the basic holder works.
    const revokeBase = await partner.startJob(customer, { userIds: [us!], revoke: [SUITE.id] });
    const revokeBaseJob = await partner.waitForJob(customer, revokeBase.body.id);
    expect(revokeBaseJob).toMatchObject({ status: 'failed', errorsByCode: { DependencyViolation: 1 } });
    const exclusive = await partner.startJob(customer, { userIds: [holder!], assign: [{ productId: SUITE.id }] });
    expect(await partner.waitForJob(customer, exclusive.body.id)).toMatchObject({
      status: 'failed',
      errorsByCode: { MutuallyExclusiveViolation: 1 },
    });
    expect((await partner.results(customer, exclusive.body.id))[0].changes[0].error).toMatchObject({
      code: 'MutuallyExclusiveViolation',
      productIds: [SUITE.id, SUITE_BASIC.id],
    });
    const swap = await partner.startJob(customer, {
      userIds: [holder!],
      revoke: [SUITE_BASIC.id],
      assign: [{ productId: SUITE.id }],
    });
    expect((await partner.waitForJob(customer, swap.body.id)).status).toBe('completed');
    const swapped = await partner.call('GET', `/v1/customers/${customer}/users/${holder}`);
    expect(swapped.body.licenses.map((l: any) => l.productId)).toEqual([SUITE.id]);

    // A plan that requires a disabled plan would fail every user: refused up front, nothing reserved.
    const plans = await partner.startJob(customer, {
      userIds: [holder!],
      assign: [{ productId: SUITE.id, disabledServicePlans: ['SHAREPOINT'] }],
    });
    expect(plans.status).toBe(422);
    expect(plans.body).toMatchObject({
      code: 'invalid_service_plans',
      productId: SUITE.id,
      servicePlanIds: ['SHAREPOINT'],
    });
    const subs = await partner.subscriptions(customer);
    expect(subs[SUITE.id]).toMatchObject({ assigned: 2, reserved: 0 });
    expect(subs[SUITE_BASIC.id]).toMatchObject({ assigned: 0, reserved: 0 });
    expect(subs[REGIONAL.id]).toMatchObject({ assigned: 1, reserved: 0 });
  });

  it('reports UserNotFound for a user deleted after the job was accepted, and frees its seats', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 3);
    await partner.subscribe(customer, SUITE.id, 3);
    await env.queue.pause();
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${users[1]}`)).status).toBe(204);
    await env.queue.resume();
    const done = await partner.waitForJob(customer, job.body.id);
    expect(done).toMatchObject({
      status: 'completed_with_errors',
      progress: { succeeded: 2, failed: 1 },
      errorsByCode: { UserNotFound: 1 },
    });
    const failed = await partner.results(customer, job.body.id, 'failed');
    expect(failed[0]).toMatchObject({
      userId: users[1],
      changes: [{ outcome: 'failed', error: { code: 'UserNotFound' } }],
    });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 2, reserved: 0, available: 1 });
    // Deleting a user who holds the product frees its seat with it.
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${users[0]}`)).status).toBe(204);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 1, reserved: 0, available: 2 });
    const [{ licenses }] =
      await env.sql`SELECT count(*)::int AS licenses FROM user_licenses WHERE user_id = ${users[0]}`;
    expect(licenses).toBe(0);
  });
});

describe('catalog changes', () => {
  it('a product written through the catalog is in force for the next job', async () => {
    const customer = await partner.customer('Catalog Co', 'US');
    const users = await partner.users(customer, 2);
    const product = { id: 'FRESH', name: 'Fresh product', servicePlans: [{ id: 'P1', name: 'Plan 1' }] };
    await putProduct(catalog, product);
    await partner.subscribe(customer, product.id, 2);
    const first = await partner.startJob(customer, { userIds: [users[0]], assign: [{ productId: product.id }] });
    expect((await partner.waitForJob(customer, first.body.id)).status).toBe('completed');
    await putProduct(catalog, { ...product, unavailableIn: ['US'] });
    const second = await partner.startJob(customer, { userIds: [users[1]], assign: [{ productId: product.id }] });
    expect(await partner.waitForJob(customer, second.body.id)).toMatchObject({
      status: 'failed',
      errorsByCode: { ProhibitedInUsageLocationViolation: 1 },
    });
    await putProduct(catalog, { ...product, servicePlans: [...product.servicePlans, { id: 'P2', name: 'Plan 2' }] });
    const third = await partner.startJob(customer, {
      userIds: [users[1]],
      assign: [{ productId: product.id, disabledServicePlans: ['P2'] }],
    });
    expect(third.status).toBe(202);
    expect((await partner.waitForJob(customer, third.body.id)).status).toBe('completed');
  });
});

describe('concurrency', () => {
  it('20 concurrent requests racing for the last 50 seats: exactly 10 accepted, never oversold', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 100);
    await partner.subscribe(customer, SUITE.id, 50);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        partner.startJob(customer, { userIds: users.slice(i * 5, i * 5 + 5), assign: [{ productId: SUITE.id }] }),
      ),
    );
    const accepted = responses.filter((r) => r.status === 202);
    const refused = responses.filter((r) => r.status === 409);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(10);
    expect(refused[0]!.body).toMatchObject({
      code: 'insufficient_licenses',
      status: 409,
      shortages: [{ productId: SUITE.id, required: 5, available: 0 }],
    });
    expect(refused[0]!.headers['content-type']).toMatch(/application\/problem\+json/);
    await expectSeatInvariant(env.sql);
    for (const r of accepted) await partner.waitForJob(customer, r.body.id);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({
      quantity: 50,
      assigned: 50,
      reserved: 0,
      available: 0,
    });
    const [{ jobs }] = await env.sql`SELECT count(*)::int AS jobs FROM license_jobs WHERE customer_id = ${customer}`;
    expect(jobs).toBe(10);
  });

  it('overlapping jobs on the same users apply one job at a time, in acceptance order', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 60);
    // Job c needs 20 seats of its own: at acceptance its users do not hold SUITE yet (job a is pending).
    await partner.subscribe(customer, SUITE.id, 80);
    await partner.subscribe(customer, SUITE_BASIC.id, 60);
    await env.queue.pause();
    const a = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    const b = await partner.startJob(customer, {
      userIds: users.slice(0, 30),
      revoke: [SUITE.id],
      assign: [{ productId: SUITE_BASIC.id }],
    });
    const c = await partner.startJob(customer, {
      userIds: users.slice(20, 40),
      assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    for (const r of [a, b, c]) expect(r.status).toBe(202);
    await env.queue.resume();
    const [ja, jb, jc] = await Promise.all([a, b, c].map((r) => partner.waitForJob(customer, r.body.id)));
    expect(ja.status).toBe('completed');
    expect(jb.status).toBe('completed');
    // Users 20..29 hold SUITE_BASIC after job b, so job c's SUITE is excluded for them; 30..39 get updated plans.
    expect(jc).toMatchObject({
      status: 'completed_with_errors',
      progress: { succeeded: 10, failed: 10 },
      errorsByCode: { MutuallyExclusiveViolation: 10 },
    });
    const subs = await partner.subscriptions(customer);
    expect(subs[SUITE.id]).toMatchObject({ assigned: 30, reserved: 0 });
    expect(subs[SUITE_BASIC.id]).toMatchObject({ assigned: 30, reserved: 0 });
    const [{ n }] =
      await env.sql`SELECT count(*)::int AS n FROM user_licenses WHERE product_id = ${SUITE.id} AND customer_id = ${customer} AND disabled_service_plans = '{TEAMS}'`;
    expect(n).toBe(10);
  });

  it('reserves, per assigned product, a seat only for the selected users who do not hold it yet', async () => {
    const customer = await partner.customer();
    const all = await partner.users(customer, 11);
    const [users, extra] = [all.slice(0, 10), all[10]!];
    await partner.subscribe(customer, SUITE.id, 10);
    await partner.subscribe(customer, ADDON.id, 10);
    const first = await partner.startJob(customer, { userIds: users.slice(0, 4), assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, first.body.id);
    await env.queue.pause();
    // Users 0..3 hold SUITE: they need an ADDON seat only; users 4..9 need one of each.
    const both = await partner.startJob(customer, {
      userIds: users,
      assign: [{ productId: SUITE.id }, { productId: ADDON.id }],
    });
    expect(both.status).toBe(202);
    const subs = await partner.subscriptions(customer);
    expect(subs[SUITE.id]).toMatchObject({ assigned: 4, reserved: 6, available: 0 });
    expect(subs[ADDON.id]).toMatchObject({ assigned: 0, reserved: 10, available: 0 });
    const items =
      await env.sql`SELECT user_id, reserved_products FROM license_job_items WHERE job_id = ${both.body.id}`;
    const reservedFor = new Map(items.map((i) => [i.user_id, i.reserved_products]));
    for (const userId of users.slice(0, 4)) expect(reservedFor.get(userId)).toEqual([ADDON.id]);
    for (const userId of users.slice(4)) expect(reservedFor.get(userId)).toEqual([ADDON.id, SUITE.id].sort());
    // One more user over the seats left: the shortage counts only what the request itself needs.
    const short = await partner.startJob(customer, { userIds: [users[0]!, extra], assign: [{ productId: SUITE.id }] });
    expect(short.body).toMatchObject({
      code: 'insufficient_licenses',
      shortages: [{ productId: SUITE.id, required: 1, available: 0 }],
    });
    await env.queue.resume();
    expect(await partner.waitForJob(customer, both.body.id)).toMatchObject({
      status: 'completed',
      progress: { succeeded: 10 },
    });
    await expectSeatInvariant(env.sql);
  });

  it("a task applies all of its user's pending items in acceptance order, a later job's too, whose own task then finds nothing", async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 10);
    await partner.subscribe(customer, SUITE.id, 10);
    await env.queue.pause();
    const a = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    const b = await partner.startJob(customer, { userIds: users.slice(0, 4), revoke: [SUITE.id] });
    await env.queue.obliterate({ force: true }); // only the calls below apply anything
    const { applied } = await applyUserChanges(
      env.db,
      customer,
      users.map((userId) => ({ jobId: a.body.id, userId })),
    );
    expect(applied).toHaveLength(14);
    for (const userId of users.slice(0, 4)) {
      expect(applied.filter((i) => i.userId === userId).map((i) => [i.jobId, i.status])).toEqual([
        [a.body.id, 'succeeded'],
        [b.body.id, 'succeeded'],
      ]);
    }
    expect(
      await applyUserChanges(
        env.db,
        customer,
        users.slice(0, 4).map((userId) => ({ jobId: b.body.id, userId })),
      ),
    ).toEqual({ applied: [], busy: [], deliveries: [] });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 6, reserved: 0, available: 4 });
    const [{ n }] =
      await env.sql`SELECT count(*)::int AS n FROM user_licenses WHERE customer_id = ${customer} AND user_id = any(${users.slice(0, 4)}::uuid[])`;
    expect(n).toBe(0);
    await env.queue.resume();
  });

  it('a task delivered twice changes nothing the second time', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 20);
    await partner.subscribe(customer, SUITE.id, 20);
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, job.body.id);
    const before =
      await env.sql`SELECT user_id, product_id, assigned_at FROM user_licenses WHERE customer_id = ${customer} ORDER BY user_id`;
    const resultsBefore = await partner.results(customer, job.body.id);

    // Straight through the worker's code path, twice...
    expect(
      await applyUserChanges(
        env.db,
        customer,
        users.map((userId) => ({ jobId: job.body.id, userId })),
      ),
    ).toEqual({ applied: [], busy: [], deliveries: [] });
    // ...and through the queue as new tasks, as a redelivery or a re-enqueue would.
    await enqueueLicenseTasks(
      env.queue,
      env.redis,
      { id: job.body.id, partnerId: partner.id, customerId: customer, userCount: users.length },
      users,
    );
    // ...and in the previous version's task format, as left in Redis across an upgrade.
    await env.queue.add('apply-user-changes', {
      jobId: job.body.id,
      customerId: customer,
      userId: users[0],
    } as unknown as LicenseTaskData);
    await expect
      .poll(async () => (await env.queue.getJobCounts('waiting', 'active')).waiting, { timeout: 10_000 })
      .toBe(0);
    await expect.poll(async () => (await env.queue.getJobCounts('active')).active, { timeout: 10_000 }).toBe(0);
    expect((await env.queue.getJobCounts('failed')).failed).toBe(0);

    expect(
      await env.sql`SELECT user_id, product_id, assigned_at FROM user_licenses WHERE customer_id = ${customer} ORDER BY user_id`,
    ).toEqual(before);
    expect(await partner.results(customer, job.body.id)).toEqual(resultsBefore);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 20, reserved: 0 });
  });
});

describe('cancellation', () => {
  it('cancels the pending users, releases their seats, and leaves applied users applied', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 100);
    await partner.subscribe(customer, SUITE.id, 100);
    await env.queue.pause();
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ reserved: 100 });
    const cancelled = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      progress: { total: 100, pending: 0, succeeded: 0, failed: 0, cancelled: 100 },
      errorsByCode: {},
    });
    expect(cancelled.body.finishedAt).not.toBeNull();
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({
      assigned: 0,
      reserved: 0,
      available: 100,
    });
    await env.queue.resume();
    await expect
      .poll(async () => (await env.queue.getJobCounts('waiting', 'active')).waiting, { timeout: 10_000 })
      .toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 0 });
    const again = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('job_finished');
    expect(await partner.results(customer, job.body.id, 'failed')).toEqual([]);
    const results = await partner.results(customer, job.body.id, 'cancelled');
    expect(results).toHaveLength(100);
    expect(results[0].status).toBe('cancelled');
    expect(results[0].changes).toEqual([{ productId: SUITE.id, action: 'assign', outcome: 'skipped' }]);
  });
});

describe('idempotency keys', () => {
  it('same key and body → same job; other body → 422; in flight → 409', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 5);
    await partner.subscribe(customer, SUITE.id, 5);
    const body = { userIds: users, assign: [{ productId: SUITE.id }] };
    const first = await partner.startJob(customer, body, { 'idempotency-key': 'order-42' });
    expect(first.status).toBe(202);
    const second = await partner.startJob(customer, body, { 'idempotency-key': 'order-42' });
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const [{ jobs }] = await env.sql`SELECT count(*)::int AS jobs FROM license_jobs WHERE customer_id = ${customer}`;
    expect(jobs).toBe(1);
    const reused = await partner.startJob(
      customer,
      { ...body, userIds: users.slice(0, 2) },
      { 'idempotency-key': 'order-42' },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');

    // A claim whose request is still being answered.
    const partnerId = (await env.sql`SELECT partner_id FROM customers WHERE id = ${customer}`)[0]!.partner_id;
    const [{ request_hash }] = await env.sql`SELECT request_hash FROM idempotency_keys WHERE key = 'order-42'`;
    await env.sql`INSERT INTO idempotency_keys (customer_id, partner_id, key, request_hash) VALUES (${customer}, ${partnerId}, 'in-flight', ${request_hash})`;
    const inFlight2 = await partner.startJob(customer, body, { 'idempotency-key': 'in-flight' });
    expect(inFlight2.status).toBe(409);
    expect(inFlight2.body.code).toBe('idempotency_key_in_use');

    // A refused request frees its key for a retry.
    await partner.subscribe(customer, ADDON.id, 0);
    const short = await partner.startJob(
      customer,
      { userIds: users, assign: [{ productId: ADDON.id }] },
      { 'idempotency-key': 'needs-more-seats' },
    );
    expect(short.status).toBe(409);
    await partner.waitForJob(customer, first.body.id);
    const [{ keys }] = await env.sql`SELECT count(*)::int AS keys FROM idempotency_keys WHERE key = 'needs-more-seats'`;
    expect(keys).toBe(0);
  });

  it("a key is the partner's: the same key for another of its customers → 422, done or in flight; another partner's key of the same name is its own", async () => {
    const first = await partner.customer('First');
    const second = await partner.customer('Second');
    const firstUsers = await partner.users(first, 2);
    const secondUsers = await partner.users(second, 2);
    await partner.subscribe(first, SUITE.id, 2);
    await partner.subscribe(second, SUITE.id, 2);
    const firstJob = await partner.startJob(
      first,
      { userIds: firstUsers, assign: [{ productId: SUITE.id }] },
      { 'idempotency-key': 'shared-key' },
    );
    expect(firstJob.status).toBe(202);
    const reused = await partner.startJob(
      second,
      { userIds: secondUsers, assign: [{ productId: SUITE.id }] },
      { 'idempotency-key': 'shared-key' },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');

    // The first customer's request is still being answered (its claim has no job yet).
    const partnerId = (await env.sql`SELECT partner_id FROM customers WHERE id = ${first}`)[0]!.partner_id;
    await env.sql`INSERT INTO idempotency_keys (customer_id, partner_id, key, request_hash) VALUES (${first}, ${partnerId}, 'shared-in-flight', 'the first request')`;
    const whileInFlight = await partner.startJob(
      second,
      { userIds: secondUsers, assign: [{ productId: SUITE.id }] },
      { 'idempotency-key': 'shared-in-flight' },
    );
    expect(whileInFlight.status).toBe(422);
    expect(whileInFlight.body.code).toBe('idempotency_key_reused');
    expect((await partner.subscriptions(second))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 0 });
    const [{ jobs }] = await env.sql`SELECT count(*)::int AS jobs FROM license_jobs WHERE customer_id = ${second}`;
    expect(jobs).toBe(0);

    // Another partner's key of the same name starts a job of its own.
    const other = await PartnerClient.create(system.api, 'Other Partner');
    const otherCustomer = await other.customer();
    const otherUsers = await other.users(otherCustomer, 2);
    await other.subscribe(otherCustomer, SUITE.id, 2);
    const otherJob = await other.startJob(
      otherCustomer,
      { userIds: otherUsers, assign: [{ productId: SUITE.id }] },
      { 'idempotency-key': 'shared-key' },
    );
    expect(otherJob.status).toBe(202);
    expect(otherJob.body.id).not.toBe(firstJob.body.id);
    await partner.waitForJob(first, firstJob.body.id);
    await other.waitForJob(otherCustomer, otherJob.body.id);
  });
});
