import closeWithGrace from 'close-with-grace';
import { checkAutovacuum, createDb, prepareDatabase, TableMaintenance } from '@licensing/db';
import { listenOnPortOrFree } from '@licensing/http';
import { checkRedisEvictionPolicy, createRedisClient } from '@licensing/redis';
import { createMetricsRegistry, startTracing } from '@licensing/telemetry';
import { createWorkerMetrics, registerJobGauges } from './metrics.ts';
import { createLicenseTaskQueues, licenseTaskShards, registerQueueDepthGauge } from '@licensing/queue';
import { groupRowsChanged, licenseRowsChanged } from './apply-user-changes.ts';
import { buildWorkerApp } from './app.ts';
import { loadWorkerConfig } from './config.ts';
import { createLicenseWorker, PARTS_AT_ONCE } from './license-worker.ts';
import { JobScheduler } from './job-scheduler.ts';
import { Reconciler } from './reconciler.ts';
import { checkWebhookSecretKey, createWebhookMetrics, createWebhookWorker } from './webhook-worker.ts';
import { createWebhookQueue, parseSecretKey } from '@licensing/webhooks';

const config = loadWorkerConfig();
const stopTracing = await startTracing('licensing-worker', config.tracing);
await prepareDatabase(config.DATABASE_URL);
const {
  db,
  sql,
  close: closeDb,
} = createDb(config.DATABASE_URL, {
  // The batches (each up to PARTS_AT_ONCE customers at once), the express batches (PARTS_AT_ONCE of
  // one customer each), and finishing jobs, the reconciler and webhook deliveries.
  max: (config.WORKER_BATCH_PARALLELISM + 1) * PARTS_AT_ONCE + 3,
  applicationName: 'worker',
  prepare: config.DATABASE_PREPARED_STATEMENTS,
});
const redisTarget = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
const workerRedis = createRedisClient(redisTarget, 'worker');
const expressRedis = createRedisClient(redisTarget, 'worker');
const webhookRedis = createRedisClient(redisTarget, 'worker');
const redis = createRedisClient(redisTarget, 'producer');
const queues = createLicenseTaskQueues(redis, config.queueLayout, { tracing: config.tracing });
let shuttingDown = false;
const registry = createMetricsRegistry('worker');
const metrics = createWorkerMetrics(registry);
// Beside the first shard of license tasks (its prefix, so its hash tag on a Redis Cluster).
const webhookQueue = createWebhookQueue(redis, queues.all[0]!.opts.prefix);
registerQueueDepthGauge(registry, Object.fromEntries([...queues.all, webhookQueue].map((q) => [q.name, q])));
registerJobGauges(registry, db);

