// Failed authentication is throttled per client address (a revoked key per key and address), on
// partner routes, operator routes and the queue dashboard, across API processes (the counts live in
// Redis); nobody can throttle a key or an address but its own users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { tables } from '@licensing/db';
import { clientNetwork } from '@licensing/http';
import { buildApiApp } from '../services/api/src/app.ts';
import { buildPortalApp } from '../services/portal/src/app.ts';
import { buildTestApi, createTestEnv, OPERATOR_TOKEN, type TestEnv } from './support/test-env.ts';
import { PartnerClient } from './support/client.ts';

let env: TestEnv;
let open: FastifyInstance;
let partner: PartnerClient;
let address = 0;
/** A fresh client address per test, so that tests do not share counters. */
const nextAddress = () => `198.51.100.${++address}`;
const wrongKey = () => `lsk_${randomBytes(32).toString('base64url')}`;

beforeAll(async () => {
  env = await createTestEnv();
  open = await buildTestApi(env);
  partner = await PartnerClient.create(open);
});

afterAll(async () => {
  await open?.close();
  await env?.close();
});

async function get(app: FastifyInstance, url: string, remoteAddress: string, headers: Record<string, string> = {}) {
  const options: InjectOptions = { method: 'GET', url, remoteAddress, headers };
  const res = await app.inject(options);
  const json = String(res.headers['content-type']).includes('json');
  return { status: res.statusCode, headers: res.headers, body: json ? res.json() : res.body };
}

