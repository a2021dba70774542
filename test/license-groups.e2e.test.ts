// License groups end to end (contract 1.2): the API, Postgres, BullMQ on the real Redis and the real
// worker. Static and dynamic groups, license sources (one seat, plan union, inherited revokes), the
// waiting room, and the seat invariant with groups and jobs changing the same users at once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DrainedJob, drainWaitingRoom } from '@licensing/db';
import type { Reconciler } from '@licensing/worker';
import { createTestReconciler, startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { ADDON, SUITE, SUITE_BASIC, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  env = system.env;
  partner = await PartnerClient.create(system.api);
}, 60_000);

afterAll(async () => {
  await system?.close();
});

afterEach(async () => {
  await expectSeatInvariant(env.sql);
});

async function createGroup(customer: string, body: Record<string, unknown>): Promise<string> {
  const res = await partner.call('POST', `/v1/customers/${customer}/groups`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Waits until no job of the group is unfinished; answers the group. */
async function waitForGroup(customer: string, group: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await partner.call('GET', `/v1/customers/${customer}/groups/${group}`);
    expect(res.status).toBe(200);
    if (res.body.processing.state === 'idle') return res.body;
    if (Date.now() > deadline) throw new Error(`group ${group} still processing: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A new customer's `count` users, all members of a new group `name` that grants SUITE, of which the
 * customer has `seats` seats; answers once the group's job is done (`settled`: the group then).
 */
async function suiteGroup(name: string, count: number, seats: number) {
  const customer = await partner.customer();
  const users = await partner.users(customer, count);
  await partner.subscribe(customer, SUITE.id, seats);
  const group = await createGroup(customer, { name });
  await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: users });
  await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
    licenses: [{ productId: SUITE.id }],
  });
  return { customer, users, group, settled: await waitForGroup(customer, group) };
}

async function user(customer: string, id: string): Promise<any> {
  const res = await partner.call('GET', `/v1/customers/${customer}/users/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function licenseRows(customer: string) {
  return env.sql<{ user_id: string; product_id: string; direct: boolean; disabled_service_plans: string[] }[]>`
    SELECT user_id, product_id, direct, disabled_service_plans FROM user_licenses WHERE customer_id = ${customer}
    ORDER BY user_id, product_id`;
}

describe('static groups', () => {
  it('gives every member the group licenses in the background, one job with the group as source', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 5);
    await partner.subscribe(customer, SUITE.id, 10);
    const group = await createGroup(customer, { name: 'Pilot', description: 'Teams pilot' });

    const added = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: users });
    expect(added.body).toEqual({ added: 5 });
    const put = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(202);
    expect(put.body).toMatchObject({ memberCount: 5, membershipRule: null, licenses: [{ productId: SUITE.id }] });
    const done = await waitForGroup(customer, group);
    expect(done).toMatchObject({ memberCount: 5, membersWaiting: 0, membersWithErrors: 0 });

    const jobs = await partner.call('GET', `/v1/customers/${customer}/license-jobs`);
    expect(jobs.body.items).toHaveLength(1);
    expect(jobs.body.items[0]).toMatchObject({
      source: { type: 'group', groupId: group },
      status: 'completed',
      progress: { total: 5, succeeded: 5 },
    });
    const u = await user(customer, users[0]!);
    expect(u.licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: ['TEAMS'], assignedBy: { direct: false, groupIds: [group] } },
    ]);
    expect(u.licenseStates).toEqual([
      { productId: SUITE.id, groupId: group, state: 'active', since: expect.any(String) },
    ]);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 5, reserved: 0, waiting: 0 });
    const members = await partner.call('GET', `/v1/customers/${customer}/groups/${group}/members?state=active`);
    expect(members.body.total).toBe(5);

    // Leaving the group removes its source, and with the last source the license and its seat.
    const removed = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, {
      userIds: users.slice(0, 2),
    });
    expect(removed.body).toEqual({ removed: 2 });
    await waitForGroup(customer, group);
    expect((await user(customer, users[0]!)).licenses).toEqual([]);
    expect((await user(customer, users[0]!)).licenseStates).toEqual([]);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 3 });

    // A group that grants licenses is not deleted; once it grants none, it is.
    const refused = await partner.call('DELETE', `/v1/customers/${customer}/groups/${group}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('group_has_licenses');
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, { licenses: [] });
    await waitForGroup(customer, group);
    expect(await licenseRows(customer)).toEqual([]);
    expect((await partner.call('DELETE', `/v1/customers/${customer}/groups/${group}`)).status).toBe(204);
    expect((await partner.call('GET', `/v1/customers/${customer}/groups/${group}`)).status).toBe(404);
    const audit = await partner.call('GET', `/v1/customers/${customer}/audit-events?pageSize=100`);
    expect(audit.body.items.map((e: any) => e.type)).toEqual(
      expect.arrayContaining([
        'group.created',
        'group.members_added',
        'group.licenses_updated',
        'group.members_removed',
        'group.deleted',
      ]),
    );
  });

  it('refuses bad input with problems and changes nothing', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    const group = await createGroup(customer, { name: 'Sales' });
    const dup = await partner.call('POST', `/v1/customers/${customer}/groups`, { name: 'sales' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('group_name_taken');
    const noRule = await partner.call('POST', `/v1/customers/${customer}/groups`, { name: 'x', membershipRule: {} });
    expect(noRule.status).toBe(400);
    const fixed = await partner.call('PATCH', `/v1/customers/${customer}/groups/${group}`, {
      membershipRule: { departments: ['Sales'] },
    });
    expect(fixed.status).toBe(422);
    expect(fixed.body.code).toBe('group_type_fixed');
    const noSub = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id }],
    });
    expect(noSub.status).toBe(422);
    expect(noSub.body.code).toBe('no_subscription');
    const unknownProduct = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: 'NOPE' }],
    });
    expect(unknownProduct.body.code).toBe('unknown_product');
    const unknownUsers = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, {
      userIds: [...users, '00000000-0000-4000-8000-000000000000'],
    });
    expect(unknownUsers.status).toBe(422);
    expect(unknownUsers.body.code).toBe('unknown_users');
    expect((await partner.call('GET', `/v1/customers/${customer}/groups/${group}`)).body).toMatchObject({
      memberCount: 0,
      licenses: [],
    });
    // Another partner sees nothing of it.
    const other = await PartnerClient.create(system.api, 'Other partner');
    expect((await other.call('GET', `/v1/customers/${customer}/groups/${group}`)).status).toBe(404);
    expect(
      (await other.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: users })).status,
    ).toBe(404);
    expect((await partner.call('GET', `/v1/customers/${customer}/groups/not-a-uuid`)).status).toBe(404);
  });
});

describe('members and deleted users', () => {
  it('never keeps a member whose user a concurrent delete removed', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    const group = await createGroup(customer, { name: 'Racing a delete' });
    const [gone, kept] = users as [string, string];
    // A user's delete (as DELETE /users/{id} does it: the user's row, then its memberships) is
    // in flight while members are added: the add read the user before the delete commits.
    let commitDelete!: () => void;
    let deleted!: () => void;
    const deletedInTx = new Promise<void>((resolve) => {
      deleted = resolve;
    });
    const deleting = env.sql.begin(async (tx) => {
      await tx`DELETE FROM users WHERE customer_id = ${customer} AND id = ${gone}`;
      await tx`DELETE FROM group_members WHERE customer_id = ${customer} AND user_id = ${gone}`;
      deleted();
      await new Promise<void>((resolve) => {
        commitDelete = resolve;
      });
    });
    await deletedInTx;
    const adding = partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: [gone, kept] });
    // The add waits for the delete (its insert locks the users it adds), or, without that lock, has
    // already added the user the delete is removing.
    await new Promise((r) => setTimeout(r, 500));
    commitDelete();
    await deleting;
    const added = await adding;
    expect(added.status).toBe(200); // the group grants nothing: no job
    const members =
      await env.sql`SELECT user_id FROM group_members WHERE customer_id = ${customer} AND group_id = ${group}`;
    expect(members.map((m) => m.user_id)).toEqual([kept]);
    const shown = await partner.call('GET', `/v1/customers/${customer}/groups/${group}`);
    const listed = await partner.call('GET', `/v1/customers/${customer}/groups/${group}/members`);
    expect(shown.body.memberCount).toBe(1);
    expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual([kept]);
  });
});

describe('license sources', () => {
  it('takes one seat for direct and group sources, unions plans, and refuses a direct revoke of an inherited license', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    const group = await createGroup(customer, { name: 'Suite' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: [users[0]] });
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    await waitForGroup(customer, group);

    // The overview counts the holders who hold it through a group only (a job cannot revoke it from them).
    const overview = await partner.call('POST', `/v1/customers/${customer}/license-overview`, { userIds: users });
    expect(overview.body.products).toEqual([
      expect.objectContaining({ productId: SUITE.id, assignedCount: 1, groupOnlyCount: 1 }),
    ]);

    // Revoking a license held through a group only fails, naming the group; the preview says so first.
    const preview = await partner.call('POST', `/v1/customers/${customer}/license-jobs/preview`, {
      userIds: [users[0]],
      revoke: [SUITE.id],
    });
    expect(preview.body.failures).toMatchObject({ total: 1, byCode: { LicenseInheritedFromGroup: 1 } });
    const revoke = await partner.startJob(customer, { userIds: [users[0]], revoke: [SUITE.id] });
    const revoked = await partner.waitForJob(customer, revoke.body.id);
    expect(revoked).toMatchObject({ status: 'failed', errorsByCode: { LicenseInheritedFromGroup: 1 } });
    const [result] = await partner.results(customer, revoke.body.id);
    expect(result.changes[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'LicenseInheritedFromGroup', groupIds: [group] },
    });

    // Assigning it directly adds the direct source: no seat; the plans are the union of the sources'.
    const assign = await partner.startJob(customer, {
      userIds: [users[0]],
      assign: [{ productId: SUITE.id, disabledServicePlans: ['EXCHANGE'] }],
    });
    await partner.waitForJob(customer, assign.body.id);
    expect((await user(customer, users[0]!)).licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: [], assignedBy: { direct: true, groupIds: [group] } },
    ]);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 1, reserved: 0 });
    const both = await partner.call('POST', `/v1/customers/${customer}/license-overview`, { userIds: users });
    expect(both.body.products[0]).toMatchObject({ assignedCount: 1, groupOnlyCount: 0 });

    // The group's jobs are listed apart from the direct ones.
    const groupJobs = await partner.call('GET', `/v1/customers/${customer}/license-jobs?groupId=${group}`);
    expect(groupJobs.status).toBe(200);
    expect(groupJobs.body.total).toBeGreaterThan(0);
    for (const job of groupJobs.body.items) expect(job.source).toEqual({ type: 'group', groupId: group });
    const all = await partner.call('GET', `/v1/customers/${customer}/license-jobs?pageSize=100`);
    expect(all.body.total).toBe(groupJobs.body.total + 2);
    const other = await createGroup(customer, { name: 'Nobody' });
    expect((await partner.call('GET', `/v1/customers/${customer}/license-jobs?groupId=${other}`)).body.total).toBe(0);
    expect((await partner.call('GET', `/v1/customers/${customer}/license-jobs?groupId=not-a-uuid`)).status).toBe(400);

    // Revoking it directly now removes the direct source only: outcome inherited, the license stays.
    const predicted = await partner.call('POST', `/v1/customers/${customer}/license-jobs/preview`, {
      userIds: [users[0]],
      revoke: [SUITE.id],
    });
    expect(predicted.body.outcomes).toMatchObject({ inherited: 1, revoked: 0 });
    const again = await partner.startJob(customer, { userIds: [users[0]], revoke: [SUITE.id] });
    await partner.waitForJob(customer, again.body.id);
    const [inherited] = await partner.results(customer, again.body.id);
    expect(inherited.changes).toEqual([{ productId: SUITE.id, action: 'revoke', outcome: 'inherited' }]);
    expect((await user(customer, users[0]!)).licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: ['TEAMS'], assignedBy: { direct: false, groupIds: [group] } },
    ]);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 1 });

    // A user holding the product directly who joins keeps one seat; leaving keeps the direct license.
    const direct = await partner.startJob(customer, { userIds: [users[1]], assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, direct.body.id);
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: [users[1]] });
    await waitForGroup(customer, group);
    expect((await user(customer, users[1]!)).licenses[0].assignedBy).toEqual({ direct: true, groupIds: [group] });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 2, available: 0 });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, { userIds: [users[1]] });
    await waitForGroup(customer, group);
    expect((await user(customer, users[1]!)).licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: [], assignedBy: { direct: true, groupIds: [] } },
    ]);
  });

  it('leaves a removal blocked by a product the user keeps in error (DependencyViolation)', async () => {
    const customer = await partner.customer();
    const [u] = await partner.users(customer, 1);
    await partner.subscribe(customer, SUITE.id, 1);
    await partner.subscribe(customer, ADDON.id, 1);
    const group = await createGroup(customer, { name: 'Base' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: [u] });
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id }],
    });
    await waitForGroup(customer, group);
    const addon = await partner.startJob(customer, { userIds: [u], assign: [{ productId: ADDON.id }] });
    await partner.waitForJob(customer, addon.body.id);
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, { userIds: [u] });
    const after = await waitForGroup(customer, group);
    // No longer a member, but the group still holds its license (the removal is blocked): counted.
    expect(after).toMatchObject({ memberCount: 0, membersWithErrors: 1 });
    const shown = await user(customer, u!);
    expect(shown.licenses.map((l: any) => l.productId).sort()).toEqual([ADDON.id, SUITE.id].sort());
    expect(shown.licenseStates).toEqual([
      expect.objectContaining({
        productId: SUITE.id,
        groupId: group,
        state: 'error',
        error: expect.objectContaining({ code: 'DependencyViolation' }),
      }),
    ]);
  });
});

describe('the license history of what groups settle', () => {
  it("records the license a group's refused grant gets once a job revokes what excluded it, and the revert sees it", async () => {
    const customer = await partner.customer();
    const [u] = await partner.users(customer, 1);
    await partner.subscribe(customer, SUITE.id, 1);
    await partner.subscribe(customer, SUITE_BASIC.id, 1);
    // SUITE held directly, then revoked (the job the revert below is of).
    const jobIds: string[] = [];
    for (const changes of [{ assign: [{ productId: SUITE.id }] }, { revoke: [SUITE.id] }]) {
      const job = await partner.startJob(customer, { userIds: [u], ...changes });
      expect(await partner.waitForJob(customer, job.body.id)).toMatchObject({ status: 'completed' });
      jobIds.push(job.body.id);
    }
    const dropped = { id: jobIds[1]! };
    const basic = await partner.startJob(customer, { userIds: [u], assign: [{ productId: SUITE_BASIC.id }] });
    expect(await partner.waitForJob(customer, basic.body.id)).toMatchObject({ status: 'completed' });
    // The group grants SUITE, which SUITE_BASIC excludes: the grant is refused for the user.
    const group = await createGroup(customer, { name: 'Full suite' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: [u] });
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    expect(await waitForGroup(customer, group)).toMatchObject({ membersWithErrors: 1 });
    expect((await user(customer, u!)).licenses.map((l: any) => l.productId)).toEqual([SUITE_BASIC.id]);

    // Revoking SUITE_BASIC lets the group's SUITE through in the same transaction.
    const revoke = await partner.startJob(customer, { userIds: [u], revoke: [SUITE_BASIC.id] });
    expect(await partner.waitForJob(customer, revoke.body.id)).toMatchObject({ status: 'completed' });
    const now = await user(customer, u!);
    expect(now.licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: ['TEAMS'], assignedBy: { direct: false, groupIds: [group] } },
    ]);
    // The job's result lists its own change only; the history also has the group's, with the group.
    const [result] = await partner.results(customer, revoke.body.id);
    expect(result.changes).toEqual([{ productId: SUITE_BASIC.id, action: 'revoke', outcome: 'revoked' }]);
    const history = await partner.call('GET', `/v1/customers/${customer}/users/${u}/license-history`);
    expect(history.status).toBe(200);
    // Newest first: the group's change after the revoking job's, the group's refused grant, then SUITE_BASIC
    // assigned, SUITE revoked and assigned.
    expect(history.body.total, JSON.stringify(history.body.items)).toBe(6);
    expect(history.body.items[2]).toMatchObject({ productId: SUITE.id, outcome: 'failed' });
    expect([...history.body.items.slice(0, 2), history.body.items[3]]).toEqual([
      {
        jobId: revoke.body.id,
        at: expect.any(String),
        productId: SUITE.id,
        action: 'assign',
        outcome: 'assigned',
        disabledServicePlans: ['TEAMS'],
        groupId: group,
      },
      {
        jobId: revoke.body.id,
        at: expect.any(String),
        productId: SUITE_BASIC.id,
        action: 'revoke',
        outcome: 'revoked',
      },
      {
        jobId: basic.body.id,
        at: expect.any(String),
        productId: SUITE_BASIC.id,
        action: 'assign',
        outcome: 'assigned',
        disabledServicePlans: [],
      },
    ]);
    // The licenses are the fold of the history, oldest first.
    const held = new Map<string, string[]>();
    for (const e of [...history.body.items].reverse()) {
      if (e.outcome === 'assigned' || e.outcome === 'updated') held.set(e.productId, e.disabledServicePlans);
      if (e.outcome === 'revoked') held.delete(e.productId);
    }
    expect([...held].map(([productId, plans]) => ({ productId, disabledServicePlans: plans }))).toEqual(
      now.licenses.map((l: any) => ({ productId: l.productId, disabledServicePlans: l.disabledServicePlans })),
    );

    // A revert of the job that revoked SUITE finds it changed since, by the group once the revoking job applied.
    const revert = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${dropped.id}/revert`);
    expect(revert.status, JSON.stringify(revert.body)).toBe(202);
    expect(await partner.waitForJob(customer, revert.body.id)).toMatchObject({ errorsByCode: { ChangedSinceJob: 1 } });
    const [reverted] = await partner.results(customer, revert.body.id);
    expect(reverted.changes[0]).toMatchObject({
      productId: SUITE.id,
      outcome: 'failed',
      error: { code: 'ChangedSinceJob', jobIds: [revoke.body.id] },
    });
    expect((await user(customer, u!)).licenses.map((l: any) => l.productId)).toEqual([SUITE.id]);
  });
});

