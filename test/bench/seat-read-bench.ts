// `pnpm bench:seat-reads`: what GET /v1/customers/{id}/subscriptions costs while revoke-only jobs
// wait in the queue (their items reserve nothing, so they should not cost a seat read anything).
// The real API app, in process (fastify inject, no socket), on a database of its own and a private
// queue prefix; the jobs are accepted as the API accepts them, but no worker runs and no task is queued.
//
//   BENCH_USERS (20000)  BENCH_JOBS (5)  BENCH_READS (20)
//   BENCH_DATABASE_SERVER (postgres://postgres@127.0.0.1:5432/postgres)  BENCH_REDIS_URL (redis://127.0.0.1:6379)
// Prints the median and the slowest read with no job waiting, then with BENCH_JOBS jobs of BENCH_USERS users
// waiting (right after accepting them, and again after ANALYZE).
import postgres from 'postgres';
import { createDb, prepareDatabase } from '@licensing/db';
import { buildApiApp, createJobWithReservations } from '@licensing/api';
import { createLicenseTaskQueue, licenseTaskQueues } from '@licensing/queue';
import { createRedis } from '@licensing/redis';

const N = Number(process.env.BENCH_USERS ?? 20_000);
const JOBS = Number(process.env.BENCH_JOBS ?? 5);
const READS = Number(process.env.BENCH_READS ?? 20);
const server = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `licensing_seat_read_bench_${process.pid}`;
const url = (() => {
  const u = new URL(server);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const OPERATOR_TOKEN = 'seat-read-bench';

const admin = postgres(server, { max: 1, onnotice: () => {} });
await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await prepareDatabase(url);
const { db, sql, close } = createDb(url, { max: 4 });
const redis = createRedis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');
const prefix = `seat-read-bench-${process.pid}`;
const queue = createLicenseTaskQueue(redis, prefix);
const app = await buildApiApp({
  db,
  sql,
  redis,
  queues: licenseTaskQueues([queue]),
  operatorToken: OPERATOR_TOKEN,
  rateLimitPerMinute: 0,
  logLevel: 'silent',
});
try {
  await app.ready();
  const partner = await app.inject({
    method: 'POST',
    url: '/v1/admin/partners',
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    payload: { name: 'bench' },
  });
  const { id: partnerId, apiKey } = partner.json() as { id: string; apiKey: string };
  const auth = { authorization: `Bearer ${apiKey}` };
  const customer = (
    await app.inject({ method: 'POST', url: '/v1/customers', headers: auth, payload: { name: 'bench', country: 'US' } })
  ).json() as { id: string };
  await sql`INSERT INTO users (customer_id, user_principal_name, display_name)
    SELECT ${customer.id}, 'u' || g || '@bench.example', 'User ' || g FROM generate_series(1, ${N}) g`;
  const product = { id: 'BENCH_SUITE', name: 'Bench suite', servicePlans: [{ id: 'MAIL', name: 'Mail' }] };
  await sql`INSERT INTO catalog.products (id, document) VALUES (${product.id}, ${JSON.stringify(product)}::jsonb)`;
  await app.inject({
    method: 'PUT',
    url: `/v1/customers/${customer.id}/subscriptions/${product.id}`,
    headers: auth,
    payload: { quantity: N },
  });
  const userIds = (await sql`SELECT id FROM users`).map((r) => r.id as string);

  const measure = async () => {
    const ms: number[] = [];
    for (let i = 0; i < READS; i++) {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url: `/v1/customers/${customer.id}/subscriptions`, headers: auth });
      ms.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`GET subscriptions: ${res.statusCode} ${res.body}`);
    }
    ms.sort((a, b) => a - b);
    return { medianMs: Number(ms[Math.floor(ms.length / 2)]!.toFixed(1)), maxMs: Number(ms.at(-1)!.toFixed(1)) };
  };
  await measure(); // warm-up
  const idle = await measure();
  for (let j = 0; j < JOBS; j++) {
    await db.transaction((tx) =>
      createJobWithReservations(tx, {
        partnerId,
        customerId: customer.id,
        userIds,
        assign: [],
        revoke: [product.id],
      }),
    );
  }
  // Right after the jobs, with the statistics as autovacuum left them, then once they are fresh.
  const queued = await measure();
  await sql`ANALYZE`;
  const analyzed = await measure();
  console.log(
    JSON.stringify({
      users: N,
      jobs: JOBS,
      queuedItems: N * JOBS,
      reads: READS,
      noJobWaiting: idle,
      jobsWaiting: queued,
      jobsWaitingAfterAnalyze: analyzed,
    }),
  );
} finally {
  await app.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  // The API's other queues (webhook deliveries) share the prefix: nothing of the run is left behind.
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await close();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
