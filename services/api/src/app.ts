import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { RedisClient } from '@licensing/redis';
import type { TrustProxy } from '@licensing/config';
import { type Db, type Sql, TableMaintenance } from '@licensing/db';
import {
  bearerToken,
  FailedAuthThrottle,
  loggerOptions,
  ProblemError,
  problemErrorHandler,
  registerHealthRoutes,
  registerShutdownAnswer,
  registerHttpMetrics,
  registerOpenApi,
  registerRequestTracing,
  requireOperator,
  sha256,
} from '@licensing/http';
import { createMetricsRegistry } from '@licensing/telemetry';
import type { Registry } from 'prom-client';
import { createApiMetrics } from './metrics.ts';
import { registerQueueDashboard } from './queue-dashboard.ts';
import { TaskEnqueuer } from './enqueue.ts';
import { JobEventStreams } from './job-events.ts';
import { type LicenseTaskQueues, registerQueueDepthGauge } from '@licensing/queue';
import { declarePartnerScopes, type PartnerRoute, requirePartner } from './auth.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { API_DOCUMENT_INFO } from './schemas/openapi.ts';
import { adminPartnerRoutes } from './routes/admin-partners.ts';
import { auditEventRoutes } from './routes/audit-events.ts';
import { customerRoutes } from './routes/customers.ts';
import { groupRoutes } from './routes/groups.ts';
import { licenseJobRoutes } from './routes/license-jobs.ts';
import { licenseOverviewRoutes } from './routes/license-overview.ts';
import {
  DEFAULT_LARGE_SELECTIONS_PER_PARTNER,
  LARGE_SELECTIONS_BUSY_SHARE,
  LARGE_SELECTIONS_BUSY_WINDOW_MS,
  SelectionBudget,
} from './selection-budget.ts';
import {
  CSV_EXPORT_MAX_WAIT_MS,
  CSV_EXPORT_RETRY_AFTER_SECONDS,
  CSV_EXPORT_IDLE_MS,
  DEFAULT_CSV_EXPORT_MIN_BYTES_PER_SECOND,
  DEFAULT_CSV_EXPORTS,
  DEFAULT_CSV_EXPORTS_PER_PARTNER,
} from './csv.ts';
import { DEFAULT_JOB_ACCEPTANCES_PER_PARTNER, PartnerShares } from './partner-shares.ts';
import { DEFAULT_PARTNER_QUEUE_LIMITS, PartnerQueue, type PartnerQueueLimits } from './partner-queue.ts';
import { productRoutes } from './routes/products.ts';
import { enqueueRecorded, webhookRoutes } from './routes/webhooks.ts';
import { DEFAULT_WEBHOOK_TESTS_PER_MINUTE } from '@licensing/domain';
import { createWebhookQueue, parseSecretKey, type WebhookTargetPolicy } from '@licensing/webhooks';

export interface ApiAppDeps {
  db: Db;
  /** A streaming replica for reads that may lag (DATABASE_READ_URL); the primary when omitted. */
  readDb?: Db;
  sql: Sql;
  redis: RedisClient;
  queues: LicenseTaskQueues;
  operatorToken: string;
  rateLimitPerMinute: number;
  /** Failed authentications per client address per minute (default 30); 0 turns throttling off. */
  authFailuresPerMinute?: number;
  /** The window failed authentications are counted in (tests shorten it). */
  authFailureWindowMs?: number;
  /** Prefix of the rate limiter's and the failure throttle's Redis keys. */
  rateLimitNamespace?: string;
  /** Whose X-Forwarded-For is believed (TRUST_PROXY); default: nobody's, the client is the TCP peer. */
  trustProxy?: TrustProxy;
  logLevel?: string;
  /** Log lines for people (a terminal) instead of JSON. */
  prettyLogs?: boolean;
  isShuttingDown?: () => boolean;
  /** The process's metrics registry; a fresh one when omitted (tests). */
  registry?: Registry;
  /** Where webhooks may point; by default public https and http addresses only. */
  webhookPolicy?: WebhookTargetPolicy;
  /** WEBHOOK_SECRET_KEY (base64): seals stored webhook secrets. */
  webhookSecretKey?: string;
  /** Test pings a partner may send per minute (WEBHOOK_TESTS_PER_MINUTE, default 5); 0: any number. */
  webhookTestsPerMinute?: number;
  /** Unfinished jobs a user may have before another job for it is refused (default 5). */
  pendingJobsPerUser?: number;
  /** A partner's share of the queue (UNFINISHED_JOBS_PER_PARTNER, UNFINISHED_USERS_PER_PARTNER). */
  partnerQueue?: PartnerQueueLimits;
  /** Users that answers about large selections may hold at once (see SelectionBudget). */
  selectionBudgetUsers?: number;
  /** Answers about more than 1,000 selected users one partner may have in progress at once. */
  largeSelectionsPerPartner?: number;
  /** Job event streams one partner may have open at once. */
  eventStreamsPerPartner?: number;
  /** Job acceptances one partner may have in progress at once (see DEFAULT_JOB_ACCEPTANCES_PER_PARTNER). */
  jobAcceptancesPerPartner?: number;
  /** The share of the process's time one partner's large selections may take (see PartnerShares). */
  largeSelectionsBusyShare?: number;
  /** Vacuum and analyse what the process bulk-loads (default true; benchmarks turn it off to show the plans without). */
  tableMaintenance?: boolean;
  /**
   * Bounds on results downloads as CSV (see csv.ts): at once per process and per partner, the wait
   * for a slot, how long a client may read nothing, and the slowest pace it may read at on average
   * (tests shorten the waits).
   */
  csvExports?: {
    concurrent?: number;
    perPartner?: number;
    maxWaitMs?: number;
    idleMs?: number;
    minBytesPerSecond?: number;
  };
}

