// The audit trail: every change a partner makes, recorded with the change, newest first, isolated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { PartnerClient } from '../../../test/support/client.ts';
import { SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';
import { pruneExpired } from '../../worker/src/retention.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;
let other: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  env = system.env;
  partner = await PartnerClient.create(system.api, 'Audited');
  other = await PartnerClient.create(system.api, 'Other');
});

afterAll(async () => {
  await system?.close();
});

describe('audit events', () => {
  it('records every change with its actor and request id, newest first, filtered by type, isolated', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 3);
    await partner.subscribe(customer, SUITE.id, 3);
    await partner.subscribe(customer, SUITE.id, 5);
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    await partner.waitForJob(customer, job.body.id);
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${users[0]}`)).status).toBe(204);

    const page = await partner.call('GET', `/v1/customers/${customer}/audit-events?pageSize=50`);
    expect(page.status).toBe(200);
    const types = page.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'user.deleted',
      'license_job.finished',
      'license_job.accepted',
      'subscription.updated',
      'subscription.updated',
      'user.created',
      'customer.created',
    ]);
    const [{ partner_id: partnerId }] = await env.sql`SELECT partner_id FROM customers WHERE id = ${customer}`;
    const [{ id: keyId }] = await env.sql`SELECT id FROM partner_api_keys WHERE partner_id = ${partnerId}`;
    const byType = Object.fromEntries(page.body.items.map((e: { type: string }) => [e.type, e]));
    expect(byType['user.created'].data).toEqual({ count: 3 });
    expect(byType['user.created'].actor).toEqual({ partnerId, keyId });
    expect(byType['user.created'].requestId).toEqual(expect.any(String));
    expect(page.body.items[3].data).toEqual({ productId: SUITE.id, oldQuantity: 3, newQuantity: 5 });
    expect(page.body.items[4].data).toEqual({ productId: SUITE.id, oldQuantity: null, newQuantity: 3 });
    expect(byType['license_job.accepted'].data).toMatchObject({ jobId: job.body.id, request: { userCount: 3 } });
    expect(byType['license_job.finished']).toMatchObject({
      actor: { partnerId, keyId: null },
      data: { jobId: job.body.id, status: 'completed' },
    });
    expect(byType['user.deleted'].data).toEqual({ userId: users[0] });

    const filtered = await partner.call('GET', `/v1/customers/${customer}/audit-events?type=subscription.updated`);
    expect(filtered.body.total).toBe(2);
    expect((await partner.call('GET', `/v1/customers/${customer}/audit-events?type=nope`)).status).toBe(400);
    expect((await other.call('GET', `/v1/customers/${customer}/audit-events`)).status).toBe(404);
  });

  it('records nothing for a refused change', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    const count = async () =>
      (await env.sql`SELECT count(*)::int AS n FROM audit_events WHERE customer_id = ${customer}`)[0]!.n as number;
    const before = await count();
    expect((await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] })).status).toBe(422);
    expect(
      (
        await partner.call('POST', `/v1/customers/${customer}/users`, {
          userPrincipalName: 'user000000@fabrikam.example',
          displayName: 'x',
        })
      ).status,
    ).toBe(409);
    expect(await count()).toBe(before);
  });

  it('is pruned with jobs', async () => {
    const customer = await partner.customer();
    await env.sql`UPDATE audit_events SET at = now() - interval '40 days' WHERE customer_id = ${customer}`;
    const pruned = await pruneExpired(env.db, { idempotencyKeyHours: 24, jobRetentionDays: 30 });
    expect(pruned.auditEvents).toBeGreaterThanOrEqual(1);
    const [{ n }] = await env.sql`SELECT count(*)::int AS n FROM audit_events WHERE customer_id = ${customer}`;
    expect(n).toBe(0);
  });
});
