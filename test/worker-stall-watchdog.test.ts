// A queue's BullMQ worker whose blocking connection is lost (it waits for its handshake's answers
// for good: this connection has no socket timeout) takes no task again by itself. The stall
// watchdog finds it (tasks waiting in its queue, free slots, none taken), replaces it with a new
// worker and blocking connection, and the waiting job finishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@licensing/redis';
import { expressQueueName, LICENSE_TASK_QUEUE } from '@licensing/queue';
import { createLicenseWorker } from '@licensing/worker';
import { silentLog, type TestEnv } from './support/test-env.ts';
import { expectSeatInvariant, type PartnerClient } from './support/client.ts';
import { createRedisProxyEnv, type RedisProxyEnv } from './support/redis-proxy-env.ts';
import type { TcpProxy } from './soak/tcp-proxy.ts';
import { SUITE } from './fixtures.ts';

let setup: RedisProxyEnv;
let env: TestEnv;
let partner: PartnerClient;
let proxy: TcpProxy;

beforeAll(async () => {
  setup = await createRedisProxyEnv();
  ({ env, partner, proxy } = setup);
});

afterAll(async () => {
  await setup?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stall watchdog', () => {
  it("replaces the express queue's worker whose blocking connection was lost; the waiting job finishes", async () => {
    const connection = createRedis(setup.redisUrl, 'worker', { socketTimeout: undefined });
    connection.on('error', () => {});
    const stalls: string[] = [];
    const worker = createLicenseWorker({
      db: env.db,
      connection,
      prefix: env.prefix,
      concurrency: 16,
      expressConcurrency: 8,
      batchSize: 8,
      batchParallelism: 1,
      stalledIntervalMs: 1000,
      log: silentLog,
      // Counts the waiting tasks on a connection of its own (here: straight to Redis).
      stallWatchdog: { afterMs: 3000, client: env.redis, onStall: (queue) => stalls.push(queue) },
    });
    void worker.run();
    try {
      await worker.waitUntilReady();
      const customer = await partner.customer();
      const ids = await partner.users(customer, 8);
      await partner.subscribe(customer, SUITE.id, 8);
      const start = async (userIds: string[]) => {
        const res = await partner.startJob(customer, { userIds, assign: [{ productId: SUITE.id }] });
        expect(res.status).toBe(202);
        return res.body.id as string;
      };
      expect((await partner.waitForJob(customer, await start(ids.slice(0, 4)), 15_000)).status).toBe('completed');
      expect(stalls).toEqual([]);
      // Idle, each BullMQ worker blocks on its queue's marker. The partition outlasts BullMQ's own
      // limit on that read (its block time and 1 s), after which BullMQ opens its blocking
      // connection again: that connection is lost.
      proxy.partition({ loseNew: true });
      await sleep(10_000);
      proxy.heal();
      const jobId = await start(ids.slice(4));
      const job = await partner.waitForJob(customer, jobId, 30_000);
      expect(job).toMatchObject({ status: 'completed', progress: { total: 4, succeeded: 4, pending: 0 } });
      // The express queue's BullMQ workers (several per process) each lost their blocking connection.
      expect(new Set(stalls)).toEqual(new Set([expressQueueName(LICENSE_TASK_QUEUE)]));
      // Ready again once the new worker has taken a task.
      await expect.poll(() => worker.stalledQueues(), { timeout: 10_000 }).toEqual([]);
      expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 8, reserved: 0 });
      await expectSeatInvariant(env.sql);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  }, 90_000);
});
