import type { Socket } from 'node:net';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { coalesceWrites } from './write-coalescing.ts';

/**
 * A connection that has had a request outstanding and no byte from Redis for this long is closed
 * and opened again (ioredis's socketTimeout): a connection whose peer accepted it and never answers
 * (a lost handshake, a middlebox that dropped the flow) would otherwise wait forever, and a worker
 * whose blocking connection does so takes no task again. Longer than the longest blocking read
 * BullMQ makes (10 s), so an idle worker's wait for a task is never cut.
 */
export const REDIS_SOCKET_TIMEOUT_MS = 20_000;

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
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, socketTimeout: REDIS_SOCKET_TIMEOUT_MS, ...extra }
      : {
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          connectTimeout: 5000,
          socketTimeout: REDIS_SOCKET_TIMEOUT_MS,
          ...extra,
        };
  const redis = new Redis(url, options);
  redis.on('connect', () => coalesceWrites(redis.stream as Socket));
  return redis;
}

export type RedisClient = Redis | Cluster;

/** Where Redis is: one server (`url`) or a cluster (`clusterNodes`, `host:port,…`, used instead of the url). */
export interface RedisTarget {
  url: string;
  clusterNodes?: string | undefined;
}

export function parseClusterNodes(setting: string): { host: string; port: number }[] {
  return setting
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean)
    .map((node) => {
      const at = node.lastIndexOf(':');
      const port = Number(node.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535)
        throw new Error(`REDIS_CLUSTER_NODES: "${node}" is not host:port`);
      return { host: node.slice(0, at), port };
    });
}

/**
 * A connection to the configured Redis: a Redis Cluster client when cluster nodes are given (the
 * same retry behaviour per role, applied to each node's connection), otherwise `createRedis`. On a
 * cluster, commands are not corked per tick: each node's connection belongs to ioredis's cluster
 * client, which may replace it on a slot move or failover.
 */
export function createRedisClient(target: RedisTarget, role: 'worker' | 'producer'): RedisClient {
  if (!target.clusterNodes) return createRedis(target.url, role);
  const redisOptions: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, socketTimeout: REDIS_SOCKET_TIMEOUT_MS }
      : { maxRetriesPerRequest: 2, connectTimeout: 5000, socketTimeout: REDIS_SOCKET_TIMEOUT_MS };
  return new Cluster(parseClusterNodes(target.clusterNodes), {
    redisOptions,
    enableOfflineQueue: true,
    // A failover takes a few seconds: keep retrying the cluster rather than giving up.
    clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
    slotsRefreshTimeout: 2000,
  });
}
