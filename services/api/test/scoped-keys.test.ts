// Scoped API keys: every partner route declares the scope it needs (a table of every scope against
// every route of the OpenAPI document), keys limited to some customers see nothing of the others,
// keys expire, revocation and expiry take effect at once on every process, and partners issue and
// revoke their own keys without ever granting more than the issuing key holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { SCOPES } from '@licensing/domain';
import { declarePartnerScopes, type PartnerRoute } from '../src/auth.ts';
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

type Operation = { security?: Record<string, string[]>[] };
interface DocumentedRoute {
  method: string;
  path: string;
  scope: string;
}

/** Every partner operation of the OpenAPI document, with the scope its `security` names. */
async function partnerOperations(app: FastifyInstance): Promise<DocumentedRoute[]> {
  const doc = (await call(app, 'GET', '/docs/json')).body as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) => {
      const requirement = op.security?.find((s) => 'partnerApiKey' in s);
      return requirement ? [{ method: method.toUpperCase(), path, scope: requirement.partnerApiKey![0]! }] : [];
    }),
  );
}

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** A URL for a documented path: the customer given, the suite product, any other id unknown. */
const urlOf = (path: string, customerId: string, ids: Record<string, string> = {}) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'customerId' ? customerId : name === 'productId' ? SUITE.id : (ids[name] ?? UNKNOWN),
  );

const hasBody = (method: string) => method !== 'GET' && method !== 'DELETE';

/** What is stored, as a hash per table: a refused call must change none of it. */
async function snapshot(): Promise<string> {
  const tables = [
    'customers',
    'users',
    'user_licenses',
    'subscriptions',
    'license_jobs',
    'license_job_items',
    'seat_reservations',
    'webhooks',
    'webhook_deliveries',
    'audit_events',
    'groups',
    'group_members',
    'group_license_states',
    'partner_api_keys',
  ];
  const parts = await Promise.all(
    tables.map(
      async (t) =>
        (
          await env.sql.unsafe(
            `SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS h FROM (SELECT * FROM ${t}) x`,
          )
        )[0]!.h,
    ),
  );
  // last_used_at moves with use (once a minute): not a change a caller made.
  const keys = await env.sql`SELECT md5(string_agg(id::text || coalesce(revoked_at::text, ''), ',' ORDER BY id)) AS h
    FROM partner_api_keys`;
  return [...parts.slice(0, -1), keys[0]!.h].join(':');
}

beforeAll(async () => {
  env = await createTestEnv();
  const webhookPolicy = { allowPrivateTargets: true, allowHttp: true };
  [a, b] = [await buildTestApi(env, { webhookPolicy }), await buildTestApi(env, { webhookPolicy })];
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
});

afterAll(async () => {
  // Sockets the test's fetch keeps alive would hold the listening app open.
  if (a?.server.listening) a.server.closeAllConnections();
  await Promise.all([a?.close(), b?.close(), catalog?.close()]);
  await env?.close();
});

