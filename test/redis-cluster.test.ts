// The license tasks on a real Redis Cluster (3 masters, 3 replicas of the machine's redis-server)
// with QUEUE_SHARDS=3: customers' jobs complete with their tasks spread over several masters, and a
// master killed mid-job fails over to its replica while every job completes exactly once. The API and
// worker processes with REDIS_CLUSTER_NODES deliver webhooks from their queue beside shard 0.
import type { FastifyInstance } from 'fastify';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiApp } from '@licensing/api';
import { createLicenseTaskQueues, type LicenseTaskQueues, licenseTaskShards, type QueueLayout } from '@licensing/queue';
import { createRedisClient } from '@licensing/redis';
import { createLicenseWorker, type LicenseWorker, Reconciler } from '@licensing/worker';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';
import { expectSeatInvariant, PartnerClient, putProduct } from './support/client.ts';
import { startRedisCluster, type LocalRedisCluster } from './support/redis-cluster.ts';
import { buildTestCatalog, createTestEnv, OPERATOR_TOKEN, silentLog, type TestEnv } from './support/test-env.ts';
import { spawnService, type ServiceProcess } from './support/processes.ts';
import { Receiver, until } from './support/webhook-receiver.ts';
import { Webhook } from 'standardwebhooks';

let cluster: LocalRedisCluster;
let env: TestEnv;
let producer: Cluster;
let workerConnection: Cluster;
let queues: LicenseTaskQueues;
let api: FastifyInstance;
let catalog: FastifyInstance;
let worker: LicenseWorker;
let reconciler: Reconciler;
let partner: PartnerClient;
let layout: QueueLayout;

beforeAll(async () => {
  cluster = await startRedisCluster();
  env = await createTestEnv();
  layout = { prefix: env.prefix, shards: 3, cluster: true };
  const target = { url: 'redis://unused', clusterNodes: cluster.nodesSetting };
  producer = createRedisClient(target, 'producer') as Cluster;
  workerConnection = createRedisClient(target, 'worker') as Cluster;
  for (const conn of [producer, workerConnection]) conn.on('error', () => {}); // a master is killed on purpose
  queues = createLicenseTaskQueues(producer, layout);
  for (const queue of queues.all) queue.on('error', () => {});
  api = await buildApiApp({
    db: env.db,
    sql: env.sql,
    redis: producer,
    queues,
    operatorToken: OPERATOR_TOKEN,
    rateLimitPerMinute: 0,
    logLevel: 'silent',
  });
  await api.ready();
  catalog = await buildTestCatalog(env);
  for (const product of TEST_PRODUCTS) await putProduct(catalog, product);
  partner = await PartnerClient.create(api);
  worker = createLicenseWorker({
    db: env.db,
    connection: workerConnection,
    prefix: env.prefix,
    shards: licenseTaskShards(layout),
    concurrency: 50,
    batchSize: 50,
    batchParallelism: 2,
    stalledIntervalMs: 2000,
    log: silentLog,
  });
  for (const w of worker.workers) w.on('error', () => {});
  void worker.run();
  await worker.waitUntilReady();
  reconciler = new Reconciler({
    db: env.db,
    queues,
    redis: producer,
    log: silentLog,
    intervalMs: 1000,
    graceSeconds: 0,
    enqueueTimeoutSeconds: 5,
    lockKey: `${env.prefix}:reconciler-lock`,
  });
  reconciler.start();
}, 120_000);

afterAll(async () => {
  await reconciler?.stop();
  await worker?.close(true);
  await api?.close();
  await catalog?.close();
  await Promise.all(queues?.all.map((q) => q.close().catch(() => undefined)) ?? []);
  producer?.disconnect();
  workerConnection?.disconnect();
  await env?.close();
  await cluster?.stop();
}, 60_000);

