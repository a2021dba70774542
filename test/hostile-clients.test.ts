// Hostile clients: another partner's key, and a key of the same partner limited to another customer, on
// every partner route of the OpenAPI document; every scope a route does not take; malformed
// and oversized input, rate limiting, and a property-based fuzzer (every caller, expired and revoked
// keys among them, on every route, then random ones). Nothing may answer 5xx, leak,
// or change anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildTestApi, startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { call, expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';
import { SCOPES, type Scope } from '@licensing/domain';

let system: TestSystem;
let env: TestEnv;
let api: FastifyInstance;
let owner: PartnerClient;
let intruder: PartnerClient;
/** A key of the owner's own partner, with every scope, limited to another customer of it. */
let limitedToOther: PartnerClient;
/** A key of the owner with exactly one scope, for each scope. */
let scoped: Record<Scope, PartnerClient>;
/** Keys of the owner with every scope that no longer work: one expired, one revoked. */
let expired: PartnerClient;
let revoked: PartnerClient;
let ids: { customerId: string; userId: string; jobId: string; productId: string; userIds: string[]; groupId: string };

async function snapshot(): Promise<string> {
  const tables = [
    'customers',
    'users',
    'user_licenses',
    'subscriptions',
    'license_jobs',
    'license_job_items',
    'seat_reservations',
    'reserved_seats',
    'idempotency_keys',
    'groups',
    'group_members',
    'group_license_states',
  ];
  const parts = await Promise.all(
    tables.map(
      async (t) =>
        (
          await env.sql.unsafe(`SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS h FROM ${t} x`)
        )[0]!.h,
    ),
  );
  return parts.join(':');
}

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  ({ env, api } = system);
  owner = await PartnerClient.create(api, 'Owner');
  intruder = await PartnerClient.create(api, 'Intruder');
  const customerId = await owner.customer();
  const userIds = await owner.users(customerId, 3);
  await owner.subscribe(customerId, SUITE.id, 10);
  const job = await owner.startJob(customerId, { userIds, assign: [{ productId: SUITE.id }] });
  await owner.waitForJob(customerId, job.body.id);
  const group = await owner.call('POST', `/v1/customers/${customerId}/groups`, { name: 'Owners' });
  expect(group.status).toBe(201);
  ids = { customerId, userId: userIds[0]!, jobId: job.body.id, productId: SUITE.id, userIds, groupId: group.body.id };
  const other = await owner.customer('Other customer of the owner');
  limitedToOther = await owner.issueKey({ name: 'Other only', scopes: [...SCOPES], customerIds: [other] });
  scoped = Object.fromEntries(
    await Promise.all(SCOPES.map(async (scope) => [scope, await owner.issueKey({ scopes: [scope] })])),
  ) as Record<Scope, PartnerClient>;
  const [expiring, revoking] = await Promise.all([
    owner.issueKey({ name: 'Expired', scopes: [...SCOPES] }),
    owner.issueKey({ name: 'Revoked', scopes: [...SCOPES] }),
  ]);
  await env.sql`UPDATE partner_api_keys SET expires_at = now() WHERE id = ${expiring.keyId}`;
  expect((await owner.call('DELETE', `/v1/keys/${revoking.keyId}`)).status).toBe(204);
  [expired, revoked] = [expiring, revoking];
});

/** Callers that must see nothing of the owner's customer: another partner, and a key of the owner limited to another customer. */
const outsiders = () =>
  [
    ['another partner', intruder],
    ['a key limited to another customer', limitedToOther],
  ] as const;

