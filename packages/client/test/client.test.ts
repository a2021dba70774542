// The typed client against a real listening API and worker (Postgres, Redis, BullMQ): the
// whole flow of a portal, and problems surfacing as LicensingApiError with their codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allPages,
  createLicensingClient,
  LicensingApiError,
  type LicensingClient,
  unwrap,
  waitForJob,
} from '@licensing/client';
import { OPERATOR_TOKEN, startTestSystem, type TestSystem } from '../../../test/support/test-env.ts';
import { expectSeatInvariant } from '../../../test/support/client.ts';
import { ADDON, SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';

let system: TestSystem;
let baseUrl: string;
let client: LicensingClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  baseUrl = await system.api.listen({ host: '127.0.0.1', port: 0 });
  const operator = createLicensingClient({ baseUrl, apiKey: OPERATOR_TOKEN });
  const partner = unwrap(await operator.POST('/v1/admin/partners', { body: { name: 'Client test partner' } }));
  client = createLicensingClient({ baseUrl, apiKey: partner.apiKey });
});

afterAll(async () => {
  await system?.close();
});

describe('@licensing/client', () => {
  it('runs a license job end to end through the typed client', async () => {
    const customer = unwrap(await client.POST('/v1/customers', { body: { name: 'Fabrikam', country: 'US' } }));
    const customerId = customer.id;
    const created = unwrap(
      await client.POST('/v1/customers/{customerId}/users/batch', {
        params: { path: { customerId } },
        body: {
          users: Array.from({ length: 30 }, (_, i) => ({
            userPrincipalName: `u${i}@fabrikam.example`,
            displayName: `User ${String(i).padStart(2, '0')}`,
          })),
        },
      }),
    );
    const userIds = created.items.map((u) => u.id);
    unwrap(
      await client.PUT('/v1/customers/{customerId}/subscriptions/{productId}', {
        params: { path: { customerId, productId: SUITE.id } },
        body: { quantity: 30 },
      }),
    );

    const accepted = await client.POST('/v1/customers/{customerId}/license-jobs', {
      params: { path: { customerId }, header: { 'idempotency-key': 'client-test-1' } },
      body: { userIds, assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }] },
    });
    expect(accepted.response.status).toBe(202);
    expect(accepted.response.headers.get('location')).toBe(
      `/v1/customers/${customerId}/license-jobs/${accepted.data!.id}`,
    );
    const seen: number[] = [];
    const job = await waitForJob(client, customerId, accepted.data!.id, {
      intervalMs: 50,
      onProgress: (j) => seen.push(j.progress.succeeded),
    });
    expect(job.status).toBe('completed');
    expect(job.progress).toMatchObject({ total: 30, succeeded: 30, failed: 0, pending: 0 });
    expect(seen.at(-1)).toBe(30);

    const results = await allPages((page) =>
      client.GET('/v1/customers/{customerId}/license-jobs/{jobId}/results', {
        params: { path: { customerId, jobId: job.id }, query: { page, pageSize: 7 } },
      }),
    );
    expect(results).toHaveLength(30);
    expect(results.every((r) => r.status === 'succeeded' && r.changes[0]!.outcome === 'assigned')).toBe(true);

    const user = unwrap(
      await client.GET('/v1/customers/{customerId}/users/{userId}', {
        params: { path: { customerId, userId: userIds[0]! } },
      }),
    );
    expect(user.licenses).toEqual([{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }]);
    const [subscription] = unwrap(
      await client.GET('/v1/customers/{customerId}/subscriptions', { params: { path: { customerId } } }),
    ).items;
    expect(subscription).toMatchObject({ productId: SUITE.id, quantity: 30, assigned: 30, reserved: 0, available: 0 });
    await expectSeatInvariant(system.env.sql);

    // Problems come back typed, with their codes and extensions.
    const refused = await client.POST('/v1/customers/{customerId}/license-jobs', {
      params: { path: { customerId } },
      body: { userIds, assign: [{ productId: ADDON.id }] },
    });
    expect(refused.response.status).toBe(422);
    expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.error).toMatchObject({ code: 'no_subscription', productIds: [ADDON.id] });
    expect(() => unwrap(refused)).toThrow(LicensingApiError);
    const missing = await client.GET('/v1/customers/{customerId}', {
      params: { path: { customerId: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(() => unwrap(missing)).toThrow(/404 not_found/);
    const stranger = createLicensingClient({ baseUrl, apiKey: 'lsk_not-a-key' });
    const denied = await stranger.GET('/v1/customers', {});
    expect(denied.response.status).toBe(401);
    expect(denied.error?.code).toBe('unauthorized');
  });
});