async function customersWithJobs(count: number, users: number) {
  const jobs: { customer: string; jobId: string; users: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await partner.customer(`Cluster customer ${i}`);
    const ids = await partner.users(customer, users);
    await partner.subscribe(customer, SUITE.id, users);
    const res = await partner.startJob(customer, { userIds: ids, assign: [{ productId: SUITE.id }] });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    jobs.push({ customer, jobId: res.body.id, users: ids });
  }
  return jobs;
}

async function expectAllAssignedOnce(jobs: { customer: string; jobId: string; users: string[] }[]) {
  for (const job of jobs) {
    const done = await partner.waitForJob(job.customer, job.jobId, 90_000);
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ total: job.users.length, succeeded: job.users.length, failed: 0 });
    const [row] = await env.sql<{ holders: number }[]>`
      SELECT count(*)::int AS holders FROM user_licenses WHERE customer_id = ${job.customer} AND product_id = ${SUITE.id}`;
    expect(row!.holders).toBe(job.users.length);
    const subscription = (await partner.subscriptions(job.customer))[SUITE.id];
    expect(subscription).toMatchObject({ assigned: job.users.length, reserved: 0 });
  }
  await expectSeatInvariant(env.sql);
}

/** How many of this test's keys each master holds. */
async function keysPerMaster(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const node of producer.nodes('master')) {
    const keys = await node.keys(`${env.prefix}:*`);
    counts.set(`${node.options.host}:${node.options.port}`, keys.length);
  }
  return counts;
}

