// Editing a user and reading its license history (contract 1.1), through the real API, worker and
// Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startTestSystem, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { PartnerClient } from '../../../test/support/client.ts';
import { ADDON, REGIONAL, SUITE, SUITE_BASIC, TEST_PRODUCTS } from '../../../test/fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let api: FastifyInstance;
let partner: PartnerClient;
let other: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  ({ env, api } = system);
  partner = await PartnerClient.create(api, 'Editing partner');
  other = await PartnerClient.create(api, 'Other partner');
});

afterAll(async () => {
  await system?.close();
});

describe('PATCH a user', () => {
  it('changes the display name and usage location, clears it with null, and keeps the licenses', async () => {
    const customer = await partner.customer('Patched', 'US');
    const [user, neighbour] = await partner.users(customer, 2, () => ({ usageLocation: 'DE' }));
    await partner.subscribe(customer, SUITE.id, 5);
    const job = await partner.startJob(customer, {
      userIds: [user],
      assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    await partner.waitForJob(customer, job.body.id);
    const url = `/v1/customers/${customer}/users/${user}`;

    const renamed = await partner.call('PATCH', url, { displayName: '  Renamed User ' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({
      id: user,
      customerId: customer,
      displayName: 'Renamed User',
      usageLocation: 'DE',
      licenses: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    const moved = await partner.call('PATCH', url, { usageLocation: 'fr' });
    expect(moved.body).toMatchObject({ displayName: 'Renamed User', usageLocation: 'FR' });
    const cleared = await partner.call('PATCH', url, { usageLocation: null });
    expect(cleared.body.usageLocation).toBeNull();
    const both = await partner.call('PATCH', url, { displayName: 'Both', usageLocation: 'CA' });
    expect(both.body).toMatchObject({ displayName: 'Both', usageLocation: 'CA' });
    expect((await partner.call('PATCH', url, {})).body).toMatchObject({ displayName: 'Both', usageLocation: 'CA' });
    expect((await partner.call('GET', url)).body).toEqual(both.body);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 1, reserved: 0 });
    // The new location is what later jobs check: CALLING_US is sold in the US and Canada.
    await partner.subscribe(customer, REGIONAL.id, 5);
    const regional = await partner.startJob(customer, { userIds: [user], assign: [{ productId: REGIONAL.id }] });
    expect((await partner.waitForJob(customer, regional.body.id)).progress.succeeded).toBe(1);

    const before =
      await env.sql`SELECT id, display_name, usage_location FROM users WHERE customer_id = ${customer} ORDER BY id`;
    for (const [body, status, code] of [
      [{ usageLocation: 'XYZ' }, 400, 'validation_error'],
      [{ usageLocation: '' }, 400, 'validation_error'],
      [{ displayName: '' }, 400, 'validation_error'],
      [{ displayName: null }, 400, 'validation_error'],
      [{ displayName: 'x\u0000' }, 400, 'validation_error'],
      [{ displayName: 'x'.repeat(257) }, 400, 'validation_error'],
      [{ userPrincipalName: 'new@x.example' }, 400, 'validation_error'],
      [{ licenses: [] }, 400, 'validation_error'],
    ] as const) {
      const res = await partner.call('PATCH', url, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code).toBe(code);
    }
    for (const target of [
      `/v1/customers/${customer}/users/00000000-0000-4000-8000-000000000000`,
      `/v1/customers/${customer}/users/not-a-uuid`,
    ]) {
      expect((await partner.call('PATCH', target, { displayName: 'x' })).status).toBe(404);
    }
    const intruder = await other.call('PATCH', url, { displayName: 'Hijacked' });
    expect(intruder.status).toBe(404);
    expect(intruder.body.code).toBe('not_found');
    // A user of another customer of the same partner is not found through this one.
    const sibling = await partner.customer('Sibling');
    expect((await partner.call('PATCH', `/v1/customers/${sibling}/users/${user}`, { displayName: 'x' })).status).toBe(
      404,
    );
    expect(
      await env.sql`SELECT id, display_name, usage_location FROM users WHERE customer_id = ${customer} ORDER BY id`,
    ).toEqual(before);
    expect((await partner.call('GET', `/v1/customers/${customer}/users/${neighbour}`)).body.displayName).toBe(
      'User 000001',
    );
  });
});

describe('department', () => {
  it('is set on create and batch create, changed and cleared by PATCH, and filters the user list exactly', async () => {
    const customer = await partner.customer('Departments', 'US');
    const one = await partner.call('POST', `/v1/customers/${customer}/users`, {
      userPrincipalName: 'ada@dept.example',
      displayName: 'Ada',
      department: '  Research ',
    });
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    expect(one.body.department).toBe('Research');
    const batch = await partner.call('POST', `/v1/customers/${customer}/users/batch`, {
      users: [
        { userPrincipalName: 'bo@dept.example', displayName: 'Bo', department: 'Sales' },
        { userPrincipalName: 'cy@dept.example', displayName: 'Cy', department: 'research' },
        { userPrincipalName: 'di@dept.example', displayName: 'Di', department: null },
        { userPrincipalName: 'ed@dept.example', displayName: 'Ed' },
      ],
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    expect(batch.body.items.map((u: any) => u.department)).toEqual(['Sales', 'research', null, null]);
    const [bo, , di] = batch.body.items.map((u: any) => u.id as string);
    const names = async (query: string) => {
      const res = await partner.call('GET', `/v1/customers/${customer}/users?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((u: any) => u.displayName);
    };
    // Exact match, case included.
    expect(await names('department=Research')).toEqual(['Ada']);
    expect(await names('department=research')).toEqual(['Cy']);
    expect(await names('department=Sales&search=b')).toEqual(['Bo']);
    expect(await names('department=Nobody')).toEqual([]);

    const moved = await partner.call('PATCH', `/v1/customers/${customer}/users/${di}`, { department: 'Sales' });
    expect(moved.status).toBe(200);
    expect(moved.body.department).toBe('Sales');
    expect(await names('department=Sales')).toEqual(['Bo', 'Di']);
    const cleared = await partner.call('PATCH', `/v1/customers/${customer}/users/${bo}`, { department: null });
    expect(cleared.body.department).toBeNull();
    expect(
      (await partner.call('PATCH', `/v1/customers/${customer}/users/${bo}`, { displayName: 'Bo B' })).body,
    ).toMatchObject({ displayName: 'Bo B', department: null });
    expect(await names('department=Sales')).toEqual(['Di']);
    // A filter in a body selects by department as the list does.
    const overview = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userFilter: { department: 'Sales' },
    });
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
    expect(overview.body.users.map((u: any) => u.displayName)).toEqual(['Di']);

    const before = await env.sql`SELECT id, department FROM users WHERE customer_id = ${customer} ORDER BY id`;
    for (const body of [
      { department: 'x'.repeat(65) },
      { department: '' },
      { department: '   ' },
      { department: 'a\u0001' },
      { department: 7 },
    ]) {
      const res = await partner.call('PATCH', `/v1/customers/${customer}/users/${di}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_error');
    }
    const tooLong = await partner.call('POST', `/v1/customers/${customer}/users`, {
      userPrincipalName: 'fy@dept.example',
      displayName: 'Fy',
      department: 'x'.repeat(65),
    });
    expect(tooLong.status).toBe(400);
    expect((await partner.call('GET', `/v1/customers/${customer}/users?department=${'x'.repeat(65)}`)).status).toBe(
      400,
    );
    expect(await env.sql`SELECT id, department FROM users WHERE customer_id = ${customer} ORDER BY id`).toEqual(before);
    expect(await names(`department=${'x'.repeat(64)}`)).toEqual([]);
  });
});

describe('license history', () => {
  it("lists every change applied to a user, newest first, paged, and only the customer's own", async () => {
    const customer = await partner.customer('History', 'US');
    const [user, bystander] = await partner.users(customer, 2);
    for (const product of [SUITE.id, ADDON.id, SUITE_BASIC.id]) await partner.subscribe(customer, product, 5);
    const run = async (body: Record<string, unknown>) => {
      const res = await partner.startJob(customer, { userIds: [user], ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await partner.waitForJob(customer, res.body.id);
      return res.body.id as string;
    };
    const j1 = await run({ assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS', 'EXCHANGE'] }] });
    const j2 = await run({ assign: [{ productId: SUITE.id }, { productId: ADDON.id }] });
    const j3 = await run({ assign: [{ productId: SUITE_BASIC.id }] }); // excluded by SUITE: fails
    const j4 = await run({ revoke: [SUITE_BASIC.id, ADDON.id] });
    // A job that touched only the bystander does not appear.
    await partner.waitForJob(
      customer,
      (await partner.startJob(customer, { userIds: [bystander], assign: [{ productId: SUITE.id }] })).body.id,
    );

    const url = `/v1/customers/${customer}/users/${user}/license-history`;
    const all = await partner.call('GET', `${url}?pageSize=500`);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body).toMatchObject({ page: 1, pageSize: 500, total: 6, totalPages: 1 });
    const items = all.body.items;
    expect(items.map((e: any) => [e.jobId, e.productId, e.action, e.outcome])).toEqual([
      [j4, SUITE_BASIC.id, 'revoke', 'not_assigned'],
      [j4, ADDON.id, 'revoke', 'revoked'],
      [j3, SUITE_BASIC.id, 'assign', 'failed'],
      [j2, SUITE.id, 'assign', 'updated'],
      [j2, ADDON.id, 'assign', 'assigned'],
      [j1, SUITE.id, 'assign', 'assigned'],
    ]);
    expect(items[5].disabledServicePlans).toEqual(['EXCHANGE', 'TEAMS']);
    expect(items[3].disabledServicePlans).toEqual([]);
    expect(items[0]).not.toHaveProperty('disabledServicePlans');
    expect(items[2].error).toMatchObject({ code: 'MutuallyExclusiveViolation', message: expect.any(String) });
    expect(items[3]).not.toHaveProperty('error');
    for (const e of items) expect(Date.parse(e.at)).toBeGreaterThan(0);
    expect(Date.parse(items[0].at)).toBeGreaterThanOrEqual(Date.parse(items[5].at));

    const page2 = await partner.call('GET', `${url}?page=2&pageSize=4`);
    expect(page2.body).toMatchObject({ page: 2, pageSize: 4, total: 6, totalPages: 2 });
    expect(page2.body.items).toEqual(items.slice(4));

    const fresh = await partner.call('GET', `/v1/customers/${customer}/users/${bystander}/license-history`);
    expect(fresh.body.total).toBe(1);
    expect((await other.call('GET', url)).status).toBe(404);
    const sibling = await partner.customer('Sibling history');
    expect((await partner.call('GET', `/v1/customers/${sibling}/users/${user}/license-history`)).status).toBe(404);
    expect(
      (
        await partner.call(
          'GET',
          `/v1/customers/${customer}/users/00000000-0000-4000-8000-000000000000/license-history`,
        )
      ).status,
    ).toBe(404);
    expect((await partner.call('GET', `${url}?status=failed`)).body.code).toBe('invalid_request');
    expect((await partner.call('GET', `${url}?pageSize=501`)).status).toBe(400);

    // Cancelled before any worker reached it (the only worker is stopped): nothing was applied,
    // nothing is listed.
    await system.worker!.close();
    const queued = await partner.startJob(customer, { userIds: [user], revoke: [SUITE.id] });
    expect(queued.status).toBe(202);
    const cancelled = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${queued.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.progress).toMatchObject({ succeeded: 0, cancelled: 1 });
    expect((await partner.call('GET', url)).body.total).toBe(6);
  });
});