describe('a source a group settles without changing the plans', () => {
  it('records it in the history, with the plans a revoke left, and refuses to delete the group until then', async () => {
    const customer = await partner.customer();
    const [u] = await partner.users(customer, 1);
    await partner.subscribe(customer, SUITE.id, 1);
    await partner.subscribe(customer, ADDON.id, 1);
    const group = await createGroup(customer, { name: 'Base, then nothing' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: [u] });
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    await waitForGroup(customer, group);
    const addon = await partner.startJob(customer, { userIds: [u], assign: [{ productId: ADDON.id }] });
    await partner.waitForJob(customer, addon.body.id);
    // The group stops granting SUITE: the removal is refused, the add-on needs it.
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, { licenses: [] });
    expect(await waitForGroup(customer, group)).toMatchObject({ licenses: [], membersWithErrors: 1 });

    // Deleted now, the group would stay a source of SUITE with nothing left to remove it.
    const refused = await partner.call('DELETE', `/v1/customers/${customer}/groups/${group}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'group_has_licenses', productIds: [SUITE.id], membersHold: true });

    // SUITE assigned directly too (no seat: the license is held; TEAMS on, as the direct source asks),
    // then the add-on revoked: the group's removal goes through as that job applies, and SUITE stays
    // with its direct source, its plans unchanged. Recorded although the plans did not change.
    const direct = await partner.startJob(customer, { userIds: [u], assign: [{ productId: SUITE.id }] });
    expect(await partner.waitForJob(customer, direct.body.id)).toMatchObject({ status: 'completed' });
    const revoke = await partner.startJob(customer, { userIds: [u], revoke: [ADDON.id] });
    expect(await partner.waitForJob(customer, revoke.body.id)).toMatchObject({ status: 'completed' });
    const now = await user(customer, u!);
    expect(now.licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: [], assignedBy: { direct: true, groupIds: [] } },
    ]);
    expect(now.licenseStates).toEqual([]);
    const history = await partner.call('GET', `/v1/customers/${customer}/users/${u}/license-history`);
    // Newest first; within the revoking job, the group's change after the job's own.
    expect(history.body.items.slice(0, 3)).toEqual([
      {
        jobId: revoke.body.id,
        at: expect.any(String),
        productId: SUITE.id,
        action: 'revoke',
        outcome: 'unchanged',
        disabledServicePlans: [],
        groupId: group,
      },
      { jobId: revoke.body.id, at: expect.any(String), productId: ADDON.id, action: 'revoke', outcome: 'revoked' },
      {
        jobId: direct.body.id,
        at: expect.any(String),
        productId: SUITE.id,
        action: 'assign',
        outcome: 'updated',
        disabledServicePlans: [],
      },
    ]);
    expect((await partner.call('DELETE', `/v1/customers/${customer}/groups/${group}`)).status).toBe(204);
  });

  it('records a group added as a source of a license held the same way', async () => {
    const customer = await partner.customer();
    const [u, other] = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 1);
    // The one seat is taken: the member waits.
    const first = await partner.startJob(customer, { userIds: [other], assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, first.body.id);
    const group = await createGroup(customer, { name: 'Waits, then the seat is its own' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: [u] });
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id }],
    });
    expect(await waitForGroup(customer, group)).toMatchObject({ membersWaiting: 1 });
    // The other user's seat freed by a job (no reconciler runs here to hand it to the waiting room),
    // then taken by a direct assign: the group's waiting grant becomes a source of it, without a seat.
    const revoke = await partner.startJob(customer, { userIds: [other], revoke: [SUITE.id] });
    await partner.waitForJob(customer, revoke.body.id);
    const direct = await partner.startJob(customer, { userIds: [u], assign: [{ productId: SUITE.id }] });
    expect(await partner.waitForJob(customer, direct.body.id)).toMatchObject({ status: 'completed' });
    const now = await user(customer, u!);
    expect(now.licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: [], assignedBy: { direct: true, groupIds: [group] } },
    ]);
    const history = await partner.call('GET', `/v1/customers/${customer}/users/${u}/license-history`);
    expect(history.body.items.slice(0, 2)).toEqual([
      {
        jobId: direct.body.id,
        at: expect.any(String),
        productId: SUITE.id,
        action: 'assign',
        outcome: 'unchanged',
        disabledServicePlans: [],
        groupId: group,
      },
      {
        jobId: direct.body.id,
        at: expect.any(String),
        productId: SUITE.id,
        action: 'assign',
        outcome: 'assigned',
        disabledServicePlans: [],
      },
    ]);
  });
});

describe('the waiting room', () => {
  let reconciler: Reconciler;
  beforeAll(() => {
    reconciler = createTestReconciler(env);
  });

  it('leaves members without a seat waiting and licenses them, oldest first, when seats free up', async () => {
    const { customer, group, settled: done } = await suiteGroup('Everyone', 4, 2);
    expect(done).toMatchObject({ membersWaiting: 2, membersWithErrors: 0 });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 2, waiting: 2, available: 0 });
    const waiting = await partner.call('GET', `/v1/customers/${customer}/groups/${group}/members?state=waiting`);
    expect(waiting.body.total).toBe(2);
    expect(waiting.body.items[0].licenseStates[0]).toMatchObject({
      state: 'waiting',
      error: { code: 'CountViolation' },
    });

    // Buying one more seat licenses one waiting member at once, without a reprocess.
    await partner.subscribe(customer, SUITE.id, 3);
    await waitForGroup(customer, group);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 3, waiting: 1 });

    // A holder deleted frees its seat for the last one.
    const holder = (await licenseRows(customer))[0]!.user_id;
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${holder}`)).status).toBe(204);
    await waitForGroup(customer, group);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 3, waiting: 0, available: 0 });

    // A seat freed by a direct revoke is handed on by the reconciler's drain.
    const other = await partner.users(customer, 1, () => ({
      userPrincipalName: 'late@fabrikam.example',
      displayName: 'Late joiner',
    }));
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: other });
    await waitForGroup(customer, group);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ waiting: 1 });
    const leaving = (await licenseRows(customer))[0]!.user_id;
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, { userIds: [leaving] });
    await waitForGroup(customer, group);
    expect(await reconciler.drainWaitingRooms()).toBe(1);
    await waitForGroup(customer, group);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 3, waiting: 0 });
    expect((await user(customer, other[0]!)).licenses.map((l: any) => l.productId)).toEqual([SUITE.id]);
  });
});

