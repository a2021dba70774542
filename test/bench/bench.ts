// `pnpm bench`: end-to-end throughput of bulk assign/revoke against the real services (child
// processes) on the local Postgres and Redis, next to the raw ceiling of a bare BullMQ queue with
// a no-op processor on the same Redis. Prints a table and writes bench-results.json.
//
//   BENCH_USERS (10000)  BENCH_BIG_USERS (50000, 0 to skip)  BENCH_ROUNDS (3, after one unmeasured warm-up round)
//   BENCH_DATABASE_SERVER (postgres://postgres@127.0.0.1:5432/postgres)  BENCH_REDIS_URL (redis://127.0.0.1:6379)
//   BENCH_PROFILE=dir (V8 CPU profiles of every service)  BENCH_REDIS_STATS=1 (Redis command statistics per phase)
//   BENCH_TIMELINE=1 (how busy the machine is in each 100 ms of every job)
//   BENCH_KEEP_DB=1 (the run's database is left behind, licensing_bench_<pid>, to query afterwards)
//   BENCH_REDIS_CLUSTER=1 (a local Redis Cluster, BENCH_QUEUE_SHARDS=3)
//   BENCH_INTERACTIVE=0 skips the interactive-latency phases (see interactive.ts for their settings)
//   BENCH_ABUSE=0 skips the abuse phases: one partner floods, another is timed (see abuse.ts)
//   BENCH_EVENT_STREAMS (1000): clients following a BENCH_USERS job's event stream, comma-separated for several phases
//   BENCH_PREVIEW_ROUNDS (5, 0 to skip): previews alternated with the POST of the same job
//   BENCH_GROUP_MEMBERS (200000, 0 to skip): a group of that many members given a product, against a plain job (see groups.ts)
//   BENCH_ONLY=groups (instead of the full run: the groups phase alone)
//   BENCH_AB="KEY=value KEY2=value" and/or BENCH_AB_NODE_FLAGS="--flag" and/or BENCH_AB_WORKERS=2
//   (instead of the full run: one worker with the defaults against that many workers (1) with these
//   settings, alternating round by round, each freshly started and warmed up with one job pair)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { type CreateLicenseJobRequest, createLicensingClient, type LicensingClient, unwrap } from '@licensing/client';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseClusterNodes } from '@licensing/redis';
import { startRedisCluster } from '../support/redis-cluster.ts';
import postgres from 'postgres';
import { SERVICE_NODE_FLAGS } from '../../scripts/service-flags.ts';
import { freePort } from '../support/processes.ts';
import { abusePhases } from './abuse.ts';
import { GROUP_MEMBERS, groupsPhase } from './groups.ts';
import { interactivePhases } from './interactive.ts';
import { cpuSeconds, postgresCpuSeconds } from './proc.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const N = Number(process.env.BENCH_USERS ?? 10_000);
const BIG = Number(process.env.BENCH_BIG_USERS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** BENCH_ONLY: one phase instead of the full run. */
const ONLY = process.env.BENCH_ONLY || undefined;
if (ONLY !== undefined && ONLY !== 'groups')
  throw new Error(`BENCH_ONLY: "${ONLY}" is not a phase that runs alone (groups)`);
const server = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
// BENCH_REDIS_CLUSTER=1: a throwaway local Redis Cluster (3 masters, 3 replicas) instead of
// BENCH_REDIS_URL, with BENCH_QUEUE_SHARDS (3) task queues; the bare queue runs on it too.
const cluster = process.env.BENCH_REDIS_CLUSTER === '1' ? await startRedisCluster() : undefined;
const queueShards = cluster ? Number(process.env.BENCH_QUEUE_SHARDS ?? 3) : 1;
/** Where the no-op workers connect: a URL, or `cluster:host:port,…`. */
const redisTarget = cluster ? `cluster:${cluster.nodesSetting}` : redisUrl;
const connectRedis = (options: RedisOptions = {}): Redis | Cluster =>
  cluster
    ? new Cluster(parseClusterNodes(cluster.nodesSetting), { redisOptions: options })
    : new Redis(redisUrl, options);
const OPERATOR = 'bench-operator-token';
// Free ports, so a bench can run beside services started for something else.
const PORTS = { api: await freePort(), catalog: await freePort(), worker: await freePort() };

const dbName = `licensing_bench_${process.pid}`;
const dbUrl = (() => {
  const u = new URL(server);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const prefix = `bench-${randomUUID().slice(0, 8)}`;
const children: ChildProcess[] = [];
// Stopped from outside (Ctrl-C, a timeout's SIGTERM), the bench stops the services it started
// rather than leaving them running (its database, named after its pid, is left to drop).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    process.exit(130);
  });

/** Node flags of every process the bench starts: the services' own, or BENCH_NODE_FLAGS. */
const nodeFlags = () => (process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : SERVICE_NODE_FLAGS);

function startService(
  name: 'api' | 'catalog' | 'worker',
  extraEnv: Record<string, string> = {},
  extraFlags: string[] = [],
): ChildProcess {
  const profileDir = process.env.BENCH_PROFILE;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${name}`] : [];
  const flags = [...nodeFlags(), ...extraFlags];
  const child = spawn(process.execPath, [...profile, ...flags, '--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: root,
    // BENCH_LOGS=dir: each service's log (LOG_LEVEL, default warn) in dir/<name>-<pid>.log.
    stdio: ['ignore', process.env.BENCH_LOGS ? 'pipe' : 'ignore', 'inherit'],
    env: {
      LOG_LEVEL: 'warn',
      ...process.env,
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      ...(cluster ? { REDIS_CLUSTER_NODES: cluster.nodesSetting, QUEUE_SHARDS: String(queueShards) } : {}),
      BULLMQ_PREFIX: prefix,
      OPERATOR_TOKEN: OPERATOR,
      API_PORT: String(PORTS.api),
      CATALOG_PORT: String(PORTS.catalog),
      RATE_LIMIT_PER_MINUTE: '0',
      // The abuse phase's webhook endpoints listen on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      // The event-stream phase's clients are all one partner's.
      EVENT_STREAMS_PER_PARTNER: '100000',
      CATALOG_SEED: 'false',
      ...extraEnv,
    },
  });
  if (process.env.BENCH_LOGS) {
    mkdirSync(process.env.BENCH_LOGS, { recursive: true });
    child.stdout!.pipe(createWriteStream(`${process.env.BENCH_LOGS}/${name}-${child.pid}.log`));
  }
  children.push(child);
  return child;
}

async function stopService(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function waitReady(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error(`${url} never became ready`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Batches a worker has applied so far: count, users and seconds in them (Prometheus metrics). */
async function batchTotals(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    batches: value('license_task_batch_size_count'),
    users: value('license_task_batch_size_sum'),
    seconds: value('license_task_batch_duration_seconds_sum'),
  };
}

/** Mean batch size and transaction time of some workers between two readings of batchTotals. */
function batchStats(
  before: Awaited<ReturnType<typeof batchTotals>>[],
  after: Awaited<ReturnType<typeof batchTotals>>[],
) {
  const sum = (key: 'batches' | 'users' | 'seconds') =>
    after.reduce((total, a, i) => total + a[key] - (before[i]?.[key] ?? 0), 0);
  const batches = sum('batches');
  return {
    batches,
    meanUsersPerBatch: Math.round(sum('users') / batches),
    meanBatchMs: +((sum('seconds') / batches) * 1000).toFixed(1),
  };
}

/** Read and write system calls made so far by a process (/proc/pid/io). */
function syscalls(pid: number): number {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return Number(/syscr: (\d+)/.exec(io)![1]) + Number(/syscw: (\d+)/.exec(io)![1]);
  } catch {
    return 0;
  }
}

/** Times a process's main thread was switched out so far while it could still run (preempted). */
function preemptions(pid: number): number {
  try {
    return Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  } catch {
    return 0;
  }
}

/**
 * Seconds the whole machine spent busy and idle so far, all cores (first line of /proc/stat), and
 * its context switches.
 */
function machineCpu(): { busy: number; idle: number; contextSwitches: number } {
  const stat = readFileSync('/proc/stat', 'utf8');
  const [user, nice, system, idle, iowait, irq, softirq, steal] = stat
    .split('\n')[0]!
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    busy: (user! + nice! + system! + irq! + softirq! + steal!) / 100,
    idle: (idle! + iowait!) / 100,
    contextSwitches: Number(/^ctxt (\d+)/m.exec(stat)![1]),
  };
}

/** Snapshot of CPU seconds (and system calls) by process group, to attribute a phase's work per user. */
function cpuSnapshot(groups: Record<string, number[]>) {
  const cpu: Record<string, number> = {};
  const calls: Record<string, number> = {};
  const preempted: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    cpu[name] = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    calls[name] = pids.reduce((sum, pid) => sum + syscalls(pid), 0);
    preempted[name] = pids.reduce((sum, pid) => sum + preemptions(pid), 0);
  }
  cpu.postgres = postgresCpuSeconds();
  cpu.bench = process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
  return { cpu, calls, preempted, machine: machineCpu() };
}

/** The Redis server processes: one, or every node of the cluster. */
async function redisPids(): Promise<number[]> {
  if (cluster) return cluster.nodes.map((node) => node.process.pid!);
  const redis = new Redis(redisUrl);
  const info = await redis.info('server');
  await redis.quit();
  return [Number(/process_id:(\d+)/.exec(info)![1])];
}

/** The bare queue's prefix: on a cluster, under one hash tag like every BullMQ queue there. */
const rawPrefix = cluster ? `${prefix}:{raw}` : prefix;

/** What each group used between two snapshots, added to `into` (several rounds add up). */
function addDelta(
  into: Record<string, number>,
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  for (const k of Object.keys(after)) into[k] = (into[k] ?? 0) + after[k]! - before[k]!;
  return into;
}

/** Each group's total per unit of work (user, task), times `scale` (1e6: CPU seconds → µs). */
function perUnit(totals: Record<string, number>, units: number, scale: number): Record<string, number> {
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.round((v * scale) / units)]));
}

/** Resident set size now (VmRSS) of a process, in MB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

/** Peak resident set size (VmHWM) of a process, in MB. */
function peakRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

/** The API through the typed client, one per key. */
const clients = new Map<string, LicensingClient>();
function apiAs(key: string): LicensingClient {
  let client = clients.get(key);
  if (!client) {
    client = createLicensingClient({ baseUrl: `http://127.0.0.1:${PORTS.api}`, apiKey: key });
    clients.set(key, client);
  }
  return client;
}

