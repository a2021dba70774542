// `pnpm bench:batch`: the worker's Postgres batch alone, without queue or HTTP: CPU per user of
// this process (the worker's side: driver, rules) and of all Postgres processes, to accept a job
// (items and seat reservations) and to apply it in batches one after another, for an assign and a
// revoke of every user. Steadier than the end-to-end bench, for comparing changes to the SQL.
// With BENCH_CUSTOMERS=k the users belong to k customers (one job each per round), and every batch
// holds users of all k of them in equal parts, as fair sharing mixes customers' tasks under load.
//
//   BENCH_USERS (10000)  BENCH_BATCH (300)  BENCH_ROUNDS (5, after one unmeasured warm-up round)
//   BENCH_CUSTOMERS (1)
//   BENCH_DATABASE_SERVER (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_PREPARED_STATEMENTS=false (as DATABASE_PREPARED_STATEMENTS=false: behind a transaction-mode pooler)
// Prints one line per job and the median per figure; uses a database of its own, dropped at the end.
import postgres from 'postgres';
import { createDb, prepareDatabase } from '@licensing/db';
import { createJobWithReservations } from '@licensing/api';
import { applyUserChanges, groupTasksByCustomer, JobCustomers } from '@licensing/worker';
import { postgresCpuSeconds } from './proc.ts';

const N = Number(process.env.BENCH_USERS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1);
const server = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `licensing_batch_bench_${process.pid}`;
const url = (() => {
  const u = new URL(server);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
// WAL position of the server: exact per phase on a server of the bench's own (other databases'
// writes count too on a shared one).
const walLsn = async () => (await admin`SELECT pg_current_wal_lsn()::text AS lsn`)[0]!.lsn as string;
const walBytes = async (from: string, to: string) =>
  Number((await admin`SELECT pg_wal_lsn_diff(${to}, ${from})::bigint AS n`)[0]!.n);
const snapshot = async () => ({
  ms: performance.now(),
  own: ownCpu(),
  postgres: postgresCpuSeconds(),
  wal: await walLsn(),
});
type Snapshot = Awaited<ReturnType<typeof snapshot>>;
/** Per user: wall ms for the whole phase, µs of CPU and bytes of WAL. */
const perUser = async (a: Snapshot, b: Snapshot) => ({
  ms: Math.round(b.ms - a.ms),
  workerUs: Math.round(((b.own - a.own) * 1e6) / N),
  postgresUs: Math.round(((b.postgres - a.postgres) * 1e6) / N),
  walBytes: Math.round((await walBytes(a.wal, b.wal)) / N),
});

const admin = postgres(server, { max: 1, onnotice: () => {} });
await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await prepareDatabase(url);
const { db, sql, close } = createDb(url, { max: 4, prepare: process.env.BENCH_PREPARED_STATEMENTS !== 'false' });
try {
  const [partner] = await sql`INSERT INTO partners (name) VALUES ('bench') RETURNING id`;
  const product = {
    id: 'BENCH_SUITE',
    name: 'Bench suite',
    servicePlans: [
      { id: 'MAIL', name: 'Mail' },
      { id: 'DOCS', name: 'Docs', requires: ['MAIL'] },
    ],
  };
  await sql`INSERT INTO catalog.products (id, document) VALUES (${product.id}, ${JSON.stringify(product)}::jsonb)`;
  // Customer c has the users g with g % CUSTOMERS = c, in random order.
  const customers: { id: string; userIds: string[] }[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const [customer] =
      await sql`INSERT INTO customers (partner_id, name, country) VALUES (${partner!.id}, ${`bench ${c}`}, 'US') RETURNING id`;
    await sql`INSERT INTO users (customer_id, user_principal_name, display_name)
      SELECT ${customer!.id}, 'u' || g || '@bench.example', 'User ' || g FROM generate_series(1, ${N}) g
      WHERE g % ${CUSTOMERS} = ${c}`;
    await sql`INSERT INTO subscriptions (customer_id, product_id, quantity) VALUES (${customer!.id}, ${product.id}, ${N})`;
    const userIds = (await sql`SELECT id FROM users WHERE customer_id = ${customer!.id} ORDER BY random()`).map(
      (r) => r.id as string,
    );
    customers.push({ id: customer!.id as string, userIds });
  }

  // One batch as the worker applies it: one transaction per customer, one after another.
  const jobCustomers = new JobCustomers(db);
  const applyBatch = async (tasks: { jobId: string; userId: string }[]) => {
    const customers = await jobCustomers.of(tasks.map((t) => t.jobId));
    for (const group of groupTasksByCustomer(tasks, customers))
      await applyUserChanges(db, group.customerId, group.tasks);
  };

  const run = async (kind: 'assign' | 'revoke') => {
    const changes =
      kind === 'assign'
        ? { assign: [{ productId: product.id, disabledServicePlans: ['DOCS'] }], revoke: [] }
        : { assign: [], revoke: [product.id] };
    const t0 = await snapshot();
    const jobs: { id: string; userIds: string[] }[] = [];
    for (const customer of customers) {
      const { job } = await db.transaction((tx) =>
        createJobWithReservations(tx, {
          partnerId: partner!.id,
          customerId: customer.id,
          userIds: customer.userIds,
          ...changes,
        }),
      );
      jobs.push({ id: job.id, userIds: customer.userIds });
    }
    const t1 = await snapshot();
    // The customers' tasks interleaved one by one, so every batch holds all customers alike.
    const longest = Math.max(...jobs.map((j) => j.userIds.length));
    const tasks = Array.from({ length: longest }, (_, i) =>
      jobs.flatMap((job) => (i < job.userIds.length ? [{ jobId: job.id, userId: job.userIds[i]! }] : [])),
    ).flat();
    for (let i = 0; i < tasks.length; i += BATCH) await applyBatch(tasks.slice(i, i + BATCH));
    const t2 = await snapshot();
    await sql`UPDATE license_jobs SET status = 'completed', finished_at = now() WHERE id = any(${jobs.map((j) => j.id)}::uuid[])`;
    return { kind, accept: await perUser(t0, t1), apply: await perUser(t1, t2) };
  };
  const results: Awaited<ReturnType<typeof run>>[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    for (const kind of ['assign', 'revoke'] as const) {
      const result = await run(kind);
      if (r === 0) continue; // warm-up
      results.push(result);
      console.log(JSON.stringify(result));
    }
  }
  // What the kept history costs: a job item per user and job, kept for JOB_RETENTION_DAYS.
  const [sizes] = await sql`
    SELECT pg_total_relation_size('license_job_items') / greatest(count(*), 1) AS "itemBytes" FROM license_job_items`;
  console.log(`storage of a job item, indexes included: ${sizes!.itemBytes} bytes`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const kind of ['assign', 'revoke'] as const) {
    const mine = results.filter((r) => r.kind === kind);
    const m = (phase: 'accept' | 'apply', key: 'ms' | 'workerUs' | 'postgresUs' | 'walBytes') =>
      median(mine.map((r) => r[phase][key]));
    console.log(
      `${kind} ${N} users of ${CUSTOMERS} customer(s), batches of ${BATCH} (median of ${mine.length}): accept ${m('accept', 'ms')} ms, Postgres ${m('accept', 'postgresUs')} µs/user; apply ${m('apply', 'ms')} ms, Postgres ${m('apply', 'postgresUs')} µs/user, worker ${m('apply', 'workerUs')} µs/user; WAL accept ${m('accept', 'walBytes')} + apply ${m('apply', 'walBytes')} bytes/user`,
    );
  }
} finally {
  await close();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
