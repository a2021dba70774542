// The OpenAPI document against what the API really answers: every response a scenario of good and
// bad requests provokes is declared for its operation, with the media type sent
// (application/problem+json for problems) and the problem `code` listed in its description.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApiApp, buildOpenApiDocument } from '@licensing/api';
import { buildTestCatalog, createTestEnv, OPERATOR_TOKEN, type TestEnv } from '../../../test/support/test-env.ts';
import { call, PartnerClient, putProduct } from '../../../test/support/client.ts';
import { SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';

interface Seen {
  method: string;
  route: string;
  status: number;
  mediaType: string;
  code?: string;
}

type Operation = {
  operationId?: string;
  description?: string;
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
};

let env: TestEnv;
let api: FastifyInstance;
let catalog: FastifyInstance;
const seen: Seen[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  api = await buildApiApp({
    db: env.db,
    sql: env.sql,
    redis: env.redis,
    queues: env.queues,
    operatorToken: OPERATOR_TOKEN,
    rateLimitPerMinute: 0,
    logLevel: 'silent',
  });
  api.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url;
    if (!route || route.startsWith('/docs')) return payload;
    let code: string | undefined;
    try {
      code = typeof payload === 'string' ? JSON.parse(payload).code : undefined;
    } catch {
      /* not JSON */
    }
    const mediaType = String(reply.getHeader('content-type') ?? '').split(';')[0]!;
    seen.push({ method: request.method.toLowerCase(), route, status: reply.statusCode, mediaType, code });
    return payload;
  });
  await api.ready();
  catalog = await buildTestCatalog(env);
  for (const product of TEST_PRODUCTS) await putProduct(catalog, product);
});

afterAll(async () => {
  await api?.close();
  await catalog?.close();
  await env?.close();
});

