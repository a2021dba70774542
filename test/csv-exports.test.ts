// Results downloads as CSV hold a connection of the API's pool while their client reads: clients that
// read slowly (or not at all) must not take the pool from every other request, and one partner's
// downloads must not take every download slot from the other partners.
import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDb, type DbHandle } from '@licensing/db';
import { buildApiApp } from '@licensing/api';
import { buildTestApi, buildTestCatalog, createTestEnv, OPERATOR_TOKEN, type TestEnv } from './support/test-env.ts';
import { call, PartnerClient, putProduct } from './support/client.ts';
import { SUITE } from './fixtures.ts';

/** The owner's job: long names make its file about 13 MB, more than a slow client's socket buffers take in. */
const USERS = 25_000;
const OTHER_USERS = 8_000;
/** The API's own pool, as main.ts sizes it, apart from the test's (which watches pg_stat_activity). */
const POOL = 10;
/** Downloads the API that holds them open serves at once, and each partner's share of them. */
const PROCESS = 4;
const SHARE = 3;

let env: TestEnv;
let catalog: FastifyInstance;

/** An API process of its own, with its own pool, listening on a port. */
interface Api {
  app: FastifyInstance;
  pool: DbHandle;
  address: string;
  application: string;
}

async function startApi(application: string, csvExports: Parameters<typeof buildApiApp>[0]['csvExports']) {
  const pool = createDb(env.databaseUrl, { max: POOL, applicationName: application });
  const app = await buildApiApp({
    db: pool.db,
    sql: pool.sql,
    redis: env.redis,
    queues: env.queues,
    operatorToken: OPERATOR_TOKEN,
    rateLimitPerMinute: 0,
    authFailuresPerMinute: 0,
    rateLimitNamespace: `${env.prefix}:`,
    logLevel: 'silent',
    csvExports,
  });
  return { app, pool, address: await app.listen({ port: 0, host: '127.0.0.1' }), application };
}

/**
 * `holding`: downloads are held open by clients that read nothing (no cut-off within the test).
 * `pacing`: a client must read 1 MB/s on average, and is idle after 2 s (so that the test is short).
 */
let holding: Api;
let pacing: Api;

/** A partner with a job whose results file is `users` rows long. */
interface Downloader {
  partner: PartnerClient;
  customer: string;
  jobId: string;
}
let owner: Downloader;
let other: Downloader;
let third: Downloader;

async function downloader(name: string, users: number): Promise<Downloader> {
  const partner = await PartnerClient.create(holding.app, name);
  const customer = await partner.customer();
  // Long names: a big file is megabytes, more than socket buffers hold, so a client that does not
  // read (or reads slowly) keeps its download (and the cursor under it) open.
  const ids = await partner.users(customer, users, (i) => ({
    userPrincipalName: `user${i}.${'x'.repeat(200)}@fabrikam.example`,
    displayName: `User ${i} ${'x'.repeat(240)}`,
  }));
  await partner.subscribe(customer, SUITE.id, users);
  // No worker runs: the job stays queued, every user a pending row of the file.
  const job = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }] });
  expect(job.status).toBe(202);
  return { partner, customer, jobId: job.body.id };
}

beforeAll(async () => {
  env = await createTestEnv();
  holding = await startApi('api-csv-holding', {
    concurrent: PROCESS,
    perPartner: SHARE,
    maxWaitMs: 1000,
    idleMs: 600_000,
    minBytesPerSecond: 1,
  });
  pacing = await startApi('api-csv-pacing', { perPartner: 1, idleMs: 2000, minBytesPerSecond: 1_000_000 });
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  owner = await downloader('Owner', USERS);
  other = await downloader('Other', OTHER_USERS);
  third = await downloader('Third', 3);
}, 240_000);

