import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Sql } from '@licensing/db';
import { loggerOptions, problemErrorHandler, registerHealthRoutes } from '@licensing/http';

export interface WorkerAppDeps {
  sql: Sql;
  redis: Redis;
  isConsuming: () => boolean;
  isShuttingDown: () => boolean;
  logLevel?: string;
}

/** The worker's own small HTTP server: health (and metrics) for operators. */
export async function buildWorkerApp(deps: WorkerAppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: loggerOptions(deps.logLevel ?? 'info') });
  await app.register(problemErrorHandler);
  registerHealthRoutes(
    app,
    {
      postgres: () => deps.sql`SELECT 1`,
      redis: () => deps.redis.ping(),
      consuming: async () => {
        if (!deps.isConsuming()) throw new Error('the worker is not consuming the queue');
      },
    },
    deps.isShuttingDown,
  );
  return app;
}