/** A plain request (the catalog's, which the client does not cover). */
async function http(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  base = `http://127.0.0.1:${PORTS.api}`,
) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => undefined);
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json as any;
}

interface JobRun {
  jobId: string;
  postMs: number;
  seconds: number;
  usersPerSecond: number;
  /** From the job's createdAt (set in the accepting transaction) to its startedAt and finishedAt. */
  startedAfterMs: number;
  finishedAfterMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * One job as a client sees it: POST, then poll until finished. Users per second end to end.
 * BENCH_TIMELINE=1 prints how busy the machine was in each 100 ms of the job.
 */
async function runJob(key: string, customerId: string, body: CreateLicenseJobRequest): Promise<JobRun> {
  const timeline: number[] = [];
  let last = machineCpu();
  const sampler = process.env.BENCH_TIMELINE
    ? setInterval(() => {
        const now = machineCpu();
        const busy = now.busy - last.busy;
        timeline.push(Math.round((100 * busy) / Math.max(0.01, busy + now.idle - last.idle)));
        last = now;
      }, 100)
    : undefined;
  try {
    return await runJobUntilFinished(key, customerId, body);
  } finally {
    if (sampler) {
      clearInterval(sampler);
      console.log('machine busy % per 100 ms:', timeline.join(' '));
    }
  }
}

async function runJobUntilFinished(key: string, customerId: string, body: CreateLicenseJobRequest): Promise<JobRun> {
  const api = apiAs(key);
  const t0 = performance.now();
  const job = unwrap(
    await api.POST('/v1/customers/{customerId}/license-jobs', { params: { path: { customerId } }, body }),
  );
  const postMs = performance.now() - t0;
  for (;;) {
    const state = unwrap(
      await api.GET('/v1/customers/{customerId}/license-jobs/{jobId}', {
        params: { path: { customerId, jobId: job.id } },
      }),
    );
    if (state.finishedAt) {
      const seconds = (performance.now() - t0) / 1000;
      if (state.status !== 'completed')
        throw new Error(`job ended ${state.status}: ${JSON.stringify(state.errorsByCode)}`);
      return {
        jobId: job.id,
        postMs: Math.round(postMs),
        seconds: +seconds.toFixed(2),
        usersPerSecond: Math.round(state.progress.total / seconds),
        startedAfterMs: Date.parse(state.startedAt ?? state.finishedAt) - Date.parse(state.createdAt),
        finishedAfterMs: Date.parse(state.finishedAt) - Date.parse(state.createdAt),
      };
    }
    await sleep(50);
  }
}

/** Adds n tasks for a no-op processor, in chunks of 1,000 as the API enqueues. */
async function addNoopTasks(queue: Queue, n: number) {
  for (let i = 0; i < n; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
        name: 'noop',
        data: { i: i + k },
        opts: { removeOnComplete: { count: 1000 } },
      })),
    );
  }
}

