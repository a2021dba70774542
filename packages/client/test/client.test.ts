// The typed client against a real listening API and worker (Postgres, Redis, BullMQ): the
// whole flow of a portal, problems surfacing as LicensingApiError with their codes, paging, waiting
// for a job by its event stream or by polling, and the retries of 429 and 503 answers with the
// Idempotency-Key every job creation gets (one job in Postgres however often its answer is lost).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allPages,
  createLicensingClient,
  isProblem,
  LicensingApiError,
  type LicensingClient,
  paginate,
  unwrap,
  waitForJob,
} from '@licensing/client';
import { OPERATOR_TOKEN, startTestSystem, type TestSystem } from '../../../test/support/test-env.ts';
import { expectSeatInvariant } from '../../../test/support/client.ts';
import { ADDON, SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';

let system: TestSystem;
let baseUrl: string;
let client: LicensingClient;
let apiKey: string;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  baseUrl = await system.api.listen({ host: '127.0.0.1', port: 0 });
  const operator = createLicensingClient({ baseUrl, apiKey: OPERATOR_TOKEN });
  const partner = unwrap(await operator.POST('/v1/admin/partners', { body: { name: 'Client test partner' } }));
  apiKey = partner.apiKey;
  client = createLicensingClient({ baseUrl, apiKey });
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
    expect(user.licenses).toEqual([
      { productId: SUITE.id, disabledServicePlans: ['TEAMS'], assignedBy: { direct: true, groupIds: [] } },
    ]);
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
    try {
      unwrap(refused);
    } catch (error) {
      expect(isProblem(error, 'no_subscription')).toBe(true);
      expect(isProblem(error, 'insufficient_licenses')).toBe(false);
      expect(error instanceof LicensingApiError && error.is('no_subscription') && error.problem.productIds).toEqual([
        ADDON.id,
      ]);
    }
    const missing = await client.GET('/v1/customers/{customerId}', {
      params: { path: { customerId: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(() => unwrap(missing)).toThrow(/404 not_found/);
    const stranger = createLicensingClient({ baseUrl, apiKey: 'lsk_not-a-key' });
    const denied = await stranger.GET('/v1/customers', {});
    expect(denied.response.status).toBe(401);
    expect(denied.error?.code).toBe('unauthorized');
  });

  it('pages through every item of a list with paginate', async () => {
    const customerId = unwrap(await client.POST('/v1/customers', { body: { name: 'Paged', country: 'US' } })).id;
    unwrap(
      await client.POST('/v1/customers/{customerId}/users/batch', {
        params: { path: { customerId } },
        body: {
          users: Array.from({ length: 23 }, (_, i) => ({
            userPrincipalName: `p${String(i).padStart(2, '0')}@paged.example`,
            displayName: `P ${String(i).padStart(2, '0')}`,
          })),
        },
      }),
    );
    const pagesRead: number[] = [];
    const names: string[] = [];
    for await (const user of paginate((page) => {
      pagesRead.push(page);
      return client.GET('/v1/customers/{customerId}/users', {
        params: { path: { customerId }, query: { page, pageSize: 5 } },
      });
    }))
      names.push(user.userPrincipalName);
    expect(pagesRead).toEqual([1, 2, 3, 4, 5]);
    expect(names).toEqual(Array.from({ length: 23 }, (_, i) => `p${String(i).padStart(2, '0')}@paged.example`));
    // A problem on the way is thrown.
    const pages = paginate((page) =>
      client.GET('/v1/customers/{customerId}/users', {
        params: { path: { customerId }, query: { page, pageSize: 0 } },
      }),
    );
    await expect(pages.next()).rejects.toMatchObject({ status: 400, code: 'validation_error' });
  });

  it('waits for a job by its event stream, and by polling where the API has none', async () => {
    const { customerId, userIds } = await customerWithSeats('Waiting', 12);
    const requested: string[] = [];
    const recording = createLicensingClient({
      baseUrl,
      apiKey,
      fetch: (request) => {
        requested.push(`${request.method} ${new URL(request.url).pathname}`);
        return fetch(request);
      },
    });
    const first = unwrap(
      await recording.POST('/v1/customers/{customerId}/license-jobs', {
        params: { path: { customerId } },
        body: { userIds: userIds.slice(0, 6), assign: [{ productId: SUITE.id }] },
      }),
    );
    const states: string[] = [];
    const job = await waitForJob(recording, customerId, first.id, { onProgress: (j) => states.push(j.status) });
    expect(job).toMatchObject({ id: first.id, status: 'completed', progress: { succeeded: 6, pending: 0 } });
    expect(states.at(-1)).toBe('completed');
    const jobPath = `/v1/customers/${customerId}/license-jobs/${first.id}`;
    expect(requested).toContain(`GET ${jobPath}/events`);
    expect(requested).not.toContain(`GET ${jobPath}`); // no poll: the stream told the end

    // An API without the event stream (here: its answer replaced by a 404) is polled.
    requested.length = 0;
    const withoutEvents = createLicensingClient({
      baseUrl,
      apiKey,
      fetch: (request) => {
        const path = new URL(request.url).pathname;
        requested.push(`${request.method} ${path}`);
        if (path.endsWith('/events'))
          return Promise.resolve(
            Response.json(
              { type: 'about:blank', title: 'Not Found', status: 404, detail: 'no', code: 'not_found' },
              {
                status: 404,
                headers: { 'content-type': 'application/problem+json' },
              },
            ),
          );
        return fetch(request);
      },
    });
    const second = unwrap(
      await withoutEvents.POST('/v1/customers/{customerId}/license-jobs', {
        params: { path: { customerId } },
        body: { userIds: userIds.slice(6), assign: [{ productId: SUITE.id }] },
      }),
    );
    const polled = await waitForJob(withoutEvents, customerId, second.id, { intervalMs: 50 });
    expect(polled).toMatchObject({ id: second.id, status: 'completed', progress: { succeeded: 6 } });
    expect(requested).toContain(`GET /v1/customers/${customerId}/license-jobs/${second.id}`);
    const held = await system.env.sql<{ n: number }[]>`
      select count(*)::int as n from user_licenses where user_id = any(${userIds}) and product_id = ${SUITE.id}`;
    expect(held[0]!.n).toBe(12);
  });

  it('retries a lost job creation with the same Idempotency-Key: one job, one reservation', async () => {
    const { customerId, userIds } = await customerWithSeats('Retried', 4);
    const keys: (string | null)[] = [];
    const retries: { attempt: number; delayMs: number; status: number }[] = [];
    let lost = 0;
    const flaky = createLicensingClient({
      baseUrl,
      apiKey,
      retry: { onRetry: ({ attempt, delayMs, status }) => retries.push({ attempt, delayMs, status }) },
      // The first answer to a job creation is lost after the API has accepted the job: the client
      // sees a 503 instead, as through a proxy that dropped the answer.
      fetch: async (request) => {
        const creating = request.method === 'POST' && new URL(request.url).pathname.endsWith('/license-jobs');
        if (creating) keys.push(request.headers.get('idempotency-key'));
        const response = await fetch(request);
        if (creating && lost++ === 0) {
          await response.body?.cancel();
          return Response.json(
            {
              type: 'about:blank',
              title: 'Service Unavailable',
              status: 503,
              detail: 'lost',
              code: 'service_unavailable',
            },
            { status: 503, headers: { 'retry-after': '0', 'content-type': 'application/problem+json' } },
          );
        }
        return response;
      },
    });
    const job = unwrap(
      await flaky.POST('/v1/customers/{customerId}/license-jobs', {
        params: { path: { customerId } },
        body: { userIds, assign: [{ productId: SUITE.id }] },
      }),
    );
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(retries).toEqual([{ attempt: 1, delayMs: 0, status: 503 }]);
    const jobs = await system.env.sql<{ id: string }[]>`select id from license_jobs where customer_id = ${customerId}`;
    expect(jobs.map((j) => j.id)).toEqual([job.id]);
    await waitForJob(flaky, customerId, job.id);
    const [subscription] = unwrap(
      await flaky.GET('/v1/customers/{customerId}/subscriptions', { params: { path: { customerId } } }),
    ).items;
    expect(subscription).toMatchObject({ quantity: 4, assigned: 4, reserved: 0 });
    await expectSeatInvariant(system.env.sql);

    // Without its key a POST answered 503 is not repeated (it may have been done); a 429 always is.
    const seen: string[] = [];
    let answered = 0;
    const bare = createLicensingClient({
      baseUrl,
      apiKey,
      idempotencyKeys: false,
      fetch: async (request) => {
        seen.push(`${request.method} ${request.headers.get('idempotency-key')}`);
        answered++;
        const status = request.method === 'POST' ? 503 : answered === 1 ? 429 : 0;
        if (status)
          return Response.json(
            {
              type: 'about:blank',
              title: 'Busy',
              status,
              detail: 'busy',
              code: status === 429 ? 'rate_limited' : 'overloaded',
            },
            { status, headers: { 'retry-after': '0', 'content-type': 'application/problem+json' } },
          );
        return fetch(request);
      },
    });
    const listed = await bare.GET('/v1/customers/{customerId}/subscriptions', { params: { path: { customerId } } });
    expect(listed.response.status).toBe(200);
    const refused = await bare.POST('/v1/customers/{customerId}/license-jobs', {
      params: { path: { customerId } },
      body: { userIds, revoke: [SUITE.id] },
    });
    expect(refused.response.status).toBe(503);
    expect(() => unwrap(refused)).toThrow(expect.objectContaining({ code: 'overloaded', retryAfter: 0 }));
    expect(seen).toEqual(['GET null', 'GET null', 'POST null']);
  });
});

async function customerWithSeats(name: string, users: number) {
  const customerId = unwrap(await client.POST('/v1/customers', { body: { name, country: 'US' } })).id;
  const created = unwrap(
    await client.POST('/v1/customers/{customerId}/users/batch', {
      params: { path: { customerId } },
      body: {
        users: Array.from({ length: users }, (_, i) => ({
          userPrincipalName: `u${i}@${name.toLowerCase()}.example`,
          displayName: `User ${i}`,
        })),
      },
    }),
  );
  unwrap(
    await client.PUT('/v1/customers/{customerId}/subscriptions/{productId}', {
      params: { path: { customerId, productId: SUITE.id } },
      body: { quantity: users },
    }),
  );
  return { customerId, userIds: created.items.map((u) => u.id) };
}
