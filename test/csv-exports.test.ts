// Results downloads as CSV hold a connection of the API's pool while their client reads: clients that
// read slowly (here: not at all) must not take the pool from every other request.
import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDb, type DbHandle } from '@licensing/db';
import { buildApiApp, DEFAULT_CSV_EXPORTS } from '@licensing/api';
import { buildTestApi, buildTestCatalog, createTestEnv, OPERATOR_TOKEN, type TestEnv } from './support/test-env.ts';
import { call, PartnerClient, putProduct } from './support/client.ts';
import { SUITE } from './fixtures.ts';

const USERS = 20_000;
/** The API's own pool, as main.ts sizes it, apart from the test's (which watches pg_stat_activity). */
const POOL = 10;
const APPLICATION = 'api-csv-exports';

let env: TestEnv;
let pool: DbHandle;
let api: FastifyInstance;
let catalog: FastifyInstance;
let address: string;
let partner: PartnerClient;
let customer: string;
let jobId: string;

beforeAll(async () => {
  env = await createTestEnv();
  pool = createDb(env.databaseUrl, { max: POOL, applicationName: APPLICATION });
  api = await buildApiApp({
    db: pool.db,
    sql: pool.sql,
    redis: env.redis,
    queues: env.queues,
    operatorToken: OPERATOR_TOKEN,
    rateLimitPerMinute: 0,
    authFailuresPerMinute: 0,
    rateLimitNamespace: `${env.prefix}:`,
    logLevel: 'silent',
    csvExports: { maxWaitMs: 1000, idleMs: 3000 },
  });
  address = await api.listen({ port: 0, host: '127.0.0.1' });
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  partner = await PartnerClient.create(api);
  customer = await partner.customer();
  // Long display names: each file is several megabytes, more than socket buffers hold, so a client
  // that does not read keeps its download (and the cursor under it) open.
  const users = await partner.users(customer, USERS, (i) => ({ displayName: `User ${i} ${'x'.repeat(200)}` }));
  await partner.subscribe(customer, SUITE.id, USERS);
  // No worker runs: the job stays queued, every user a pending row of the file.
  const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
  expect(job.status).toBe(202);
  jobId = job.body.id;
}, 180_000);

afterAll(async () => {
  await api?.close();
  await catalog?.close();
  await pool?.close();
  await env?.close();
});

interface Download {
  status: number;
  headers: IncomingMessage['headers'];
  /** The answer of a refused download. */
  body?: string;
  request: ClientRequest;
  response: IncomingMessage;
}

/** Starts a download and stops reading it once it has begun (a 200), or reads a refusal whole. */
function startDownload(apiKey = partner.apiKey): Promise<Download> {
  return new Promise((resolve, reject) => {
    const request = httpGet(
      `${address}/v1/customers/${customer}/license-jobs/${jobId}/results?format=csv`,
      { headers: { authorization: `Bearer ${apiKey}` }, agent: false },
      (response) => {
        const answer = { status: response.statusCode!, headers: response.headers, request, response };
        if (response.statusCode === 200) {
          response.pause();
          resolve(answer);
          return;
        }
        let body = '';
        response.on('data', (c: Buffer) => (body += c));
        response.on('end', () => resolve({ ...answer, body }));
      },
    );
    request.on('error', reject);
  });
}

/** Reads a download to its end; rejects if the server cuts it off. */
function readToEnd(download: Download): Promise<string> {
  return readAll(download).then(({ text, complete }) => {
    if (!complete) throw new Error(`the download was cut off after ${text.length} characters`);
    return text;
  });
}

/** Reads a download until it ends or is cut off: what arrived, and whether it ended as complete. */
function readAll(download: Download): Promise<{ text: string; complete: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    download.response.setEncoding('utf8');
    download.response.on('data', (c: string) => (text += c));
    download.response.on('end', () => resolve({ text, complete: download.response.complete }));
    download.response.on('error', () => resolve({ text, complete: false }));
    download.response.on('close', () => resolve({ text, complete: download.response.complete }));
    download.response.resume();
  });
}

/** Cursors of the API's pool reading job results right now. */
async function openCursors(): Promise<number> {
  const [{ n }] = await env.sql`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${APPLICATION} AND state <> 'idle'
      AND query LIKE '%jsonb_array_elements%'`;
  return n as number;
}

/** The answer, or a failure once it is plainly not coming while the downloads stay open. */
function answered<T>(request: Promise<T>): Promise<T> {
  return Promise.race([
    request,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('not answered while the downloads are open')), 20_000),
    ),
  ]);
}

const end = (downloads: Download[]) => {
  for (const d of downloads) d.request.destroy();
};