/**
 * The ceiling: a bare BullMQ queue on the same Redis and a no-op processor, N tasks. Measured like
 * the product's jobs, from the first addBulk to the last completion (the worker runs while tasks
 * are added), and also the drain alone.
 */
async function rawCeiling(n: number, concurrency: number) {
  const connection = connectRedis({ maxRetriesPerRequest: null });
  const workerConnection = connectRedis({ maxRetriesPerRequest: null });
  const name = `raw-${randomUUID().slice(0, 8)}`;
  const queue = new Queue(name, { connection, prefix: rawPrefix });
  let done = 0;
  let drainStart = 0;
  const worker = new Worker(name, async () => undefined, {
    connection: workerConnection,
    prefix: rawPrefix,
    concurrency,
    autorun: false,
  });
  const finished = new Promise<void>((resolve) =>
    worker.on('completed', () => {
      if (++done === n) resolve();
    }),
  );
  const t0 = performance.now();
  void worker.run();
  await addNoopTasks(queue, n);
  drainStart = performance.now();
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
  await workerConnection.quit();
  return {
    concurrency,
    seconds: +seconds.toFixed(2),
    tasksPerSecond: Math.round(n / seconds),
    addSeconds: +((drainStart - t0) / 1000).toFixed(2),
  };
}

/**
 * The bare queue again, its no-op worker in `processes` separate processes (as the product's workers
 * are), to show how the raw queue itself scales out on this machine. The tasks are added first and
 * the drain is timed: from telling the workers to run until nothing is waiting or active.
 */
