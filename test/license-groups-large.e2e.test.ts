// A group is not limited to 50,000 members: a dynamic group of 60,000 users is given a product and
// every member is processed through the queue and the worker (one job, one task per user), then the
// product is taken away again. Seats, rows and the job's counts are checked in Postgres.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';

const MEMBERS = 60_000;
let system: TestSystem;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: { concurrency: 200, batchSize: 200 } });
  partner = await PartnerClient.create(system.api);
}, 60_000);

afterAll(async () => {
  await system?.close();
});

async function waitForGroup(customer: string, group: string, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await partner.call('GET', `/v1/customers/${customer}/groups/${group}`);
    if (res.body.processing.state === 'idle') return res.body;
    if (Date.now() > deadline) throw new Error(`group still processing: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

it(`processes a group of ${MEMBERS.toLocaleString('en-US')} members in one job`, async () => {
  const customer = await partner.customer();
  await partner.users(customer, MEMBERS + 10, (i) => ({ department: i < MEMBERS ? 'Field' : 'Office' }));
  await partner.subscribe(customer, SUITE.id, MEMBERS);
  const created = await partner.call('POST', `/v1/customers/${customer}/groups`, {
    name: 'Field staff',
    membershipRule: { departments: ['Field'] },
  });
  expect(created.status).toBe(201);
  expect(created.body.memberCount).toBe(MEMBERS);
  const group = created.body.id;

  const started = Date.now();
  const put = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
    licenses: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
  });
  expect(put.status).toBe(202);
  expect(Date.now() - started, 'the change answers at once').toBeLessThan(15_000);
  const done = await waitForGroup(customer, group, 600_000);
  expect(done).toMatchObject({ memberCount: MEMBERS, membersWaiting: 0, membersWithErrors: 0 });
  const [job] = (await partner.call('GET', `/v1/customers/${customer}/license-jobs`)).body.items;
  expect(job).toMatchObject({
    source: { type: 'group', groupId: group },
    status: 'completed',
    progress: { total: MEMBERS, succeeded: MEMBERS, failed: 0 },
  });
  const [counts] = await system.env.sql<{ licenses: number; active: number }[]>`
    SELECT (SELECT count(*)::int FROM user_licenses WHERE customer_id = ${customer} AND NOT direct) AS licenses,
           (SELECT count(*)::int FROM group_license_states WHERE customer_id = ${customer} AND state = 'active' AND applied) AS active`;
  expect(counts).toEqual({ licenses: MEMBERS, active: MEMBERS });
  expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: MEMBERS, available: 0 });
  await expectSeatInvariant(system.env.sql);

  const refused = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, { licenses: [] });
  expect(refused.status).toBe(409);
  expect(refused.body.usersLosing).toBe(MEMBERS);
  const removed = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, {
    licenses: [],
    confirmRemovals: MEMBERS,
  });
  expect(removed.status).toBe(202);
  await waitForGroup(customer, group, 600_000);
  expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 0 });
  await expectSeatInvariant(system.env.sql);
}, 1_500_000);