/** Every partner operation of the OpenAPI document with the scope its `security` names. */
async function partnerOperations(): Promise<{ method: string; path: string; scope: Scope }[]> {
  const doc = (await call(api, 'GET', '/docs/json')).body;
  return Object.entries(doc.paths as Record<string, Record<string, { security?: Record<string, string[]>[] }>>).flatMap(
    ([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => {
        const scope = op.security?.find((r) => 'partnerApiKey' in r)?.partnerApiKey?.[0];
        return scope ? [{ method: method.toUpperCase(), path, scope: scope as Scope }] : [];
      }),
  );
}

afterAll(async () => {
  await system?.close();
});

/** A valid request body for every partner route that takes one. A route missing here fails the matrix. */
function bodyFor(method: string, path: string): unknown {
  const bodies: Record<string, unknown> = {
    'POST /v1/customers': undefined, // not customer-scoped: creates the intruder's own customer
    'POST /v1/customers/{customerId}/users': { userPrincipalName: 'intruder@evil.example', displayName: 'Intruder' },
    'PATCH /v1/customers/{customerId}/users/{userId}': { displayName: 'Hijacked', usageLocation: null },
    'POST /v1/customers/{customerId}/users/batch': {
      users: [{ userPrincipalName: 'intruder@evil.example', displayName: 'Intruder' }],
    },
    'PUT /v1/customers/{customerId}/subscriptions/{productId}': { quantity: 1000 },
    'POST /v1/customers/{customerId}/license-overview': { userIds: ids.userIds },
    'POST /v1/customers/{customerId}/license-jobs': { userIds: ids.userIds, revoke: [SUITE.id] },
    'POST /v1/customers/{customerId}/license-jobs/{jobId}/cancel': {},
    'POST /v1/customers/{customerId}/license-jobs/preview': { userIds: ids.userIds, assign: [{ productId: SUITE.id }] },
    'POST /v1/customers/{customerId}/license-jobs/{jobId}/retry': {},
    'POST /v1/customers/{customerId}/license-jobs/{jobId}/revert': {},
    'POST /v1/customers/{customerId}/license-jobs/{jobId}/revert/preview': {},
    'POST /v1/customers/{customerId}/groups': { name: 'Intruders' },
    'PATCH /v1/customers/{customerId}/groups/{groupId}': { name: 'Hijacked' },
    'POST /v1/customers/{customerId}/groups/{groupId}/members': { userIds: ids.userIds },
    'POST /v1/customers/{customerId}/groups/{groupId}/members/remove': { userIds: ids.userIds },
    'PUT /v1/customers/{customerId}/groups/{groupId}/licenses': { licenses: [{ productId: SUITE.id }] },
    'POST /v1/customers/{customerId}/groups/{groupId}/reprocess': {},
    'POST /v1/customers/{customerId}/users/{userId}/reprocess-licenses': {},
  };
  const key = `${method} ${path}`;
  if (!(key in bodies)) throw new Error(`no isolation case for ${key}: add one`);
  return bodies[key];
}

describe('tenant isolation', () => {
  it('answers 404 to another partner on every customer-scoped route of the OpenAPI document, and changes nothing', async () => {
    const doc = (await call(api, 'GET', '/docs/json')).body;
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
    const scoped = routes.filter((r) => r.path.includes('{customerId}'));
    expect(scoped.length).toBeGreaterThanOrEqual(12);
    const before = await snapshot();
    for (const [who, outsider] of outsiders())
      for (const { method, path } of scoped) {
        const url = path.replace(/\{(\w+)\}/g, (_, name: keyof typeof ids) => String(ids[name]));
        const body = method === 'GET' || method === 'DELETE' ? undefined : bodyFor(method, path);
        const res = await outsider.call(method as 'GET', url, body);
        expect(res.status, `${who}: ${method} ${path}`).toBe(404);
        expect(res.body.code).toBe('not_found');
        expect(JSON.stringify(res.body)).not.toContain(ids.userId);
      }
    expect(await snapshot()).toBe(before);
    // Unscoped partner routes only ever show the caller's own data.
    expect((await intruder.call('GET', '/v1/customers')).body.total).toBe(0);
    const listed = (await limitedToOther.call('GET', '/v1/customers')).body;
    expect(listed.total).toBe(1);
    expect(JSON.stringify(listed)).not.toContain(ids.customerId);
  });

  it('answers 403 insufficient_scope to every scope a route does not take, on every partner route, with valid requests, and changes nothing', async () => {
    const routes = await partnerOperations();
    expect(routes.length).toBeGreaterThanOrEqual(35);
    const before = await snapshot();
    let refused = 0;
    for (const { method, path, scope: needed } of routes) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: keyof typeof ids) => String(ids[name] ?? ids.jobId));
      // The request the owner's full key would have carried out, so only the scope stands in its way.
      const body =
        method === 'GET' || method === 'DELETE'
          ? undefined
          : path.includes('{customerId}')
            ? bodyFor(method, path)
            : {};
      for (const scope of SCOPES) {
        if (scope === needed) continue;
        const res = await scoped[scope].call(method as 'GET', url, body);
        expect(res.status, `${scope}: ${method} ${path}`).toBe(403);
        expect(res.body, `${scope}: ${method} ${path}`).toMatchObject({
          code: 'insufficient_scope',
          requiredScope: needed,
        });
        expect(JSON.stringify(res.body)).not.toContain(ids.userId);
        refused++;
      }
    }
    expect(refused).toBe(routes.length * (SCOPES.length - 1));
    expect(await snapshot()).toBe(before);
  });

  it("answers 404 to another partner's user filters, never a count, on every route that takes one", async () => {
    const doc = (await call(api, 'GET', '/docs/json')).body;
    const schemaOf = (ref: { $ref?: string } | undefined): any =>
      ref?.$ref ? doc.components.schemas[ref.$ref.split('/').pop()!] : ref;
    // Every body that can select users by filter, as the OpenAPI document declares it.
    const filterRoutes = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => schemaOf(op.requestBody?.content?.['application/json']?.schema)?.properties?.userFilter)
        .map(([method]) => ({ method: method.toUpperCase(), path })),
    );
    expect(filterRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'POST /v1/customers/{customerId}/license-overview',
        'POST /v1/customers/{customerId}/license-jobs',
      ]),
    );
    const filters = [
      {},
      { hasProduct: SUITE.id },
      { lacksProduct: SUITE.id },
      { licensed: true },
      { licensed: false, search: 'user' },
      { hasProduct: 'NOPE' },
    ];
    const before = await snapshot();
    const expectHidden = (res: { status: number; body: any }, what: string) => {
      expect(res.status, what).toBe(404);
      expect(res.body.code, what).toBe('not_found');
      for (const leak of ['total', 'items', 'users', 'maxUsers', 'shortages', 'productIds', 'userCount'])
        expect(res.body, what).not.toHaveProperty(leak);
    };
    for (const { method, path } of filterRoutes) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: keyof typeof ids) => String(ids[name]));
      const { userIds: _ignored, ...rest } = bodyFor(method, path) as Record<string, unknown>;
      for (const userFilter of filters)
        for (const [who, outsider] of outsiders())
          expectHidden(
            await outsider.call(method as 'POST', url, { ...rest, userFilter }),
            `${who}: ${method} ${path}`,
          );
    }
    for (const query of [
      `hasProduct=${SUITE.id}`,
      `lacksProduct=${SUITE.id}`,
      'licensed=true',
      'licensed=false&search=user',
      'hasProduct=NOPE',
    ])
      for (const [who, outsider] of outsiders())
        expectHidden(await outsider.call('GET', `/v1/customers/${ids.customerId}/users?${query}`), `${who}: ${query}`);
    for (const [who, outsider] of outsiders())
      expectHidden(
        await outsider.call('GET', `/v1/customers/${ids.customerId}/users/${ids.userId}/license-history`),
        `${who}: license-history`,
      );
    expect(await snapshot()).toBe(before);
  });
});