async function rawDrainInProcesses(n: number, processes: number, concurrency: number, redisServerPids: number[]) {
  const connection = connectRedis({ maxRetriesPerRequest: null });
  const name = `raw-procs-${randomUUID().slice(0, 8)}`;
  const queue = new Queue(name, { connection, prefix: rawPrefix });
  await addNoopTasks(queue, n);
  const kids = Array.from({ length: processes }, () => {
    const kid = spawn(
      process.execPath,
      [
        ...nodeFlags(),
        '--import',
        'tsx',
        'test/bench/noop-worker.ts',
        redisTarget,
        rawPrefix,
        name,
        String(concurrency),
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    children.push(kid); // killed by main's finally if the bench fails midway
    return kid;
  });
  await Promise.all(
    kids.map(
      (kid) =>
        new Promise<void>((resolve, reject) => {
          kid.once('message', () => resolve());
          kid.once('exit', (code) => reject(new Error(`no-op worker exited (${code}) before it was ready`)));
        }),
    ),
  );
  const groups = { workers: kids.map((kid) => kid.pid!), redis: redisServerPids };
  const before = cpuSnapshot(groups);
  const t0 = performance.now();
  for (const kid of kids) kid.send('run');
  for (;;) {
    const counts = await queue.getJobCounts('wait', 'active');
    if (counts.wait! + counts.active! === 0) break;
    await sleep(5);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = perUnit(addDelta({}, before.cpu, cpuSnapshot(groups).cpu), n, 1e6);
  await Promise.all(kids.map(stopService));
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
  return {
    processes,
    concurrency,
    tasksPerSecond: Math.round(n / seconds),
    workerCpuMicrosPerTask: cpu.workers,
    redisCpuMicrosPerTask: cpu.redis,
  };
}

/**
 * What one poll of a job costs: `count` GETs of a finished job in a row, with the CPU the API and
 * Postgres used for them. A client polling faster than Retry-After asks takes this from the workers.
 */
async function pollCost(key: string, customerId: string, jobId: string, apiPid: number, count = 2000) {
  const api = apiAs(key);
  const poll = async () =>
    unwrap(
      await api.GET('/v1/customers/{customerId}/license-jobs/{jobId}', { params: { path: { customerId, jobId } } }),
    );
  for (let i = 0; i < 200; i++) await poll();
  const before = cpuSnapshot({ api: [apiPid] });
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await poll();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = perUnit(addDelta({}, before.cpu, cpuSnapshot({ api: [apiPid] }).cpu), count, 1e6);
  return {
    requestsPerSecond: Math.round(count / seconds),
    apiCpuMicrosPerRequest: cpu.api,
    postgresCpuMicrosPerRequest: cpu.postgres,
  };
}

/**
 * Preview against job: the same body previewed `count` times (after one unmeasured preview), then
 * POSTed as a job (run to the end and undone, so the state stays the same), alternately, so the
 * machine's drift hits both alike. Medians in ms, with the API's CPU per preview.
 */
async function previewCost(
  key: string,
  customerId: string,
  body: CreateLicenseJobRequest,
  undo: CreateLicenseJobRequest,
  apiPid: number,
  count = 5,
) {
  const api = apiAs(key);
  const preview = async () =>
    unwrap(
      await api.POST('/v1/customers/{customerId}/license-jobs/preview', { params: { path: { customerId } }, body }),
    );
  await preview();
  const previewMs: number[] = [];
  const postMs: number[] = [];
  let apiCpu = 0;
  for (let i = 0; i < count; i++) {
    const before = cpuSnapshot({ api: [apiPid] });
    const t0 = performance.now();
    const predicted = await preview();
    previewMs.push(Math.round(performance.now() - t0));
    apiCpu += cpuSnapshot({ api: [apiPid] }).cpu.api! - before.cpu.api!;
    if (predicted.failures.total !== 0)
      throw new Error(`preview predicts failures: ${JSON.stringify(predicted.failures.byCode)}`);
    postMs.push((await runJob(key, customerId, body)).postMs);
    await runJob(key, customerId, undo);
  }
  return {
    users: (body as { userIds: string[] }).userIds.length,
    medianPreviewMs: median(previewMs),
    medianPostMs: median(postMs),
    previewMs,
    postMs,
    apiCpuMsPerPreview: Math.round((apiCpu * 1000) / count),
  };
}

/**
 * A job's results downloaded as CSV, read as a client would (chunk by chunk, nothing kept): size,
 * time, and the API's resident memory sampled every 20 ms while it streams the file.
 */
async function csvDownload(key: string, customerId: string, jobId: string, apiPid: number) {
  const rssBefore = rssMb(apiPid);
  let rssMax = rssBefore;
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, rssMb(apiPid));
  }, 20);
  const t0 = performance.now();
  try {
    const res = await fetch(
      `http://127.0.0.1:${PORTS.api}/v1/customers/${customerId}/license-jobs/${jobId}/results?format=csv`,
      { headers: { authorization: `Bearer ${key}` } },
    );
    if (res.status !== 200) throw new Error(`CSV download → ${res.status}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines++;
    }
    return {
      rows: lines - 1,
      megabytes: +(bytes / 1e6).toFixed(1),
      seconds: +((performance.now() - t0) / 1000).toFixed(2),
      apiRssBeforeMb: rssBefore,
      apiRssMaxDuringMb: rssMax,
      apiPeakRssMb: peakRssMb(apiPid),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** A metric of a service's /metrics (first series of that name). */
async function metricValue(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

/**
 * Live progress for many clients: with the worker stopped, a job is POSTed and `count` clients open
 * its event stream (250 at a time); then the worker is started and every client reads its stream to
 * the end. Reports how many streams the API held at once while the job ran (its own gauge, sampled
 * every 100 ms), whether every stream got its `finished` event, how many polls of Postgres the API
 * made for all of them, the job's speed, and what the API spent meanwhile.
 */
async function eventStreamsDuringJob(
  key: string,
  customerId: string,
  body: CreateLicenseJobRequest,
  undo: CreateLicenseJobRequest,
  apiPid: number,
  count: number,
  workers: { stop: () => Promise<void>; start: () => Promise<void> },
) {
  await workers.stop();
  const job = await http('POST', `/v1/customers/${customerId}/license-jobs`, key, body);
  const opening = performance.now();
  let held = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      held = Math.max(held, await metricValue(PORTS.api, 'license_job_event_streams'));
      await sleep(100);
    }
  })();
  let finished = 0;
  let progressEvents = 0;
  let failedToOpen = 0;
  const read = async (res: Response) => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const events = (buffer + decoder.decode(chunk, { stream: true })).split('\n\n');
      buffer = events.pop()!;
      for (const event of events) {
        if (event.startsWith('event: progress')) progressEvents++;
        else if (event.startsWith('event: finished')) finished++;
      }
    }
  };
  const reading: Promise<void>[] = [];
  const url = `http://127.0.0.1:${PORTS.api}/v1/customers/${customerId}/license-jobs/${job.id}/events`;
  for (let i = 0; i < count; i += 250) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(250, count - i) }, () =>
        fetch(url, { headers: { authorization: `Bearer ${key}` } }).catch(() => undefined),
      ),
    );
    for (const res of opened) {
      if (res?.status === 200) reading.push(read(res));
      else failedToOpen++;
    }
  }
  const allOpenMs = Math.round(performance.now() - opening);
  const pollsBefore = await metricValue(PORTS.api, 'license_job_event_polls_total');
  const before = cpuSnapshot({ api: [apiPid] });
  await workers.start();
  const t0 = performance.now();
  const openWhenJobStarted = await metricValue(PORTS.api, 'license_job_event_streams');
  await Promise.all(reading);
  const seconds = (performance.now() - t0) / 1000;
  running = false;
  await sampler;
  const apiCpu = cpuSnapshot({ api: [apiPid] }).cpu.api! - before.cpu.api!;
  const state = await http('GET', `/v1/customers/${customerId}/license-jobs/${job.id}`, key);
  const polls = (await metricValue(PORTS.api, 'license_job_event_polls_total')) - pollsBefore;
  await runJob(key, customerId, undo);
  return {
    streams: count,
    failedToOpen,
    openWhenJobStarted,
    heldAtOnce: held,
    everyStreamFinished: finished === count - failedToOpen,
    meanProgressEventsPerStream: +(progressEvents / Math.max(1, count - failedToOpen)).toFixed(1),
    allOpenMs,
    jobStatus: state.status,
    jobSeconds: +seconds.toFixed(2),
    usersPerSecond: Math.round(state.progress.total / seconds),
    postgresPollsForAllStreams: polls,
    apiCpuSeconds: +apiCpu.toFixed(2),
    apiRssMb: rssMb(apiPid),
  };
}

