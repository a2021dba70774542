// Per-test-file environment: a database cloned from the migrated template, a unique BullMQ
// prefix on the shared Redis, and builders for the real apps and worker. Nothing is mocked.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import postgres from 'postgres';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { createDb, type DbHandle } from '@licensing/db';
import { createRedis, type RedisClient } from '@licensing/redis';
import {
  createLicenseTaskQueue,
  expressQueueName,
  LICENSE_TASK_QUEUE,
  type LicenseTaskQueue,
  type LicenseTaskQueues,
  licenseTaskQueues,
} from '@licensing/queue';
import { buildApiApp } from '@licensing/api';
import { buildCatalogApp } from '@licensing/catalog';
import {
  createLicenseWorker,
  JobScheduler,
  type LicenseWorker,
  Reconciler,
  type WorkerMetrics,
} from '@licensing/worker';
import type { Redis } from 'ioredis';
import type { Product } from '@licensing/domain';
import type { TrustProxy } from '@licensing/config';
import type { WebhookQueue, WebhookTargetPolicy } from '@licensing/webhooks';

export const OPERATOR_TOKEN = 'test-operator-token';

export interface TestEnv extends DbHandle {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  redis: Redis;
  queue: LicenseTaskQueue;
  /** The same queue as the one shard the API and reconciler enqueue to. */
  queues: LicenseTaskQueues;
  close: () => Promise<void>;
}

/**
 * `expressQueue`: the API and reconciler put interactive jobs' tasks on an express queue beside the
 * test's queue, as the services do; without it they go to the wait list of `queue` itself, so tests
 * that hold tasks back by pausing `queue` hold every task.
 */
