// `pnpm bench:scale`: a customer with 200,000 users (and 1,000 other customers of 100 users each in
// the same database), 50,000 of them licensed, through the real API app over HTTP (in process, on a
// free port): the user list's first and deep pages, searches, license filters with their totals, the
// license overview of 50,000 users selected by filter, the acceptance of a 50,000-user job selected by
// filter, and the rate of batch user imports. Every read is measured twice: first with the statistics
// as the product left them after loading (this machine's Postgres runs without autovacuum), then
// after an explicit ANALYZE, so a plan that depends on fresh statistics shows.
//
//   BENCH_BIG_USERS (200000)  BENCH_SMALL_CUSTOMERS (1000)  BENCH_SMALL_USERS (100)
//   BENCH_REQUESTS (20 per figure)  BENCH_TIMEOUT_MS (20000 per request)  BENCH_PHASES (loaded,analyzed)
//   BENCH_KEEP_DATABASE=1 (keep the database, e.g. with BENCH_PHASES= to look at plans)
//   BENCH_IMPORT_CONCURRENCY (2: import requests in flight, as the CLI's import sends them)
//   BENCH_DATABASE_SERVER (postgres://postgres@127.0.0.1:5432/postgres)  BENCH_REDIS_URL (redis://127.0.0.1:6379)
// Prints one line per figure (p50 / p95 / max in ms, server-side then client-side), then the figures as
// JSON. Uses a database and a queue prefix of its own, both removed at the end. No worker runs: the
// licensing jobs that set the scene are applied in process, batch by batch, as the worker applies them.
import postgres from 'postgres';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { createDb, finalizeJobsIfDone, prepareDatabase, TableMaintenance } from '@licensing/db';
import { buildApiApp } from '@licensing/api';
import { applyUserChanges, licenseRowsChanged } from '@licensing/worker';
import { createLicenseTaskQueue, licenseTaskQueues } from '@licensing/queue';
import { createRedis } from '@licensing/redis';

