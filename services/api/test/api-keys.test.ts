// Operators list partners and their keys, issue a second key and revoke the old one: the partner
// rotates without downtime, and a revoked key stops working at once on every API process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  buildTestApi,
  buildTestCatalog,
  createTestEnv,
  OPERATOR_TOKEN,
  type TestEnv,
} from '../../../test/support/test-env.ts';
import { call, PartnerClient, putProduct } from '../../../test/support/client.ts';
import { SUITE } from '../../../test/fixtures.ts';

let env: TestEnv;
let a: FastifyInstance;
let b: FastifyInstance;
let catalog: FastifyInstance;

const op = (app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
  call(app, method, url, OPERATOR_TOKEN, body);

beforeAll(async () => {
  env = await createTestEnv();
  [a, b] = [await buildTestApi(env), await buildTestApi(env)];
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), catalog?.close()]);
  await env?.close();
});

/** A partner with a second key issued and the first revoked: answers both keys and the partner's id. */
async function rotated(name: string) {
  const created = await op(a, 'POST', '/v1/admin/partners', { name });
  const partnerId = created.body.id as string;
  const [first] = (await op(a, 'GET', `/v1/admin/partners/${partnerId}/keys`)).body;
  const issued = await op(a, 'POST', `/v1/admin/partners/${partnerId}/keys`);
  return {
    partnerId,
    oldKey: created.body.apiKey as string,
    oldKeyId: first.id as string,
    newKey: issued.body.apiKey as string,
    revoke: async (app: FastifyInstance = a) =>
      expect((await op(app, 'DELETE', `/v1/admin/partners/${partnerId}/keys/${first.id}`)).status).toBe(204),
  };
}