const app = await buildWorkerApp({
  sql,
  redis,
  isConsuming: () => worker.isRunning() && !worker.isPaused(),
  stalledQueues: () => worker.stalledQueues(),
  isShuttingDown: () => shuttingDown,
  logLevel: config.LOG_LEVEL,
  prettyLogs: process.stdout.isTTY === true,
  registry,
});
const log = app.log as unknown as import('pino').Logger;
// Vacuums and analyses the job items and licenses that large jobs change, once the writes pause.
const maintenance = new TableMaintenance(sql, { log });
const worker = createLicenseWorker({
  db,
  connection: workerRedis,
  expressConnection: expressRedis,
  shards: licenseTaskShards(config.queueLayout),
  prefix: config.BULLMQ_PREFIX,
  concurrency: config.WORKER_CONCURRENCY,
  expressConcurrency: config.WORKER_EXPRESS_CONCURRENCY,
  batchSize: config.WORKER_BATCH_SIZE,
  batchParallelism: config.WORKER_BATCH_PARALLELISM,
  batchTimeoutMs: config.WORKER_BATCH_TIMEOUT_MS,
  stalledIntervalMs: config.STALLED_INTERVAL_MS,
  // Counts waiting tasks on the producer connection, none of the workers' own (one of those may be stuck).
  stallWatchdog:
    config.WORKER_STALL_SECONDS > 0
      ? { afterMs: config.WORKER_STALL_SECONDS * 1000, client: redis, onStall: metrics.onStall }
      : undefined,
  log,
  onApplied: (items, seconds) => {
    metrics.onApplied(items, seconds);
    maintenance.noteWrites('license_job_items', items.length);
    maintenance.noteWrites('user_licenses', licenseRowsChanged(items));
    maintenance.noteWrites('group_license_states', groupRowsChanged(items));
  },
  onJobFinished: metrics.onJobFinished,
  onTaskDone: (seconds) => metrics.taskDuration.observe(seconds),
  tracing: config.tracing,
  webhookQueue,
  // Seats a batch freed go to members waiting for them at once (the reconciler's tick catches the rest).
  onSeatsFreed: (customerId) =>
    void reconciler
      .drainWaitingRoomOf(customerId)
      .catch((err: unknown) => log.warn({ err, customerId }, 'draining the waiting room failed; the reconciler will')),
});
// Webhook deliveries: their own queue, connection and concurrency, so that a slow endpoint never
// takes a license task's slot.
const webhookSecretKey = parseSecretKey(config.WEBHOOK_SECRET_KEY);
const webhookWorker = createWebhookWorker({
  db,
  connection: webhookRedis,
  prefix: webhookQueue.opts.prefix!,
  queue: webhookQueue,
  concurrency: config.WEBHOOK_CONCURRENCY,
  partnerConcurrency: config.WEBHOOK_PARTNER_CONCURRENCY,
  timeoutMs: config.WEBHOOK_TIMEOUT_MS,
  policy: { allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS, allowHttp: !config.production },
  secretKey: webhookSecretKey,
  log,
  metrics: createWebhookMetrics(registry, db),
});
const reconciler = new Reconciler({
  db,
  queues,
  redis,
  log,
  intervalMs: config.RECONCILE_INTERVAL_MS,
  lockKey: `${config.BULLMQ_PREFIX}:licensing:reconciler-lock`,
  retention: {
    idempotencyKeyHours: config.IDEMPOTENCY_KEY_TTL_HOURS,
    jobRetentionDays: config.JOB_RETENTION_DAYS,
    everyMs: 3_600_000,
  },
  webhookQueue,
});
// Scheduled jobs start from Postgres: every worker process looks for due ones.
const scheduler = new JobScheduler({ db, queues, redis, log, intervalMs: config.SCHEDULER_INTERVAL_MS });
for (const conn of [redis, workerRedis, expressRedis, webhookRedis])
  conn.on('error', (err) => log.warn({ err }, 'redis error'));
for (const queue of queues.all) queue.on('error', (err) => log.warn({ err }, 'queue error'));
webhookQueue.on('error', (err) => log.warn({ err }, 'webhook queue error'));
await checkRedisEvictionPolicy(redis, log, config.production);
await checkAutovacuum(sql, log);
await checkWebhookSecretKey(db, webhookSecretKey, log).catch((err: unknown) =>
  log.warn({ err }, 'could not check WEBHOOK_SECRET_KEY against the stored webhook secrets'),
);

closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: app.log }, async ({ signal, err }) => {
  shuttingDown = true;
  if (err) log.error({ err }, 'closing after error');
  else log.info({ signal }, 'shutting down: finishing the tasks in hand');
  await Promise.all([reconciler.stop(), scheduler.stop()]);
  // Both take no new task and wait for those in hand; license batches commit first.
  await Promise.all([worker.close(), webhookWorker.close()]);
  await webhookWorker.closeSender();
  await app.close();
  await maintenance.close();
  await Promise.all([...queues.all, webhookQueue].map((queue) => queue.close()));
  await Promise.allSettled([
    closeDb(),
    redis.quit(),
    workerRedis.quit(),
    expressRedis.quit(),
    webhookRedis.quit(),
    stopTracing(),
  ]);
});

const listening = await listenOnPortOrFree(app, {
  host: config.HOST,
  port: config.WORKER_PORT,
  portIsDefault: config.workerPortIsDefault,
});
if (listening.fallback)
  log.warn(
    { port: listening.port, busyPort: config.WORKER_PORT },
    'default worker port in use (another worker?); health and metrics on this port',
  );
void worker.run().catch((err: unknown) => log.error({ err }, 'worker stopped'));
void webhookWorker.run().catch((err: unknown) => log.error({ err }, 'webhook worker stopped'));
reconciler.start();
scheduler.start();
log.info(
  { concurrency: config.WORKER_CONCURRENCY, batchSize: config.WORKER_BATCH_SIZE },
  'worker consuming license tasks',
);
