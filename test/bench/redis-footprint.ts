// `pnpm bench:redis-footprint`: the Redis memory a job's tasks take while they wait. Enqueues the
// tasks of one BENCH_USERS-user job (50,000) on a paused queue under a private prefix, as the API
// does, and sums MEMORY USAGE of every key under that prefix; then removes them.
//   BENCH_USERS (50000)  BENCH_REDIS_URL (redis://127.0.0.1:6379)
import { randomUUID } from 'node:crypto';
import { createLicenseTaskQueue, enqueueLicenseTasks } from '@licensing/queue';
import { createRedis } from '@licensing/redis';

const N = Number(process.env.BENCH_USERS ?? 50_000);
const redis = createRedis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');
const prefix = `footprint-${randomUUID().slice(0, 8)}`;
const queue = createLicenseTaskQueue(redis, prefix);

async function keysUnderPrefix(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

try {
  await queue.pause();
  const users = Array.from({ length: N }, () => randomUUID());
  const started = performance.now();
  await enqueueLicenseTasks(
    queue,
    redis,
    { id: randomUUID(), partnerId: randomUUID(), customerId: randomUUID(), userCount: N },
    users,
  );
  const enqueueMs = Math.round(performance.now() - started);
  const keys = await keysUnderPrefix();
  let bytes = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 500)) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    for (const [, used] of (await pipeline.exec()) ?? []) bytes += Number(used ?? 0);
  }
  console.log(
    JSON.stringify({
      users: N,
      keys: keys.length,
      megabytes: +(bytes / 1e6).toFixed(1),
      bytesPerTask: Math.round(bytes / N),
      enqueueMs,
    }),
  );
} finally {
  await queue.obliterate({ force: true }).catch(() => undefined);
  const leftover = await keysUnderPrefix();
  for (let i = 0; i < leftover.length; i += 1000) await redis.del(...leftover.slice(i, i + 1000));
  await queue.close();
  await redis.quit();
}
