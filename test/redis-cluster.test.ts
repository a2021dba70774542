// The license tasks on a real Redis Cluster (3 masters, 3 replicas of the machine's redis-server)
// with QUEUE_SHARDS=3: customers' jobs complete with their tasks spread over several masters, and a
// master killed mid-job fails over to its replica while every job completes exactly once.
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