describe('failed authentication', () => {
  it('answers 429 with Retry-After after the limit of wrong partner keys, then refuses even a valid key from that address', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 3 });
    try {
      const from = nextAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await get(api, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      const refused = await get(api, '/v1/customers', from, { authorization: `Bearer ${partner.apiKey}` });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, code: 'authentication_throttled' });
      // Another address is not affected.
      expect(
        (await get(api, '/v1/customers', nextAddress(), { authorization: `Bearer ${partner.apiKey}` })).status,
      ).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('counts missing keys and malformed Authorization headers', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 2 });
    try {
      const from = nextAddress();
      expect((await get(api, '/v1/customers', from)).status).toBe(401);
      expect((await get(api, '/v1/customers', from, { authorization: 'Basic Zm9vOmJhcg==' })).status).toBe(401);
      expect((await get(api, '/v1/customers', from)).status).toBe(429);
    } finally {
      await api.close();
    }
  });

  it('throttles wrong operator tokens on operator routes, and then the right token too', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 3 });
    try {
      const from = nextAddress();
      const createPartner = (token: string) =>
        api.inject({
          method: 'POST',
          url: '/v1/admin/partners',
          remoteAddress: from,
          headers: { authorization: `Bearer ${token}` },
          payload: { name: 'Should not be created' },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await createPartner(`guess-${i}`)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect((await createPartner(OPERATOR_TOKEN)).statusCode).toBe(429);
      const [{ n }] = await env.sql`SELECT count(*)::int AS n FROM partners WHERE name = 'Should not be created'`;
      expect(n).toBe(0);
    } finally {
      await api.close();
    }
  });

  it('throttles the queue dashboard, including wrong basic-auth passwords', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 3 });
    try {
      const from = nextAddress();
      const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await get(api, '/admin/queues', from, { authorization: basic(`guess-${i}`) })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const refused = await get(api, '/admin/queues', from, { authorization: basic(OPERATOR_TOKEN) });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.body.code).toBe('authentication_throttled');
      expect((await get(api, '/admin/queues', nextAddress(), { authorization: basic(OPERATOR_TOKEN) })).status).toBe(
        200,
      );
    } finally {
      await api.close();
    }
  });

  it('holds across API processes sharing Redis', async () => {
    const [a, b] = [
      await buildTestApi(env, { authFailuresPerMinute: 4 }),
      await buildTestApi(env, { authFailuresPerMinute: 4 }),
    ];
    try {
      const from = nextAddress();
      for (const app of [a, b, a, b])
        expect((await get(app, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` })).status).toBe(401);
      expect((await get(b, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` })).status).toBe(429);
      expect((await get(a, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` })).status).toBe(429);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('cannot be turned against a key: wrong keys with its prefix from other addresses never stop it', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 3 });
    try {
      // Strangers who know the partner key's prefix (operators see it) guess from many addresses,
      // ten times in all against a limit of three.
      const prefix = partner.apiKey.slice(0, 10);
      const guess = () =>
        prefix +
        randomBytes(32)
          .toString('base64url')
          .slice(0, partner.apiKey.length - 10);
      const strangers = Array.from({ length: 5 }, nextAddress);
      for (const from of strangers)
        for (let i = 0; i < 2; i++)
          expect((await get(api, '/v1/customers', from, { authorization: `Bearer ${guess()}` })).status).toBe(401);
      // One that goes on is throttled itself, by its address.
      const persistent = strangers[0]!;
      expect((await get(api, '/v1/customers', persistent, { authorization: `Bearer ${guess()}` })).status).toBe(401);
      expect((await get(api, '/v1/customers', persistent, { authorization: `Bearer ${guess()}` })).status).toBe(429);
      // The key keeps working from the partner's addresses, new or old.
      for (const from of [nextAddress(), nextAddress()])
        expect((await get(api, '/v1/customers', from, { authorization: `Bearer ${partner.apiKey}` })).status).toBe(200);
      expect(
        (await get(api, '/v1/customers', strangers[1]!, { authorization: `Bearer ${partner.apiKey}` })).status,
      ).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('counts a revoked key against that key at that address only: a partner still sending it after a rotation keeps its address', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 3 });
    try {
      const operator = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
        api.inject({ method, url, headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }, payload: payload as object });
      const created = (await operator('POST', '/v1/admin/partners', { name: 'Rotating' })).json();
      const [oldKey] = (await operator('GET', `/v1/admin/partners/${created.id}/keys`)).json();
      const newKey = (await operator('POST', `/v1/admin/partners/${created.id}/keys`)).json().apiKey as string;
      expect((await operator('DELETE', `/v1/admin/partners/${created.id}/keys/${oldKey.id}`)).statusCode).toBe(204);

      // One client of the partner still sends the revoked key, another the new one, from the same address.
      const from = nextAddress();
      const withKey = (key: string) => get(api, '/v1/customers', from, { authorization: `Bearer ${key}` });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const stale = await withKey(created.apiKey);
        statuses.push(stale.status);
        if (i === 0)
          expect(stale.body).toMatchObject({
            status: 401,
            code: 'unauthorized',
            detail: expect.stringMatching(/revoked/),
          });
        expect((await withKey(newKey)).status).toBe(200);
      }
      // The revoked key is throttled itself at that address, the new key never is.
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      // Elsewhere the revoked key is counted afresh: a stale key at one address throttles nobody else.
      const elsewhere = nextAddress();
      const there: number[] = [];
      for (let i = 0; i < 4; i++)
        there.push((await get(api, '/v1/customers', elsewhere, { authorization: `Bearer ${created.apiKey}` })).status);
      expect(there).toEqual([401, 401, 401, 429]);
      expect(
        (await get(api, '/v1/customers', elsewhere, { authorization: `Bearer ${created.apiKey}` })).body.detail,
      ).toMatch(/^This revoked API key was sent too often from this address/);
      expect(
        (await get(api, '/v1/customers', elsewhere, { authorization: `Bearer ${created.apiKey}` })).body.detail,
      ).toMatch(/^This revoked API key was sent too often from this address/);
      expect((await get(api, '/v1/customers', elsewhere, { authorization: `Bearer ${newKey}` })).status).toBe(200);
      // Guesses from that address still count against it as before.
      for (let i = 0; i < 3; i++) expect((await withKey(wrongKey())).status).toBe(401);
      expect((await withKey(wrongKey())).status).toBe(429);
      expect((await withKey(newKey)).status).toBe(429);
    } finally {
      await api.close();
    }
  });

  it('does not believe X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 2 });
    try {
      const from = nextAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const headers = { authorization: `Bearer ${wrongKey()}`, 'x-forwarded-for': `203.0.113.${i}` };
        statuses.push((await get(api, '/v1/customers', from, headers)).status);
      }
      expect(statuses).toEqual([401, 401, 429, 429]);
    } finally {
      await api.close();
    }
  });

  it('does not believe X-Forwarded-For from a loopback peer either unless TRUST_PROXY names it', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 2 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const headers = { authorization: `Bearer ${wrongKey()}`, 'x-forwarded-for': `203.0.113.${i}` };
        statuses.push((await get(api, '/v1/customers', '127.0.0.9', headers)).status);
      }
      expect(statuses).toEqual([401, 401, 429, 429]);
    } finally {
      await api.close();
    }
  });

  it('through the portal, each browser is throttled by its own address, whatever X-Forwarded-For it sends', async () => {
    // The API trusts its loopback peers, as `pnpm start` configures it, and the portal proxies to it.
    const api = await buildTestApi(env, { authFailuresPerMinute: 3, trustProxy: ['loopback'] });
    const distDir = await mkdtemp(join(tmpdir(), 'portal-dist-'));
    await mkdir(join(distDir, 'assets'));
    await writeFile(join(distDir, 'index.html'), '<meta name="csp-nonce" content="__CSP_NONCE__">');
    const apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    const portal = await buildPortalApp({ apiUrl, distDir, logLevel: 'silent' });
    try {
      await portal.listen({ host: '127.0.0.1', port: 0 });
      const { port } = portal.server.address() as { port: number };
      // A browser at `from` (a loopback address of its own) calls the API through the portal.
      const viaPortal = (from: string, key: string, headers: Record<string, string> = {}) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              localAddress: from,
              path: '/v1/customers',
              headers: { authorization: `Bearer ${key}`, ...headers },
              agent: false,
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode!));
            },
          );
          req.on('error', reject);
          req.end();
        });
      const guesses = async (from: string, headers: Record<string, string> = {}) => {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push(await viaPortal(from, wrongKey(), headers));
        return statuses;
      };
      // One browser guessing, claiming to be someone else, throttles itself only.
      expect(await guesses('127.0.0.2', { 'x-forwarded-for': '198.51.100.250' })).toEqual([401, 401, 401, 429]);
      expect(await viaPortal('127.0.0.2', partner.apiKey)).toBe(429);
      expect(await viaPortal('127.0.0.3', partner.apiKey)).toBe(200);
      // Naming another browser's address in X-Forwarded-For does not throttle that browser.
      expect(await guesses('127.0.0.4', { 'x-forwarded-for': '127.0.0.3', forwarded: 'for=127.0.0.3' })).toEqual([
        401, 401, 401, 429,
      ]);
      expect(await viaPortal('127.0.0.3', partner.apiKey)).toBe(200);
    } finally {
      await portal.close();
      await api.close();
      await rm(distDir, { recursive: true, force: true });
    }
  });

  it('starts counting afresh once the window has passed', async () => {
    const api = await buildTestApi(env, { authFailuresPerMinute: 1, authFailureWindowMs: 1000 });
    try {
      const from = nextAddress();
      expect((await get(api, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` })).status).toBe(401);
      expect((await get(api, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` })).status).toBe(429);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await get(api, '/v1/customers', from, { authorization: `Bearer ${partner.apiKey}` })).status).toBe(200);
      expect((await get(api, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` })).status).toBe(401);
    } finally {
      await api.close();
    }
  });

  it('looks up no key in Postgres once the address is throttled', async () => {
    let statements = 0;
    const counting = postgres(env.databaseUrl, {
      max: 2,
      onnotice: () => {},
      debug: (_c, query) => void (query.includes('partners') && statements++),
    });
    const api = await buildApiApp({
      db: drizzle(counting, { schema: tables }),
      sql: counting,
      redis: env.redis,
      queues: env.queues,
      operatorToken: OPERATOR_TOKEN,
      rateLimitPerMinute: 0,
      authFailuresPerMinute: 2,
      rateLimitNamespace: `${env.prefix}:`,
      logLevel: 'silent',
    });
    try {
      const from = nextAddress();
      for (let i = 0; i < 3; i++) await get(api, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` });
      expect(statements).toBe(3); // each failure up to and including the one that crossed the limit
      for (let i = 0; i < 20; i++)
        expect((await get(api, '/v1/customers', from, { authorization: `Bearer ${wrongKey()}` })).status).toBe(429);
      expect(statements).toBe(3);
    } finally {
      await api.close();
      await counting.end();
    }
  });
});

describe('clientNetwork', () => {
  it('throttles IPv4 addresses one by one and IPv6 addresses by /64', () => {
    expect(clientNetwork('198.51.100.7')).toBe('198.51.100.7');
    expect(clientNetwork('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
  });
});