describe('API keys', () => {
  it('rotates a key without downtime: the new key works before the old is revoked, the old stops at once on both processes', async () => {
    const partner = await PartnerClient.create(a, 'Rotating');
    const customer = await partner.customer();
    const partnerId = (await env.sql`SELECT partner_id FROM customers WHERE id = ${customer}`)[0]!.partner_id as string;
    const works = async (app: FastifyInstance, key: string) =>
      (await call(app, 'GET', `/v1/customers/${customer}`, key)).status;

    const before = await op(a, 'GET', `/v1/admin/partners/${partnerId}/keys`);
    expect(before.status).toBe(200);
    expect(before.body).toHaveLength(1);
    const oldKeyId = before.body[0].id;
    expect(partner.apiKey.startsWith(before.body[0].prefix)).toBe(true);

    const issued = await op(b, 'POST', `/v1/admin/partners/${partnerId}/keys`);
    expect(issued.status).toBe(201);
    expect(Object.keys(issued.body).sort()).toEqual(['apiKey', 'createdAt', 'id']);
    const newKey = issued.body.apiKey as string;
    expect(newKey).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    // Both keys work on both processes while the partner switches over.
    for (const app of [a, b]) {
      expect(await works(app, partner.apiKey)).toBe(200);
      expect(await works(app, newKey)).toBe(200);
    }
    // A third live key is refused.
    const third = await op(a, 'POST', `/v1/admin/partners/${partnerId}/keys`);
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('too_many_api_keys');

    expect((await op(a, 'DELETE', `/v1/admin/partners/${partnerId}/keys/${oldKeyId}`)).status).toBe(204);
    for (const app of [a, b]) {
      expect(await works(app, partner.apiKey)).toBe(401);
      expect(await works(app, newKey)).toBe(200);
    }
    expect((await op(a, 'DELETE', `/v1/admin/partners/${partnerId}/keys/${oldKeyId}`)).status).toBe(404);
    const after = await op(b, 'GET', `/v1/admin/partners/${partnerId}/keys`);
    expect(after.body.map((k: { id: string }) => k.id)).toEqual([issued.body.id]);
    // Now a replacement can be issued again.
    expect((await op(a, 'POST', `/v1/admin/partners/${partnerId}/keys`)).status).toBe(201);
    // The stored rows never hold a key in clear.
    const rows = await env.sql`SELECT * FROM partner_api_keys WHERE partner_id = ${partnerId}`;
    expect(JSON.stringify(rows)).not.toContain(newKey.slice(4));
  });

  it('issues at most 2 live keys under concurrent requests', async () => {
    const partner = await PartnerClient.create(a, 'Racing');
    const partnerId = (await op(a, 'GET', '/v1/admin/partners?pageSize=500')).body.items.find(
      (p: { name: string }) => p.name === 'Racing',
    ).id;
    void partner;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => op(i % 2 ? a : b, 'POST', `/v1/admin/partners/${partnerId}/keys`)),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(5);
    const [{ live }] = await env.sql`
      SELECT count(*)::int AS live FROM partner_api_keys WHERE partner_id = ${partnerId} AND revoked_at IS NULL`;
    expect(live).toBe(2);
  });

  it('lists partners with their keys and last use, to the minute, without a write per request', async () => {
    const partner = await PartnerClient.create(a, 'Listed');
    const list = await op(a, 'GET', '/v1/admin/partners?page=1&pageSize=500');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 500 });
    const listed = list.body.items.find((p: { name: string }) => p.name === 'Listed');
    expect(listed.keys).toHaveLength(1);
    expect(listed.keys[0].lastUsedAt).toBeNull();
    expect(Object.keys(listed.keys[0]).sort()).toEqual([
      'createdAt',
      'customerIds',
      'expiresAt',
      'id',
      'issuedBy',
      'lastUsedAt',
      'name',
      'prefix',
      'scopes',
    ]);
    expect(listed.keys[0]).toMatchObject({ issuedBy: 'operator', scopes: ['*'], customerIds: null, expiresAt: null });

    for (let i = 0; i < 20; i++) expect((await partner.call('GET', '/v1/customers')).status).toBe(200);
    await expect
      .poll(async () => (await op(b, 'GET', `/v1/admin/partners/${listed.id}`)).body.keys[0].lastUsedAt, {
        timeout: 5000,
      })
      .not.toBeNull();
    const [{ lastUsed }] =
      await env.sql`SELECT last_used_at AS "lastUsed" FROM partner_api_keys WHERE partner_id = ${listed.id}`;
    // Further requests within the minute do not move it.
    for (let i = 0; i < 5; i++) await partner.call('GET', '/v1/customers');
    await new Promise((r) => setTimeout(r, 200));
    const [{ again }] =
      await env.sql`SELECT last_used_at AS again FROM partner_api_keys WHERE partner_id = ${listed.id}`;
    expect(again).toEqual(lastUsed);
    const detail = await op(a, 'GET', `/v1/admin/partners/${listed.id}`);
    expect(detail.body).toMatchObject({ id: listed.id, name: 'Listed', keys: [{ id: listed.keys[0].id }] });
  });

  it('answers 404 for unknown or malformed partners and keys, and refuses partner keys', async () => {
    const partner = await PartnerClient.create(a, 'Plain');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await op(a, 'GET', `/v1/admin/partners/${unknown}`)).status).toBe(404);
    expect((await op(a, 'GET', '/v1/admin/partners/nope')).status).toBe(404);
    expect((await op(a, 'POST', `/v1/admin/partners/${unknown}/keys`)).status).toBe(404);
    expect((await op(a, 'DELETE', `/v1/admin/partners/${unknown}/keys/${unknown}`)).status).toBe(404);
    for (const [method, url] of [
      ['GET', '/v1/admin/partners'],
      ['GET', `/v1/admin/partners/${unknown}/keys`],
      ['POST', `/v1/admin/partners/${unknown}/keys`],
    ] as const)
      expect((await call(a, method, url, partner.apiKey)).status, url).toBe(401);
  });

  it('refuses a revoked key on every partner route at once, saying it was revoked', async () => {
    const keys = await rotated('Revoked everywhere');
    const customer = (await call(a, 'POST', '/v1/customers', keys.oldKey, { name: 'Fabrikam', country: 'US' })).body
      .id as string;
    await keys.revoke();
    const document = (await a.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security?.some((s) => 'partnerApiKey' in s))
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
    );
    expect(routes.length).toBeGreaterThan(25);
    for (const { method, path } of routes) {
      const url = path
        .replace('{customerId}', customer)
        .replace('{productId}', SUITE.id)
        .replaceAll(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
      for (const app of [a, b]) {
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers: { authorization: `Bearer ${keys.oldKey}`, 'content-type': 'application/json' },
          payload: method === 'GET' || method === 'DELETE' ? undefined : '{}',
        });
        expect(res.statusCode, `${method} ${path}`).toBe(401);
        expect(res.headers['content-type'], `${method} ${path}`).toMatch(/^application\/problem\+json/);
        expect(res.json(), `${method} ${path}`).toMatchObject({ status: 401, code: 'unauthorized' });
        expect(res.json().detail, `${method} ${path}`).toMatch(/revoked/);
      }
    }
    // The customer is still there, for the new key.
    expect((await call(b, 'GET', `/v1/customers/${customer}`, keys.newKey)).status).toBe(200);
    // A key that never existed is told nothing about revocation.
    const never = await call(a, 'GET', '/v1/customers', `lsk_${'x'.repeat(43)}`);
    expect(never.status).toBe(401);
    expect(never.body.detail).not.toMatch(/revoked/);
  });

  it('ends an event stream opened with a key once the key is revoked, on another API process too', async () => {
    const keys = await rotated('Streaming');
    const customer = (await call(a, 'POST', '/v1/customers', keys.oldKey, { name: 'Fabrikam', country: 'US' })).body
      .id as string;
    const users = await new PartnerClient(a, keys.oldKey).users(customer, 2);
    await call(a, 'PUT', `/v1/customers/${customer}/subscriptions/${SUITE.id}`, keys.oldKey, { quantity: 2 });
    // No worker runs here: the job stays queued, and its stream would stay open.
    const job = await call(a, 'POST', `/v1/customers/${customer}/license-jobs`, keys.oldKey, {
      userIds: users,
      assign: [{ productId: SUITE.id }],
    });
    expect(job.status).toBe(202);
    const address = await a.listen({ port: 0, host: '127.0.0.1' });
    const url = `${address}/v1/customers/${customer}/license-jobs/${job.body.id}/events`;
    const [byOldKey, byNewKey] = await Promise.all(
      [keys.oldKey, keys.newKey].map((key) => fetch(url, { headers: { authorization: `Bearer ${key}` } })),
    );
    const read = async (res: Response) => {
      let text = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += Buffer.from(chunk);
      return text;
    };
    const oldStream = read(byOldKey!);
    const newStream = byNewKey!.body!.getReader();
    expect(new TextDecoder().decode((await newStream.read()).value)).toMatch(/^event: progress\n/);

    await keys.revoke(b);
    const text = await Promise.race([
      oldStream,
      new Promise<string>((_, reject) => setTimeout(() => reject(new Error('the stream stayed open')), 5000)),
    ]);
    expect(text.match(/^event: \w+$/gm)).toEqual(['event: progress']);
    // Reconnecting with the revoked key is refused; the stream opened with the new key goes on.
    expect((await fetch(url, { headers: { authorization: `Bearer ${keys.oldKey}` } })).status).toBe(401);
    const still = await Promise.race([
      newStream.read().then(() => 'data'),
      new Promise<string>((resolve) => setTimeout(() => resolve('open'), 600)),
    ]);
    expect(still).toBe('open');
    await newStream.cancel();
  });
});
