// Issue 13 (2): concurrent license overviews of large selections must not take the API down. A real
// API process, run with the node flags of `pnpm start:api` (a 256 MB old space), gets 16 concurrent
// overviews of 20,000 users who hold 9 products each; it answers each 200 or 503 with Retry-After,
// and stays up. Previews, which read every selected user's licenses, share the same budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Product } from '@licensing/domain';
import {
  buildTestApi,
  buildTestCatalog,
  createTestEnv,
  startTestWorker,
  type TestEnv,
  type TestWorker,
} from './support/test-env.ts';
import { PartnerClient, putProduct } from './support/client.ts';
import { spawnService, type ServiceProcess } from './support/processes.ts';

const USERS = 20_000;
const CONCURRENT = 16;
const PRODUCTS: Product[] = Array.from({ length: 9 }, (_, i) => ({
  id: `LOAD_${i}`,
  name: `Load product ${i}`,
  servicePlans: [{ id: `LOAD_${i}_PLAN`, name: 'Plan' }],
}));

let env: TestEnv;
let api: FastifyInstance;
let catalog: FastifyInstance;
let worker: TestWorker | undefined;
let service: ServiceProcess | undefined;
let partner: PartnerClient;
let customer: string;
let userIds: string[];

beforeAll(async () => {
  env = await createTestEnv();
  api = await buildTestApi(env);
  catalog = await buildTestCatalog(env);
  for (const product of PRODUCTS) await putProduct(catalog, product);
  partner = await PartnerClient.create(api, 'Heavy partner');
  customer = await partner.customer('Big customer');
  userIds = await partner.users(customer, USERS);
  for (const product of PRODUCTS) await partner.subscribe(customer, product.id, USERS);
  worker = await startTestWorker(env, { batchSize: 500 });
  const job = await partner.startJob(customer, { userIds, assign: PRODUCTS.map((p) => ({ productId: p.id })) });
  expect(job.status).toBe(202);
  expect((await partner.waitForJob(customer, job.body.id, 240_000)).progress.succeeded).toBe(USERS);
  await worker.close();
  worker = undefined;
  service = await spawnService('api', {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    BULLMQ_PREFIX: env.prefix,
    RATE_LIMIT_PER_MINUTE: '0',
    // The process-wide budget is what this test is about: as if 16 partners asked at once.
    LARGE_SELECTIONS_PER_PARTNER: String(CONCURRENT),
    LARGE_SELECTIONS_BUSY_SHARE: '1',
  });
}, 300_000);

afterAll(async () => {
  if (service && service.child.exitCode === null && service.child.signalCode === null) {
    service.child.kill('SIGTERM');
    await service.exited;
  }
  await worker?.close();
  await api?.close();
  await catalog?.close();
  await env?.close();
});

describe('heavy license overviews', () => {
  it('answers 16 concurrent overviews and previews of 20,000 users each with 200 or 503 + Retry-After, and stays up', async () => {
    const base = `http://127.0.0.1:${service!.port}`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}/v1/customers/${customer}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${partner.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { path, status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
    };
    const overview = (body: unknown) => post('license-overview', body);
    const revokeAll = { revoke: [PRODUCTS[0]!.id] };
    const settled = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, (_, i) =>
        [
          () => overview({ userIds }),
          () => overview({ userFilter: {} }),
          () => overview({ userIds }),
          () => post('license-jobs/preview', { userFilter: {}, ...revokeAll }),
        ][i % 4]!(),
      ),
    );
    expect(service!.child.exitCode, service!.output()).toBeNull();
    expect(service!.child.signalCode, service!.output()).toBeNull();
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
    expect(failed, `${failed.map((e) => `${e} (${e?.cause})`).join('; ')}\n${service!.output()}`).toEqual([]);
    const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const a of answers) {
      expect([200, 503], JSON.stringify(a.body).slice(0, 300)).toContain(a.status);
      if (a.status === 503) {
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
        expect(a.body).toMatchObject({ status: 503, code: 'overloaded' });
      } else if (a.path === 'license-jobs/preview') {
        expect(a.body).toMatchObject({ userCount: USERS, outcomes: { revoked: USERS } });
      } else {
        expect(a.body.users).toHaveLength(USERS);
        for (const p of a.body.products) {
          expect(p).toMatchObject({ assignedCount: USERS, assignedUserIdsTruncated: true, selection: 'all' });
          expect(p.assignedUserIds).toHaveLength(1_000);
        }
      }
    }
    expect(answers.some((a) => a.status === 200)).toBe(true);
    // Still serving, and a shed request succeeds when retried alone.
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await overview({ userFilter: { licensed: true } })).status).toBe(200);
  }, 180_000);

  it("makes a partner's large overviews wait their turn, and answers 429 past the partner's waiting room", async () => {
    // The in-process API runs with the default share: one large selection per partner at once.
    const call = (body: unknown) => partner.call('POST', `/v1/customers/${customer}/license-overview`, body);
    // One at a time: four more wait their turn, the sixth is refused at once.
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(i % 2 ? { userFilter: {} } : { userIds })),
    );
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) expect(a.body).toMatchObject({ code: 'partner_concurrency_limit', status: 429 });
    // A small selection is never refused for the share.
    expect((await call({ userIds: userIds.slice(0, 10) })).status).toBe(200);
  }, 60_000);
});