describe('tenant isolation of the 1.1 job parameters', () => {
  it("answers 404 problems, never a CSV row, an event or a 304, to another partner's job", async () => {
    const c = `/v1/customers/${ids.customerId}/license-jobs`;
    const j = `${c}/${ids.jobId}`;
    const etag = (await owner.call('GET', j)).headers.etag as string;
    const before = await snapshot();
    const cases: [string, string, Record<string, string>?][] = [
      ['GET', `${c}?status=completed,cancelled&clientReference=x`],
      ['GET', `${j}/results?format=csv`],
      ['GET', `${j}/results?status=cancelled`, { accept: 'text/csv' }],
      ['GET', j, { 'if-none-match': etag }],
      ['GET', j, { 'if-none-match': '*' }],
      ['GET', `${j}/events`, { accept: 'text/event-stream' }],
      ['POST', `${j}/retry`, { 'idempotency-key': 'intruder-retry' }],
      ['POST', `${c}/preview`],
    ];
    for (const [method, url, headers] of cases)
      for (const [who, outsider] of outsiders()) {
        const body = url.endsWith('/preview') ? { userFilter: {}, revoke: [SUITE.id] } : undefined;
        const res = await outsider.call(method as 'GET', url, body, headers);
        expect(res.status, `${who}: ${method} ${url}`).toBe(404);
        expect(res.headers['content-type'], url).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('not_found');
        expect(JSON.stringify(res.body)).not.toContain(ids.userId);
      }
    expect(await snapshot()).toBe(before);
  });
});

