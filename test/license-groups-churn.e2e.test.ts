// License groups changing under the worker: members leave (removed from a static group, dropped by a
// dynamic group's new rule, a user's department changed) and the group's licenses are removed while
// the group's earlier change is still being applied, some members in the very transaction that is
// applying it. The end state is what the groups say now: a user who left holds nothing through the
// group and has no row of it, seats are freed, and the waiting room holds exactly the members still
// waiting for a seat.
//
// "In the very transaction": the test holds the customer's subscription rows locked (FOR UPDATE), which
// a batch takes to count free seats after it has locked its users and read their groups; so the
// batches in flight wait there, holding their users and what they read, while the API commits the
// change. The users they hold are those a `FOR UPDATE SKIP LOCKED` of the test skips.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReservedSql } from 'postgres';
import { createTestReconciler, startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { REGIONAL, SUITE, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({
    products: TEST_PRODUCTS,
    // Batches of up to 100 users, 2 in flight; a batch waits up to 10 s for a lock (a sixth of this).
    worker: { concurrency: 200, batchSize: 100, batchTimeoutMs: 60_000 },
  });
  env = system.env;
  partner = await PartnerClient.create(system.api);
}, 60_000);

afterAll(async () => {
  await system?.close();
});

afterEach(async () => {
  await env.queue.resume();
  await expectSeatInvariant(env.sql);
});

const USERS = 400;
const BOTH = [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }, { productId: REGIONAL.id }];