describe('the waiting room, as counted', () => {
  it('counts only members as waiting: users who just left keep their rows until the job reaches them', async () => {
    const { customer, users, group, settled } = await suiteGroup('Leavers', 4, 2);
    expect(settled).toMatchObject({ memberCount: 4, membersWaiting: 2 });
    const holders = new Set((await licenseRows(customer)).map((l) => l.user_id));
    const waiting = users.filter((u) => !holders.has(u));
    // The two waiting members and one holder leave; their job is not processed yet.
    await env.queue.pause();
    try {
      const removed = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, {
        userIds: [...waiting, [...holders][0]!],
      });
      expect(removed.status, JSON.stringify(removed.body)).toBe(200);
      const [rows] = await env.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM group_license_states WHERE customer_id = ${customer} AND state = 'waiting'`;
      expect(rows!.n).toBe(2);
      const now = await partner.call('GET', `/v1/customers/${customer}/groups/${group}`);
      expect(now.body).toMatchObject({ memberCount: 1, membersWaiting: 0 });
    } finally {
      await env.queue.resume();
    }
    expect(await waitForGroup(customer, group)).toMatchObject({ memberCount: 1, membersWaiting: 0 });
  });
});

describe('the waiting room, drained twice at once', () => {
  it('hands out each free seat once when two drains wait for the subscription at the same time', async () => {
    const { customer, settled } = await suiteGroup('Drained', 5, 1);
    expect(settled).toMatchObject({ membersWaiting: 4 });
    // Two seats free up while another transaction holds the subscription's row: both drains wait for it.
    await env.sql`UPDATE subscriptions SET quantity = 3 WHERE customer_id = ${customer} AND product_id = ${SUITE.id}`;
    let drains: Promise<DrainedJob[]>[] = [];
    await env.sql.begin(async (tx) => {
      await tx`SELECT 1 FROM subscriptions WHERE customer_id = ${customer} AND product_id = ${SUITE.id} FOR UPDATE`;
      drains = [drainWaitingRoom(env.db, customer), drainWaitingRoom(env.db, customer)];
      for (;;) {
        const [w] = await env.sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM subscriptions%FOR UPDATE%'`;
        if (w!.n >= 2) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    const jobs = (await Promise.all(drains)).flat();
    expect(jobs.reduce((n, j) => n + j.userCount, 0)).toBe(2);
    const [reserved] = await env.sql<{ reserved: number }[]>`
      SELECT reserved FROM reserved_seats WHERE customer_id = ${customer} AND product_id = ${SUITE.id}`;
    expect(reserved!.reserved).toBe(2);
  });
});