export async function createTestEnv(options: { tracing?: boolean; expressQueue?: boolean } = {}): Promise<TestEnv> {
  const server = inject('pgServerUrl');
  const name = `licensing_test_${randomUUID().replaceAll('-', '')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const handle = createDb(databaseUrl, { max: 10, applicationName: 'test' });
  const redisUrl = inject('redisUrl');
  const redis = createRedis(redisUrl, 'producer');
  const prefix = `test-${randomUUID()}`;
  const queue = createLicenseTaskQueue(redis, prefix, { tracing: options.tracing });
  const express = options.expressQueue
    ? [createLicenseTaskQueue(redis, prefix, { tracing: options.tracing, name: expressQueueName(LICENSE_TASK_QUEUE) })]
    : [];
  return {
    ...handle,
    databaseUrl,
    redisUrl,
    prefix,
    redis,
    queue,
    queues: licenseTaskQueues([queue], express),
    close: async () => {
      for (const q of [queue, ...express]) {
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await handle.close();
      const dropper = postgres(server, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export async function buildTestApi(
  env: TestEnv,
  options: {
    rateLimitPerMinute?: number;
    webhookPolicy?: WebhookTargetPolicy;
    webhookSecretKey?: string;
    webhookTestsPerMinute?: number;
    authFailuresPerMinute?: number;
    authFailureWindowMs?: number;
    trustProxy?: TrustProxy;
    eventStreamsPerPartner?: number;
    /** Tests race one partner's job acceptances on purpose: unbounded unless set (as the rate limit). */
    jobAcceptancesPerPartner?: number;
    /** Tests queue many jobs of one partner with the workers paused: unbounded unless set (as the rate limit). */
    partnerQueue?: { jobs: number; users: number };
    isShuttingDown?: () => boolean;
  } = {},
): Promise<FastifyInstance> {
  const app = await buildApiApp({
    eventStreamsPerPartner: options.eventStreamsPerPartner,
    jobAcceptancesPerPartner: options.jobAcceptancesPerPartner ?? 1_000,
    partnerQueue: options.partnerQueue ?? { jobs: 1_000_000, users: 1_000_000_000 },
    isShuttingDown: options.isShuttingDown,
    trustProxy: options.trustProxy,
    db: env.db,
    sql: env.sql,
    redis: env.redis,
    queues: env.queues,
    operatorToken: OPERATOR_TOKEN,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    authFailuresPerMinute: options.authFailuresPerMinute ?? 0,
    authFailureWindowMs: options.authFailureWindowMs,
    rateLimitNamespace: `${env.prefix}:`,
    logLevel: 'silent',
    webhookPolicy: options.webhookPolicy,
    webhookSecretKey: options.webhookSecretKey,
    webhookTestsPerMinute: options.webhookTestsPerMinute ?? 0,
  });
  await app.ready();
  return app;
}

export async function buildTestCatalog(env: TestEnv): Promise<FastifyInstance> {
  const app = await buildCatalogApp({
    db: env.db,
    sql: env.sql,
    redis: env.redis,
    operatorToken: OPERATOR_TOKEN,
    authFailuresPerMinute: 0,
    rateLimitNamespace: `${env.prefix}:catalog-`,
    logLevel: 'silent',
  });
  await app.ready();
  return app;
}

export const silentLog = pino({ level: 'silent' });

export interface TestWorker {
  worker: LicenseWorker;
  /** Starts the file's scheduled jobs on time (not with `redisUrl`: it enqueues to the env's queue). */
  scheduler?: JobScheduler;
  close: () => Promise<void>;
}

export async function startTestWorker(
  env: TestEnv,
  options: {
    concurrency?: number;
    batchSize?: number;
    tracing?: boolean;
    metrics?: WorkerMetrics;
    redisUrl?: string;
    webhookQueue?: WebhookQueue;
    /** As WORKER_BATCH_TIMEOUT_MS (a batch's lock waits are bounded by a sixth of it). */
    batchTimeoutMs?: number;
  } = {},
): Promise<TestWorker> {
  const connection = createRedis(options.redisUrl ?? env.redisUrl, 'worker');
  connection.on('error', () => {}); // reconnects on its own; fault tests take Redis away on purpose
  const worker = createLicenseWorker({
    db: env.db,
    connection,
    prefix: env.prefix,
    concurrency: options.concurrency ?? 64,
    batchSize: options.batchSize ?? 100,
    batchParallelism: 2,
    batchTimeoutMs: options.batchTimeoutMs,
    stalledIntervalMs: 5000,
    log: silentLog,
    tracing: options.tracing,
    onApplied: options.metrics?.onApplied,
    onJobFinished: options.metrics?.onJobFinished,
    webhookQueue: options.webhookQueue,
  });
  void worker.run();
  await worker.waitUntilReady();
  const scheduler =
    options.redisUrl === undefined
      ? new JobScheduler({ db: env.db, queues: env.queues, redis: env.redis, log: silentLog, intervalMs: 200 })
      : undefined;
  scheduler?.start();
  let closed = false;
  return {
    worker,
    scheduler,
    // Idempotent: a test may stop the worker of its system before the system closes.
    close: async () => {
      if (closed) return;
      closed = true;
      await scheduler?.stop();
      await worker.close();
      await connection.quit();
    },
  };
}

export function createTestReconciler(
  env: TestEnv,
  queue: LicenseTaskQueue = env.queue,
  redis: RedisClient = env.redis,
  options: { enqueueTimeoutSeconds?: number } = {},
): Reconciler {
  return new Reconciler({
    db: env.db,
    queues: licenseTaskQueues([queue]),
    redis,
    log: silentLog,
    intervalMs: 500,
    graceSeconds: 0,
    enqueueTimeoutSeconds: options.enqueueTimeoutSeconds ?? 0,
    lockKey: `${env.prefix}:reconciler-lock`,
  });
}

/** The usual fixture of a test file: its own database and queue, the API and catalog apps, products, and optionally a worker. */
export interface TestSystem {
  env: TestEnv;
  api: FastifyInstance;
  catalog: FastifyInstance;
  worker?: TestWorker;
  close: () => Promise<void>;
}

export async function startTestSystem(
  options: {
    products?: Product[];
    worker?: boolean | Parameters<typeof startTestWorker>[1];
    expressQueue?: boolean;
    /** The API's options (its limits), as buildTestApi takes them. */
    api?: Parameters<typeof buildTestApi>[1];
  } = {},
): Promise<TestSystem> {
  const env = await createTestEnv({ expressQueue: options.expressQueue });
  const api = await buildTestApi(env, options.api);
  const catalog = await buildTestCatalog(env);
  for (const product of options.products ?? []) {
    const res = await catalog.inject({
      method: 'PUT',
      url: `/v1/products/${product.id}`,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
      payload: product,
    });
    if (res.statusCode >= 300) throw new Error(`PUT ${product.id}: ${res.statusCode} ${res.body}`);
  }
  const worker = options.worker ? await startTestWorker(env, options.worker === true ? {} : options.worker) : undefined;
  return {
    env,
    api,
    catalog,
    worker,
    close: async () => {
      await worker?.close();
      await api.close();
      await catalog.close();
      await env.close();
    },
  };
}
