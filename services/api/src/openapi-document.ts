import { Redis } from 'ioredis';
import { createDb } from '@licensing/db';
import { createLicenseTaskQueue, licenseTaskQueues } from '@licensing/queue';
import { buildApiApp } from './app.ts';

/**
 * The OpenAPI document exactly as the API serves it at /docs/json, built from the real app
 * without Postgres or Redis: the handles given to it point nowhere and are never queried
 * (the queue's connection attempts are refused and ignored).
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const { db, sql, close } = createDb('postgres://openapi@127.0.0.1:1/openapi', { max: 1 });
  const redis = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  const queue = createLicenseTaskQueue(redis, 'openapi');
  const queues = licenseTaskQueues([queue]);
  queue.on('error', () => {});
  const app = await buildApiApp({
    db,
    sql,
    redis,
    queues,
    operatorToken: 'openapi',
    rateLimitPerMinute: 1,
    logLevel: 'silent',
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await queue.close().catch(() => {});
    redis.disconnect();
    await close();
  }
}
