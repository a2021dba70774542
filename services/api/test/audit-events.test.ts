// The audit trail: every change a partner makes, recorded with the change, newest first, isolated.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_TOKEN, startTestSystem, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { call, PartnerClient } from '../../../test/support/client.ts';
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
    expect(byType['user.created'].actor).toEqual({ partnerId, keyId, keyName: 'Operator-issued key' });
    expect(byType['user.created'].requestId).toEqual(expect.any(String));
    expect(page.body.items[3].data).toEqual({ productId: SUITE.id, oldQuantity: 3, newQuantity: 5 });
    expect(page.body.items[4].data).toEqual({ productId: SUITE.id, oldQuantity: null, newQuantity: 3 });
    expect(byType['license_job.accepted'].data).toEqual({
      jobId: job.body.id,
      request: {
        assign: [{ productId: SUITE.id, disabledServicePlans: [] }],
        revoke: [],
        userCount: 3,
        clientReference: null,
      },
    });
    expect(byType['customer.created'].data).toEqual({ name: 'Fabrikam', country: 'US' });
    // Each row as stored: the partner's changes carry the key and the id of their own request.
    const rows = await env.sql`
      SELECT type, partner_id, customer_id, key_id, request_id FROM audit_events WHERE customer_id = ${customer} ORDER BY seq`;
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      const byService = row.type === 'license_job.finished';
      expect(row, row.type).toEqual({
        type: row.type,
        partner_id: partnerId,
        customer_id: customer,
        key_id: byService ? null : keyId,
        request_id: byService ? null : expect.any(String),
      });
    }
    const requestIds = rows.filter((r) => r.request_id).map((r) => r.request_id);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    expect(byType['license_job.finished']).toMatchObject({
      actor: { partnerId, keyId: null, keyName: null },
      data: { jobId: job.body.id, status: 'completed' },
    });
    expect(byType['user.deleted'].data).toEqual({ userId: users[0] });

    const filtered = await partner.call('GET', `/v1/customers/${customer}/audit-events?type=subscription.updated`);
    expect(filtered.body.total).toBe(2);
    expect((await partner.call('GET', `/v1/customers/${customer}/audit-events?type=nope`)).status).toBe(400);
    expect((await other.call('GET', `/v1/customers/${customer}/audit-events`)).status).toBe(404);
  });

  it('records user updates, cancels and retries with the key, the request id and the data of each call', async () => {
    const customer = await partner.customer('Contoso', 'FR');
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    const [{ partner_id: partnerId }] = await env.sql`SELECT partner_id FROM customers WHERE id = ${customer}`;
    // A second key of the same partner (a rotation under way): each event names the key of its own call.
    const issued = await call(system.api, 'POST', `/v1/admin/partners/${partnerId}/keys`, OPERATOR_TOKEN);
    expect(issued.status).toBe(201);
    const second = new PartnerClient(system.api, issued.body.apiKey);
    const [{ id: firstKeyId }] = await env.sql`
      SELECT id FROM partner_api_keys WHERE partner_id = ${partnerId} AND id <> ${issued.body.id}`;
    const requestId = (name: string) => ({ 'x-request-id': `${name}-${randomUUID()}` });

    const createId = requestId('create');
    const created = await partner.call(
      'POST',
      `/v1/customers/${customer}/users`,
      { userPrincipalName: 'megan@contoso.example', displayName: 'Megan Bowen' },
      createId,
    );
    expect(created.status).toBe(201);
    const [single] = await env.sql`
      SELECT key_id, request_id, data FROM audit_events WHERE customer_id = ${customer} AND type = 'user.created'
      ORDER BY seq DESC LIMIT 1`;
    expect(single).toEqual({
      key_id: firstKeyId,
      request_id: createId['x-request-id'],
      data: { count: 1, userId: created.body.id, userPrincipalName: 'megan@contoso.example' },
    });
    const renameId = requestId('rename');
    const renamed = await partner.call(
      'PATCH',
      `/v1/customers/${customer}/users/${users[0]}`,
      { displayName: 'Adele Vance', usageLocation: null },
      renameId,
    );
    expect(renamed.status).toBe(200);
    // A change refused as unknown records nothing.
    const unknownUser = '00000000-0000-4000-8000-000000000000';
    expect(
      (await partner.call('PATCH', `/v1/customers/${customer}/users/${unknownUser}`, { displayName: 'x' })).status,
    ).toBe(404);

    // The job waits in a paused queue, so it is still unfinished when it is cancelled.
    await env.queue.pause();
    let retry;
    try {
      const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
      expect(job.status).toBe(202);
      const cancelId = requestId('cancel');
      const cancelled = await second.call(
        'POST',
        `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`,
        undefined,
        cancelId,
      );
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', progress: { cancelled: 2 } });
      // Cancelling a finished job is refused and records nothing more.
      expect((await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`)).status).toBe(
        409,
      );
      const retryId = requestId('retry');
      retry = await second.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/retry`, undefined, {
        ...retryId,
        'idempotency-key': `retry-${job.body.id}`,
      });
      expect(retry.status).toBe(202);
      expect(retry.body).toMatchObject({ retryOf: job.body.id, request: { userCount: 2 } });
      // The same retry again under its Idempotency-Key is the same job, not a second event.
      const replay = await second.call(
        'POST',
        `/v1/customers/${customer}/license-jobs/${job.body.id}/retry`,
        undefined,
        {
          'idempotency-key': `retry-${job.body.id}`,
        },
      );
      expect(replay.body.id).toBe(retry.body.id);

      const rows = await env.sql`
        SELECT type, partner_id, customer_id, key_id, request_id, data FROM audit_events
        WHERE customer_id = ${customer} AND type IN ('user.updated', 'license_job.cancelled', 'license_job.retried')
        ORDER BY seq`;
      expect(rows).toEqual([
        {
          type: 'user.updated',
          partner_id: partnerId,
          customer_id: customer,
          key_id: firstKeyId,
          request_id: renameId['x-request-id'],
          data: { userId: users[0], changes: { displayName: 'Adele Vance', usageLocation: null } },
        },
        {
          type: 'license_job.cancelled',
          partner_id: partnerId,
          customer_id: customer,
          key_id: issued.body.id,
          request_id: cancelId['x-request-id'],
          data: { jobId: job.body.id },
        },
        {
          type: 'license_job.retried',
          partner_id: partnerId,
          customer_id: customer,
          key_id: issued.body.id,
          request_id: retryId['x-request-id'],
          data: {
            jobId: retry.body.id,
            retryOf: job.body.id,
            request: {
              assign: [{ productId: SUITE.id, disabledServicePlans: [] }],
              revoke: [],
              userCount: 2,
              clientReference: null,
            },
          },
        },
      ]);

      // The listing answers the same events, newest first; the cancelled job's finish is recorded
      // by the cancel that finished it, as the service's own event.
      const listed = await partner.call('GET', `/v1/customers/${customer}/audit-events?pageSize=50`);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((e: { type: string }) => e.type)).toEqual([
        'license_job.retried',
        'license_job.finished',
        'license_job.cancelled',
        'license_job.accepted',
        'user.updated',
        'user.created',
        'subscription.updated',
        'user.created',
        'customer.created',
      ]);
      const [retried, finished, cancelledEvent, , updated] = listed.body.items;
      expect(updated).toMatchObject({
        actor: { partnerId, keyId: firstKeyId, keyName: 'Operator-issued key' },
        requestId: renameId['x-request-id'],
        data: { userId: users[0], changes: { displayName: 'Adele Vance', usageLocation: null } },
      });
      expect(cancelledEvent).toMatchObject({
        actor: { partnerId, keyId: issued.body.id, keyName: 'Operator-issued key' },
        requestId: cancelId['x-request-id'],
        data: { jobId: job.body.id },
      });
      expect(finished).toMatchObject({
        actor: { partnerId, keyId: null, keyName: null },
        requestId: null,
        data: { jobId: job.body.id, status: 'cancelled', progress: { cancelled: 2, pending: 0 } },
      });
      expect(retried).toMatchObject({
        actor: { partnerId, keyId: issued.body.id, keyName: 'Operator-issued key' },
        requestId: retryId['x-request-id'],
        data: { jobId: retry.body.id, retryOf: job.body.id, request: { userCount: 2 } },
      });
      for (const type of ['user.updated', 'license_job.cancelled', 'license_job.retried', 'license_job.finished']) {
        const filtered = await second.call('GET', `/v1/customers/${customer}/audit-events?type=${type}`);
        expect(
          filtered.body.items.map((e: { type: string }) => e.type),
          type,
        ).toEqual([type]);
      }
    } finally {
      await env.queue.resume();
    }
    await partner.waitForJob(customer, retry!.body.id);

    // Another partner sees none of it: not through the customer, not among its own customers' events.
    expect((await other.call('GET', `/v1/customers/${customer}/audit-events`)).status).toBe(404);
    expect((await other.call('GET', `/v1/customers/${customer}/audit-events?type=license_job.cancelled`)).status).toBe(
      404,
    );
    const theirs = await other.customer();
    const theirEvents = await other.call('GET', `/v1/customers/${theirs}/audit-events?pageSize=500`);
    expect(theirEvents.body.items.map((e: { type: string }) => e.type)).toEqual(['customer.created']);
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