describe('hostile input', () => {
  it('answers malformed, oversized and odd requests with 4xx problem documents and changes nothing', async () => {
    const before = await snapshot();
    const c = `/v1/customers/${ids.customerId}`;
    const auth = { authorization: `Bearer ${owner.apiKey}` };
    const cases: {
      name: string;
      method: 'GET' | 'POST' | 'PUT' | 'DELETE';
      url: string;
      payload?: string;
      headers?: Record<string, string>;
      status: number;
    }[] = [
      {
        name: 'NUL byte in a name',
        method: 'POST',
        url: `${c}/users`,
        payload: JSON.stringify({ userPrincipalName: 'a@b.c', displayName: 'x\u0000y' }),
        status: 400,
      },
      { name: 'NUL byte in search', method: 'GET', url: `${c}/users?search=%00`, status: 400 },
      {
        name: 'oversized name',
        method: 'POST',
        url: '/v1/customers',
        payload: JSON.stringify({ name: 'x'.repeat(10_000), country: 'US' }),
        status: 400,
      },
      { name: 'malformed JSON', method: 'POST', url: '/v1/customers', payload: '{"name": "x", ', status: 400 },
      { name: 'JSON null body', method: 'POST', url: '/v1/customers', payload: 'null', status: 400 },
      { name: 'array body', method: 'POST', url: '/v1/customers', payload: '[]', status: 400 },
      {
        name: 'deep nesting',
        method: 'POST',
        url: `${c}/license-jobs`,
        payload: `{"userIds":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        status: 400,
      },
      {
        name: 'unknown field',
        method: 'POST',
        url: `${c}/license-jobs`,
        payload: JSON.stringify({ userIds: ids.userIds, revoke: [SUITE.id], isAdmin: true }),
        status: 400,
      },
      {
        name: 'wrong types',
        method: 'POST',
        url: `${c}/license-jobs`,
        payload: JSON.stringify({ userIds: 'all', revoke: SUITE.id }),
        status: 400,
      },
      {
        name: '50,001 users',
        method: 'POST',
        url: `${c}/license-jobs`,
        payload: JSON.stringify({ userIds: Array.from({ length: 50_001 }, () => ids.userId), revoke: [SUITE.id] }),
        status: 400,
      },
      {
        name: 'body over the limit',
        method: 'POST',
        url: '/v1/customers',
        payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), country: 'US' }),
        status: 413,
      },
      {
        name: 'wrong content type',
        method: 'POST',
        url: '/v1/customers',
        payload: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        status: 415,
      },
      {
        name: 'text/plain',
        method: 'POST',
        url: '/v1/customers',
        payload: 'x',
        headers: { 'content-type': 'text/plain' },
        status: 415,
      },
      { name: 'malformed path id', method: 'GET', url: '/v1/customers/%00', status: 404 },
      {
        name: 'malformed product id',
        method: 'PUT',
        url: `${c}/subscriptions/%3Cscript%3E`,
        payload: '{"quantity":1}',
        status: 400,
      },
      { name: 'page out of range', method: 'GET', url: `${c}/users?page=-1`, status: 400 },
      { name: 'page size not a number', method: 'GET', url: `${c}/users?pageSize=lots`, status: 400 },
      {
        name: 'huge quantity',
        method: 'PUT',
        url: `${c}/subscriptions/${SUITE.id}`,
        payload: '{"quantity":1e30}',
        status: 400,
      },
      {
        name: 'idempotency key too long',
        method: 'POST',
        url: `${c}/license-jobs`,
        payload: JSON.stringify({ userIds: ids.userIds, revoke: ['NOPE'] }),
        headers: { 'idempotency-key': 'k'.repeat(256) },
        status: 400,
      },
      { name: 'unknown route', method: 'GET', url: '/v2/everything', status: 404 },
      { name: 'unknown method', method: 'DELETE', url: '/v1/customers', status: 404 },
    ];
    for (const t of cases) {
      const res = await api.inject({
        method: t.method,
        url: t.url,
        payload: t.payload,
        headers: { ...auth, ...(t.payload !== undefined ? { 'content-type': 'application/json' } : {}), ...t.headers },
      });
      expect(res.statusCode, t.name).toBe(t.status);
      expect(res.headers['content-type'], t.name).toMatch(/application\/problem\+json/);
      const body = res.json();
      expect(body, t.name).toMatchObject({
        status: t.status,
        type: expect.any(String),
        title: expect.any(String),
        detail: expect.any(String),
        code: expect.any(String),
      });
    }
    expect(await snapshot()).toBe(before);
  });

  it('parses a job body of 50,000 user ids (not 413): unknown ones are named, nothing is reserved', async () => {
    const before = await snapshot();
    const userIds = Array.from({ length: 50_000 }, () => crypto.randomUUID());
    const res = await owner.call('POST', `/v1/customers/${ids.customerId}/license-jobs`, {
      userIds,
      assign: [{ productId: SUITE.id }],
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('unknown_users');
    expect(res.body.userIds).toHaveLength(50_000);
    expect(await snapshot()).toBe(before);
  });

  it('never leaks key hashes or internal columns', async () => {
    const created = await call(api, 'POST', '/v1/admin/partners', 'test-operator-token', { name: 'Leak check' });
    expect(Object.keys(created.body).sort()).toEqual(['apiKey', 'id', 'name']);
    const user = await owner.call('GET', `/v1/customers/${ids.customerId}/users/${ids.userId}`);
    expect(Object.keys(user.body).sort()).toEqual([
      'customerId',
      'department',
      'displayName',
      'id',
      'licenseStates',
      'licenses',
      'usageLocation',
      'userPrincipalName',
    ]);
    const job = await owner.call('GET', `/v1/customers/${ids.customerId}/license-jobs/${ids.jobId}`);
    expect(job.body).not.toHaveProperty('partnerId');
    expect(job.body).not.toHaveProperty('seq');
    expect(job.body).not.toHaveProperty('summary');
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After past the per-key limit, per partner key', async () => {
    const limited = await buildTestApi(env, { rateLimitPerMinute: 5 });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 7; i++) {
        last = await call(limited, 'GET', '/v1/customers', owner.apiKey);
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses[5]).toBe(429);
      expect(last!.headers['retry-after']).toBeDefined();
      expect(last!.body).toMatchObject({ status: 429, code: 'rate_limited' });
      expect((await call(limited, 'GET', '/v1/customers', intruder.apiKey)).status).toBe(200);
      expect((await call(limited, 'GET', '/livez')).status).toBe(200);
    } finally {
      await limited.close(); // its Redis keys are under the file's prefix, removed with the environment
    }
  });
});

describe('fuzzing', () => {
  it('never answers 5xx to generated hostile requests, and seats stay consistent', async () => {
    const doc = (await call(api, 'GET', '/docs/json')).body;
    const scopeOf = new Map((await partnerOperations()).map((r) => [`${r.method} ${r.path}`, r.scope]));
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => ({ method: m.toUpperCase(), path })),
      )
      .filter((r) => !r.path.startsWith('/docs') && !r.path.startsWith('/admin/queues'));
    // Who calls: the owner's full key, another partner, the owner's key limited to another customer,
    // the owner's key of each single scope, and its keys that expired or were revoked.
    const callers: { name: string; client: PartnerClient; scope?: Scope; refused?: string }[] = [
      { name: 'owner', client: owner },
      { name: 'intruder', client: intruder },
      { name: 'limited', client: limitedToOther },
      ...SCOPES.map((scope) => ({ name: scope, client: scoped[scope], scope })),
      { name: 'expired', client: expired, refused: 'key_expired' },
      { name: 'revoked', client: revoked, refused: 'unauthorized' },
    ];
    const idValue = fc.oneof(
      fc.constantFrom(
        ids.customerId,
        ids.userId,
        ids.jobId,
        SUITE.id,
        'x',
        '%00',
        '..',
        '00000000-0000-0000-0000-000000000000',
      ),
      fc.uuid(),
      fc.string({ maxLength: 80 }).map(encodeURIComponent),
    );
    const jsonish = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record(
        {
          userIds: fc.array(fc.oneof(fc.uuid(), fc.constantFrom(...ids.userIds), fc.string()), { maxLength: 5 }),
          assign: fc.array(
            fc.record({
              productId: fc.oneof(fc.constantFrom(SUITE.id, 'PHONE_ADDON', 'NOPE'), fc.string()),
              disabledServicePlans: fc.array(fc.string(), { maxLength: 3 }),
            }),
            { maxLength: 3 },
          ),
          revoke: fc.array(fc.constantFrom(SUITE.id, 'COPILOT', ''), { maxLength: 2 }),
          userFilter: fc.oneof(
            fc.record(
              {
                search: fc.string({ maxLength: 20 }),
                hasProduct: fc.oneof(fc.constantFrom(SUITE.id, 'NOPE'), fc.string({ maxLength: 70 })),
                lacksProduct: fc.oneof(fc.constantFrom(SUITE.id, 'NOPE'), fc.string({ maxLength: 70 })),
                licensed: fc.oneof(fc.boolean(), fc.string({ maxLength: 5 })),
              },
              { requiredKeys: [] },
            ),
            fc.jsonValue({ maxDepth: 2 }),
          ),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          name: fc.string({ maxLength: 300 }),
          country: fc.string({ maxLength: 3 }),
          quantity: fc.oneof(fc.integer(), fc.double()),
          users: fc.array(fc.record({ userPrincipalName: fc.string(), displayName: fc.string() }), { maxLength: 3 }),
          displayName: fc.oneof(fc.string({ maxLength: 300 }), fc.constant(null)),
          usageLocation: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('FR', 'us', null)),
        },
        { requiredKeys: [] },
      ),
    );
    const query = fc.dictionary(
      fc.constantFrom(
        'page',
        'pageSize',
        'search',
        'status',
        'hasProduct',
        'lacksProduct',
        'licensed',
        'x',
        'clientReference',
        'format',
      ),
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.integer().map(String),
        fc.constantFrom(SUITE.id, 'NOPE', 'true', 'false'),
      ),
      { maxKeys: 3 },
    );
    const before = await expectSeatInvariant(env.sql);
    void before;
    const hostileRequest = async (
      route: (typeof routes)[number],
      values: string[],
      body: unknown,
      q: Record<string, string>,
      caller: (typeof callers)[number],
    ) => {
      let n = 0;
      const url =
        route.path.replace(/\{\w+\}/g, () => values[n++ % values.length]!) +
        (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '');
      const res = await api.inject({
        method: route.method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${caller.client.apiKey}`,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
        },
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : JSON.stringify(body),
      });
      const what = `${caller.name}: ${route.method} ${url} ${JSON.stringify(body).slice(0, 300)} → ${res.statusCode} ${res.body}`;
      if (res.statusCode >= 500) throw new Error(what);
      // A key without the route's scope is refused before anything else (or the path matched no route).
      const needed = scopeOf.get(`${route.method} ${route.path}`);
      if (caller.scope && needed && caller.scope !== needed) {
        if (res.statusCode !== 403 && res.statusCode !== 404) throw new Error(what);
        if (res.statusCode === 403 && res.json().requiredScope !== needed) throw new Error(what);
      }
      // A key that expired or was revoked gets nothing from any partner route (or the path matched no route).
      if (caller.refused && needed) {
        if (res.statusCode !== 401 && res.statusCode !== 404) throw new Error(what);
        if (res.statusCode === 401 && res.json().code !== caller.refused) throw new Error(what);
      }
      // Nothing of the owner's customer ever reaches a key limited to another one, nor another partner.
      if ((caller.name === 'limited' || caller.name === 'intruder') && res.statusCode < 300)
        for (const id of [ids.customerId, ids.userId, ids.jobId]) if (res.body.includes(id)) throw new Error(what);
    };
    // Every caller (each single scope among them) on every route: generated requests for each pair,
    // so no scope × route combination is left to chance.
    const request = fc.tuple(fc.array(idValue, { minLength: 4, maxLength: 4 }), jsonish, query);
    const pairs = new Set<string>();
    for (const [r, route] of routes.entries())
      for (const [c, caller] of callers.entries())
        for (const [values, body, q] of fc.sample(request, { numRuns: 2, seed: 20261206 + r * callers.length + c })) {
          await hostileRequest(route, values, body, q, caller);
          pairs.add(`${caller.name} ${route.method} ${route.path}`);
        }
    expect(pairs.size).toBe(routes.length * callers.length);
    expect(callers.filter((c) => c.scope).map((c) => c.scope)).toEqual([...SCOPES]);
    // Then random ones across all of them.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(idValue, { minLength: 4, maxLength: 4 }),
        jsonish,
        query,
        fc.constantFrom(...callers),
        hostileRequest,
      ),
      { numRuns: 400, seed: 20261124 },
    );
    await expect
      .poll(async () => (await env.sql`SELECT count(*)::int AS n FROM license_jobs WHERE finished_at IS NULL`)[0].n, {
        timeout: 20_000,
      })
      .toBe(0);
    await expectSeatInvariant(env.sql);
  });
});