describe('scopes declared on every route', () => {
  it('every partner route declares a scope, and the OpenAPI document names the same one', async () => {
    const declared = a.partnerRoutes.filter((r) => r.method !== 'HEAD');
    expect(declared.length).toBeGreaterThanOrEqual(35);
    for (const route of declared) expect(SCOPES, `${route.method} ${route.url}`).toContain(route.scope);
    const documented = await partnerOperations(a);
    const key = (method: string, path: string) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`;
    expect(documented.map((r) => `${key(r.method, r.path)} ${r.scope}`).sort()).toEqual(
      declared.map((r) => `${key(r.method, r.url)} ${r.scope}`).sort(),
    );
    // Every /v1 route of the document is either an operator's or a partner's with its scope.
    const doc = (await call(a, 'GET', '/docs/json')).body as { paths: Record<string, Record<string, Operation>> };
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        expect(op.security, `${method} ${path}`).toEqual(
          path.startsWith('/v1/admin/')
            ? [{ operatorToken: [] }]
            : [{ partnerApiKey: [expect.stringMatching(/^[a-z:]+$/)] }],
        );
  });

  it('refuses to register a partner route that declares no scope, or an unknown one', async () => {
    const app = Fastify({ logger: false });
    const routes: PartnerRoute[] = [];
    declarePartnerScopes(app, routes);
    for (const config of [undefined, {}, { scope: 'admin' }, { scope: '*' }])
      expect(() => app.get('/v1/anything', { config: config as never }, async () => 'x')).toThrow(
        /must declare the scope it needs/,
      );
    app.get('/v1/declared', { config: { scope: 'read' } }, async () => 'x');
    expect(routes).toEqual([
      { method: 'GET', url: '/v1/declared', scope: 'read', allCustomers: false },
      { method: 'HEAD', url: '/v1/declared', scope: 'read', allCustomers: false },
    ]);
    await app.close();
  });

  it('answers 403 insufficient_scope with requiredScope for every scope a route does not take, on every partner route, and changes nothing', async () => {
    // A partner of its own: the calls a key's scope allows may change what it has.
    const operator = await PartnerClient.create(a, 'Scope table');
    const customer = await operator.customer();
    const keys = Object.fromEntries(
      await Promise.all(SCOPES.map(async (s) => [s, await operator.issueKey({ scopes: [s] })] as const)),
    );
    const routes = await partnerOperations(a);
    expect(routes.length).toBeGreaterThanOrEqual(35);
    const denied: string[] = [];
    const before = await snapshot();
    for (const route of routes) {
      for (const scope of SCOPES) {
        if (scope === route.scope) continue;
        const res = await keys[scope]!.call(
          route.method as 'GET',
          urlOf(route.path, customer),
          hasBody(route.method) ? {} : undefined,
        );
        const what = `${scope} → ${route.method} ${route.path}`;
        expect(res.status, what).toBe(403);
        expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
        expect(res.body, what).toMatchObject({ code: 'insufficient_scope', requiredScope: route.scope });
        denied.push(what);
      }
    }
    expect(denied).toHaveLength(routes.length * (SCOPES.length - 1));
    expect(await snapshot()).toBe(before);
    // The scope a route declares lets the call through (to its own answer), as does every scope (operator key).
    for (const route of routes)
      for (const client of [keys[route.scope]!, operator]) {
        const res = await client.call(
          route.method as 'GET',
          urlOf(route.path, customer),
          hasBody(route.method) ? {} : undefined,
        );
        expect(res.body?.code, `${route.method} ${route.path}`).not.toBe('insufficient_scope');
        expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
      }
  });
});

describe('keys limited to some customers', () => {
  let owner: PartnerClient;
  let alpha: string;
  let beta: string;
  const jobs: Record<string, string> = {};
  const users: Record<string, string[]> = {};
  let limited: PartnerClient & { keyId: string };

  beforeAll(async () => {
    owner = await PartnerClient.create(a, 'Limited');
    expect((await owner.call('PUT', '/v1/webhook', { url: 'http://127.0.0.1:9/hook' })).status).toBe(200);
    expect((await owner.call('POST', '/v1/webhook/test')).status).toBe(202);
    alpha = await owner.customer('Alpha');
    beta = await owner.customer('Beta');
    for (const customer of [alpha, beta]) {
      users[customer] = await owner.users(customer, 2);
      await owner.subscribe(customer, SUITE.id, 5);
      const job = await owner.startJob(customer, { userIds: users[customer], assign: [{ productId: SUITE.id }] });
      expect(job.status).toBe(202);
      jobs[customer] = job.body.id;
      // No worker runs here: cancelling finishes the job and records its webhook event.
      expect((await owner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`)).status).toBe(
        200,
      );
    }
    limited = await owner.issueKey({ name: 'Alpha only', scopes: [...SCOPES], customerIds: [alpha] });
  });

  it('lists only its customers and answers 404 for the others on every customer route of the OpenAPI document', async () => {
    const list = await limited.call('GET', '/v1/customers');
    expect(list.body).toMatchObject({ total: 1, items: [{ id: alpha, name: 'Alpha' }] });
    expect((await owner.call('GET', '/v1/customers')).body.total).toBe(2);

    const routes = (await partnerOperations(a)).filter((r) => r.path.includes('{customerId}'));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const before = await snapshot();
    let notFound = 0;
    for (const route of routes) {
      const res = await limited.call(
        route.method as 'GET',
        urlOf(route.path, beta, { jobId: jobs[beta]!, userId: users[beta]![0]! }),
        hasBody(route.method) ? { userIds: users[beta], revoke: [SUITE.id] } : undefined,
      );
      // A body the route refuses before looking anything up tells nothing either (400 validation_error).
      if (res.status === 400) {
        expect(hasBody(route.method), `${route.method} ${route.path}`).toBe(true);
        expect(res.body.code, `${route.method} ${route.path}`).toBe('validation_error');
        continue;
      }
      expect(res.status, `${route.method} ${route.path}`).toBe(404);
      expect(res.body.code, `${route.method} ${route.path}`).toBe('not_found');
      expect(JSON.stringify(res.body)).not.toContain(users[beta]![0]);
      notFound++;
    }
    expect(notFound).toBeGreaterThanOrEqual(15);
    expect(await snapshot()).toBe(before);
    // Its own customer answers as usual: its users, its jobs, its audit trail.
    expect((await limited.call('GET', `/v1/customers/${alpha}/users`)).body.total).toBe(2);
    expect((await limited.call('GET', `/v1/customers/${alpha}/license-jobs`)).body.items).toMatchObject([
      { id: jobs[alpha] },
    ]);
    expect((await limited.call('GET', `/v1/customers/${alpha}/audit-events`)).body.total).toBeGreaterThan(0);
  });

  it("leaves the other customers' events out of webhook deliveries, event streams and CSV downloads", async () => {
    const all = (await owner.call('GET', '/v1/webhook/deliveries')).body.items as { customerId: string | null }[];
    expect(all.map((d) => d.customerId).sort()).toEqual([alpha, beta, null].sort());
    const seen = await limited.call('GET', '/v1/webhook/deliveries');
    expect(seen.body).toMatchObject({ total: 1, items: [{ customerId: alpha, jobId: jobs[alpha] }] });
    const betaDelivery = (all as { id: string; customerId: string }[]).find((d) => d.customerId === beta)!;
    expect((await limited.call('POST', `/v1/webhook/deliveries/${betaDelivery.id}/redeliver`)).status).toBe(404);
    expect((await limited.call('POST', `/v1/webhook/deliveries/${seen.body.items[0].id}/redeliver`)).status).toBe(202);
    for (const [url, accept] of [
      [`/v1/customers/${beta}/license-jobs/${jobs[beta]}/events`, 'text/event-stream'],
      [`/v1/customers/${beta}/license-jobs/${jobs[beta]}/results?format=csv`, 'text/csv'],
      [`/v1/customers/${alpha}/license-jobs/${jobs[beta]}/results?format=csv`, 'text/csv'],
    ] as const) {
      const res = await limited.call('GET', url, undefined, { accept });
      expect(res.status, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('may not create customers nor manage the partner-wide webhook: 403 insufficient_scope', async () => {
    const before = await snapshot();
    for (const [method, url, body, scope] of [
      ['POST', '/v1/customers', { name: 'Gamma', country: 'US' }, 'users:write'],
      ['PUT', '/v1/webhook', { url: 'http://127.0.0.1:9/other' }, 'webhooks:manage'],
      ['DELETE', '/v1/webhook', undefined, 'webhooks:manage'],
      ['POST', '/v1/webhook/rotate-secret', undefined, 'webhooks:manage'],
      ['POST', '/v1/webhook/test', undefined, 'webhooks:manage'],
    ] as const) {
      const res = await limited.call(method, url, body);
      expect(res.status, url).toBe(403);
      expect(res.body, url).toMatchObject({ code: 'insufficient_scope', requiredScope: scope });
    }
    expect(await snapshot()).toBe(before);
  });

  it('issues keys only for its own customers, and lists only those', async () => {
    const ownKey = await limited.issueKey({
      name: 'Alpha helpdesk',
      scopes: ['read', 'licenses:write'],
      customerIds: [alpha],
    });
    const before = await snapshot();
    for (const customerIds of [[beta], [alpha, beta], null, undefined]) {
      const res = await limited.call('POST', '/v1/keys', { name: 'Wider', scopes: ['read'], customerIds });
      expect(res.status, JSON.stringify(customerIds)).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
      expect(res.body.customerIds).toEqual(customerIds ? [beta] : ['*']);
    }
    expect(await snapshot()).toBe(before);
    const betaKey = await owner.issueKey({ name: 'Beta only', scopes: ['read'], customerIds: [beta] });
    const listed = (await limited.call('GET', '/v1/keys')).body as { id: string; customerIds: string[] | null }[];
    expect(listed.map((k) => k.id).sort()).toEqual([limited.keyId, ownKey.keyId].sort());
    // Keys beyond its customers are not there for it: revoking one answers 404.
    expect((await limited.call('DELETE', `/v1/keys/${betaKey.keyId}`)).status).toBe(404);
    expect((await owner.call('GET', '/v1/keys')).body.map((k: { id: string }) => k.id)).toEqual(
      expect.arrayContaining([limited.keyId, ownKey.keyId, betaKey.keyId]),
    );
    // An unknown customer is named (for a key that reaches every customer).
    const unknown = await owner.call('POST', '/v1/keys', { name: 'Ghost', scopes: ['read'], customerIds: [UNKNOWN] });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_customers', customerIds: [UNKNOWN] });
  });
});

describe('expiry and revocation', () => {
  it('answers 401 key_expired on every process once a key has expired, on every partner route', async () => {
    const owner = await PartnerClient.create(a, 'Expiring');
    const customer = await owner.customer();
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const key = await owner.issueKey({ name: 'Temporary', scopes: ['read'], expiresAt: inAnHour });
    const current = await key.call('GET', '/v1/keys/current');
    expect(current.body).toMatchObject({ id: key.keyId, name: 'Temporary', scopes: ['read'], customerIds: null });
    expect(Date.parse(current.body.expiresAt)).toBe(Date.parse(inAnHour));
    // Its expiry passes (the database's clock decides, the same for every process).
    await env.sql`UPDATE partner_api_keys SET expires_at = now() - interval '1 second' WHERE id = ${key.keyId}`;
    for (const route of await partnerOperations(a))
      for (const app of [a, b]) {
        const res = await call(
          app,
          route.method as 'GET',
          urlOf(route.path, customer),
          key.apiKey,
          hasBody(route.method) ? {} : undefined,
        );
        expect(res.status, `${route.method} ${route.path}`).toBe(401);
        expect(res.body.code, `${route.method} ${route.path}`).toBe('key_expired');
      }
    // Gone from the live keys; the others work on.
    expect((await owner.call('GET', '/v1/keys')).body.map((k: { id: string }) => k.id)).not.toContain(key.keyId);
    expect((await owner.call('GET', `/v1/customers/${customer}`)).status).toBe(200);
  });

  it('refuses an expiry in the past, and a key that would outlive its issuer', async () => {
    const owner = await PartnerClient.create(a, 'Lifetimes');
    const past = await owner.call('POST', '/v1/keys', {
      name: 'Late',
      scopes: ['read'],
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past.status).toBe(422);
    expect(past.body.code).toBe('invalid_expiry');
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const issuer = await owner.issueKey({ scopes: ['read', 'keys:manage'], expiresAt });
    const later = await issuer.call('POST', '/v1/keys', {
      name: 'Longer',
      scopes: ['read'],
      expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });
    expect(later.status).toBe(403);
    expect(later.body.code).toBe('key_outlives_issuer');
    // Without an expiry of its own, the new key expires with its issuer.
    const child = await issuer.call('POST', '/v1/keys', { name: 'Child', scopes: ['read'] });
    expect(child.status).toBe(201);
    expect(Date.parse(child.body.expiresAt)).toBe(Date.parse(expiresAt));
  });

  it('ends event streams at once when their key expires or is revoked on another process', async () => {
    const owner = await PartnerClient.create(a, 'Streams');
    const customer = await owner.customer();
    const userIds = await owner.users(customer, 2);
    await owner.subscribe(customer, SUITE.id, 2);
    const job = await owner.startJob(customer, { userIds, assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    const [expiring, revoked, staying] = await Promise.all(
      ['Expiring', 'Revoked', 'Staying'].map((name) => owner.issueKey({ name, scopes: ['read'] })),
    );
    const address = await a.listen({ port: 0, host: '127.0.0.1' });
    const url = `${address}/v1/customers/${customer}/license-jobs/${job.body.id}/events`;
    const open = async (key: string) => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^event: progress\n/);
      return reader;
    };
    const [r1, r2, r3] = [await open(expiring!.apiKey), await open(revoked!.apiKey), await open(staying!.apiKey)];
    const ended = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
      for (;;) if ((await reader.read()).done) return true;
    };
    await env.sql`UPDATE partner_api_keys SET expires_at = now() WHERE id = ${expiring!.keyId}`;
    expect((await call(b, 'DELETE', `/v1/keys/${revoked!.keyId}`, owner.apiKey)).status).toBe(204);
    expect(await ended(r1)).toBe(true);
    expect(await ended(r2)).toBe(true);

    // The stream of a key that still works stays open.
    const still = await Promise.race([
      r3.read().then(() => 'data'),
      new Promise<string>((resolve) => setTimeout(() => resolve('open'), 600)),
    ]);
    expect(still).toBe('open');
    await r3.cancel();
    for (const key of [expiring!, revoked!]) {
      const again = await fetch(url, { headers: { authorization: `Bearer ${key.apiKey}` } });
      expect(again.status).toBe(401);
      expect(((await again.json()) as { code: string }).code).toBe(key === expiring ? 'key_expired' : 'unauthorized');
    }
  });
});

describe('self-service keys', () => {
  it('issues a key shown once, lists it without the secret, answers it as current, and revokes it at once everywhere', async () => {
    const owner = await PartnerClient.create(a, 'Self-service');
    const created = await owner.call('POST', '/v1/keys', {
      name: 'Billing automation',
      scopes: ['subscriptions:write', 'read', 'read'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Billing automation',
      issuedBy: 'partner',
      scopes: ['read', 'subscriptions:write'],
      customerIds: null,
      expiresAt: null,
      lastUsedAt: null,
    });
    expect(created.body.apiKey).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiKey.startsWith(created.body.prefix)).toBe(true);
    const key = new PartnerClient(b, created.body.apiKey);
    expect((await key.call('GET', '/v1/keys/current')).body).toMatchObject({
      id: created.body.id,
      scopes: ['read', 'subscriptions:write'],
    });
    const listed = (await owner.call('GET', '/v1/keys')).body as Record<string, unknown>[];
    expect(listed.map((k) => k.issuedBy)).toEqual(['operator', 'partner']);
    expect(JSON.stringify(listed)).not.toContain(created.body.apiKey);
    expect(Object.keys(listed[1]!).sort()).toEqual(
      ['createdAt', 'customerIds', 'expiresAt', 'id', 'issuedBy', 'lastUsedAt', 'name', 'prefix', 'scopes'].sort(),
    );
    const [row] = await env.sql`SELECT * FROM partner_api_keys WHERE id = ${created.body.id}`;
    expect(JSON.stringify(row)).not.toContain(created.body.apiKey.slice(4));

    expect((await call(a, 'DELETE', `/v1/keys/${created.body.id}`, owner.apiKey)).status).toBe(204);
    for (const app of [a, b])
      expect((await call(app, 'GET', '/v1/keys/current', created.body.apiKey)).status).toBe(401);
    expect((await owner.call('DELETE', `/v1/keys/${created.body.id}`)).status).toBe(404);
    expect((await owner.call('DELETE', '/v1/keys/not-a-uuid')).status).toBe(404);
  });

  it('never grants a scope the issuing key lacks, and revokes only keys it could have issued', async () => {
    const owner = await PartnerClient.create(a, 'Delegation');
    const manager = await owner.issueKey({ name: 'Helpdesk lead', scopes: ['read', 'licenses:write', 'keys:manage'] });
    const reader = await owner.issueKey({ scopes: ['read'] });
    const before = await snapshot();
    for (const scopes of [['users:write'], ['read', 'subscriptions:write'], ['keys:manage', 'webhooks:manage']]) {
      const res = await manager.call('POST', '/v1/keys', { name: 'Too much', scopes });
      expect(res.status, scopes.join()).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
      expect(res.body.scopes).toEqual(scopes.filter((s) => !['read', 'keys:manage'].includes(s)));
      expect(res.body.requiredScope).toBe(res.body.scopes[0]);
    }
    const noManage = await reader.call('POST', '/v1/keys', { name: 'Nope', scopes: ['read'] });
    expect(noManage.body).toMatchObject({ code: 'insufficient_scope', requiredScope: 'keys:manage' });
    expect((await reader.call('GET', '/v1/keys')).status).toBe(403);
    const invalid = await owner.call('POST', '/v1/keys', { name: 'Star', scopes: ['*'] });
    expect(invalid.status).toBe(400);
    expect((await owner.call('POST', '/v1/keys', { name: 'None', scopes: [] })).status).toBe(400);
    expect(await snapshot()).toBe(before);

    // It may not revoke the operator's key (every scope) nor a key with scopes it lacks.
    const operatorKeyId = (await owner.call('GET', '/v1/keys/current')).body.id;
    const billing = await owner.issueKey({ scopes: ['read', 'subscriptions:write'] });
    for (const id of [operatorKeyId, billing.keyId]) {
      const res = await manager.call('DELETE', `/v1/keys/${id}`);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
    }
    const helpdesk = await manager.issueKey({ name: 'Helpdesk', scopes: ['read', 'licenses:write'] });
    expect((await manager.call('DELETE', `/v1/keys/${helpdesk.keyId}`)).status).toBe(204);
    expect((await manager.call('DELETE', `/v1/keys/${manager.keyId}`)).status).toBe(204);
    expect((await manager.call('GET', '/v1/keys/current')).status).toBe(401);
  });

  it('holds at most 25 live partner-issued keys under concurrent requests; the operator keeps its 2', async () => {
    const owner = await PartnerClient.create(a, 'Many keys');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(i % 2 ? a : b, 'POST', '/v1/keys', owner.apiKey, { name: `Key ${i}`, scopes: ['read'] }),
      ),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(25);
    const refused = answers.filter((r) => r.status === 409);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.body).toMatchObject({ code: 'too_many_api_keys', maxLiveKeys: 25 });
    const ownKeyId = (await owner.call('GET', '/v1/keys/current')).body.id as string;
    const [{ partner }] = await env.sql`SELECT partner_id AS partner FROM partner_api_keys WHERE id = ${ownKeyId}`;
    // The operator's rotation rule is apart: a second operator key, not a third.
    expect((await call(a, 'POST', `/v1/admin/partners/${partner}/keys`, OPERATOR_TOKEN)).status).toBe(201);
    expect((await call(a, 'POST', `/v1/admin/partners/${partner}/keys`, OPERATOR_TOKEN)).status).toBe(409);
    // A revoked key and an expired one no longer count.
    const issued = answers.filter((r) => r.status === 201).map((r) => r.body.id as string);
    expect((await owner.call('DELETE', `/v1/keys/${issued[0]}`)).status).toBe(204);
    await env.sql`UPDATE partner_api_keys SET expires_at = now() WHERE id = ${issued[1]!}`;
    expect((await owner.call('POST', '/v1/keys', { name: 'Again', scopes: ['read'] })).status).toBe(201);
    expect((await owner.call('POST', '/v1/keys', { name: 'Again 2', scopes: ['read'] })).status).toBe(201);
    expect((await owner.call('POST', '/v1/keys', { name: 'One too many', scopes: ['read'] })).status).toBe(409);
    const [{ live }] = await env.sql`
      SELECT count(*)::int AS live FROM partner_api_keys
      WHERE partner_id = ${partner} AND issued_by = 'partner' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;
    expect(live).toBe(25);
  });

  it('names the acting key in the audit trail', async () => {
    const owner = await PartnerClient.create(a, 'Audited');
    const customer = await owner.customer();
    const helpdesk = await owner.issueKey({ name: 'Helpdesk', scopes: ['read', 'users:write'] });
    const user = await helpdesk.call('POST', `/v1/customers/${customer}/users`, {
      userPrincipalName: 'ada@fabrikam.example',
      displayName: 'Ada',
    });
    expect(user.status).toBe(201);
    const events = (await owner.call('GET', `/v1/customers/${customer}/audit-events`)).body.items;
    expect(events.map((e: { type: string; actor: { keyName: string } }) => [e.type, e.actor.keyName])).toEqual([
      ['user.created', 'Helpdesk'],
      ['customer.created', 'Operator-issued key'],
    ]);
    expect(events[0].actor.keyId).toBe(helpdesk.keyId);
  });
});
