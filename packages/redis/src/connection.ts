import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { coalesceWrites } from './write-coalescing.ts';

/**
 * Redis connections. Workers must block forever on the queue, so they retry requests without a
 * limit; producers on a request path fail fast so an API call answers instead of hanging.
 * Every connection sends the commands of one tick together (see coalesceWrites). (ioredis
 * auto-pipelining was measured with `pnpm bench` and made jobs ~15 % slower: it stays off.)
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