// Before the failover test below, which leaves a master dead.
describe('webhooks on the cluster', () => {
  let hooksEnv: TestEnv;
  const services: ServiceProcess[] = [];
  const receiver = new Receiver();
  // '/flaky' fails its first request: the next attempt waits in the queue's delayed set.
  receiver.answer = (path, count) => ({ status: path === '/flaky' && count === 1 ? 503 : 204 });
  let base: string;

  beforeAll(async () => {
    hooksEnv = await createTestEnv();
    const hooksCatalog = await buildTestCatalog(hooksEnv);
    await putProduct(hooksCatalog, SUITE);
    await hooksCatalog.close();
    await receiver.start();
    const settings = {
      DATABASE_URL: hooksEnv.databaseUrl,
      REDIS_CLUSTER_NODES: cluster.nodesSetting,
      QUEUE_SHARDS: '3',
      BULLMQ_PREFIX: hooksEnv.prefix,
      OPERATOR_TOKEN,
      RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      // The event must come from the job's finish, not from the reconciler's sweep of due deliveries.
      RECONCILE_INTERVAL_MS: '600000',
    };
    services.push(await spawnService('api', settings), await spawnService('worker', settings));
    base = `http://127.0.0.1:${services[0]!.port}`;
  }, 120_000);

  afterAll(async () => {
    for (const p of services) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      await p.exited;
    }
    await receiver.close();
    // The services' keys, on whichever master holds them (hooksEnv.close only sees the single Redis).
    for (const node of producer?.nodes('master') ?? []) {
      const keys = await node.keys(`${hooksEnv.prefix}:*`);
      for (const key of keys) await node.del(key);
    }
    await hooksEnv?.close();
  }, 60_000);

  it("delivers a finished job's event, signed, from the queue beside shard 0", async () => {
    const partner = await PartnerClient.create(base, 'Cluster webhooks');
    const saved = await partner.call('PUT', '/v1/webhook', { url: receiver.url('/finished') });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const secret = saved.body.secret as string;
    const customer = await partner.customer('Cluster webhook customer');
    const users = await partner.users(customer, 20);
    await partner.subscribe(customer, SUITE.id, 20);
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    const finished = await partner.waitForJob(customer, job.body.id, 60_000);
    expect(finished).toMatchObject({ status: 'completed', progress: { total: 20, succeeded: 20, failed: 0 } });

    const request = await until('the delivery', () => receiver.at('/finished')[0]);
    const event = new Webhook(secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    }) as { type: string; data: unknown };
    expect(event.type).toBe('license_job.finished');
    expect(event.data).toEqual(finished);
    const delivery = await until('delivered', async () => {
      const list = await partner.call('GET', '/v1/webhook/deliveries');
      const d = list.body.items.find((x: { jobId: string }) => x.jobId === job.body.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(delivery).toMatchObject({ type: 'license_job.finished', attempts: 1, lastStatusCode: 204 });
    expect(request.headers['webhook-id']).toBe(delivery.id);

    // The webhook queue's keys are under shard 0's hash tag, on the master that owns its slot.
    const shard0 = licenseTaskShards({ prefix: hooksEnv.prefix, shards: 3, cluster: true })[0]!.prefix;
    const owners = await Promise.all(
      producer.nodes('master').map(async (node) => (await node.keys(`${shard0}:webhook-deliveries:*`)).length),
    );
    expect(owners.filter((n) => n > 0)).toHaveLength(1);

    // A ping, queued by the API on the cluster, is delivered too.
    const ping = await partner.call('POST', '/v1/webhook/test');
    expect(ping.status).toBe(202);
    const pinged = await until('the ping', () =>
      receiver.received.find((r) => r.headers['webhook-id'] === ping.body.id),
    );
    expect(new Webhook(secret).verify(pinged.body, pinged.headers as Record<string, string>)).toMatchObject({
      type: 'ping',
    });
  }, 90_000);

  it('retries a failed attempt after its delay (5 s), from the delayed set on the cluster', async () => {
    const partner = await PartnerClient.create(base, 'Cluster webhooks, flaky');
    expect((await partner.call('PUT', '/v1/webhook', { url: receiver.url('/flaky') })).status).toBe(200);
    // A job's event (a test ping is attempted once, never retried).
    const customer = await partner.customer('Cluster flaky customer');
    const users = await partner.users(customer, 1);
    await partner.subscribe(customer, SUITE.id, 1);
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    await partner.waitForJob(customer, job.body.id, 60_000);
    // The worker's queue-depth gauge reads the webhook queue on the cluster: the retry, delayed.
    await until('the retry in the delayed set', async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${services[1]!.port}/metrics`)).text();
      return /bullmq_queue_jobs\{queue="webhook-deliveries",state="delayed"[^}]*\} 1\b/.test(metrics) || undefined;
    });
    const delivery = await until('delivered on the second attempt', async () => {
      const list = await partner.call('GET', '/v1/webhook/deliveries');
      const d = list.body.items.find((x: { jobId: string }) => x.jobId === job.body.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(delivery).toMatchObject({ attempts: 2, lastStatusCode: 204 });
    const requests = receiver.at('/flaky');
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
  }, 60_000);
});

describe('Redis Cluster with three queue shards', () => {
  it("spreads customers' tasks over several masters and completes every job", async () => {
    await Promise.all(queues.all.map((q) => q.pause()));
    const jobs = await customersWithJobs(6, 60);
    await expect
      .poll(async () => [...(await keysPerMaster()).values()].filter((n) => n > 0).length, { timeout: 30_000 })
      .toBeGreaterThan(1);
    await Promise.all(queues.all.map((q) => q.resume()));
    await expectAllAssignedOnce(jobs);
  });

  it('a master killed with SIGKILL mid-job fails over to its replica; every job completes exactly once', async () => {
    const jobs = await customersWithJobs(3, 1500);
    await expect
      .poll(
        async () =>
          (
            await env.sql<{ n: number }[]>`
              SELECT count(*)::int AS n FROM license_job_items
              WHERE job_id = ANY(${jobs.map((j) => j.jobId)}) AND status <> 'pending'`
          )[0]!.n,
        { timeout: 60_000, interval: 20 },
      )
      .toBeGreaterThan(0);
    const masters = await cluster.masters();
    await cluster.killMaster(masters[0]!);
    await expectAllAssignedOnce(jobs);
  });
});