describe('the waiting room, as listed', () => {
  it('lists waiting members the longest waiting first, with the product and reason', async () => {
    const customer = await partner.customer();
    const names = ['Holder', 'Zulu', 'Alpha'];
    const [holder, zulu, alpha] = await partner.users(customer, 3, (i) => ({ displayName: names[i] }));
    await partner.subscribe(customer, SUITE.id, 1);
    const group = await createGroup(customer, { name: 'Queue' });
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id }],
    });
    // One at a time: the holder takes the seat, then Zulu waits, then Alpha.
    for (const id of [holder, zulu, alpha]) {
      await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: [id] });
      await waitForGroup(customer, group);
    }
    const waiting = await partner.call('GET', `/v1/customers/${customer}/groups/${group}/members?state=waiting`);
    expect(waiting.body.total).toBe(2);
    expect(waiting.body.items.map((u: any) => u.displayName)).toEqual(['Zulu', 'Alpha']);
    expect(waiting.body.items[0].licenseStates).toEqual([
      expect.objectContaining({
        productId: SUITE.id,
        groupId: group,
        state: 'waiting',
        error: expect.objectContaining({ code: 'CountViolation' }),
      }),
    ]);
    const second = await partner.call(
      'GET',
      `/v1/customers/${customer}/groups/${group}/members?state=waiting&page=2&pageSize=1`,
    );
    expect(second.body).toMatchObject({ total: 2, totalPages: 2, items: [{ displayName: 'Alpha' }] });
    // Every member, by name.
    const members = await partner.call('GET', `/v1/customers/${customer}/groups/${group}/members`);
    expect(members.body.items.map((u: any) => u.displayName)).toEqual(['Alpha', 'Holder', 'Zulu']);
  });
});

