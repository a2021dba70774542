import Fastify, { type FastifyInstance } from 'fastify';
import type { RedisClient } from '@licensing/redis';
import type { Sql } from '@licensing/db';
import { loggerOptions, problemErrorHandler, registerHealthRoutes, registerHttpMetrics } from '@licensing/http';
import type { Registry } from 'prom-client';

export interface WorkerAppDeps {
  sql: Sql;
  redis: RedisClient;
  isConsuming: () => boolean;
  /** The queues whose workers were found stalled and have not taken a task since (see LicenseWorker). */
  stalledQueues?: () => string[];
  isShuttingDown: () => boolean;
  logLevel?: string;
  /** Log lines for people (a terminal) instead of JSON. */
  prettyLogs?: boolean;
  registry: Registry;
}

/** The worker's own small HTTP server: health and metrics for operators. */
export async function buildWorkerApp(deps: WorkerAppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: loggerOptions('worker', { level: deps.logLevel ?? 'info', pretty: deps.prettyLogs }) });
  await app.register(problemErrorHandler);
  registerHttpMetrics(app, deps.registry);
  registerHealthRoutes(
    app,
    {
      postgres: () => deps.sql`SELECT 1`,
      redis: () => deps.redis.ping(),
      consuming: async () => {
        if (!deps.isConsuming()) throw new Error('the worker is not consuming the queue');
        const stalled = deps.stalledQueues?.() ?? [];
        if (stalled.length)
          throw new Error(`stalled on ${stalled.join(', ')}: tasks wait and none is taken; its workers were replaced`);
      },
    },
    deps.isShuttingDown,
  );
  return app;
}
