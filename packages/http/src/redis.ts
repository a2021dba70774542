import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis connections. Workers must block forever on the queue, so they retry requests without a
 * limit; producers on a request path fail fast so an API call answers instead of hanging.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5000, ...extra };
  return new Redis(url, options);
}
