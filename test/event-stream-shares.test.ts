// Job event streams are shared out per partner (EVENT_STREAMS_PER_PARTNER): a partner with its share
// open is answered 429 partner_concurrency_limit at once, while another partner's streams open as
// usual; a stream that ended gives its place back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApi, buildTestCatalog, createTestEnv, type TestEnv } from './support/test-env.ts';
import { PartnerClient, putProduct } from './support/client.ts';
import { SUITE } from './fixtures.ts';

let env: TestEnv;
let api: FastifyInstance;
let catalog: FastifyInstance;
let base: string;

beforeAll(async () => {
  env = await createTestEnv();
  api = await buildTestApi(env, { eventStreamsPerPartner: 2 });
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  await api.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await api?.close();
  await catalog?.close();
  await env?.close();
});

/** A partner with a job that stays unfinished (no worker runs): its event stream's URL. */
async function partnerWithJob(name: string) {
  const partner = await PartnerClient.create(api, name);
  const customer = await partner.customer();
  const users = await partner.users(customer, 2);
  await partner.subscribe(customer, SUITE.id, 2);
  const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
  expect(job.status).toBe(202);
  const url = `${base}/v1/customers/${customer}/license-jobs/${job.body.id}/events`;
  const open = () => fetch(url, { headers: { authorization: `Bearer ${partner.apiKey}` } });
  // Cancelling the job finishes it, and its streams end after their `finished` event.
  const cancel = () => partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`);
  return { open, cancel };
}

describe('job event streams shared per partner', () => {
  it('answers a partner over its share 429 at once, leaves other partners theirs, and frees a place on close', async () => {
    const a = await partnerWithJob('Streams A');
    const b = await partnerWithJob('Streams B');
    const held = [await a.open(), await a.open()];
    for (const res of held) expect(res.status).toBe(200);

    const refused = await a.open();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'partner_concurrency_limit', limit: 2 });

    const theirs = await b.open();
    expect(theirs.status).toBe(200);

    // A's streams end (its job finished): A may open streams again.
    expect((await a.cancel()).status).toBe(200);
    for (const res of held) expect(await res.text()).toContain('event: finished');
    const again = await a.open();
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('event: finished');
    expect((await b.cancel()).status).toBe(200);
    expect(await theirs.text()).toContain('event: finished');
  });
});
