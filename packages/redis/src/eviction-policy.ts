import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './connection.ts';

/**
 * BullMQ needs Redis to never evict keys: an evicted task or lock silently loses work. Warns
 * loudly when maxmemory-policy is anything but noeviction; `refuse` (production) makes it throw instead.
 */
export async function checkRedisEvictionPolicy(
  redis: RedisClient,
  log: { warn: (obj: object, msg: string) => void },
  refuse: boolean,
): Promise<void> {
  // On a cluster every master holds queues: each is checked.
  const servers: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const server of servers) await checkServer(server, log, refuse);
}

async function checkServer(
  redis: Redis,
  log: { warn: (obj: object, msg: string) => void },
  refuse: boolean,
): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch {
    return; // CONFIG may be disabled on managed Redis; nothing to check then.
  }
  if (!policy || policy === 'noeviction') return;
  const message = `Redis maxmemory-policy is "${policy}"; it must be "noeviction" or queued tasks can be evicted`;
  if (refuse) throw new Error(message);
  log.warn({ maxmemoryPolicy: policy }, `WARNING: ${message}`);
}