afterAll(async () => {
  for (const api of [holding, pacing]) {
    await api?.app.close();
    await api?.pool.close();
  }
  await catalog?.close();
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

const csvPath = (d: Downloader) => `/v1/customers/${d.customer}/license-jobs/${d.jobId}/results?format=csv`;

/** Starts a download and stops reading it once it has begun (a 200), or reads a refusal whole. */
function startDownload(api: Api, d: Downloader, apiKey = d.partner.apiKey): Promise<Download> {
  return new Promise((resolve, reject) => {
    const request = httpGet(
      api.address + csvPath(d),
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

/**
 * A client on a plain TCP socket that reads at most `bytesPerSecond`, as `curl --limit-rate` does:
 * it takes what the socket has, then stops reading for as long as that much should take.
 */
function readSlowly(api: Api, d: Downloader, bytesPerSecond: number) {
  const { port } = new URL(api.address);
  let read = '';
  const socket = connect(Number(port), '127.0.0.1', () =>
    socket.write(
      `GET ${csvPath(d)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${d.partner.apiKey}\r\n` +
        'Connection: close\r\n\r\n',
    ),
  );
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    read += chunk;
    socket.pause();
    setTimeout(() => socket.resume(), (chunk.length / bytesPerSecond) * 1000);
  });
  // A connection the server cuts off may end in a reset.
  socket.on('error', () => {});
  return { socket, read: () => read };
}

/** Cursors of an API's pool reading job results right now. */
async function openCursors(api: Api): Promise<number> {
  const [{ n }] = await env.sql`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${api.application} AND state <> 'idle'
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

function expectProblem(download: Download, status: number, code: string) {
  expect(download.status, download.body).toBe(status);
  expect(download.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(download.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(JSON.parse(download.body!)).toMatchObject({ status, code });
}

describe('results downloads as CSV', () => {
  it('gives each partner its share: one holding it is answered 429 while another still downloads', async () => {
    const held: Download[] = [];
    const refused: Download[] = [];
    try {
      // The owner holds its share open: its clients read nothing.
      held.push(...(await Promise.all(Array.from({ length: SHARE }, () => startDownload(holding, owner)))));
      expect(held.map((d) => d.status)).toEqual(Array(SHARE).fill(200));
      await expect.poll(() => openCursors(holding), { timeout: 10_000 }).toBe(SHARE);

      // One more of the owner's is answered at once, 429 with when to retry, and takes no slot.
      const over = await startDownload(holding, owner);
      refused.push(over);
      expectProblem(over, 429, 'partner_concurrency_limit');
      expect(JSON.parse(over.body!).limit).toBe(SHARE);

      // Another partner still gets a download: the process's last slot was not the owner's to take.
      const others = await startDownload(holding, other);
      held.push(others);
      expect(others.status).toBe(200);
      await expect.poll(() => openCursors(holding), { timeout: 10_000 }).toBe(PROCESS);

      // The process is full now: more downloads than the pool has connections, from a partner that
      // holds nothing, take no connection. Those within its share wait for a slot, then are refused
      // as the service's overload; the others are refused at once as over its share. All say when
      // to retry.
      const more = Array.from({ length: POOL }, () => startDownload(holding, third));
      // Meanwhile plain requests are answered, from the same pool (a pool taken by downloads would
      // leave this one waiting for as long as they stay open).
      const job = await answered(
        call(
          holding.address,
          'GET',
          `/v1/customers/${owner.customer}/license-jobs/${owner.jobId}`,
          owner.partner.apiKey,
        ),
      );
      expect(job.status).toBe(200);
      expect(job.body.progress.pending).toBe(USERS);
      const page = await call(
        holding.address,
        'GET',
        `/v1/customers/${other.customer}/license-jobs/${other.jobId}/results?pageSize=10`,
        other.partner.apiKey,
      );
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(OTHER_USERS);
      const answers = await Promise.all(more);
      refused.push(...answers);
      // (A request that arrives once a refused one gave its share back waits in its turn.)
      const shed = answers.filter((d) => d.status === 503);
      expect(shed.length).toBeGreaterThanOrEqual(SHARE);
      for (const d of shed) expectProblem(d, 503, 'overloaded');
      for (const d of answers.filter((a) => a.status !== 503)) expectProblem(d, 429, 'partner_concurrency_limit');
      expect(await openCursors(holding)).toBe(PROCESS);

      // The slot of a download that ends goes to a waiting one, and the owner's share has room again.
      const waiting = startDownload(holding, third);
      end(held.splice(0, 1));
      const admitted = await waiting;
      held.push(admitted);
      expect(admitted.status).toBe(200);
    } finally {
      end([...held, ...refused]);
    }
    // Ended downloads give their connections back; a download then reads the whole file.
    await expect.poll(() => openCursors(holding), { timeout: 10_000 }).toBe(0);
    const whole = await startDownload(holding, owner);
    expect(whole.status).toBe(200);
    const lines = (await readToEnd(whole)).split('\r\n');
    expect(lines[0]).toBe(
      'userPrincipalName,displayName,userId,status,productId,action,outcome,errorCode,errorMessage',
    );
    expect(lines.filter((l) => l.length > 0)).toHaveLength(USERS + 1);
  });

  it('cuts off a download whose API key is revoked or expires on another process while it is read', async () => {
    const elsewhere = await buildTestApi(env);
    try {
      const [revoked, expiring, staying] = await Promise.all(
        ['Revoked', 'Expiring', 'Staying'].map((name) => owner.partner.issueKey({ name, scopes: ['read'] })),
      );
      // Keys of one partner share its share (here 3).
      const downloads = await Promise.all(
        [revoked!, expiring!, staying!].map((k) => startDownload(holding, owner, k.apiKey)),
      );
      expect(downloads.map((d) => d.status)).toEqual([200, 200, 200]);
      expect((await call(elsewhere, 'DELETE', `/v1/keys/${revoked!.keyId}`, owner.partner.apiKey)).status).toBe(204);
      await env.sql`UPDATE partner_api_keys SET expires_at = now() WHERE id = ${expiring!.keyId}`;
      // All three paused alike; only the download whose key still works reads to its end.
      const [cut1, cut2, whole] = await Promise.all(downloads.map(readAll));
      for (const cut of [cut1!, cut2!]) {
        expect(cut.complete).toBe(false);
        expect(cut.text.split('\r\n').length).toBeLessThan(USERS);
      }
      expect(whole!.complete).toBe(true);
      expect(whole!.text.split('\r\n').filter((l) => l.length > 0)).toHaveLength(USERS + 1);
      await expect.poll(() => openCursors(holding), { timeout: 10_000 }).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('ends a download at once when its key is revoked or expires, while its client reads nothing', async () => {
    const elsewhere = await buildTestApi(env);
    try {
      const [revoked, expiring, staying] = await Promise.all(
        ['Revoked while idle', 'Expiring while idle', 'Staying while idle'].map((name) =>
          owner.partner.issueKey({ name, scopes: ['read'] }),
        ),
      );
      const downloads = await Promise.all(
        [revoked!, expiring!, staying!].map((k) => startDownload(holding, owner, k.apiKey)),
      );
      expect(downloads.map((d) => d.status)).toEqual([200, 200, 200]);
      await expect.poll(() => openCursors(holding), { timeout: 10_000 }).toBe(3);
      // The socket buffers fill up within moments: then each file waits on its client, reading no
      // further batch (and checking its key no more) until the client takes some.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await call(elsewhere, 'DELETE', `/v1/keys/${revoked!.keyId}`, owner.partner.apiKey)).status).toBe(204);
      await env.sql`UPDATE partner_api_keys SET expires_at = now() WHERE id = ${expiring!.keyId}`;
      // Nobody reads (holding cuts off no idle client for 10 minutes): the server ends the two
      // downloads itself, their cursors returned, not when their clients come back for more.
      await expect.poll(() => openCursors(holding), { timeout: 3_000, interval: 100 }).toBe(1);
      const [cut1, cut2, whole] = await Promise.all(downloads.map(readAll));
      for (const cut of [cut1!, cut2!]) {
        expect(cut.complete).toBe(false);
        expect(cut.text.split('\r\n').length).toBeLessThan(USERS);
      }
      expect(whole!.complete).toBe(true);
      expect(whole!.text.split('\r\n').filter((l) => l.length > 0)).toHaveLength(USERS + 1);
    } finally {
      await elsewhere.close();
    }
  });

  it('cuts off a client that reads, but slower than the pace it must keep, and gives its share back', async () => {
    // 200 kB/s, a fifth of the pace this API asks for: the kernel takes a write every few seconds,
    // so the socket is never idle for long, yet the file would take this client a minute.
    const slow = readSlowly(pacing, owner, 200_000);
    try {
      await expect.poll(() => slow.read().length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(slow.read().startsWith('HTTP/1.1 200')).toBe(true);
      await expect.poll(() => openCursors(pacing), { timeout: 10_000 }).toBe(1);
      // The server cuts it off and returns its cursor while the client is still reading what the
      // socket buffers hold: far from the end of the file.
      await expect.poll(() => openCursors(pacing), { timeout: 30_000 }).toBe(0);
      expect(slow.socket.destroyed).toBe(false);
      // The owner's share is free again: its next download is served, and read whole at full speed.
      const next = await startDownload(pacing, owner);
      expect(next.status).toBe(200);
      const whole = await readToEnd(next);
      expect(whole.split('\r\n').filter((l) => l.length > 0)).toHaveLength(USERS + 1);
      expect(slow.read().length).toBeLessThan(whole.length / 2);
    } finally {
      slow.socket.destroy();
    }
  });

  it('cuts off a download whose client reads nothing, giving its slot and connection back', async () => {
    const stalled = await Promise.all([startDownload(pacing, owner), startDownload(pacing, other)]);
    try {
      expect(stalled.map((d) => d.status)).toEqual([200, 200]);
      await expect.poll(() => openCursors(pacing), { timeout: 10_000 }).toBe(2);
      // The server closes them, their cursors are returned.
      await expect.poll(() => openCursors(pacing), { timeout: 15_000 }).toBe(0);
      // Every share is free again.
      const next = await Promise.all([startDownload(pacing, owner), startDownload(pacing, other)]);
      expect(next.map((d) => d.status)).toEqual([200, 200]);
      end(next);
    } finally {
      end(stalled);
    }
    expect((await call(pacing.app, 'GET', `/v1/customers/${owner.customer}`, owner.partner.apiKey)).status).toBe(200);
  });
});
