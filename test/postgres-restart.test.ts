// Postgres restarts in the middle of a job, on a throwaway server of this test's own (initdb +
// pg_ctl on a free port), so other tests are not disturbed. The API answers 503 while it is away,
// the worker retries with backoff, and the job completes with exact counts and no leaked seat.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import postgres from 'postgres';
import { Redis } from 'ioredis';
import { prepareDatabase } from '@licensing/db';
import { spawnService, type ServiceProcess } from './support/processes.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.ts';
import { SUITE } from './fixtures.ts';

let pg: ThrowawayPostgres;
let url: string;
let sql: postgres.Sql;
const services: ServiceProcess[] = [];
const prefix = `pgrestart-${randomUUID()}`;
const OPERATOR = 'pg-restart-operator';
const pgCtl = (action: 'start' | 'stop') => pg.primary.pgCtl(action);

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  url = pg.primary.url('licensing');
  await prepareDatabase(url);
  sql = postgres(url, { max: 2, onnotice: () => {} });
  const env = {
    DATABASE_URL: url,
    REDIS_URL: inject('redisUrl'),
    BULLMQ_PREFIX: prefix,
    OPERATOR_TOKEN: OPERATOR,
    RATE_LIMIT_PER_MINUTE: '0',
    CATALOG_SEED: 'false',
    WORKER_CONCURRENCY: '32',
    WORKER_BATCH_SIZE: '16',
    WORKER_BATCH_PARALLELISM: '1',
    RECONCILE_INTERVAL_MS: '2000',
    WORKER_BATCH_TIMEOUT_MS: '5000',
  };
  services.push(await spawnService('catalog', env), await spawnService('api', env), await spawnService('worker', env));
}, 120_000);

afterAll(async () => {
  for (const s of services) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
  await sql?.end();
  pg?.stop();
  const redis = new Redis(inject('redisUrl'));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

it('survives a Postgres restart mid-job: 503 while away, job completes, no seat leaks', async () => {
  const [catalog, api] = services;
  const call = async (
    method: string,
    p: string,
    token: string,
    body?: unknown,
    base = `http://127.0.0.1:${api!.port}`,
  ) => {
    const res = await fetch(base + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };
  expect(
    (await call('PUT', `/v1/products/${SUITE.id}`, OPERATOR, SUITE, `http://127.0.0.1:${catalog!.port}`)).status,
  ).toBe(201);
  const { apiKey } = (await call('POST', '/v1/admin/partners', OPERATOR, { name: 'P' })).body;
  const customer = (await call('POST', '/v1/customers', apiKey, { name: 'C', country: 'US' })).body.id;
  const users = Array.from({ length: 3000 }, (_, i) => ({
    userPrincipalName: `u${i}@c.example`,
    displayName: `U ${i}`,
  }));
  const ids = (await call('POST', `/v1/customers/${customer}/users/batch`, apiKey, { users })).body.items.map(
    (u: { id: string }) => u.id,
  );
  expect(
    (await call('PUT', `/v1/customers/${customer}/subscriptions/${SUITE.id}`, apiKey, { quantity: 3000 })).status,
  ).toBe(200);
  const job = await call('POST', `/v1/customers/${customer}/license-jobs`, apiKey, {
    userIds: ids,
    assign: [{ productId: SUITE.id }],
  });
  expect(job.status).toBe(202);

  for (;;) {
    const [{ done }] =
      await sql`SELECT count(*)::int AS done FROM license_job_items WHERE job_id = ${job.body.id} AND status <> 'pending'`;
    if (done >= 50) break;
  }
  const [{ pending }] =
    await sql`SELECT count(*)::int AS pending FROM license_job_items WHERE job_id = ${job.body.id} AND status = 'pending'`;
  await sql.end();
  pgCtl('stop');
  expect(pending).toBeGreaterThan(0); // the restart really lands mid-job
  const away = await call('GET', `/v1/customers/${customer}/license-jobs/${job.body.id}`, apiKey);
  expect(away.status).toBe(503);
  expect(away.body).toMatchObject({ status: 503, code: 'service_unavailable' });
  expect((await fetch(`http://127.0.0.1:${api!.port}/readyz`)).status).toBe(503);
  await new Promise((r) => setTimeout(r, 1500));
  pgCtl('start');
  sql = postgres(url, { max: 2, onnotice: () => {} });

  let final: any;
  let last: any;
  for (let i = 0; i < 600; i++) {
    const res = await call('GET', `/v1/customers/${customer}/license-jobs/${job.body.id}`, apiKey);
    last = res;
    if (res.status === 200 && res.body.finishedAt) {
      final = res.body;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!final)
    console.log(
      'LAST',
      JSON.stringify(last),
      'WORKER OUTPUT',
      services[2]!
        .output()
        .split('\n')
        .map((l) => l.slice(0, 300))
        .slice(-25)
        .join('\n'),
    );
  expect(final).toMatchObject({
    status: 'completed',
    progress: { total: 3000, pending: 0, succeeded: 3000, failed: 0 },
  });
  const [seats] = await sql`
    SELECT (SELECT count(*)::int FROM user_licenses WHERE customer_id = ${customer}) AS assigned,
           (SELECT count(*)::int FROM seat_reservations) AS reserved`;
  expect(seats).toEqual({ assigned: 3000, reserved: 0 });
}, 120_000);