const BIG = Number(process.env.BENCH_BIG_USERS ?? 200_000);
const SMALL_CUSTOMERS = Number(process.env.BENCH_SMALL_CUSTOMERS ?? 1000);
const SMALL_USERS = Number(process.env.BENCH_SMALL_USERS ?? 100);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 20_000);
const PHASES = (process.env.BENCH_PHASES ?? 'loaded,analyzed').split(',').filter(Boolean);
/** Keeps the database (named on the last line) for looking at plans; drop it yourself afterwards. */
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === '1';
/** BENCH_MAINTENANCE=0: the product does not vacuum and analyse what it loads (the plans without statistics). */
const MAINTENANCE = process.env.BENCH_MAINTENANCE !== '0';
const IMPORT_CONCURRENCY = Number(process.env.BENCH_IMPORT_CONCURRENCY ?? 2);
const IMPORT_BATCH = 10_000;
const PAGE_SIZE = 50;
const server = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `licensing_scale_bench_${process.pid}`;
const url = (() => {
  const u = new URL(server);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const OPERATOR_TOKEN = 'scale-bench';
const E3 = 'SCALE_E3';
const ADDON = 'SCALE_ADDON';
const E5 = 'SCALE_E5';

// Names with and without accents; the principal names spell them in ASCII (German umlauts as ue,
// oe, ae, the rest without their marks), so an accent-insensitive search of "muller" finds Müller by
// the display name only, and "mueller" by the principal name only.
// biome-ignore format: a list of names
const FIRST = [
  'Ada', 'Alan', 'Ana', 'Björn', 'Chloé', 'Dana', 'Élodie', 'Emil', 'François', 'Greta', 'Hana', 'Ines',
  'Jürgen', 'Kai', 'Lars', 'Léa', 'Maja', 'Noah', 'Núria', 'Olga', 'Øyvind', 'Pål', 'Quinn', 'Raúl',
  'Søren', 'Tomás', 'Uma', 'Václav', 'Wei', 'Xavier', 'Yara', 'Zoë', 'Ángel', 'Ewa', 'Iker', 'Jonas',
  'Karin', 'Luca', 'Mateo', 'Nina',
];
// biome-ignore format: a list of names
const LAST = [
  'Müller', 'Schmidt', 'Schröder', 'García', 'Martínez', 'Núñez', 'Dvořák', 'Novák', 'Kowalski', 'Wójcik',
  'Johansson', 'Ødegaard', 'Sørensen', 'Lefèvre', 'Bergström', 'Rossi', 'Ferrari', 'Smith', 'Jones', 'Brown',
  'Taylor', 'Wilson', 'Nguyễn', 'Tanaka', 'Suzuki', 'Öztürk', 'Yılmaz', 'Papadopoulos', 'Ivanova', 'Horváth',
  'Nagy', 'Kovač', 'Jensen', 'Hansen', 'Larsen', 'Dubois', 'Moreau', 'Fernández', 'López', 'Gómez',
  'Pérez', 'Sánchez', 'Costa', 'Silva', 'Santos', 'Weiß', 'Krämer', 'Bäcker', 'Łukasik', 'Çelik',
];
const ascii = (s: string) =>
  s
    .replace(/ü/g, 'ue')
    .replace(/ö/g, 'oe')
    .replace(/ä/g, 'ae')
    .replace(/Ü/g, 'Ue')
    .replace(/Ö/g, 'Oe')
    .replace(/Ä/g, 'Ae')
    .replace(/ß/g, 'ss')
    .replace(/[Øø]/g, 'o')
    .replace(/[Łł]/g, 'l')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
/** User n of the big customer: one in four is in sales (its principal name's domain says so), unrelated to the name. */
const bigUser = (n: number) => {
  const first = FIRST[(n * 7) % FIRST.length]!;
  const last = LAST[(n * 13 + Math.floor(n / 97)) % LAST.length]!;
  const domain = (Math.imul(n, 0x9e3779b1) >>> 0) % 4 === 0 ? 'sales.bigcorp.example' : 'bigcorp.example';
  return { userPrincipalName: `${ascii(first)}.${ascii(last)}.${n}@${domain}`, displayName: `${first} ${last}` };
};

/** The machine's load average (1, 5, 15 minutes): what else ran beside the benchmark. */
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};
const stats = (xs: number[]) => ({
  p50: Math.round(quantile(xs, 0.5) * 10) / 10,
  p95: Math.round(quantile(xs, 0.95) * 10) / 10,
  max: Math.round(Math.max(...xs) * 10) / 10,
});

const admin = postgres(server, { max: 1, onnotice: () => {} });
await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await prepareDatabase(url);
const { db, sql, close } = createDb(url, { max: 10, applicationName: 'scale-bench' });
const redis = createRedis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');
const prefix = `scale-bench-${process.pid}`;
const queue = createLicenseTaskQueue(redis, prefix);
const app = await buildApiApp({
  db,
  sql,
  redis,
  queues: licenseTaskQueues([queue]),
  operatorToken: OPERATOR_TOKEN,
  rateLimitPerMinute: 0,
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
  tableMaintenance: MAINTENANCE,
});
// What the worker's process does after applying batches (the jobs here are applied in this process).
const workerMaintenance = MAINTENANCE
  ? new TableMaintenance(sql, {
      log: { info: (o, m) => console.log(m, JSON.stringify(o)), warn: (o, m) => console.warn(m, o) },
    })
  : undefined;
// Server-side time of each request: from its arrival to its answer's last byte handed to the socket.
const serverMs = new Map<string, number>();
app.addHook('onResponse', async (request, reply) => {
  const tag = request.headers['x-bench-tag'];
  if (typeof tag === 'string') serverMs.set(tag, reply.elapsedTime);
});

const results: Record<string, unknown> = {};
try {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let tagSeq = 0;
  /** One request; its client-side and server-side milliseconds, status and JSON body. */
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const tag = String(++tagSeq);
    const started = performance.now();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...headers,
        'x-bench-tag': tag,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    const clientMs = performance.now() - started;
    // The server's hook runs as the answer is handed over; give it a turn if the client was quicker.
    if (!serverMs.has(tag)) await new Promise((r) => setImmediate(r));
    const server = serverMs.get(tag) ?? Number.NaN;
    serverMs.delete(tag);
    return { status: res.status, clientMs, serverMs: server, body: text ? (JSON.parse(text) as any) : undefined };
  };

  const partner = await call(
    'POST',
    '/v1/admin/partners',
    { name: 'scale' },
    { authorization: `Bearer ${OPERATOR_TOKEN}` },
  );
  const { id: partnerId, apiKey } = partner.body as { id: string; apiKey: string };
  const auth = { authorization: `Bearer ${apiKey}` };
  const api = async (method: string, path: string, body?: unknown, expected = 200) => {
    const res = await call(method, path, body, auth);
    if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  const products = [
    { id: E3, name: 'Scale E3', servicePlans: [{ id: 'MAIL', name: 'Mail' }] },
    { id: ADDON, name: 'Scale add-on', servicePlans: [{ id: 'PHONE', name: 'Phone' }] },
    { id: E5, name: 'Scale E5', servicePlans: [{ id: 'MAIL5', name: 'Mail' }] },
  ];
  for (const p of products)
    await sql`INSERT INTO catalog.products (id, document) VALUES (${p.id}, ${JSON.stringify(p)}::jsonb)`;

  // 1. The small customers, straight into Postgres: 100 users each, 30 of them holding E3.
  let t = performance.now();
  await sql`
    INSERT INTO customers (partner_id, name, country)
    SELECT ${partnerId}, 'Small ' || g, 'DE' FROM generate_series(1, ${SMALL_CUSTOMERS}) g`;
  await sql`
    INSERT INTO users (customer_id, user_principal_name, display_name)
    SELECT c.id, 'user' || g || '@' || replace(c.name, ' ', '') || '.example',
           (${FIRST}::text[])[1 + g % ${FIRST.length}] || ' ' || (${LAST}::text[])[1 + (g * 7) % ${LAST.length}]
    FROM customers c CROSS JOIN generate_series(1, ${SMALL_USERS}) g WHERE c.name LIKE 'Small %'`;
  await sql`
    INSERT INTO subscriptions (customer_id, product_id, quantity)
    SELECT id, ${E3}, ${SMALL_USERS} FROM customers WHERE name LIKE 'Small %'`;
  await sql`
    INSERT INTO user_licenses (customer_id, user_id, product_id)
    SELECT u.customer_id, u.id, ${E3} FROM users u
    WHERE u.customer_id IN (SELECT id FROM customers WHERE name LIKE 'Small %') AND u.user_principal_name ~ '^user[0-9]*[0-2]@'`;
  const smallSetupMs = performance.now() - t;
  const [small] = await sql`SELECT id FROM customers WHERE name = 'Small 1'`;

  // 2. The big customer's users through POST …/users/batch, 10,000 at a time: the import rate.
  const big = (await api('POST', '/v1/customers', { name: 'Bigcorp', country: 'DE' }, 201)).body.id as string;
  const batchMs: number[] = [];
  // The batches are made before the clock starts: the rate is the requests', not the names' making.
  t = performance.now();
  const batches: ReturnType<typeof bigUser>[][] = [];
  for (let from = 0; from < BIG; from += IMPORT_BATCH)
    batches.push(Array.from({ length: Math.min(IMPORT_BATCH, BIG - from) }, (_, i) => bigUser(from + i + 1)));
  const makeBatchesMs = performance.now() - t;
  t = performance.now();
  // As the CLI's import sends them: `Prefer: return=minimal`, nothing read back (204).
  const importOne = async (users: (typeof batches)[number]) => {
    const res = await call(
      'POST',
      `/v1/customers/${big}/users/batch`,
      { users },
      { ...auth, prefer: 'return=minimal' },
    );
    if (res.status !== 204) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
    batchMs.push(res.clientMs);
  };
  // IMPORT_CONCURRENCY requests in flight, as the CLI's import sends them.
  let nextBatch = 0;
  await Promise.all(
    Array.from({ length: IMPORT_CONCURRENCY }, async () => {
      while (nextBatch < batches.length) await importOne(batches[nextBatch++]!);
    }),
  );
  const importMs = performance.now() - t;
  results.import = {
    users: BIG,
    batchSize: IMPORT_BATCH,
    concurrency: IMPORT_CONCURRENCY,
    usersPerSecond: Math.round(BIG / (importMs / 1000)),
    batchMs: stats(batchMs),
    smallCustomersSetupMs: Math.round(smallSetupMs),
    makeBatchesMs: Math.round(makeBatchesMs),
    loadAverageAfter: loadAverage(),
  };
  console.log(
    `import: ${BIG} users in batches of ${IMPORT_BATCH}, ${IMPORT_CONCURRENCY} at a time (Prefer: return=minimal): ${(results.import as any).usersPerSecond} users/s (batch p50 ${stats(batchMs).p50} ms, p95 ${stats(batchMs).p95} ms; making the batches took ${Math.round(makeBatchesMs)} ms, not counted), load average ${loadAverage()}`,
  );
  // Searches straight after the last batch, while the search index may still hold new entries unmerged.
  results.searchAfterImport = await measure(
    'search: straight after the import',
    ['kowalski.19', 'muller', 'nguyen.2', 'dvorak'].map((q) => [
      'GET',
      `/v1/customers/${big}/users?pageSize=${PAGE_SIZE}&search=${encodeURIComponent(q)}`,
    ]),
    8,
  );

  // 3. Licenses, as the product gives them: jobs selected by filter, applied batch by batch as the
  // worker applies them. 50,000 users (the sales domain) get E3, 5,000 of them the add-on too.
  for (const [product, quantity] of [
    [E3, BIG],
    [ADDON, BIG],
    [E5, 4 * BIG],
  ] as const)
    await api('PUT', `/v1/customers/${big}/subscriptions/${product}`, { quantity });
  const license = async (userFilter: object, productId: string) => {
    const accepted = await api(
      'POST',
      `/v1/customers/${big}/license-jobs`,
      { userFilter, assign: [{ productId }] },
      202,
    );
    const jobId = accepted.body.id as string;
    const items = await sql<{ user_id: string }[]>`
      SELECT user_id FROM license_job_items WHERE customer_id = ${big} AND job_id = ${jobId} ORDER BY position`;
    const started = performance.now();
    for (let i = 0; i < items.length; i += 300) {
      const { applied } = await applyUserChanges(
        db,
        big,
        items.slice(i, i + 300).map((r) => ({ jobId, userId: r.user_id })),
      );
      workerMaintenance?.noteWrites('license_job_items', applied.length);
      workerMaintenance?.noteWrites('user_licenses', licenseRowsChanged(applied));
      await finalizeJobsIfDone(
        db,
        applied.map((a) => ({ customerId: big, id: a.jobId })),
      );
    }
    return {
      users: items.length,
      acceptMs: Math.round(accepted.serverMs),
      applyMs: Math.round(performance.now() - started),
    };
  };
  const licensing = [await license({ search: '@sales.' }, E3), await license({ search: '0@sales.' }, ADDON)];
  // The maintenance of the last writes (if on) has a moment to start, as it would before anyone looks.
  await new Promise((r) => setTimeout(r, 1500));
  results.licensing = licensing;
  console.log(`licensing jobs (accepted by filter, applied in process): ${JSON.stringify(licensing)}`);
  await waitForEnqueues();

  const users = (q: string) => `/v1/customers/${big}/users?pageSize=${PAGE_SIZE}&${q}`;
  const reads: [string, string[]][] = [
    ['list: first page', [users('page=1')]],
    ['list: page 4,000 (the last)', [users('page=4000')]],
    ['list: page 2,000 (the middle)', [users('page=2000')]],
    [
      'search: part of the display name, accents and case aside',
      ['muller', 'MÜLLER', 'dvorak', 'nunez', 'oyvind', 'francois', 'ödega', 'Lefèvre'].map((s) =>
        users(`search=${encodeURIComponent(s)}`),
      ),
    ],
    [
      'search: part of the principal name',
      ['mueller.1', '.4711@', 'kowalski.19', 'nguyen.2', 'ler.12', 'oeztuerk.3'].map((s) =>
        users(`search=${encodeURIComponent(s)}`),
      ),
    ],
    ['search: every user matches ("bigcorp")', [users('search=bigcorp')]],
    ['search: one in four matches ("@sales.")', [users('search=%40sales.')]],
    [
      'search + hasProduct / lacksProduct / licensed',
      [
        users(`search=muller&hasProduct=${E3}`),
        users(`search=garcia&lacksProduct=${E3}`),
        users('search=dvorak&licensed=false'),
        users(`search=smith&hasProduct=${ADDON}`),
      ],
    ],
    [`hasProduct=${E3} (50,000 holders)`, [users(`hasProduct=${E3}`)]],
    [`hasProduct=${ADDON} (5,000 holders)`, [users(`hasProduct=${ADDON}`)]],
    [`lacksProduct=${E3} (150,000 users)`, [users(`lacksProduct=${E3}`)]],
    [`lacksProduct=${E5} (nobody holds it)`, [users(`lacksProduct=${E5}`)]],
    ['licensed=true', [users('licensed=true')]],
    ['licensed=false', [users('licensed=false')]],
    [`hasProduct=${E3}, page 500 (of 1,000)`, [users(`hasProduct=${E3}&page=500`)]],
    [
      'small customer: first page, search',
      [`/v1/customers/${small!.id}/users?page=1`, `/v1/customers/${small!.id}/users?search=muller`],
    ],
  ];

  for (const phase of PHASES) {
    if (phase === 'analyzed') await sql`ANALYZE`;
    console.log(`load average ${loadAverage()}`);
    const statsNow = await sql`
      SELECT relname, n_live_tup::int AS live, n_mod_since_analyze::int AS "modifiedSinceAnalyze",
             last_analyze AS "lastAnalyze", last_autoanalyze AS "lastAutoanalyze", last_vacuum AS "lastVacuum"
      FROM pg_stat_user_tables WHERE relname IN ('users', 'user_licenses', 'license_job_items') ORDER BY relname`;
    console.log(`\n== phase "${phase}": ${JSON.stringify(statsNow)}`);
    const figures: Record<string, unknown> = { tables: statsNow };
    for (const [name, paths] of reads)
      figures[name] = await measure(
        name,
        paths.map((p) => ['GET', p]),
      );
    figures['overview: 50,000 users by userFilter'] = await measure(
      'overview: 50,000 users by userFilter',
      [['POST', `/v1/customers/${big}/license-overview`, { userFilter: { hasProduct: E3 } }]],
      5,
    );
    figures['job: 50,000 users by userFilter accepted'] = await measure(
      'job: 50,000 users by userFilter accepted',
      [['POST', `/v1/customers/${big}/license-jobs`, { userFilter: { hasProduct: E3 }, assign: [{ productId: E5 }] }]],
      3,
      async (res) => {
        // Each job is cancelled again once its tasks are queued, so the next starts from the same state.
        await waitForEnqueues();
        await api('POST', `/v1/customers/${big}/license-jobs/${res.body.id}/cancel`);
      },
    );
    results[phase] = figures;
  }

  /**
   * `n` requests (REQUESTS by default) taking turns over `requests`; a request that fails or times out
   * ends the figure (its queries are cancelled in Postgres), and so do 8 s spent once three are done.
   */
  async function measure(
    name: string,
    requests: [string, string, unknown?][],
    n = REQUESTS,
    after?: (res: Awaited<ReturnType<typeof call>>) => Promise<void>,
  ) {
    const server: number[] = [];
    const client: number[] = [];
    const totals = new Set<string>();
    let error: string | undefined;
    for (let i = 0; i < n; i++) {
      const [method, path, body] = requests[i % requests.length]!;
      try {
        const res = await call(method, path, body, auth);
        if (res.status >= 300) throw new Error(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        server.push(res.serverMs);
        client.push(res.clientMs);
        if (typeof res.body?.total === 'number')
          totals.add(`${res.body.total}${res.body.totalIsEstimate ? ' (estimate)' : ''}`);
        if (typeof res.body?.progress?.total === 'number') totals.add(String(res.body.progress.total));
        if (Array.isArray(res.body?.users)) totals.add(String(res.body.users.length));
        if (after) await after(res);
      } catch (e) {
        error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        await admin`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = ${dbName} AND pid <> pg_backend_pid() AND state = 'active'`;
        break;
      }
      // Bounded in time: a figure whose requests have taken 8 s stops once it has three.
      if (client.length >= 3 && client.reduce((a, b) => a + b, 0) > 8000) break;
    }
    const figure = {
      requests: server.length,
      serverMs: server.length ? stats(server) : undefined,
      clientMs: client.length ? stats(client) : undefined,
      totals: [...totals].slice(0, 8),
      ...(error ? { error } : {}),
    };
    const f = (s?: { p50: number; p95: number; max: number }) => (s ? `${s.p50} / ${s.p95} / ${s.max}` : '-');
    console.log(
      `${name.padEnd(58)} server ${f(figure.serverMs).padEnd(24)} client ${f(figure.clientMs).padEnd(24)} n=${figure.requests} totals ${figure.totals.join(', ')}${error ? `  ERROR ${error}` : ''}`,
    );
    return figure;
  }

  /** Until every accepted job's tasks are in the queue (the API queues them after its answer). */
  async function waitForEnqueues() {
    for (;;) {
      const [row] = await sql`SELECT count(*)::int AS n FROM license_jobs WHERE tasks_enqueued_at IS NULL`;
      if (row!.n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const [size] = await sql`
    SELECT pg_size_pretty(pg_total_relation_size('users')) AS users, pg_size_pretty(pg_indexes_size('users')) AS "usersIndexes",
           pg_size_pretty(pg_total_relation_size('user_licenses')) AS "userLicenses"`;
  results.sizes = size;
  console.log(`\nsizes: ${JSON.stringify(size)}`);
  console.log(JSON.stringify(results));
} finally {
  await workerMaintenance?.close();
  await app.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  await redis.quit();
  await close();
  if (KEEP_DATABASE) console.log(`database kept: ${url}`);
  else await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