/**
 * Selected users the process answers about at once: three 20,000-user overviews, or one of 50,000,
 * inside the 256 MB heap the services run with (scripts/service-flags.ts) next to everything else;
 * test/overview-load.test.ts sends 16 such overviews at once to a process started that way.
 */
export const DEFAULT_SELECTION_BUDGET_USERS = 60_000;
/** Open job event streams per partner and process: each holds a socket and what its reader has not read yet. */
export const DEFAULT_EVENT_STREAMS_PER_PARTNER = 500;

export async function buildApiApp(deps: ApiAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions('api', { level: deps.logLevel ?? 'info', pretty: deps.prettyLogs }),
    trustProxy: deps.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { coerceTypes: false } },
    // A request that arrives while the server closes is answered by registerShutdownAnswer.
    return503OnClosing: false,
  });
  await registerRequestTracing(app);
  await app.register(problemErrorHandler);
  await registerOpenApi(app, API_DOCUMENT_INFO);
  registerHealthRoutes(
    app,
    { postgres: () => deps.sql`SELECT 1`, redis: () => deps.redis.ping() },
    deps.isShuttingDown ?? (() => false),
  );
  registerShutdownAnswer(app, deps.isShuttingDown ?? (() => false));
  const registry = deps.registry ?? createMetricsRegistry('api');
  registerHttpMetrics(app, registry);
  registerQueueDepthGauge(registry, Object.fromEntries(deps.queues.all.map((q) => [q.name, q])));
  const metrics = createApiMetrics(registry);
  const selectionBudget = new SelectionBudget({
    capacity: deps.selectionBudgetUsers ?? DEFAULT_SELECTION_BUDGET_USERS,
    shares: new PartnerShares({
      perPartner: deps.largeSelectionsPerPartner ?? DEFAULT_LARGE_SELECTIONS_PER_PARTNER,
      resource: 'selections',
      what: 'large previews or license overviews',
      setting: 'LARGE_SELECTIONS_PER_PARTNER',
      retryAfterSeconds: 1,
      busyWindowMs: LARGE_SELECTIONS_BUSY_WINDOW_MS,
      busyShare: deps.largeSelectionsBusyShare ?? LARGE_SELECTIONS_BUSY_SHARE,
    }),
  });
  const csvExports = {
    shares: new PartnerShares({
      perPartner: deps.csvExports?.perPartner ?? DEFAULT_CSV_EXPORTS_PER_PARTNER,
      resource: 'csv',
      what: 'results downloads as CSV',
      setting: 'CSV_EXPORTS_PER_PARTNER',
      retryAfterSeconds: CSV_EXPORT_RETRY_AFTER_SECONDS,
    }),
    slots: new SelectionBudget({
      capacity: deps.csvExports?.concurrent ?? DEFAULT_CSV_EXPORTS,
      alwaysAdmitted: 0,
      maxWaitMs: deps.csvExports?.maxWaitMs ?? CSV_EXPORT_MAX_WAIT_MS,
      overloadedDetail: 'Too many results downloads as CSV are being served at once',
    }),
    slowReaders: {
      idleMs: deps.csvExports?.idleMs ?? CSV_EXPORT_IDLE_MS,
      minBytesPerSecond: deps.csvExports?.minBytesPerSecond ?? DEFAULT_CSV_EXPORT_MIN_BYTES_PER_SECOND,
    },
  };
  const enqueuer = new TaskEnqueuer(deps.queues, deps.redis, deps.db, app.log);
  // The delivery worker's queue, beside the license tasks' first shard (same prefix, so on a Redis
  // Cluster its keys share that shard's hash tag, as BullMQ needs).
  const webhookQueue = createWebhookQueue(deps.redis, deps.queues.all[0]!.opts.prefix);
  webhookQueue.on('error', (err) => app.log.warn({ err }, 'webhook queue error'));
  // Vacuums and analyses what this process bulk-loads (user imports, job items), once the writes pause.
  const maintenance = deps.tableMaintenance === false ? undefined : new TableMaintenance(deps.sql, { log: app.log });
  app.addHook('onClose', async () => {
    await enqueuer.drain();
    await webhookQueue.close();
    await maintenance?.close();
  });
  const namespace = deps.rateLimitNamespace ?? 'licensing-';
  const throttle = new FailedAuthThrottle({
    redis: deps.redis,
    maxFailures: deps.authFailuresPerMinute ?? 30,
    windowMs: deps.authFailureWindowMs,
    namespace: `${namespace}auth-failures:`,
    log: app.log,
  });
  const jobEvents = new JobEventStreams(deps.db, app.log, registry);
  // Open event streams would keep the server from closing: end them before it stops listening.
  app.addHook('preClose', async () => jobEvents.close());

  if (deps.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      global: true,
      max: deps.rateLimitPerMinute,
      timeWindow: 60_000,
      redis: deps.redis,
      nameSpace: `${namespace}rate-limit:`,
      skipOnError: true,
      // Per partner key (hashed, never stored in clear); anonymous callers per address.
      keyGenerator: (request) => {
        const token = bearerToken(request.headers.authorization);
        return token ? `key:${sha256(token).toString('hex')}` : `ip:${request.ip}`;
      },
      allowList: (request) =>
        ['/livez', '/readyz', '/metrics'].includes(request.url.split('?')[0]!) ||
        request.url.startsWith('/admin/queues'),
      errorResponseBuilder: (_request, context) =>
        new ProblemError(
          429,
          'rate_limited',
          `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s.`,
          {},
          {},
          { max: context.max, retryAfter: Math.ceil(context.ttl / 1000) },
        ),
    });
  }

  await registerQueueDashboard(app, [...deps.queues.all], deps.operatorToken, throttle);

  await app.register(async (operatorScope) => {
    operatorScope.addHook('onRequest', requireOperator(deps.operatorToken, { throttle }));
    await operatorScope.register(adminPartnerRoutes({ db: deps.db }));
  });

  const partnerRoutes: PartnerRoute[] = [];
  app.decorate('partnerRoutes', partnerRoutes);
  await app.register(async (partnerScope) => {
    declarePartnerScopes(partnerScope, partnerRoutes);
    partnerScope.addHook('onRequest', requirePartner(deps.db, throttle));
    await partnerScope.register(apiKeyRoutes({ db: deps.db }));
    await partnerScope.register(productRoutes({ db: deps.db }));
    await partnerScope.register(auditEventRoutes({ db: deps.db }));
    await partnerScope.register(
      customerRoutes({
        db: deps.db,
        readDb: deps.readDb,
        onDeliveriesRecorded: (refs, log) => enqueueRecorded(webhookQueue, refs, log),
        maintenance,
        enqueuer,
      }),
    );
    // One share for every route that accepts a job: license jobs (new, retried, reverted) and groups' changes.
    const acceptanceShares = new PartnerShares({
      perPartner: deps.jobAcceptancesPerPartner ?? DEFAULT_JOB_ACCEPTANCES_PER_PARTNER,
      resource: 'jobs',
      what: 'license jobs being accepted',
      setting: 'JOB_ACCEPTANCES_PER_PARTNER',
      retryAfterSeconds: 1,
    });
    // One for every route that accepts a job: a refusal remembered by one answers the others too.
    const partnerQueue = new PartnerQueue(deps.db, deps.partnerQueue ?? DEFAULT_PARTNER_QUEUE_LIMITS);
    await partnerScope.register(groupRoutes({ db: deps.db, enqueuer, acceptanceShares, partnerQueue }));
    await partnerScope.register(licenseOverviewRoutes({ db: deps.db, budget: selectionBudget }));
    await partnerScope.register(
      licenseJobRoutes({
        db: deps.db,
        readDb: deps.readDb,
        budget: selectionBudget,
        csvExports,
        pendingJobsPerUser: deps.pendingJobsPerUser ?? 5,
        partnerQueue,
        events: jobEvents,
        eventShares: new PartnerShares({
          perPartner: deps.eventStreamsPerPartner ?? DEFAULT_EVENT_STREAMS_PER_PARTNER,
          resource: 'events',
          what: 'job event streams',
          setting: 'EVENT_STREAMS_PER_PARTNER',
          retryAfterSeconds: 5,
        }),
        acceptanceShares,
        enqueuer,
        metrics,
        maintenance,
        onDeliveriesRecorded: (refs, log) => enqueueRecorded(webhookQueue, refs, log),
      }),
    );
    await partnerScope.register(
      webhookRoutes({
        db: deps.db,
        queue: webhookQueue,
        policy: deps.webhookPolicy ?? { allowPrivateTargets: false, allowHttp: true },
        secretKey: parseSecretKey(deps.webhookSecretKey),
        testsPerMinute: deps.webhookTestsPerMinute ?? DEFAULT_WEBHOOK_TESTS_PER_MINUTE,
      }),
    );
  });
  return app;
}
