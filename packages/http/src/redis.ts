import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis connections. Workers must block forever on the queue, so they retry requests without a
 * limit; producers on a request path fail fast so an API call answers instead of hanging.
 * Auto-pipelining sends the commands issued in one tick (hundreds of task completions under load)
 * in one write, which saves a system call per command on both ends.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, enableAutoPipelining: true, ...extra }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5000, enableAutoPipelining: true, ...extra };
  return new Redis(url, options);
}
