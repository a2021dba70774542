// A real API process (spawned, not built in the test) told to stop while clients follow a job's
// event stream: it ends the streams and exits 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { PartnerClient } from './support/client.ts';
import { spawnService } from './support/processes.ts';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  env = system.env;
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

/** The names of the events of a stream, read to its end. */
async function eventNames(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event: '))
    .map((block) => block.slice(7, block.indexOf('\n')));
}

describe('job events and SIGTERM', () => {
  it('an API process told to stop ends its event streams and exits 0', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    await env.queue.pause();
    const api = await spawnService('api', {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      BULLMQ_PREFIX: env.prefix,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    try {
      const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
      const res = await fetch(
        `http://127.0.0.1:${api.port}/v1/customers/${customer}/license-jobs/${job.body.id}/events`,
        { headers: { authorization: `Bearer ${partner.apiKey}` } },
      );
      expect(res.status).toBe(200);
      const reading = eventNames(res);
      await new Promise((r) => setTimeout(r, 300));
      api.child.kill('SIGTERM');
      expect(await reading).toEqual(['progress']);
      expect(await api.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
      await env.queue.resume();
    }
  });
});
