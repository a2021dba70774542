import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';

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

const coalescing = Symbol('coalescing writes');

/**
 * ioredis writes every command to the socket at once: one system call per command, hundreds per
 * tick when a batch of tasks finishes (a BullMQ script call each). Corking the socket on the first
 * write of a tick and uncorking it once the tick's work is done sends them in one writev, with no
 * change to how commands are ordered or answered (unlike auto-pipelining, which waits for one
 * pipeline's replies before sending the next). Applied to each new socket (after a reconnect too).
 * Measured with `pnpm bench`: the worker's read/write system calls fell from ~1.7 to 0.4–0.6 per user.
 */
export function coalesceWrites(socket: Socket): void {
  const tagged = socket as Socket & { [coalescing]?: true };
  if (tagged[coalescing]) return;
  tagged[coalescing] = true;
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}

/**
 * BullMQ needs Redis to never evict keys: an evicted task or lock silently loses work. Warns
 * loudly when maxmemory-policy is anything but noeviction, and refuses to start in production.
 */
export async function checkRedisEvictionPolicy(
  redis: Redis,
  log: { warn: (obj: object, msg: string) => void },
  nodeEnv: string,
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
  if (nodeEnv === 'production') throw new Error(message);
  log.warn({ maxmemoryPolicy: policy }, `WARNING: ${message}`);
}