describe('the OpenAPI document', () => {
  it('is the one the dump script writes, whatever the configuration', async () => {
    const served = (await call(api, 'GET', '/docs/json')).body;
    expect(served).toEqual(await buildOpenApiDocument());
  });

  it('names every operation, describes every response and declares problems as application/problem+json', async () => {
    const doc = (await call(api, 'GET', '/docs/json')).body;
    const operations = Object.values(doc.paths as Record<string, Record<string, Operation>>).flatMap((ops) =>
      Object.values(ops),
    );
    expect(operations.length).toBeGreaterThanOrEqual(15);
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.description, op.operationId).toBeTruthy();
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${op.operationId} ${status}`).not.toBe('Default Response');
        if (Number(status) >= 400) expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
      }
    }
    for (const name of [
      'Job',
      'User',
      'Customer',
      'Subscription',
      'Product',
      'Problem',
      'LicenseOverview',
      'JobResult',
    ])
      expect(doc.components.schemas).toHaveProperty(name);
  });

  it('declares every status, media type and problem code the API answers', async () => {
    const partner = await PartnerClient.create(api, 'Declared');
    const customerId = await partner.customer();
    const [userId, otherUserId, doomedUserId] = await partner.users(customerId, 3);
    const jobs = `/v1/customers/${customerId}/license-jobs`;
    const unknownId = '00000000-0000-4000-8000-000000000000';

    // Successes.
    await partner.call('GET', '/v1/products');
    await partner.call('GET', `/v1/products/${SUITE.id}`);
    await partner.call('GET', '/v1/customers');
    await partner.call('GET', `/v1/customers/${customerId}`);
    await partner.call('POST', `/v1/customers/${customerId}/users`, {
      userPrincipalName: 'single@fabrikam.example',
      displayName: 'Single',
    });
    await partner.call('GET', `/v1/customers/${customerId}/users?search=user`);
    await partner.call('GET', `/v1/customers/${customerId}/users/${userId}`);
    await partner.call('DELETE', `/v1/customers/${customerId}/users/${doomedUserId}`);
    await partner.subscribe(customerId, SUITE.id, 1);
    await partner.call('GET', `/v1/customers/${customerId}/subscriptions`);
    await partner.call('POST', `/v1/customers/${customerId}/license-overview`, { userIds: [userId] });
    const job = await partner.startJob(customerId, { userIds: [userId], assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    await partner.call('GET', jobs);
    await partner.call('GET', `${jobs}/${job.body.id}`);
    await partner.call('GET', `${jobs}/${job.body.id}/results?status=pending`);
    await partner.call('POST', `${jobs}/${job.body.id}/cancel`);

    // Problems.
    await call(api, 'GET', '/v1/customers', 'lsk_wrong');
    await call(api, 'POST', '/v1/admin/partners', partner.apiKey, { name: 'x' });
    await call(api, 'POST', '/v1/admin/partners', OPERATOR_TOKEN, { name: '' });
    await partner.call('POST', '/v1/customers', '{"name": ', { 'content-type': 'application/json' });
    await partner.call('POST', '/v1/customers', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    await partner.call('POST', '/v1/customers', { name: 'x'.repeat(1_100_000), country: 'US' });
    await partner.call('GET', `/v1/customers/${unknownId}`);
    await partner.call('GET', '/v1/products/NOPE');
    await partner.call('GET', `/v1/customers/${customerId}/users?pageSize=100000`);
    await partner.call('GET', '/v1/customers?productId=SUITE_E3');
    await partner.startJob(customerId, { userFilter: { search: 'nobody at all' }, revoke: [SUITE.id] });
    await partner.call('POST', `/v1/customers/${customerId}/users`, {
      userPrincipalName: 'single@fabrikam.example',
      displayName: 'Again',
    });
    await partner.call('PUT', `/v1/customers/${customerId}/subscriptions/${SUITE.id}`, { quantity: 0 });
    await partner.call('POST', `/v1/customers/${customerId}/license-overview`, { userIds: [unknownId] });
    await partner.startJob(customerId, { userIds: [otherUserId, userId], assign: [{ productId: SUITE.id }] });
    await partner.startJob(customerId, { userIds: [userId], assign: [{ productId: 'NOPE' }] });
    await partner.startJob(customerId, { userIds: [unknownId], revoke: [SUITE.id] });
    await partner.startJob(customerId, { userIds: [userId], revoke: [SUITE.id] }, { 'idempotency-key': '' });
    await partner.startJob(customerId, { userIds: [userId], revoke: [SUITE.id] }, { 'idempotency-key': 'k1' });
    await partner.startJob(customerId, { userIds: [otherUserId], revoke: [SUITE.id] }, { 'idempotency-key': 'k1' });
    await partner.waitForJob(customerId, job.body.id);
    await partner.call('POST', `${jobs}/${job.body.id}/cancel`);
    await partner.call('POST', `${jobs}/preview`, { userIds: [userId], assign: [{ productId: SUITE.id }] });
    await partner.call('POST', `${jobs}/preview`, { userIds: [unknownId], assign: [{ productId: SUITE.id }] });
    await partner.call('POST', `${jobs}/${job.body.id}/retry`);
    const unfinished = await partner.startJob(customerId, { userIds: [otherUserId], revoke: [SUITE.id] });
    await partner.call('POST', `${jobs}/${unfinished.body.id}/retry`);
    await partner.call('DELETE', `/v1/customers/${customerId}/users/${unknownId}`);

    const doc = (await call(api, 'GET', '/docs/json')).body;
    const statuses = new Set<number>();
    for (const response of seen) {
      const path = response.route.replace(/:(\w+)/g, '{$1}');
      const what = `${response.method.toUpperCase()} ${path} → ${response.status} ${response.code ?? ''}`;
      const declared = (doc.paths[path]?.[response.method] as Operation | undefined)?.responses[response.status];
      expect(declared, `${what} is declared`).toBeDefined();
      if (response.status === 204) expect(declared!.content, what).toBeUndefined();
      else expect(Object.keys(declared!.content ?? {}), what).toContain(response.mediaType);
      if (response.status >= 400) {
        expect(response.mediaType, what).toBe('application/problem+json');
        expect(declared!.description, what).toContain(`\`${response.code}\``);
      }
      statuses.add(response.status);
    }
    expect([...statuses].sort()).toEqual([200, 201, 202, 204, 400, 401, 404, 409, 413, 415, 422]);
  });
});