async function createGroup(customer: string, body: Record<string, unknown>): Promise<string> {
  const res = await partner.call('POST', `/v1/customers/${customer}/groups`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function waitForGroup(customer: string, group: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await partner.call('GET', `/v1/customers/${customer}/groups/${group}`);
    expect(res.status).toBe(200);
    if (res.body.processing.state === 'idle') return res.body;
    if (Date.now() > deadline) throw new Error(`group ${group} still processing: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Holds the customer's subscription rows locked: every batch that checks a seat waits for it. */
async function holdSeatChecks(customer: string): Promise<{ release: () => Promise<void> }> {
  const tx: ReservedSql = await env.sql.reserve();
  await tx`BEGIN`;
  await tx`SELECT 1 FROM subscriptions WHERE customer_id = ${customer} ORDER BY product_id FOR UPDATE`;
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await tx`ROLLBACK`;
      tx.release();
    },
  };
}

/** Waits until `n` sessions of the test's database wait for a lock in `statement` (a part of its text). */
async function waitForLockWaits(statement: string, n: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ waiting }] = await env.sql<{ waiting: number }[]>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE ${`%${statement}%`}`;
    if (waiting >= n) return;
    if (Date.now() > deadline) throw new Error(`${waiting} of ${n} sessions wait in "${statement}"`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The customer's users a batch holds locked now (the ones a SKIP LOCKED of them skips). */
async function usersInFlight(customer: string, users: string[]): Promise<string[]> {
  const free = await env.sql.begin(
    (tx) => tx<{ id: string }[]>`SELECT id FROM users WHERE customer_id = ${customer} FOR UPDATE SKIP LOCKED`,
  );
  const lockable = new Set(free.map((u) => u.id));
  return users.filter((id) => !lockable.has(id));
}

/**
 * Sets the group's licenses with its tasks held in the queue until they are all there, then lets the
 * worker take them while seat checks are held: answers once two batches wait in theirs, with the job,
 * the users those batches hold, and the hold to release.
 */
async function licensesInFlight(customer: string, group: string, users: string[], licenses: unknown[]) {
  const hold = await holdSeatChecks(customer);
  await env.queue.pause();
  const put = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, { licenses });
  expect(put.status, JSON.stringify(put.body)).toBe(202);
  const [{ id: jobId }] = await env.sql<{ id: string }[]>`
    SELECT id FROM license_jobs WHERE customer_id = ${customer} AND source_group_id = ${group} ORDER BY seq DESC LIMIT 1`;
  await expect
    .poll(
      async () =>
        (
          await env.sql`SELECT tasks_enqueued_at FROM license_jobs WHERE customer_id = ${customer} AND id = ${jobId!}`
        )[0]!.tasks_enqueued_at,
    )
    .not.toBeNull();
  await env.queue.resume();
  await waitForLockWaits('FROM subscriptions WHERE customer_id', 2);
  const inFlight = await usersInFlight(customer, users);
  expect(inFlight.length, 'batches hold users while they wait').toBeGreaterThan(1);
  return { jobId: jobId!, inFlight, hold };
}

/** Each user's result in a job: its changes as `productId action outcome`, sorted. */
async function outcomes(customer: string, jobId: string): Promise<Map<string, string[]>> {
  const results = await partner.results(customer, jobId);
  return new Map(
    results.map((r) => [r.userId, r.changes.map((c: any) => `${c.productId} ${c.action} ${c.outcome}`).sort()]),
  );
}

async function jobsOf(customer: string, group: string): Promise<string[]> {
  const rows = await env.sql<{ id: string }[]>`
    SELECT id FROM license_jobs WHERE customer_id = ${customer} AND source_group_id = ${group} ORDER BY seq`;
  return rows.map((r) => r.id);
}

/** Every user's licenses as `product direct? plans`, and its rows of any group as `group product state`. */
async function holdings(customer: string) {
  const licenses = await env.sql<{ user_id: string; product_id: string; direct: boolean; plans: string[] }[]>`
    SELECT user_id, product_id, direct, disabled_service_plans AS plans FROM user_licenses WHERE customer_id = ${customer}`;
  const rows = await env.sql<
    { user_id: string; group_id: string; product_id: string; state: string; applied: boolean }[]
  >`
    SELECT user_id, group_id, product_id, state, applied FROM group_license_states WHERE customer_id = ${customer}`;
  const byUser = new Map<string, { licenses: string[]; rows: string[] }>();
  const of = (id: string) => byUser.get(id) ?? byUser.set(id, { licenses: [], rows: [] }).get(id)!;
  for (const l of licenses)
    of(l.user_id).licenses.push(`${l.product_id} ${l.direct ? 'direct' : 'group'} ${l.plans.join(',')}`.trim());
  for (const r of rows) of(r.user_id).rows.push(`${r.product_id} ${r.state}${r.applied ? ' applied' : ''}`);
  for (const h of byUser.values()) {
    h.licenses.sort();
    h.rows.sort();
  }
  return (id: string) => byUser.get(id) ?? { licenses: [], rows: [] };
}

const HOLDS_BOTH = {
  licenses: [`${REGIONAL.id} group`, `${SUITE.id} group TEAMS`],
  rows: [`${REGIONAL.id} active applied`, `${SUITE.id} active applied`],
};
const HOLDS_NOTHING = { licenses: [], rows: [] };

describe('members leave while the group is being applied to them', () => {
  it('removed from a static group: those in flight are given the licenses and lose them again, the rest never get them', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, USERS);
    await partner.subscribe(customer, SUITE.id, USERS);
    await partner.subscribe(customer, REGIONAL.id, USERS);
    const group = await createGroup(customer, { name: 'Everyone' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: users });

    const { jobId, inFlight, hold } = await licensesInFlight(customer, group, users, BOTH);
    const held = new Set(inFlight);
    const leavingInFlight = inFlight.filter((_, i) => i % 2 === 0);
    const leavingPending = users.filter((id) => !held.has(id)).slice(0, 60);
    const leaving = [...leavingInFlight, ...leavingPending];
    try {
      const removed = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, {
        userIds: leaving,
      });
      expect(removed.status, JSON.stringify(removed.body)).toBe(200);
      expect(removed.body).toEqual({ removed: leaving.length });
    } finally {
      await hold.release();
    }
    const done = await waitForGroup(customer, group);
    expect(done).toMatchObject({ memberCount: USERS - leaving.length, membersWaiting: 0, membersWithErrors: 0 });

    const [, removalJob] = await jobsOf(customer, group);
    const first = await outcomes(customer, jobId);
    const removal = await outcomes(customer, removalJob!);
    // Those in flight were given the licenses by the batch that read their membership before the
    // removal, and lost them by the removal's item; those still pending were never given them.
    for (const id of leavingInFlight) {
      expect(first.get(id)).toEqual([`${REGIONAL.id} assign assigned`, `${SUITE.id} assign assigned`]);
      expect(removal.get(id)).toEqual([`${REGIONAL.id} revoke revoked`, `${SUITE.id} revoke revoked`]);
    }
    for (const id of leavingPending) {
      expect(first.get(id)).toEqual([]);
      expect(removal.get(id)).toEqual([]);
    }
    const of = await holdings(customer);
    const gone = new Set(leaving);
    for (const id of users) expect(of(id), id).toEqual(gone.has(id) ? HOLDS_NOTHING : HOLDS_BOTH);
    const subs = await partner.subscriptions(customer);
    for (const product of [SUITE.id, REGIONAL.id])
      expect(subs[product]).toMatchObject({ assigned: USERS - leaving.length, reserved: 0, waiting: 0 });
  });

  it('dropped by a new rule or by a changed department: the same', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, USERS, (i) => ({ department: i % 2 === 0 ? 'Field' : 'Office' }));
    const field = new Set(users.filter((_, i) => i % 2 === 0));
    await partner.subscribe(customer, SUITE.id, USERS);
    await partner.subscribe(customer, REGIONAL.id, USERS);
    const group = await createGroup(customer, {
      name: 'Field and office',
      membershipRule: { departments: ['Field', 'Office'] },
    });

    const { inFlight, hold } = await licensesInFlight(customer, group, users, BOTH);
    expect(
      inFlight.some((id) => !field.has(id)),
      'office members in flight',
    ).toBe(true);
    const movedInFlight = inFlight.find((id) => field.has(id));
    expect(movedInFlight, 'a field member in flight').toBeDefined();
    try {
      // The rule now drops every office member, in flight or not.
      const patched = await partner.call('PATCH', `/v1/customers/${customer}/groups/${group}`, {
        membershipRule: { departments: ['Field'] },
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body.memberCount).toBe(field.size);
      // A field member in flight moves to HR: its update waits for the batch holding it.
      const moving = partner.call('PATCH', `/v1/customers/${customer}/users/${movedInFlight}`, { department: 'HR' });
      await waitForLockWaits('update "users"', 1);
      await hold.release();
      expect((await moving).status).toBe(200);
    } finally {
      await hold.release();
    }
    const done = await waitForGroup(customer, group);
    expect(done).toMatchObject({ memberCount: field.size - 1, membersWaiting: 0, membersWithErrors: 0 });
    const of = await holdings(customer);
    for (const id of users)
      expect(of(id), id).toEqual(field.has(id) && id !== movedInFlight ? HOLDS_BOTH : HOLDS_NOTHING);
    const subs = await partner.subscriptions(customer);
    for (const product of [SUITE.id, REGIONAL.id])
      expect(subs[product]).toMatchObject({ assigned: field.size - 1, reserved: 0, waiting: 0 });
  });
});

