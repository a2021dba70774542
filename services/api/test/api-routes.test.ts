// API routes through inject against a real Postgres and Redis: validation, scoping, status codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { OPERATOR_TOKEN, startTestSystem, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { call, expectSeatInvariant, PartnerClient } from '../../../test/support/client.ts';
import { ADDON, SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let api: FastifyInstance;
let partner: PartnerClient;
let other: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS });
  ({ env, api } = system);
  partner = await PartnerClient.create(api, 'Partner A');
  other = await PartnerClient.create(api, 'Partner B');
});

afterAll(async () => {
  await system?.close();
});

describe('partners and authentication', () => {
  it('creates partners with a key shown once and stored only as a hash', async () => {
    const res = await call(api, 'POST', '/v1/admin/partners', OPERATOR_TOKEN, { name: 'Northwind' });
    expect(res.status).toBe(201);
    expect(res.body.apiKey).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    const rows = await env.sql`SELECT * FROM partners WHERE id = ${res.body.id}`;
    expect(JSON.stringify(rows)).not.toContain(res.body.apiKey);
    expect((await call(api, 'POST', '/v1/admin/partners', partner.apiKey, { name: 'x' })).status).toBe(401);
    expect((await call(api, 'POST', '/v1/admin/partners', undefined, { name: 'x' })).status).toBe(401);
    expect((await call(api, 'POST', '/v1/admin/partners', OPERATOR_TOKEN, { name: '' })).status).toBe(400);
  });

  it('answers 401 problem documents without a valid key', async () => {
    for (const token of [undefined, 'lsk_wrong', OPERATOR_TOKEN]) {
      const res = await call(api, 'GET', '/v1/customers', token);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'unauthorized', title: 'Unauthorized' });
    }
  });
});