async function main() {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  const results: Record<string, unknown> = {
    redis: cluster ? { cluster: '3 masters, 3 replicas', queueShards } : 'one server',
    users: N,
    startedAt: new Date().toISOString(),
    node: process.version,
  };
  try {
    const catalog = startService('catalog');
    await waitReady(`http://127.0.0.1:${PORTS.catalog}/readyz`);
    const api = startService('api');
    await waitReady(`http://127.0.0.1:${PORTS.api}/readyz`);
    const workers = [startService('worker', { WORKER_PORT: String(PORTS.worker) })];
    await waitReady(`http://127.0.0.1:${PORTS.worker}/readyz`);

    await http(
      'PUT',
      '/v1/products/BENCH_SUITE',
      OPERATOR,
      {
        id: 'BENCH_SUITE',
        name: 'Bench suite',
        servicePlans: [
          { id: 'MAIL', name: 'Mail' },
          { id: 'DOCS', name: 'Docs', requires: ['MAIL'] },
        ],
      },
      `http://127.0.0.1:${PORTS.catalog}`,
    );
    const { apiKey } = unwrap(await apiAs(OPERATOR).POST('/v1/admin/partners', { body: { name: 'Bench partner' } }));
    const partnerApi = apiAs(apiKey);
    const groups = () =>
      groupsPhase({
        baseUrl: `http://127.0.0.1:${PORTS.api}`,
        apiKey,
        productId: 'BENCH_SUITE',
        pids: { api: api.pid!, workers: workers.map((w) => w.pid!) },
      });
    if (ONLY === 'groups') {
      results.groups = await groups();
      console.log(JSON.stringify(results, null, 2));
      writeFileSync(`${root}/bench-results.json`, JSON.stringify(results, null, 2));
      return;
    }
    const makeCustomer = async (users: number) => {
      const { id } = unwrap(
        await partnerApi.POST('/v1/customers', { body: { name: 'Bench customer', country: 'US' } }),
      );
      const ids: string[] = [];
      for (let i = 0; i < users; i += 10_000) {
        const batch = Array.from({ length: Math.min(10_000, users - i) }, (_, k) => ({
          userPrincipalName: `u${i + k}@bench.example`,
          displayName: `User ${i + k}`,
        }));
        const created = unwrap(
          await partnerApi.POST('/v1/customers/{customerId}/users/batch', {
            params: { path: { customerId: id } },
            body: { users: batch },
          }),
        );
        ids.push(...created.items.map((u) => u.id));
      }
      unwrap(
        await partnerApi.PUT('/v1/customers/{customerId}/subscriptions/{productId}', {
          params: { path: { customerId: id, productId: 'BENCH_SUITE' } },
          body: { quantity: users },
        }),
      );
      return { id, ids };
    };
    const customer = await makeCustomer(N);
    const assign = { userIds: customer.ids, assign: [{ productId: 'BENCH_SUITE', disabledServicePlans: ['DOCS'] }] };
    const revoke = { userIds: customer.ids, revoke: ['BENCH_SUITE'] };

    const redisServers = await redisPids();
    const statsRedis = process.env.BENCH_REDIS_STATS ? new Redis(redisUrl) : undefined;
    type Snapshot = ReturnType<typeof cpuSnapshot>;
    type Totals = Awaited<ReturnType<typeof batchTotals>>;
    /** What one setting (one or two workers) used over its rounds: deltas summed round by round. */
    const phase = () => ({
      rounds: [] as { assign: JobRun; revoke: JobRun }[],
      cpu: {} as Record<string, number>,
      calls: {} as Record<string, number>,
      preempted: {} as Record<string, number>,
      contextSwitches: 0,
      busy: 0,
      idle: 0,
      batches: { before: [] as Totals[], after: [] as Totals[] },
      commandStats: '',
    });
    type Phase = ReturnType<typeof phase>;
    /** One measured assign + revoke with the workers running now, added to `into`. */
    const measureRound = async (into: Phase, workers: ChildProcess[], ports: number[]) => {
      const groups = {
        api: [api.pid!],
        worker: workers.map((w) => w.pid!),
        catalog: [catalog.pid!],
        redis: redisServers,
      };
      await statsRedis?.config('RESETSTAT');
      into.batches.before.push(...(await Promise.all(ports.map(batchTotals))));
      const before: Snapshot = cpuSnapshot(groups);
      into.rounds.push({
        assign: await runJob(apiKey, customer.id, assign),
        revoke: await runJob(apiKey, customer.id, revoke),
      });
      const after: Snapshot = cpuSnapshot(groups);
      into.batches.after.push(...(await Promise.all(ports.map(batchTotals))));
      if (statsRedis) into.commandStats += await statsRedis.info('commandstats');
      addDelta(into.cpu, before.cpu, after.cpu);
      addDelta(into.calls, before.calls, after.calls);
      addDelta(into.preempted, before.preempted, after.preempted);
      into.contextSwitches += after.machine.contextSwitches - before.machine.contextSwitches;
      into.busy += after.machine.busy - before.machine.busy;
      into.idle += after.machine.idle - before.machine.idle;
    };
    const summarise = (p: Phase, label: string) => {
      if (p.commandStats) console.log(label, p.commandStats);
      const users = p.rounds.length * 2 * N;
      return {
        rounds: p.rounds,
        assignUsersPerSecond: median(p.rounds.map((r) => r.assign.usersPerSecond)),
        revokeUsersPerSecond: median(p.rounds.map((r) => r.revoke.usersPerSecond)),
        medianPostMs: median(p.rounds.flatMap((r) => [r.assign.postMs, r.revoke.postMs])),
        cpuMicrosPerUser: perUnit(p.cpu, users, 1e6),
        // Read/write system calls per 100 users: what coalescing writes and batching save.
        syscallsPer100Users: perUnit(p.calls, users, 100),
        // Context switches of the whole machine, and preemptions of each group's main thread (switched
        // out while it could still run), per 100 users: what sharing two cores with more processes costs.
        contextSwitchesPer100Users: Math.round((p.contextSwitches * 100) / users),
        preemptionsPer100Users: perUnit(p.preempted, users, 100),
        // Share of both cores left idle while the rounds ran.
        machineIdleShare: +(p.idle / (p.idle + p.busy)).toFixed(2),
        batches: batchStats(p.batches.before, p.batches.after),
      };
    };
    /**
     * The machine's speed drifts (other tenants of the host): the raw queue, one worker and two
     * workers are measured in turn within every round, so that drift hits all three alike. One
     * unmeasured job pair first warms up JIT, Postgres buffers and pools, as in a system that has
     * been running; the second worker, started for each round, gets its own warm-up pair.
     */
    const warmUp = async () => {
      await runJob(apiKey, customer.id, assign);
      await runJob(apiKey, customer.id, revoke);
    };
    /** Starts worker processes on these ports, waits until they consume, warms them up with a job pair. */
    const startWarmWorkers = async (
      ports: number[],
      env: Record<string, string> = {},
      flags: readonly string[] = [],
    ) => {
      const started = ports.map((port) => startService('worker', { WORKER_PORT: String(port), ...env }, [...flags]));
      for (const port of ports) await waitReady(`http://127.0.0.1:${port}/readyz`);
      await warmUp();
      return started;
    };
    if (process.env.BENCH_AB || process.env.BENCH_AB_NODE_FLAGS || process.env.BENCH_AB_WORKERS) {
      // A/B: the two settings take turns, so the machine's drift hits both alike.
      const variantEnv = Object.fromEntries(
        (process.env.BENCH_AB ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .map((kv) => {
            if (!kv.includes('=')) throw new Error(`BENCH_AB: "${kv}" is not KEY=value`);
            return [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)];
          }),
      );
      const variantFlags = (process.env.BENCH_AB_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
      const variantWorkers = Number(process.env.BENCH_AB_WORKERS ?? 1);
      if (!Number.isInteger(variantWorkers) || variantWorkers < 1)
        throw new Error('BENCH_AB_WORKERS must be a whole number ≥ 1');
      await stopService(workers[0]!);
      const ab = { defaults: phase(), variant: phase() };
      for (let r = 0; r < ROUNDS; r++) {
        for (const [label, env, flags, count] of [
          ['defaults', {}, [], 1],
          ['variant', variantEnv, variantFlags, variantWorkers],
        ] as const) {
          const ports = Array.from({ length: count }, (_, i) => PORTS.worker + 10 * i);
          const started = await startWarmWorkers(ports, env, flags);
          await measureRound(ab[label], started, ports);
          for (const worker of started) await stopService(worker);
        }
      }
      Object.assign(results, {
        variantEnv,
        defaults: summarise(ab.defaults, 'defaults'),
        variant: summarise(ab.variant, 'variant'),
      });
      for (const label of ['defaults', 'variant'] as const) {
        const p = results[label] as ReturnType<typeof summarise>;
        console.log(
          `${label}: assign ${p.assignUsersPerSecond}/s, revoke ${p.revokeUsersPerSecond}/s, POST ${p.medianPostMs} ms; rounds ${p.rounds.map((x) => `${x.assign.usersPerSecond}/${x.revoke.usersPerSecond}`).join(' ')}; CPU µs/user ${JSON.stringify(p.cpuMicrosPerUser)}; syscalls/100 users ${JSON.stringify(p.syscallsPer100Users)}; context switches/100 users ${p.contextSwitchesPer100Users}; idle ${p.machineIdleShare}; batches ${JSON.stringify(p.batches)}`,
        );
      }
      writeFileSync(`${root}/bench-results.json`, JSON.stringify(results, null, 2));
      await statsRedis?.quit();
      return;
    }
    await warmUp();
    const previewRounds = Number(process.env.BENCH_PREVIEW_ROUNDS ?? 5);
    results.preview =
      previewRounds > 0 ? await previewCost(apiKey, customer.id, assign, revoke, api.pid!, previewRounds) : 'skipped';
    console.log('preview', JSON.stringify(results.preview));
    results.eventStreams = [];
    for (const count of (process.env.BENCH_EVENT_STREAMS ?? '1000').split(',').filter(Boolean).map(Number)) {
      const phase = await eventStreamsDuringJob(apiKey, customer.id, assign, revoke, api.pid!, count, {
        stop: () => stopService(workers[0]!),
        start: async () => {
          workers[0] = startService('worker', { WORKER_PORT: String(PORTS.worker) });
          await waitReady(`http://127.0.0.1:${PORTS.worker}/readyz`);
        },
      });
      console.log('event streams', JSON.stringify(phase));
      (results.eventStreams as unknown[]).push(phase);
    }
    const one = phase();
    const two = phase();
    const raw: Awaited<ReturnType<typeof rawCeiling>>[][] = [];
    const rawScaleOut: Awaited<ReturnType<typeof rawDrainInProcesses>>[][] = [];
    const rawCpuByRound: Record<string, number>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const rawBefore = cpuSnapshot({ redis: redisServers });
      raw.push([await rawCeiling(N, 50), await rawCeiling(N, 200)]);
      rawCpuByRound.push(perUnit(addDelta({}, rawBefore.cpu, cpuSnapshot({ redis: redisServers }).cpu), 2 * N, 1e6));
      rawScaleOut.push([
        await rawDrainInProcesses(N, 1, 200, redisServers),
        await rawDrainInProcesses(N, 2, 200, redisServers),
      ]);
      await measureRound(one, workers, [PORTS.worker]);
      const [second] = await startWarmWorkers([PORTS.worker + 10]);
      await measureRound(two, [...workers, second], [PORTS.worker, PORTS.worker + 10]);
      await stopService(second);
    }
    await statsRedis?.quit();
    const oneWorker = summarise(one, 'one worker');
    const twoWorkers = summarise(two, 'two workers');

    const polled = one.rounds.at(-1)?.assign.jobId;
    results.jobPoll = polled ? await pollCost(apiKey, customer.id, polled, api.pid!) : 'skipped (no rounds)';

    let big: unknown = 'skipped';
    if (BIG > 0) {
      const bigCustomer = await makeCustomer(BIG);
      const assigned = await runJob(apiKey, bigCustomer.id, {
        userIds: bigCustomer.ids,
        assign: [{ productId: 'BENCH_SUITE' }],
      });
      const csv = await csvDownload(apiKey, bigCustomer.id, assigned.jobId, api.pid!);
      console.log('results as CSV', JSON.stringify(csv));
      big = { users: BIG, assign: assigned, resultsCsv: csv };
    }
    results.groups = GROUP_MEMBERS > 0 ? await groups() : 'skipped';
    results.interactive =
      process.env.BENCH_INTERACTIVE === '0'
        ? 'skipped'
        : await interactivePhases({
            makeCustomer,
            runJob: (customerId, body) => runJob(apiKey, customerId, body),
            productId: 'BENCH_SUITE',
            call: async (method, path, body) => {
              const res = await fetch(`http://127.0.0.1:${PORTS.api}${path}`, {
                method,
                headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
                body: body ? JSON.stringify(body) : undefined,
              });
              const text = await res.text();
              return { status: res.status, body: text ? JSON.parse(text) : undefined };
            },
          });
    results.abuse =
      process.env.BENCH_ABUSE === '0'
        ? 'skipped'
        : await abusePhases({
            baseUrl: `http://127.0.0.1:${PORTS.api}`,
            operatorToken: OPERATOR,
            productId: 'BENCH_SUITE',
            pids: { api: api.pid!, workers: workers.map((w) => w.pid!), redis: (await redisPids())[0] },
          });
    const rss = { apiMb: peakRssMb(api.pid), workerMb: peakRssMb(workers[0]!.pid) };
    for (const child of [...workers, api, catalog]) await stopService(child);

    // The bare queue's CPU per task (median round): the bench process is its producer and worker.
    const rawCpu = rawCpuByRound.sort((a, b) => a.bench! + a.redis! - b.bench! - b.redis!)[
      Math.floor(rawCpuByRound.length / 2)
    ];
    // BENCH_ROUNDS=0 measures only what runs outside the rounds (preview, results, events, the big job).
    results.rawCpuMicrosPerTask = rawCpu
      ? { redis: rawCpu.redis, producerAndWorker: rawCpu.bench }
      : 'skipped (no rounds)';
    // Per round the best of the two concurrency settings; the ceiling is the median round.
    const ceiling = median(raw.map((round) => Math.max(...round.map((r) => r.tasksPerSecond))));
    Object.assign(results, {
      oneWorker,
      twoWorkers,
      big,
      peakRss: rss,
      rawBullmq: raw.flat(),
      summary: {
        assignUsersPerSecond: oneWorker.assignUsersPerSecond,
        revokeUsersPerSecond: oneWorker.revokeUsersPerSecond,
        rawCeilingTasksPerSecond: ceiling,
        assignRatioToRaw: +(oneWorker.assignUsersPerSecond / ceiling).toFixed(2),
        revokeRatioToRaw: +(oneWorker.revokeUsersPerSecond / ceiling).toFixed(2),
        medianPostMs: oneWorker.medianPostMs,
        medianPreviewMs: (results.preview as { medianPreviewMs?: number }).medianPreviewMs,
        twoWorkersAssignUsersPerSecond: twoWorkers.assignUsersPerSecond,
        twoWorkersRevokeUsersPerSecond: twoWorkers.revokeUsersPerSecond,
        // The bare queue's drain with its no-op worker in one process, then in two (median rounds).
        rawDrainOneProcessTasksPerSecond: median(rawScaleOut.map((r) => r[0]!.tasksPerSecond)),
        rawDrainTwoProcessesTasksPerSecond: median(rawScaleOut.map((r) => r[1]!.tasksPerSecond)),
        ...(typeof results.groups === 'object'
          ? (({ grant, removal, grantRatioToPlainAssign, removalRatioToPlainRevoke }) => ({
              groupGrantMembersPerSecond: grant.membersPerSecond,
              groupRemovalMembersPerSecond: removal.membersPerSecond,
              groupGrantRatioToPlainAssign: grantRatioToPlainAssign,
              groupRemovalRatioToPlainRevoke: removalRatioToPlainRevoke,
            }))(results.groups as Awaited<ReturnType<typeof groupsPhase>>)
          : {}),
      },
      rawScaleOut: rawScaleOut.flat(),
    });
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await sleep(500);
    if (!process.env.BENCH_KEEP_DB) await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    if (cluster) await cluster.stop();
    else {
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
      await redis.quit();
    }
  }
  console.log(JSON.stringify(results, null, 2));
  writeFileSync(`${root}/bench-results.json`, JSON.stringify(results, null, 2));
  const s = results.summary as Record<string, number>;
  console.log(
    `\nassign ${s.assignUsersPerSecond}/s, revoke ${s.revokeUsersPerSecond}/s, raw BullMQ ${s.rawCeilingTasksPerSecond}/s → ratios ${s.assignRatioToRaw} / ${s.revokeRatioToRaw}; median POST ${s.medianPostMs} ms, preview ${s.medianPreviewMs} ms; 2 workers ${s.twoWorkersAssignUsersPerSecond}/${s.twoWorkersRevokeUsersPerSecond}/s; raw drain 1 process ${s.rawDrainOneProcessTasksPerSecond}/s, 2 processes ${s.rawDrainTwoProcessesTasksPerSecond}/s; job poll ${JSON.stringify(results.jobPoll)}`,
  );
  if (s.groupGrantMembersPerSecond !== undefined)
    console.log(
      `groups: ${GROUP_MEMBERS} members given a product ${s.groupGrantMembersPerSecond}/s (${s.groupGrantRatioToPlainAssign} of a plain assign), removed ${s.groupRemovalMembersPerSecond}/s (${s.groupRemovalRatioToPlainRevoke} of a plain revoke)`,
    );
  const interactive = results.interactive as
    | Record<string, { smallJobs?: unknown; bigJobs?: unknown; slowestSmallJobs?: unknown }>
    | string;
  if (typeof results.abuse === 'object')
    for (const [phase, figures] of Object.entries(results.abuse as Record<string, unknown>))
      console.log(`abuse ${phase}: ${JSON.stringify(figures)}`);
  if (typeof interactive === 'object') {
    for (const [phase, figures] of Object.entries(interactive))
      console.log(
        `${phase}: ${JSON.stringify(figures.smallJobs ?? figures)} big ${JSON.stringify(figures.bigJobs ?? '')}` +
          (figures.slowestSmallJobs ? ` slowest small ${JSON.stringify(figures.slowestSmallJobs)}` : ''),
      );
  }
}

await main();