describe("the group's licenses removed while its members are being processed", () => {
  it('a product dropped, then every product: nobody keeps what the group no longer grants', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, USERS);
    await partner.subscribe(customer, SUITE.id, USERS);
    await partner.subscribe(customer, REGIONAL.id, USERS);
    const group = await createGroup(customer, { name: 'Everyone' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: users });

    // REGIONAL is dropped while the grant of both is in flight.
    const granting = await licensesInFlight(customer, group, users, BOTH);
    try {
      const dropped = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
        licenses: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
      });
      expect(dropped.status, JSON.stringify(dropped.body)).toBe(202);
    } finally {
      await granting.hold.release();
    }
    await waitForGroup(customer, group);
    const [, dropJob] = await jobsOf(customer, group);
    const first = await outcomes(customer, granting.jobId);
    const drop = await outcomes(customer, dropJob!);
    for (const id of granting.inFlight) {
      expect(first.get(id)).toEqual([`${REGIONAL.id} assign assigned`, `${SUITE.id} assign assigned`]);
      expect(drop.get(id)).toEqual([`${REGIONAL.id} revoke revoked`, `${SUITE.id} assign unchanged`]);
    }
    let of = await holdings(customer);
    for (const id of users)
      expect(of(id), id).toEqual({ licenses: [`${SUITE.id} group TEAMS`], rows: [`${SUITE.id} active applied`] });
    let subs = await partner.subscriptions(customer);
    expect(subs[SUITE.id]).toMatchObject({ assigned: USERS, reserved: 0 });
    expect(subs[REGIONAL.id]).toMatchObject({ assigned: 0, reserved: 0 });

    // Both granted again, and everything removed while that is in flight.
    const regranting = await licensesInFlight(customer, group, users, BOTH);
    try {
      const removed = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
        licenses: [],
        confirmRemovals: USERS,
      });
      expect(removed.status, JSON.stringify(removed.body)).toBe(202);
    } finally {
      await regranting.hold.release();
    }
    const done = await waitForGroup(customer, group);
    expect(done).toMatchObject({ memberCount: USERS, licenses: [], membersWaiting: 0, membersWithErrors: 0 });
    of = await holdings(customer);
    for (const id of users) expect(of(id), id).toEqual(HOLDS_NOTHING);
    subs = await partner.subscriptions(customer);
    for (const product of [SUITE.id, REGIONAL.id]) expect(subs[product]).toMatchObject({ assigned: 0, reserved: 0 });
    expect((await partner.call('DELETE', `/v1/customers/${customer}/groups/${group}`)).status).toBe(204);
  });
});