describe('dynamic groups', () => {
  it('keeps members equal to the rule as users are created, changed and deleted, and licenses new hires', async () => {
    const customer = await partner.customer('Dynamic', 'DE');
    const users = await partner.users(customer, 6, (i) => ({ department: i < 3 ? 'Sales' : 'HR' }));
    await partner.subscribe(customer, SUITE.id, 10);
    const group = await createGroup(customer, {
      name: 'Sales DE',
      membershipRule: { departments: ['Sales'], usageLocations: ['de'] },
    });
    expect((await partner.call('GET', `/v1/customers/${customer}/groups/${group}`)).body).toMatchObject({
      memberCount: 3,
      membershipRule: { departments: ['Sales'], usageLocations: ['DE'] },
    });
    const explicit = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, {
      userIds: users,
    });
    expect(explicit.status).toBe(422);
    expect(explicit.body.code).toBe('group_is_dynamic');
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id }],
    });
    await waitForGroup(customer, group);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 3 });

    // A new hire in Sales holds the license within 2 s.
    const started = Date.now();
    const hire = await partner.call('POST', `/v1/customers/${customer}/users`, {
      userPrincipalName: 'hire@fabrikam.example',
      displayName: 'New hire',
      department: 'Sales',
    });
    expect(hire.status).toBe(201);
    for (;;) {
      const shown = await user(customer, hire.body.id);
      if (shown.licenses.length) break;
      expect(Date.now() - started, 'new hire licensed within 2 s').toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Moving to HR leaves the group and its license; moving abroad too.
    await partner.call('PATCH', `/v1/customers/${customer}/users/${users[0]}`, { department: 'HR' });
    await partner.call('PATCH', `/v1/customers/${customer}/users/${users[1]}`, { usageLocation: 'FR' });
    await partner.call('PATCH', `/v1/customers/${customer}/users/${users[3]}`, { department: 'Sales' });
    await waitForGroup(customer, group);
    const holders = (await licenseRows(customer)).map((r) => r.user_id).sort();
    expect(holders).toEqual([users[2]!, users[3]!, hire.body.id].sort());

    // A rule change moves members in and out: now the HR department, wherever it is.
    await partner.call('PATCH', `/v1/customers/${customer}/groups/${group}`, {
      membershipRule: { departments: ['HR'] },
    });
    const after = await waitForGroup(customer, group);
    expect(after.memberCount).toBe(3);
    expect((await licenseRows(customer)).map((r) => r.user_id).sort()).toEqual(
      [users[0]!, users[4]!, users[5]!].sort(),
    );

    // A deleted member leaves the group.
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${users[4]}`)).status).toBe(204);
    expect((await partner.call('GET', `/v1/customers/${customer}/groups/${group}`)).body.memberCount).toBe(2);
  });
});

describe('groups and jobs on the same users at once', () => {
  it('keeps the seat invariant and converges', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 300);
    await partner.subscribe(customer, SUITE.id, 200);
    const group = await createGroup(customer, { name: 'Half' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: users.slice(0, 150) });
    const [put, job, removal] = await Promise.all([
      partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
        licenses: [{ productId: SUITE.id }],
      }),
      partner.startJob(customer, { userIds: users.slice(100, 150), assign: [{ productId: SUITE.id }] }),
      partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, {
        userIds: users.slice(0, 25),
      }),
    ]);
    expect(put.status).toBe(202);
    expect(job.status).toBe(202);
    expect(removal.status).toBe(200);
    await partner.waitForJob(customer, job.body.id);
    const grown = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, {
      userIds: users.slice(150),
    });
    expect(grown.body.added).toBe(150);
    await waitForGroup(customer, group);
    await expectSeatInvariant(env.sql);
    // Seats a job reserved and did not need (its users held the product through the group by then)
    // go to waiting members.
    const reconciler = createTestReconciler(env);
    while ((await reconciler.drainWaitingRooms()) > 0) await waitForGroup(customer, group);
    const sub = (await partner.subscriptions(customer))[SUITE.id]!;
    // 275 members and 50 of them also direct: 200 seats, the rest wait.
    expect(sub.assigned).toBe(200);
    expect((sub as any).waiting).toBe(75);
    const [counts] = await env.sql<{ holders: number; members: number }[]>`
      SELECT (SELECT count(*)::int FROM user_licenses WHERE customer_id = ${customer}) AS holders,
             (SELECT count(*)::int FROM group_members WHERE customer_id = ${customer}) AS members`;
    expect(counts).toEqual({ holders: 200, members: 275 });
  });
});

describe('dry run and the removal guard', () => {
  it('computes the impact over every member, changes nothing, and refuses large removals without confirmRemovals', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 130);
    await partner.subscribe(customer, SUITE.id, 120);
    const group = await createGroup(customer, { name: 'Large' });
    const url = `/v1/customers/${customer}/groups/${group}`;

    const preview = await partner.call('POST', `${url}/members?dryRun=true`, { userIds: users });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ usersGaining: 0, usersLosing: 0 });
    expect((await partner.call('GET', url)).body.memberCount).toBe(0);
    await partner.call('POST', `${url}/members`, { userIds: users });

    const grant = await partner.call('PUT', `${url}/licenses?dryRun=true`, { licenses: [{ productId: SUITE.id }] });
    expect(grant.status).toBe(200);
    expect(grant.body).toMatchObject({
      usersGaining: 120,
      usersLosing: 0,
      seats: [{ productId: SUITE.id, required: 130, available: 120, shortfall: 10 }],
      failures: { total: 10, byCode: { CountViolation: 10 } },
    });
    expect(grant.body.failures.users).toHaveLength(10);
    expect((await partner.call('GET', url)).body.licenses).toEqual([]);
    await partner.call('PUT', `${url}/licenses`, { licenses: [{ productId: SUITE.id }] });
    await waitForGroup(customer, group);

    const removeAll = await partner.call('PUT', `${url}/licenses?dryRun=true`, { licenses: [] });
    expect(removeAll.body).toMatchObject({ usersLosing: 120, losing: { total: 120, byProduct: { [SUITE.id]: 120 } } });
    expect(removeAll.body.losing.users).toHaveLength(100);
    const refused = await partner.call('PUT', `${url}/licenses`, { licenses: [] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'confirmation_required', usersLosing: 120 });
    const tooFew = await partner.call('PUT', `${url}/licenses`, { licenses: [], confirmRemovals: 119 });
    expect(tooFew.status).toBe(409);
    expect((await partner.call('GET', url)).body.licenses).toEqual([{ productId: SUITE.id, disabledServicePlans: [] }]);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 120 });

    const removal = await partner.call('POST', `${url}/members/remove`, { userIds: users });
    expect(removal.status).toBe(409);
    expect(removal.body.code).toBe('confirmation_required');
    const confirmed = await partner.call('PUT', `${url}/licenses`, { licenses: [], confirmRemovals: 120 });
    expect(confirmed.status).toBe(202);
    await waitForGroup(customer, group);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, waiting: 0 });
  });
});