describe('results downloads as CSV', () => {
  it('serves a bounded number at once: other requests are answered while they are all held open', async () => {
    const held = await Promise.all(Array.from({ length: DEFAULT_CSV_EXPORTS }, () => startDownload()));
    const extra: Download[] = [];
    try {
      expect(held.map((d) => d.status)).toEqual(Array(DEFAULT_CSV_EXPORTS).fill(200));
      // Each holds its cursor open: its client reads nothing.
      await expect.poll(openCursors, { timeout: 10_000 }).toBe(DEFAULT_CSV_EXPORTS);

      // More downloads than the pool has connections, while those are open: none takes a connection;
      // each waits for a slot, then is refused as the service's overload, with when to retry.
      const more = Array.from({ length: POOL }, () => startDownload());
      // Meanwhile plain requests are answered, from the same pool (a pool taken by downloads would
      // leave this one waiting for as long as they stay open).
      const job = await answered(partner.call('GET', `/v1/customers/${customer}/license-jobs/${jobId}`));
      expect(job.status).toBe(200);
      expect(job.body.progress.pending).toBe(USERS);
      expect((await partner.call('GET', `/v1/customers/${customer}/users?pageSize=5`)).status).toBe(200);
      const page = await partner.call('GET', `/v1/customers/${customer}/license-jobs/${jobId}/results?pageSize=10`);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(USERS);
      extra.push(...(await Promise.all(more)));
      for (const refused of extra) {
        expect(refused.status).toBe(503);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(JSON.parse(refused.body!)).toMatchObject({ status: 503, code: 'overloaded' });
      }
      expect(await openCursors()).toBe(DEFAULT_CSV_EXPORTS);
      // The held downloads are still open, and the slot of one that ends goes to a waiting one.
      const waiting = startDownload();
      end(held.splice(0, 1));
      const admitted = await waiting;
      held.push(admitted);
      expect(admitted.status).toBe(200);
    } finally {
      end([...held, ...extra]);
    }
    // Ended downloads give their connections back; a download then reads the whole file.
    await expect.poll(openCursors, { timeout: 10_000 }).toBe(0);
    const whole = await startDownload();
    expect(whole.status).toBe(200);
    const lines = (await readToEnd(whole)).split('\r\n');
    expect(lines[0]).toBe(
      'userPrincipalName,displayName,userId,status,productId,action,outcome,errorCode,errorMessage',
    );
    expect(lines.filter((l) => l.length > 0)).toHaveLength(USERS + 1);
  });

  it('cuts off a download whose API key is revoked or expires on another process while it is read', async () => {
    const other = await buildTestApi(env);
    try {
      const [revoked, expiring, staying] = await Promise.all(
        ['Revoked', 'Expiring', 'Staying'].map((name) => partner.issueKey({ name, scopes: ['read'] })),
      );
      const downloads = await Promise.all([revoked!, expiring!, staying!].map((k) => startDownload(k.apiKey)));
      expect(downloads.map((d) => d.status)).toEqual([200, 200, 200]);
      expect((await call(other, 'DELETE', `/v1/keys/${revoked!.keyId}`, partner.apiKey)).status).toBe(204);
      await env.sql`UPDATE partner_api_keys SET expires_at = now() WHERE id = ${expiring!.keyId}`;
      // All three paused alike; only the download whose key still works reads to its end.
      const [cut1, cut2, whole] = await Promise.all(downloads.map(readAll));
      for (const cut of [cut1!, cut2!]) {
        expect(cut.complete).toBe(false);
        expect(cut.text.split('\r\n').length).toBeLessThan(USERS);
      }
      expect(whole!.complete).toBe(true);
      expect(whole!.text.split('\r\n').filter((l) => l.length > 0)).toHaveLength(USERS + 1);
      await expect.poll(openCursors, { timeout: 10_000 }).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('cuts off a download whose client reads nothing, giving its slot and connection back', async () => {
    const stalled = await Promise.all(Array.from({ length: DEFAULT_CSV_EXPORTS }, () => startDownload()));
    try {
      expect(stalled.map((d) => d.status)).toEqual(Array(DEFAULT_CSV_EXPORTS).fill(200));
      await expect.poll(openCursors, { timeout: 10_000 }).toBe(DEFAULT_CSV_EXPORTS);
      // idleMs is 3 s here: the server closes them, their cursors are returned.
      await expect.poll(openCursors, { timeout: 15_000 }).toBe(0);
      // Every slot is free again.
      const next = await Promise.all(Array.from({ length: DEFAULT_CSV_EXPORTS }, () => startDownload()));
      expect(next.map((d) => d.status)).toEqual(Array(DEFAULT_CSV_EXPORTS).fill(200));
      end(next);
    } finally {
      end(stalled);
    }
    expect((await call(api, 'GET', `/v1/customers/${customer}`, partner.apiKey)).status).toBe(200);
  });
});