describe('members leave the waiting room', () => {
  it('a member given a seat by the waiting room leaves before taking it: the seat goes to the next one', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 300);
    await partner.subscribe(customer, SUITE.id, 150);
    const group = await createGroup(customer, { name: 'Everyone' });
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: users });
    await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
      licenses: [{ productId: SUITE.id }],
    });
    expect(await waitForGroup(customer, group)).toMatchObject({ membersWaiting: 150 });
    const holders = new Set(
      (await env.sql<{ user_id: string }[]>`SELECT user_id FROM user_licenses WHERE customer_id = ${customer}`).map(
        (r) => r.user_id,
      ),
    );
    expect(holders.size).toBe(150);

    // 50 holders leave, and 20 waiting members leave too: 50 seats free, 130 members wait for them.
    const leavingHolders = [...holders].slice(0, 50);
    const leavingWaiting = users.filter((id) => !holders.has(id)).slice(0, 20);
    await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, {
      userIds: [...leavingHolders, ...leavingWaiting],
    });
    expect(await waitForGroup(customer, group)).toMatchObject({ memberCount: 230, membersWaiting: 130 });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 100, waiting: 130 });

    // The waiting room hands the 50 seats to 50 members (a reserved seat each); 30 of them leave the
    // group before their item is applied (the test holds their rows).
    await env.queue.pause();
    const reconciler = createTestReconciler(env);
    expect(await reconciler.drainWaitingRooms()).toBe(1);
    const [drainJob] = (await jobsOf(customer, group)).slice(-1);
    const picked = (
      await env.sql<{ user_id: string }[]>`
        SELECT user_id FROM license_job_items WHERE customer_id = ${customer} AND job_id = ${drainJob!} ORDER BY position`
    ).map((r) => r.user_id);
    expect(picked).toHaveLength(50);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 100, reserved: 50 });
    const leavingPicked = picked.slice(0, 30);
    const rowsHeld = await env.sql.reserve();
    await rowsHeld`BEGIN`;
    try {
      await rowsHeld`SELECT 1 FROM users WHERE customer_id = ${customer} AND id = ANY(${leavingPicked}::uuid[]) FOR UPDATE`;
      await env.queue.resume();
      await expect
        .poll(
          async () =>
            (
              await env.sql`SELECT count(*)::int AS n FROM license_job_items
                WHERE customer_id = ${customer} AND job_id = ${drainJob!} AND status <> 'pending'`
            )[0]!.n,
          { timeout: 30_000 },
        )
        .toBe(20);
      const removed = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members/remove`, {
        userIds: leavingPicked,
      });
      expect(removed.body).toEqual({ removed: 30 });
    } finally {
      await rowsHeld`ROLLBACK`;
      rowsHeld.release();
    }
    await waitForGroup(customer, group);
    // Their reservations ended unused: 30 seats free again, which the waiting room hands on.
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 120, reserved: 0 });
    while ((await reconciler.drainWaitingRooms()) > 0) await waitForGroup(customer, group);

    const members = 300 - 50 - 20 - 30;
    const done = await waitForGroup(customer, group);
    expect(done).toMatchObject({ memberCount: members, membersWaiting: members - 150, membersWithErrors: 0 });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({
      assigned: 150,
      reserved: 0,
      available: 0,
      waiting: members - 150,
    });
    // The waiting room holds exactly the members without a seat; nobody who left has a row or a license.
    const left = new Set([...leavingHolders, ...leavingWaiting, ...leavingPicked]);
    const of = await holdings(customer);
    let waiting = 0;
    for (const id of users) {
      const h = of(id);
      if (left.has(id)) expect(h, id).toEqual(HOLDS_NOTHING);
      else if (h.licenses.length)
        expect(h).toEqual({ licenses: [`${SUITE.id} group`], rows: [`${SUITE.id} active applied`] });
      else {
        expect(h).toEqual({ licenses: [], rows: [`${SUITE.id} waiting`] });
        waiting++;
      }
    }
    expect(waiting).toBe(members - 150);
  });
});
