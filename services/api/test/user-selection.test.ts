// Strict query strings and selecting users by filter (contract 1.1), through the real API, worker
// and Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { OPERATOR_TOKEN, startTestSystem, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { call, expectSeatInvariant, PartnerClient } from '../../../test/support/client.ts';
import { ADDON, SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let api: FastifyInstance;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  ({ env, api } = system);
  partner = await PartnerClient.create(api, 'Selecting partner');
});

afterAll(async () => {
  await system?.close();
});

const counts = async (customerId: string) =>
  (
    await env.sql<{ jobs: number; items: number }[]>`
      SELECT (SELECT count(*)::int FROM license_jobs WHERE customer_id = ${customerId}) AS jobs,
             (SELECT count(*)::int FROM license_job_items i JOIN license_jobs j ON j.id = i.job_id WHERE j.customer_id = ${customerId}) AS items`
  )[0]!;

describe('query strings', () => {
  it('answers an unknown query parameter 400 invalid_request on every kind of route, and changes nothing', async () => {
    const customer = await partner.customer();
    const [user] = await partner.users(customer, 1);
    const before = await counts(customer);
    const cases: [string, string, unknown?][] = [
      ['GET', `/v1/customers/${customer}/users?productId=${SUITE.id}`],
      ['GET', `/v1/customers/${customer}/users?page=1&pagesize=10`],
      ['GET', '/v1/customers?sort=name'],
      ['GET', `/v1/customers/${customer}?expand=users`],
      ['GET', `/v1/customers/${customer}/users/${user}?x`],
      ['GET', `/v1/customers/${customer}/subscriptions?productId=${SUITE.id}`],
      ['GET', '/v1/products?x=1'],
      ['POST', `/v1/customers/${customer}/license-jobs?dryRun=true`, { userIds: [user], revoke: [SUITE.id] }],
      ['POST', `/v1/customers/${customer}/license-overview?x=1`, { userIds: [user] }],
    ];
    for (const [method, url, body] of cases) {
      const res = await partner.call(method as 'GET', url, body);
      expect(res.status, `${method} ${url}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'invalid_request', parameters: expect.any(Array) });
    }
    expect(await counts(customer)).toEqual(before);
    // Declared parameters still work; authentication is still checked first.
    expect((await partner.call('GET', `/v1/customers/${customer}/users?page=1&pageSize=10&search=user`)).status).toBe(
      200,
    );
    expect((await call(api, 'GET', '/v1/customers?sort=name')).status).toBe(401);
    expect((await call(api, 'GET', '/v1/admin/partners?x=1', OPERATOR_TOKEN)).body.code).toBe('invalid_request');
    expect((await call(api, 'POST', '/v1/admin/partners?x=1', OPERATOR_TOKEN, { name: 'Q' })).status).toBe(400);
  });

  it('applies to the catalog service too', async () => {
    const res = await call(system.catalog, 'GET', '/v1/products?category=x');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect((await call(system.catalog, 'GET', '/v1/products')).status).toBe(200);
  });
});

describe('filtering the user list', () => {
  it('filters by hasProduct, lacksProduct and licensed, combined with search and paging', async () => {
    const customer = await partner.customer('Listed');
    const users = await partner.users(customer, 12, (i) => ({ displayName: i % 2 ? `Odd ${i}` : `Even ${i}` }));
    await partner.subscribe(customer, SUITE.id, 10);
    await partner.subscribe(customer, ADDON.id, 10);
    // users 0..5 get SUITE, users 0..1 also the add-on; 6..11 hold nothing.
    const job = await partner.startJob(customer, { userIds: users.slice(0, 6), assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, job.body.id);
    const addon = await partner.startJob(customer, { userIds: users.slice(0, 2), assign: [{ productId: ADDON.id }] });
    await partner.waitForJob(customer, addon.body.id);
    // Another customer's holders never count.
    const elsewhere = await partner.customer('Elsewhere');
    const others = await partner.users(elsewhere, 3);
    await partner.subscribe(elsewhere, SUITE.id, 3);
    await partner.waitForJob(
      elsewhere,
      (await partner.startJob(elsewhere, { userIds: others, assign: [{ productId: SUITE.id }] })).body.id,
    );

    const list = async (query: string) => {
      const res = await partner.call('GET', `/v1/customers/${customer}/users?pageSize=500&${query}`);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
      return { ids: res.body.items.map((u: any) => u.id).sort(), total: res.body.total, items: res.body.items };
    };
    const sorted = (ids: string[]) => [...ids].sort();
    expect((await list(`hasProduct=${SUITE.id}`)).ids).toEqual(sorted(users.slice(0, 6)));
    expect((await list(`lacksProduct=${SUITE.id}`)).ids).toEqual(sorted(users.slice(6)));
    expect((await list(`hasProduct=${SUITE.id}&lacksProduct=${ADDON.id}`)).ids).toEqual(sorted(users.slice(2, 6)));
    expect((await list('licensed=true')).ids).toEqual(sorted(users.slice(0, 6)));
    expect((await list('licensed=false')).ids).toEqual(sorted(users.slice(6)));
    expect((await list(`licensed=false&hasProduct=${SUITE.id}`)).total).toBe(0);
    expect((await list(`hasProduct=${SUITE.id}&search=odd`)).ids).toEqual(sorted([users[1]!, users[3]!, users[5]!]));
    // A product nobody here holds, but the catalog has: a valid filter.
    expect((await list('hasProduct=COPILOT')).total).toBe(0);
    expect((await list('lacksProduct=COPILOT')).total).toBe(12);
    // Sorted and paged as the unfiltered list; the licenses are shown.
    const page = await partner.call('GET', `/v1/customers/${customer}/users?hasProduct=${SUITE.id}&page=2&pageSize=4`);
    expect(page.body).toMatchObject({ page: 2, pageSize: 4, total: 6, totalPages: 2 });
    expect(page.body.items.map((u: any) => u.displayName)).toEqual(['Odd 3', 'Odd 5']);
    expect(page.body.items[0].licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: [], assignedBy: { direct: true, groupIds: [] } },
    ]);
    // The same filter in a body selects the same users.
    const overview = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userFilter: { hasProduct: SUITE.id, lacksProduct: ADDON.id },
    });
    expect(overview.body.users.map((u: any) => u.id).sort()).toEqual(sorted(users.slice(2, 6)));

    for (const [query, status, code] of [
      ['hasProduct=NOPE', 422, 'unknown_product'],
      ['lacksProduct=NOPE&search=x', 422, 'unknown_product'],
      ['licensed=yes', 400, 'validation_error'],
      ['licensed=', 400, 'validation_error'],
      ['hasProduct=bad%20id', 400, 'validation_error'],
      [`hasProduct=${SUITE.id}&hasProduct=${ADDON.id}`, 400, 'validation_error'],
      ['productId=SUITE_E3', 400, 'invalid_request'],
    ] as const) {
      const res = await partner.call('GET', `/v1/customers/${customer}/users?${query}`);
      expect(res.status, query).toBe(status);
      expect(res.body.code, query).toBe(code);
    }
  });
});

describe('selecting users by filter', () => {
  it('resolves a job filter in the transaction that reserves seats, and refuses bad selections', async () => {
    const customer = await partner.customer('Filtered');
    const users = await partner.users(customer, 30, (i) => ({ displayName: i < 10 ? `Sales ${i}` : `Ops ${i}` }));
    await partner.subscribe(customer, SUITE.id, 25);
    await partner.subscribe(customer, ADDON.id, 5);
    const first = await partner.startJob(customer, {
      userFilter: { search: 'sales' },
      assign: [{ productId: SUITE.id }],
    });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body.request.userCount).toBe(10);
    await partner.waitForJob(customer, first.body.id);

    // Those who lack the product get it: 20 more, and the 10 who hold it are not selected at all.
    const second = await partner.startJob(customer, {
      userFilter: { lacksProduct: SUITE.id },
      assign: [{ productId: SUITE.id }],
    });
    expect(second.status).toBe(409);
    expect(second.body.shortages).toEqual([{ productId: SUITE.id, required: 20, available: 15 }]);
    const narrower = await partner.startJob(customer, {
      userFilter: { lacksProduct: SUITE.id, search: 'Ops 1' }, // Ops 10..19
      assign: [{ productId: SUITE.id }],
    });
    expect(narrower.status).toBe(202);
    expect(narrower.body.request.userCount).toBe(10);
    await partner.waitForJob(customer, narrower.body.id);
    const holders =
      await env.sql`SELECT user_id FROM user_licenses WHERE customer_id = ${customer} AND product_id = ${SUITE.id}`;
    expect(new Set(holders.map((h) => h.user_id))).toEqual(new Set(users.slice(0, 20)));

    const refused: [unknown, number, string][] = [
      [{ userIds: users, userFilter: {}, revoke: [SUITE.id] }, 400, 'validation_error'],
      [{ revoke: [SUITE.id] }, 400, 'validation_error'],
      [{ userFilter: { hasProduct: 'bad id!' }, revoke: [SUITE.id] }, 400, 'validation_error'],
      [{ userFilter: { licensed: 'yes' }, revoke: [SUITE.id] }, 400, 'validation_error'],
      [{ userFilter: { jobTitle: 'x' }, revoke: [SUITE.id] }, 400, 'validation_error'],
      [{ userFilter: { hasProduct: 'NOPE' }, revoke: [SUITE.id] }, 422, 'unknown_product'],
      [{ userFilter: { lacksProduct: 'NOPE' }, revoke: [SUITE.id] }, 422, 'unknown_product'],
      [{ userFilter: { search: 'nobody-has-this-name' }, revoke: [SUITE.id] }, 422, 'no_matching_users'],
      [{ userFilter: { licensed: false }, assign: [{ productId: ADDON.id }] }, 409, 'insufficient_licenses'],
    ];
    const before = await counts(customer);
    for (const [body, status, code] of refused) {
      const res = await partner.startJob(customer, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code, JSON.stringify(res.body)).toBe(code);
    }
    expect(await counts(customer)).toEqual(before);

    // `{}` is every user of the customer; a revoke from everyone who holds the product.
    const all = await partner.startJob(customer, { userFilter: {}, revoke: [SUITE.id] });
    expect(all.status).toBe(202);
    expect(all.body.request.userCount).toBe(30);
    expect((await partner.waitForJob(customer, all.body.id)).progress).toMatchObject({ succeeded: 30, failed: 0 });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 0 });
    await expectSeatInvariant(env.sql);
  });

  it('gives the overview of a filter: assignedCount, at most 1,000 holders listed', async () => {
    const customer = await partner.customer('Overview');
    const users = await partner.users(customer, 1_205);
    await partner.subscribe(customer, SUITE.id, 2_000);
    await partner.subscribe(customer, ADDON.id, 10);
    const job = await partner.startJob(customer, { userIds: users.slice(0, 1_200), assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    await partner.waitForJob(customer, job.body.id);

    const overview = await partner.call('POST', `/v1/customers/${customer}/license-overview`, { userFilter: {} });
    expect(overview.status).toBe(200);
    expect(overview.body.users).toHaveLength(1_205);
    const suite = overview.body.products.find((p: any) => p.productId === SUITE.id);
    expect(suite).toMatchObject({
      assigned: 1_200,
      assignedCount: 1_200,
      assignedUserIdsTruncated: true,
      selection: 'some',
    });
    // The first 1,000 holders in user-list order.
    expect(suite.assignedUserIds).toEqual(users.slice(0, 1_000));
    expect(overview.body.products.find((p: any) => p.productId === ADDON.id)).toMatchObject({
      assignedCount: 0,
      assignedUserIds: [],
      assignedUserIdsTruncated: false,
      selection: 'none',
    });

    const holdersOnly = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userFilter: { hasProduct: SUITE.id, search: 'user00000' }, // user000000..user000009
    });
    expect(holdersOnly.body.users.map((u: any) => u.id)).toEqual(users.slice(0, 10));
    expect(holdersOnly.body.products.find((p: any) => p.productId === SUITE.id)).toMatchObject({
      assignedCount: 10,
      assignedUserIds: users.slice(0, 10),
      assignedUserIdsTruncated: false,
      selection: 'all',
    });
    const unlicensed = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userFilter: { licensed: false },
    });
    expect(unlicensed.body.users.map((u: any) => u.id)).toEqual(users.slice(1_200));
    const none = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userFilter: { search: 'no such user' },
    });
    expect(none.status).toBe(200);
    expect(none.body.users).toEqual([]);
    expect(none.body.products.every((p: any) => p.selection === 'none' && p.assignedCount === 0)).toBe(true);

    const byIds = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userIds: [users[1_204], users[3]],
    });
    expect(byIds.body.users.map((u: any) => u.id)).toEqual([users[3], users[1_204]]);
    expect(byIds.body.products.find((p: any) => p.productId === SUITE.id)).toMatchObject({
      assignedCount: 1,
      assignedUserIds: [users[3]],
      selection: 'some',
    });
    for (const [body, status, code] of [
      [{ userIds: [users[0]], userFilter: {} }, 400, 'validation_error'],
      [{}, 400, 'validation_error'],
      [{ userFilter: { hasProduct: 'NOPE' } }, 422, 'unknown_product'],
      [{ userIds: ['00000000-0000-4000-8000-000000000000'] }, 422, 'unknown_users'],
    ] as const) {
      const res = await partner.call('POST', `/v1/customers/${customer}/license-overview`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code).toBe(code);
    }
  });

  it('refuses a filter matching more than 50,000 users with 422 too_many_users, reserving nothing', async () => {
    const customer = await partner.customer('Huge');
    const users = await partner.users(customer, 50_001);
    await partner.subscribe(customer, SUITE.id, 60_000);
    const job = await partner.startJob(customer, { userFilter: {}, assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(422);
    expect(job.body).toMatchObject({ code: 'too_many_users', maxUsers: 50_000 });
    const overview = await partner.call('POST', `/v1/customers/${customer}/license-overview`, { userFilter: {} });
    expect(overview.status).toBe(422);
    expect(overview.body.code).toBe('too_many_users');
    expect(await counts(customer)).toEqual({ jobs: 0, items: 0 });
    // One user fewer fits.
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${users[7]}`)).status).toBe(204);
    const narrowed = await partner.startJob(customer, { userFilter: {}, assign: [{ productId: SUITE.id }] });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(202);
    expect(narrowed.body.request.userCount).toBe(50_000);
    expect((await partner.subscriptions(customer))[SUITE.id].reserved).toBeGreaterThan(0);
    await partner.call('POST', `/v1/customers/${customer}/license-jobs/${narrowed.body.id}/cancel`);
    await expectSeatInvariant(env.sql);
  }, 120_000);
});
