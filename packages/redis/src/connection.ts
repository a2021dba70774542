import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { coalesceWrites } from './write-coalescing.ts';

/**
 * Redis connections. Workers must block forever on the queue, so they retry requests without a
 * limit; producers on a request path fail fast so an API call answers instead of hanging.
 * Every connection sends the commands of one tick together (see coalesceWrites). ioredis
 * auto-pipelining stays off: it waits for one pipeline's replies before sending the next, which
 * made jobs slower in `pnpm bench`.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5000, ...extra };
  const redis = new Redis(url, options);
  redis.on('connect', () => coalesceWrites(redis.stream as Socket));
  return redis;
}