describe('customers and users', () => {
  it('creates, lists, pages, searches and sorts users', async () => {
    const customer = await partner.customer('Fabrikam', 'us');
    const created = await partner.call('POST', `/v1/customers/${customer}/users`, {
      userPrincipalName: 'zoe@fabrikam.example',
      displayName: 'Zoe',
      usageLocation: 'de',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      customerId: customer,
      userPrincipalName: 'zoe@fabrikam.example',
      displayName: 'Zoe',
      usageLocation: 'DE',
      licenses: [],
    });
    const dup = await partner.call('POST', `/v1/customers/${customer}/users`, {
      userPrincipalName: 'ZOE@fabrikam.example',
      displayName: 'Zoe 2',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('duplicate_user_principal_name');
    const batch = await partner.call('POST', `/v1/customers/${customer}/users/batch`, {
      users: [
        { userPrincipalName: 'adam@fabrikam.example', displayName: 'Adam' },
        { userPrincipalName: 'adam2@fabrikam.example', displayName: 'Adam "Jr", {2} \\ NULL', usageLocation: 'fr' },
        { userPrincipalName: 'mia@fabrikam.example', displayName: 'Mia' },
      ],
    });
    expect(batch.status).toBe(201);
    expect(batch.body.items.map((u: any) => u.userPrincipalName)).toEqual([
      'adam@fabrikam.example',
      'adam2@fabrikam.example',
      'mia@fabrikam.example',
    ]);
    expect(batch.body.items.map((u: any) => [u.displayName, u.usageLocation])).toEqual([
      ['Adam', null],
      ['Adam "Jr", {2} \\ NULL', 'FR'],
      ['Mia', null],
    ]);
    const stored = await partner.call('GET', `/v1/customers/${customer}/users/${batch.body.items[1].id}`);
    expect(stored.body).toMatchObject({
      displayName: 'Adam "Jr", {2} \\ NULL',
      usageLocation: 'FR',
      customerId: customer,
    });
    const allOrNothing = await partner.call('POST', `/v1/customers/${customer}/users/batch`, {
      users: [
        { userPrincipalName: 'new@fabrikam.example', displayName: 'New' },
        { userPrincipalName: 'mia@fabrikam.example', displayName: 'Mia again' },
      ],
    });
    expect(allOrNothing.status).toBe(409);
    // `Prefer: return=minimal`: 204 without a body, the users created all the same.
    const minimal = await partner.call(
      'POST',
      `/v1/customers/${customer}/users/batch`,
      { users: [{ userPrincipalName: 'quiet@fabrikam.example', displayName: 'Quiet' }] },
      { prefer: 'respond-async, return=minimal' },
    );
    expect(minimal.status).toBe(204);
    expect(minimal.headers['preference-applied']).toBe('return=minimal');
    expect(minimal.body ?? '').toBe('');
    const quiet = await partner.call('GET', `/v1/customers/${customer}/users?search=quiet`);
    expect(quiet.body.items.map((u: any) => u.displayName)).toEqual(['Quiet']);
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${quiet.body.items[0].id}`)).status).toBe(
      204,
    );
    const page = await partner.call('GET', `/v1/customers/${customer}/users?page=1&pageSize=2`);
    expect(page.body).toMatchObject({ page: 1, pageSize: 2, total: 4, totalPages: 2 });
    expect(page.body.items.map((u: any) => u.userPrincipalName)).toEqual([
      'adam@fabrikam.example',
      'adam2@fabrikam.example',
    ]);
    const page2 = await partner.call('GET', `/v1/customers/${customer}/users?page=2&pageSize=2`);
    expect(page2.body.items.map((u: any) => u.displayName)).toEqual(['Mia', 'Zoe']);
    const search = await partner.call('GET', `/v1/customers/${customer}/users?search=MI`);
    expect(search.body.items.map((u: any) => u.displayName)).toEqual(['Mia']);
    const percent = await partner.call('GET', `/v1/customers/${customer}/users?search=%25`);
    expect(percent.body.total).toBe(0);
    expect((await partner.call('GET', `/v1/customers/${customer}/users?pageSize=501`)).status).toBe(400);
    expect((await partner.call('GET', `/v1/customers/${customer}/users?page=0`)).status).toBe(400);

    const got = await partner.call('GET', `/v1/customers/${customer}/users/${created.body.id}`);
    expect(got.status).toBe(200);
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${created.body.id}`)).status).toBe(204);
    expect((await partner.call('GET', `/v1/customers/${customer}/users/${created.body.id}`)).status).toBe(404);
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${created.body.id}`)).status).toBe(404);
  });

  it('rejects bad input with 400 problem documents and changes nothing', async () => {
    const customer = await partner.customer();
    const bad = [
      ['POST', '/v1/customers', { name: 'x', country: 'USA' }],
      ['POST', '/v1/customers', { name: 'x\u0000y', country: 'US' }],
      ['POST', '/v1/customers', { name: 'x', country: 'US', extra: 1 }],
      ['POST', `/v1/customers/${customer}/users`, { userPrincipalName: 'no-at-sign', displayName: 'x' }],
      ['POST', `/v1/customers/${customer}/users`, { userPrincipalName: 'a@b.c', displayName: 'x'.repeat(300) }],
      ['POST', `/v1/customers/${customer}/users/batch`, { users: [] }],
      ['PUT', `/v1/customers/${customer}/subscriptions/${SUITE.id}`, { quantity: -1 }],
      ['PUT', `/v1/customers/${customer}/subscriptions/${SUITE.id}`, { quantity: 1.5 }],
    ] as const;
    for (const [method, url, body] of bad) {
      const res = await partner.call(method, url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'validation_error' });
    }
    const malformed = await api.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { authorization: `Bearer ${partner.apiKey}`, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    const wrongType = await api.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { authorization: `Bearer ${partner.apiKey}`, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(wrongType.statusCode).toBe(415);
    const [{ n }] = await env.sql`SELECT count(*)::int AS n FROM customers`;
    expect(n).toBe(
      (await partner.call('GET', '/v1/customers?pageSize=500')).body.total +
        (await other.call('GET', '/v1/customers?pageSize=500')).body.total,
    );
  });

  it("hides other partners' customers behind 404, and malformed ids too", async () => {
    const customer = await partner.customer();
    const [user] = await partner.users(customer, 1);
    await partner.subscribe(customer, SUITE.id, 1);
    const urls = [
      ['GET', `/v1/customers/${customer}`],
      ['GET', `/v1/customers/${customer}/users`],
      ['GET', `/v1/customers/${customer}/users/${user}`],
      ['DELETE', `/v1/customers/${customer}/users/${user}`],
      ['GET', `/v1/customers/${customer}/subscriptions`],
      ['PUT', `/v1/customers/${customer}/subscriptions/${SUITE.id}`, { quantity: 5 }],
      ['POST', `/v1/customers/${customer}/users`, { userPrincipalName: 'x@y.z', displayName: 'X' }],
      ['POST', `/v1/customers/${customer}/license-overview`, { userIds: [user] }],
      ['POST', `/v1/customers/${customer}/license-jobs`, { userIds: [user], assign: [{ productId: SUITE.id }] }],
      ['GET', `/v1/customers/${customer}/license-jobs`],
    ] as const;
    for (const [method, url, body] of urls) {
      const res = await other.call(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect((await partner.call('GET', `/v1/customers/${customer}/users/${user}`)).status).toBe(200);
    expect((await partner.subscriptions(customer))[SUITE.id].quantity).toBe(1);
    for (const url of [
      '/v1/customers/not-a-uuid',
      `/v1/customers/${customer}/users/123`,
      `/v1/customers/${customer}/license-jobs/zzz`,
      `/v1/customers/${customer}/license-jobs/zzz/results`,
    ]) {
      expect((await partner.call('GET', url)).status, url).toBe(404);
    }
    expect((await partner.call('GET', '/v1/nothing-here')).status).toBe(404);
  });
});

describe('subscriptions', () => {
  it('creates, buys more, refuses quantity below usage, 404 on unknown product', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 3);
    expect(await partner.subscribe(customer, SUITE.id, 2)).toEqual({
      productId: SUITE.id,
      productName: SUITE.name,
      quantity: 2,
      assigned: 0,
      reserved: 0,
      available: 2,
      waiting: 0,
    });
    const job = await partner.startJob(customer, { userIds: users.slice(0, 2), assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    const below = await partner.call('PUT', `/v1/customers/${customer}/subscriptions/${SUITE.id}`, { quantity: 1 });
    expect(below.status).toBe(409);
    expect(below.body).toMatchObject({ code: 'quantity_below_usage', reserved: 2 });
    expect(await partner.subscribe(customer, SUITE.id, 5)).toMatchObject({ quantity: 5, reserved: 2, available: 3 });
    const unknown = await partner.call('PUT', `/v1/customers/${customer}/subscriptions/NOPE`, { quantity: 1 });
    expect(unknown.status).toBe(404);
    expect((await partner.call('PUT', `/v1/customers/${customer}/subscriptions/bad!id`, { quantity: 1 })).status).toBe(
      400,
    );
    await expectSeatInvariant(env.sql);
  });
});

describe('license job validation', () => {
  it('refuses bad jobs with the contract codes and reserves nothing', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 3);
    await partner.subscribe(customer, SUITE.id, 2);
    const cases: [unknown, number, string][] = [
      [{ userIds: users }, 400, 'validation_error'],
      [{ userIds: [], assign: [{ productId: SUITE.id }] }, 400, 'validation_error'],
      [{ userIds: ['nope'], assign: [{ productId: SUITE.id }] }, 400, 'validation_error'],
      [{ userIds: users, assign: [{ productId: SUITE.id }], revoke: [SUITE.id] }, 400, 'validation_error'],
      [{ userIds: users, assign: [{ productId: 'UNKNOWN' }] }, 422, 'unknown_product'],
      [{ userIds: users, revoke: ['UNKNOWN'] }, 422, 'unknown_product'],
      [{ userIds: users, assign: [{ productId: ADDON.id }] }, 422, 'no_subscription'],
      [
        { userIds: users, assign: [{ productId: SUITE.id, disabledServicePlans: ['NOT_A_PLAN'] }] },
        422,
        'unknown_service_plan',
      ],
      [
        { userIds: [...users, '00000000-0000-4000-8000-000000000000'], assign: [{ productId: SUITE.id }] },
        422,
        'unknown_users',
      ],
      [{ userIds: users, assign: [{ productId: SUITE.id }] }, 409, 'insufficient_licenses'],
    ];
    for (const [body, status, code] of cases) {
      const res = await partner.startJob(customer, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code).toBe(code);
    }
    const unknownUsers = await partner.startJob(customer, {
      userIds: [users[0], '00000000-0000-4000-8000-000000000000'],
      assign: [{ productId: SUITE.id }],
    });
    expect(unknownUsers.body.userIds).toEqual(['00000000-0000-4000-8000-000000000000']);
    const short = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(short.body.shortages).toEqual([{ productId: SUITE.id, required: 3, available: 2 }]);
    const [{ jobs, reserved }] =
      await env.sql`SELECT (SELECT count(*)::int FROM license_jobs WHERE customer_id = ${customer}) AS jobs, (SELECT count(*)::int FROM seat_reservations WHERE customer_id = ${customer}) AS reserved`;
    expect({ jobs, reserved }).toEqual({ jobs: 0, reserved: 0 });
    // Duplicates are ignored: 2 distinct users fit in 2 seats.
    const dup = await partner.startJob(customer, {
      userIds: [users[0], users[1], users[0]],
      assign: [{ productId: SUITE.id }],
    });
    expect(dup.status).toBe(202);
    expect(dup.body.request.userCount).toBe(2);
    const list = await partner.call('GET', `/v1/customers/${customer}/license-jobs`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: dup.body.id }] });
  });

  it('serves the products and the OpenAPI document', async () => {
    const products = await partner.call('GET', '/v1/products');
    expect(products.status).toBe(200);
    expect(products.body.items.map((p: any) => p.id)).toEqual(expect.arrayContaining(TEST_PRODUCTS.map((p) => p.id)));
    expect((await partner.call('GET', `/v1/products/${SUITE.id}`)).body).toEqual(SUITE);
    expect((await partner.call('GET', '/v1/products/NOPE')).status).toBe(404);
    const doc = await call(api, 'GET', '/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/customers/{customerId}/license-jobs', '/v1/admin/partners']),
    );
  });
});
