import closeWithGrace from 'close-with-grace';
import { checkAutovacuum, createDb, prepareDatabase } from '@licensing/db';
import { checkRedisEvictionPolicy, createRedisClient } from '@licensing/redis';
import { startTracing } from '@licensing/telemetry';
import { createLicenseTaskQueues } from '@licensing/queue';
import { buildApiApp } from './app.ts';
import { loadApiConfig } from './config.ts';

const config = loadApiConfig();
const stopTracing = await startTracing('licensing-api', config.tracing);
await prepareDatabase(config.DATABASE_URL);
const {
  db,
  sql,
  close: closeDb,
} = createDb(config.DATABASE_URL, {
  max: 10,
  applicationName: 'api',
  prepare: config.DATABASE_PREPARED_STATEMENTS,
});
// The replica's pool, when there is one, is owned here like the primary's.
const reads = config.DATABASE_READ_URL
  ? createDb(config.DATABASE_READ_URL, {
      max: 5,
      applicationName: 'api-reads',
      prepare: config.DATABASE_PREPARED_STATEMENTS,
    })
  : undefined;
const redis = createRedisClient({ url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES }, 'producer');
const queues = createLicenseTaskQueues(redis, config.queueLayout, { tracing: config.tracing });
let shuttingDown = false;
const app = await buildApiApp({
  db,
  readDb: reads?.db,
  sql,
  redis,
  queues,
  operatorToken: config.OPERATOR_TOKEN,
  rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
  pendingJobsPerUser: config.MAX_PENDING_JOBS_PER_USER,
  partnerQueue: { jobs: config.UNFINISHED_JOBS_PER_PARTNER, users: config.UNFINISHED_USERS_PER_PARTNER },
  largeSelectionsPerPartner: config.LARGE_SELECTIONS_PER_PARTNER,
  jobAcceptancesPerPartner: config.JOB_ACCEPTANCES_PER_PARTNER,
  eventStreamsPerPartner: config.EVENT_STREAMS_PER_PARTNER,
  largeSelectionsBusyShare: config.LARGE_SELECTIONS_BUSY_SHARE,
  authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
  trustProxy: config.TRUST_PROXY,
  logLevel: config.LOG_LEVEL,
  prettyLogs: process.stdout.isTTY === true,
  isShuttingDown: () => shuttingDown,
  webhookPolicy: { allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS, allowHttp: !config.production },
  webhookSecretKey: config.WEBHOOK_SECRET_KEY,
  webhookTestsPerMinute: config.WEBHOOK_TESTS_PER_MINUTE,
  csvExports: {
    concurrent: config.CSV_EXPORTS_PER_PROCESS,
    perPartner: config.CSV_EXPORTS_PER_PARTNER,
    minBytesPerSecond: config.CSV_EXPORT_MIN_BYTES_PER_SECOND,
  },
});
redis.on('error', (err) => app.log.warn({ err }, 'redis error'));
await checkRedisEvictionPolicy(redis, app.log, config.production);
await checkAutovacuum(sql, app.log);
for (const queue of queues.all) queue.on('error', (err) => app.log.warn({ err }, 'queue error'));

closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: app.log }, async ({ signal, err }) => {
  shuttingDown = true;
  if (err) app.log.error({ err }, 'closing after error');
  else app.log.info({ signal }, 'shutting down');
  await app.close(); // stops accepting, lets in-flight requests finish
  await Promise.all(queues.all.map((queue) => queue.close()));
  await Promise.allSettled([closeDb(), reads?.close(), redis.quit(), stopTracing()]);
});

await app.listen({ host: config.HOST, port: config.API_PORT });
