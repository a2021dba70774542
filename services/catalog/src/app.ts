import Fastify, { type FastifyInstance } from 'fastify';
import type { RedisClient } from '@licensing/redis';
import type { TrustProxy } from '@licensing/config';
import type { Db, Sql } from '@licensing/db';
import {
  FailedAuthThrottle,
  loggerOptions,
  problemErrorHandler,
  registerHealthRoutes,
  registerOpenApi,
} from '@licensing/http';
import { productRoutes } from './routes/products.ts';

export interface CatalogAppDeps {
  db: Db;
  sql: Sql;
  redis: RedisClient;
  operatorToken: string;
  /** The catalog's public address (CATALOG_URL), the server its OpenAPI document names. */
  publicUrl?: string;
  /** Failed operator authentications per client address per minute (default 30); 0 turns throttling off. */
  authFailuresPerMinute?: number;
  /** Prefix of the failure throttle's Redis keys. */
  rateLimitNamespace?: string;
  /** Whose X-Forwarded-For is believed (TRUST_PROXY); default: nobody's, the client is the TCP peer. */
  trustProxy?: TrustProxy;
  logLevel?: string;
  /** Log lines for people (a terminal) instead of JSON. */
  prettyLogs?: boolean;
  isShuttingDown?: () => boolean;
}

export async function buildCatalogApp(deps: CatalogAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions('catalog', { level: deps.logLevel ?? 'info', pretty: deps.prettyLogs }),
    trustProxy: deps.trustProxy ?? false,
  });
  await app.register(problemErrorHandler);
  await registerOpenApi(
    app,
    {
      title: 'Catalog service',
      description: 'Products, service plans and their region and dependency rules.',
    },
    deps.publicUrl ? [{ url: deps.publicUrl, description: 'catalog service' }] : undefined,
  );
  registerHealthRoutes(
    app,
    { postgres: () => deps.sql`SELECT 1`, redis: () => deps.redis.ping() },
    deps.isShuttingDown ?? (() => false),
  );
  const throttle = new FailedAuthThrottle({
    redis: deps.redis,
    maxFailures: deps.authFailuresPerMinute ?? 30,
    namespace: `${deps.rateLimitNamespace ?? 'licensing-catalog-'}auth-failures:`,
    log: app.log,
  });
  await app.register(productRoutes({ db: deps.db, operatorToken: deps.operatorToken, throttle }));
  return app;
}
