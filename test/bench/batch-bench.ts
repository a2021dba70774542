// `pnpm bench:batch`: the worker's Postgres batch alone, without queue or HTTP: CPU per user of
// this process (the worker's side: driver, rules) and of all Postgres processes, to accept a job
// (items and seat reservations) and to apply it in batches one after another, for an assign and a
// revoke of every user. Steadier than the end-to-end bench, for comparing changes to the SQL.
//
//   BENCH_USERS (10000)  BENCH_BATCH (300)  BENCH_ROUNDS (5, after one unmeasured warm-up round)
//   BENCH_DATABASE_SERVER (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_PREPARED_STATEMENTS=false (as DATABASE_PREPARED_STATEMENTS=false: behind a transaction-mode pooler)
// Prints one line per job and the median per figure; uses a database of its own, dropped at the end.
import postgres from 'postgres';
import { createDb, prepareDatabase } from '@licensing/db';
import { createJobWithReservations } from '@licensing/api';
import { applyUserChanges } from '@licensing/worker';
import { postgresCpuSeconds } from './proc.ts';

const N = Number(process.env.BENCH_USERS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
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
  const [customer] =
    await sql`INSERT INTO customers (partner_id, name, country) VALUES (${partner!.id}, 'bench', 'US') RETURNING id`;
  await sql`INSERT INTO users (customer_id, user_principal_name, display_name)
    SELECT ${customer!.id}, 'u' || g || '@bench.example', 'User ' || g FROM generate_series(1, ${N}) g`;
  const product = {
    id: 'BENCH_SUITE',
    name: 'Bench suite',
    servicePlans: [
      { id: 'MAIL', name: 'Mail' },
      { id: 'DOCS', name: 'Docs', requires: ['MAIL'] },
    ],
  };
  await sql`INSERT INTO catalog.products (id, document) VALUES (${product.id}, ${JSON.stringify(product)}::jsonb)`;
  await sql`INSERT INTO subscriptions (customer_id, product_id, quantity) VALUES (${customer!.id}, ${product.id}, ${N})`;
  const userIds = (await sql`SELECT id FROM users ORDER BY random()`).map((r) => r.id as string);

  const run = async (kind: 'assign' | 'revoke') => {
    const changes =
      kind === 'assign'
        ? { assign: [{ productId: product.id, disabledServicePlans: ['DOCS'] }], revoke: [] }
        : { assign: [], revoke: [product.id] };
    const t0 = await snapshot();
    const { job } = await db.transaction((tx) =>
      createJobWithReservations(tx, { partnerId: partner!.id, customerId: customer!.id, userIds, ...changes }),
    );
    const t1 = await snapshot();
    for (let i = 0; i < N; i += BATCH)
      await applyUserChanges(
        db,
        userIds.slice(i, i + BATCH).map((userId) => ({ jobId: job.id, userId })),
      );
    const t2 = await snapshot();
    await sql`UPDATE license_jobs SET status = 'completed', finished_at = now() WHERE id = ${job.id}`;
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
      `${kind} ${N} users, batches of ${BATCH} (median of ${mine.length}): accept ${m('accept', 'ms')} ms, Postgres ${m('accept', 'postgresUs')} µs/user; apply ${m('apply', 'ms')} ms, Postgres ${m('apply', 'postgresUs')} µs/user, worker ${m('apply', 'workerUs')} µs/user; WAL accept ${m('accept', 'walBytes')} + apply ${m('apply', 'walBytes')} bytes/user`,
    );
  }
} finally {
  await close();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
