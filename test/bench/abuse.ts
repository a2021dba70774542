// The abuse phases of `pnpm bench`: one partner (the flooder) sends as fast as the default rate
// limit allows (6,000 requests a minute, kept by the flooder's own clients: the bench's API runs
// without a limit), and another partner (the victim) is timed: its 5-user jobs (every 250 ms) and
// one 10,000-user job, against the same job alone. After each flood the victim's small jobs are
// probed until their latency is back to normal, and the flooder's backlog until it has drained.
//   BENCH_ABUSE_SECONDS (30: each flood's length)  BENCH_ABUSE_BIG (10000: the victim's big job; 0 skips it)
//   BENCH_ABUSE_PREVIEW_USERS (50000: the customer the flooder previews; 0 skips that flood)
//   BENCH_ABUSE_CLIENTS (8: the flooder's concurrent clients)
//   BENCH_ABUSE_PHASES (all: comma-separated names of the floods to run, e.g. previewsAndDownloads)
//   BENCH_ABUSE_WEBHOOKS (1: the flood of webhook test pings to a dead endpoint, webhookTests; 0 skips it)

import { createServer, type Server } from 'node:http';
import { percentiles } from './interactive.ts';
import { cpuSeconds, postgresCpuSeconds } from './proc.ts';

export interface AbuseDeps {
  baseUrl: string;
  operatorToken: string;
  productId: string;
  /** The services' processes, for the CPU each flood costs them. */
  pids: { api: number; workers: number[]; redis?: number };
}

interface Partner {
  key: string;
  call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any; headers: Headers }>;
  customer: (users: number, seats?: number) => Promise<{ id: string; ids: string[] }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newPartner(deps: AbuseDeps, name: string): Promise<Partner> {
  const raw = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(deps.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, body: json as any, headers: res.headers };
  };
  const created = await raw(deps.operatorToken, 'POST', '/v1/admin/partners', { name });
  if (created.status !== 201) throw new Error(`partner: ${created.status}`);
  const key = created.body.apiKey as string;
  const call = (method: string, path: string, body?: unknown) => raw(key, method, path, body);
  const customer = async (users: number, seats = users) => {
    const c = await call('POST', '/v1/customers', { name: `${name} customer`, country: 'US' });
    const ids: string[] = [];
    for (let i = 0; i < users; i += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, users - i) }, (_, k) => ({
        userPrincipalName: `a${i + k}@${c.body.id.slice(0, 8)}.example`,
        displayName: `User ${i + k}`,
      }));
      const res = await call('POST', `/v1/customers/${c.body.id}/users/batch`, { users: batch });
      if (res.status !== 201) throw new Error(`users: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      ids.push(...res.body.items.map((u: { id: string }) => u.id));
    }
    await call('PUT', `/v1/customers/${c.body.id}/subscriptions/${deps.productId}`, { quantity: seats });
    return { id: c.body.id as string, ids };
  };
  return { key, call, customer };
}

/** Milliseconds the victim's accepted job POSTs took (the API's share of a small job's latency). */
const postMs: number[] = [];
/**
 * The rest of a small job's latency by the job's own clock: from its acceptance until its first
 * user was applied (waiting for the worker), and from then until it finished.
 */
const queuedMs: number[] = [];
const appliedMs: number[] = [];

/**
 * Two webhook endpoints on 127.0.0.1 (the bench's services allow private targets): the victim's,
 * which answers 204 at once and notes each finished job's delay from its `finishedAt` to arrival, and
 * a dead one, which takes connections and never answers (every attempt waits out its time limit).
 */
async function webhookEndpoints() {
  let delaysMs: number[] = [];
  const victim = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrived = Date.now();
      res.writeHead(204).end();
      try {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (event.type === 'license_job.finished' && event.data?.finishedAt)
          delaysMs.push(arrived - Date.parse(event.data.finishedAt));
      } catch {
        // not an event: nothing to time
      }
    });
  });
  const dead = createServer(() => {
    // Never answered.
  });
  const listen = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  };
  return {
    victimUrl: await listen(victim),
    deadUrl: await listen(dead),
    /** The victim's delivery delays since the last call. */
    take: () => {
      const taken = delaysMs;
      delaysMs = [];
      return percentiles(taken);
    },
    close: async () => {
      for (const server of [victim, dead]) {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    },
  };
}

/**
 * The API's event loop since the previous call, from its /metrics (prom-client resets the delay
 * histogram at each scrape): the delay of its timers (mean, p99, max, ms) and the seconds its
 * garbage collections of every kind took in all (a counter: the caller takes the difference).
 */
async function apiEventLoop(baseUrl: string) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
  };
  const ms = (name: string) => Math.round(value(`nodejs_eventloop_lag_${name}_seconds`) * 10_000) / 10;
  const gcSeconds = text
    .split('\n')
    .filter((l) => l.startsWith('nodejs_gc_duration_seconds_sum{'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  // Accepted job POSTs as the API timed them (its histogram's cumulative buckets, by upper bound).
  const postBuckets = new Map<string, number>();
  for (const l of text.split('\n')) {
    if (!l.startsWith('http_request_duration_seconds_bucket{') || !l.includes('method="POST"')) continue;
    if (!l.includes('route="/v1/customers/:customerId/license-jobs"') || !l.includes('status="202"')) continue;
    const le = /le="([^"]+)"/.exec(l)![1]!;
    postBuckets.set(le, (postBuckets.get(le) ?? 0) + Number(l.slice(l.lastIndexOf(' ') + 1)));
  }
  return { delayMs: { mean: ms('mean'), p99: ms('p99'), max: ms('max') }, gcSeconds, postBuckets };
}

/** The big job's last run: its POST's time and when its first users were applied after its acceptance. */
const bigJobTimes: { postMs?: number; startedAfterMs?: number } = {};

/**
 * POSTs a job and polls it every 50 ms until finished: seconds from the POST, or undefined if refused.
 * With `progress`, the users it had applied after each whole second are pushed to it.
 */
async function timedJob(
  p: Partner,
  customerId: string,
  body: unknown,
  progress?: number[],
): Promise<number | undefined> {
  const started = performance.now();
  const res = await p.call('POST', `/v1/customers/${customerId}/license-jobs`, body);
  if (res.status !== 202) return undefined;
  const answeredMs = performance.now() - started;
  postMs.push(answeredMs);
  for (;;) {
    const job = await p.call('GET', `/v1/customers/${customerId}/license-jobs/${res.body.id}`);
    if (progress) {
      const { succeeded = 0, failed = 0 } = job.body?.progress ?? {};
      while (progress.length < Math.floor((performance.now() - started) / 1000)) progress.push(succeeded + failed);
    }
    if (job.body?.finishedAt) {
      const { createdAt, startedAt, finishedAt } = job.body as Record<string, string>;
      if (createdAt && startedAt) {
        queuedMs.push(Date.parse(startedAt) - Date.parse(createdAt));
        appliedMs.push(Date.parse(finishedAt!) - Date.parse(startedAt));
      }
      if (progress) {
        bigJobTimes.postMs = Math.round(answeredMs);
        bigJobTimes.startedAfterMs = startedAt ? Date.parse(startedAt) - Date.parse(createdAt!) : undefined;
      }
      return (performance.now() - started) / 1000;
    }
    await sleep(50);
  }
}

/**
 * Keeps `clients` loops calling `request` until `stop()` is true, at most `perSecond` calls a second
 * in all (the rate limit); a 429 with Retry-After makes that loop wait as told. Counts answers by status.
 */
function flood(clients: number, perSecond: number, request: (i: number) => Promise<number>) {
  const statuses: Record<string, number> = {};
  let running = true;
  let sent = 0;
  const started = performance.now();
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let i = c; running; i += clients) {
      // Pace: the n-th call of the flood is not sent before n / perSecond seconds.
      const due = started + (sent * 1000) / perSecond;
      sent += 1;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (!running) break;
      const status = await request(i).catch(() => 0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  });
  return {
    statuses,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

export async function abusePhases(deps: AbuseDeps) {
  const seconds = Number(process.env.BENCH_ABUSE_SECONDS ?? 30);
  const bigUsers = Number(process.env.BENCH_ABUSE_BIG ?? 10_000);
  const previewUsers = Number(process.env.BENCH_ABUSE_PREVIEW_USERS ?? 50_000);
  const clients = Number(process.env.BENCH_ABUSE_CLIENTS ?? 8);
  const PER_SECOND = 100; // 6,000 requests a minute, the default RATE_LIMIT_PER_MINUTE
  const assign = [{ productId: deps.productId }];

  /** CPU seconds used so far by each service (cores used = its growth per second). */
  const cpuNow = () => ({
    api: cpuSeconds(deps.pids.api),
    workers: deps.pids.workers.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    redis: deps.pids.redis ? cpuSeconds(deps.pids.redis) : 0,
    postgres: postgresCpuSeconds(),
    bench: cpuSeconds(process.pid),
  });
  const victim = await newPartner(deps, 'Victim');
  const flooder = await newPartner(deps, 'Flooder');
  const big = bigUsers > 0 ? await victim.customer(bigUsers) : undefined;
  const small = await victim.customer(5 * 2000);
  let nextSmall = 0;
  const smallJob = () => {
    const userIds = small.ids.slice((nextSmall % 2000) * 5, (nextSmall % 2000) * 5 + 5);
    const body = Math.floor(nextSmall / 2000) % 2 === 0 ? { userIds, assign } : { userIds, revoke: [deps.productId] };
    nextSmall += 1;
    return timedJob(victim, small.id, body);
  };
  let bigAssigned = false;
  /** The big job's users applied after each second of its last run (see timedJob). */
  let bigProgress: number[] = [];
  const bigJob = async () => {
    if (!big) return undefined;
    const body = bigAssigned ? { userIds: big.ids, revoke: [deps.productId] } : { userIds: big.ids, assign };
    bigAssigned = !bigAssigned;
    bigProgress = [];
    return timedJob(victim, big.id, body, bigProgress);
  };

  /** The victim's small jobs every 250 ms (and its big job once) while `during` runs. */
  const measure = async (during: Promise<unknown>) => {
    postMs.length = 0;
    queuedMs.length = 0;
    appliedMs.length = 0;
    const cpuBefore = cpuNow();
    const loopBefore = await apiEventLoop(deps.baseUrl);
    const startedAt = performance.now();
    let done = false;
    void during.finally(() => (done = true));
    const bigRun = bigJob();
    const runs: Promise<number | undefined>[] = [];
    while (!done) {
      runs.push(smallJob());
      await sleep(250);
    }
    const latencies = (await Promise.all(runs)).filter((s): s is number => s !== undefined).map((s) => s * 1000);
    const seconds = (performance.now() - startedAt) / 1000;
    const cpuAfter = cpuNow();
    const loopAfter = await apiEventLoop(deps.baseUrl);
    const cpuShare = Object.fromEntries(
      Object.entries(cpuAfter).map(([k, v]) => [
        k,
        +((v - cpuBefore[k as keyof typeof cpuAfter]) / seconds).toFixed(2),
      ]),
    );
    return {
      smallJobs: percentiles(latencies),
      smallJobPosts: percentiles([...postMs]),
      smallJobQueued: percentiles([...queuedMs]),
      smallJobApplied: percentiles([...appliedMs]),
      bigJobSeconds: await bigRun,
      // Users of the big job applied in each second: its share of the workers as the flood went on.
      bigJobUsersPerSecond: bigProgress.map((n, i) => n - (bigProgress[i - 1] ?? 0)),
      // Its POST's answer, and when its first users were applied (from its acceptance, by Postgres's clock).
      bigJobTimes: { ...bigJobTimes },
      coresUsed: cpuShare,
      apiEventLoop: {
        delayMs: loopAfter.delayMs,
        gcSeconds: +(loopAfter.gcSeconds - loopBefore.gcSeconds).toFixed(2),
      },
      // The victim's accepted POSTs by the API's own clock (no other partner posts jobs in a phase
      // of previews or webhook pings): how many took at most 0.1, 0.25, 0.5, 1 s. Beside the
      // client-side figures above, it tells the API's share of a slow POST from the bench's own.
      smallJobPostsServerSide: Object.fromEntries(
        ['0.1', '0.25', '0.5', '1', '+Inf'].map((le) => [
          `le${le}s`,
          (loopAfter.postBuckets.get(le) ?? 0) - (loopBefore.postBuckets.get(le) ?? 0),
        ]),
      ),
    };
  };

  const results: Record<string, unknown> = {};
  const alone = await measure(sleep(Math.min(seconds, 10) * 1000));
  results.alone = alone;
  const normalMs = Math.max(1000, 2 * alone.smallJobs.p95Ms);

  /** After a flood: seconds until three small jobs in a row are normal again, and until the flooder's jobs are done. */
  const recovery = async (flooderCustomers: string[]) => {
    const stopped = performance.now();
    let normalAfter: number | undefined;
    let streak = 0;
    while (performance.now() - stopped < 120_000 && normalAfter === undefined) {
      const s = await smallJob();
      streak = s !== undefined && s * 1000 <= normalMs ? streak + 1 : 0;
      if (streak === 3) normalAfter = (performance.now() - stopped) / 1000;
      await sleep(200);
    }
    let drainedAfter: number | undefined;
    while (performance.now() - stopped < 180_000 && drainedAfter === undefined) {
      let open = 0;
      for (const id of flooderCustomers) {
        const list = await flooder.call('GET', `/v1/customers/${id}/license-jobs?pageSize=500`);
        open += (list.body?.items ?? []).filter((j: { finishedAt: string | null }) => !j.finishedAt).length;
      }
      if (open === 0) drainedAfter = (performance.now() - stopped) / 1000;
      else await sleep(500);
    }
    return { victimNormalAfterSeconds: normalAfter, flooderDrainedAfterSeconds: drainedAfter };
  };

  const only = process.env.BENCH_ABUSE_PHASES?.split(',');
  const run = async (
    name: string,
    customers: string[],
    request: (i: number) => Promise<number>,
    /** More figures of the flood, taken as it stops. */
    more: () => Record<string, unknown> = () => ({}),
  ) => {
    if (only && !only.includes(name)) return;
    const f = flood(clients, PER_SECOND, request);
    const figures = await measure(sleep(seconds * 1000));
    await f.stop();
    results[name] = {
      ...figures,
      ...more(),
      bigJobRatioToAlone:
        figures.bigJobSeconds && alone.bigJobSeconds ? +(figures.bigJobSeconds / alone.bigJobSeconds).toFixed(2) : null,
      flooderAnswers: f.statuses,
      ...(await recovery(customers)),
    };
    console.log(name, JSON.stringify(results[name]));
  };

  // Small jobs across many customers: 100-user jobs over twenty customers, assign and revoke in turn.
  const many: { id: string; ids: string[] }[] = [];
  for (let i = 0; i < 20; i++) many.push(await flooder.customer(200, 400));
  await run(
    'smallJobsAcrossCustomers',
    many.map((c) => c.id),
    async (i) => {
      const c = many[i % many.length]!;
      const half = Math.floor(i / many.length) % 2;
      const userIds = c.ids.slice(half * 100, half * 100 + 100);
      const body =
        Math.floor(i / (2 * many.length)) % 2 === 0 ? { userIds, assign } : { userIds, revoke: [deps.productId] };
      return (await flooder.call('POST', `/v1/customers/${c.id}/license-jobs`, body)).status;
    },
  );

  // Jobs piled on the same 100 users.
  const same = await flooder.customer(100, 1000);
  await run('jobsOnTheSameUsers', [same.id], async (i) => {
    const body = i % 2 === 0 ? { userIds: same.ids, assign } : { userIds: same.ids, revoke: [deps.productId] };
    return (await flooder.call('POST', `/v1/customers/${same.id}/license-jobs`, body)).status;
  });

  // Previews and overviews of a 50,000-user customer, and results downloads that read nothing.
  if (previewUsers > 0) {
    const wide = await flooder.customer(previewUsers);
    const finished = await flooder.call('POST', `/v1/customers/${wide.id}/license-jobs`, {
      userIds: wide.ids.slice(0, 1000),
      assign,
    });
    await sleep(3000);
    const stalled: AbortController[] = [];
    await run('previewsAndDownloads', [wide.id], async (i) => {
      if (i % 10 === 9 && stalled.length < 20) {
        // A download whose client never reads: it holds what the server gives a download.
        const abort = new AbortController();
        stalled.push(abort);
        const res = await fetch(
          `${deps.baseUrl}/v1/customers/${wide.id}/license-jobs/${finished.body.id}/results?format=csv`,
          { headers: { authorization: `Bearer ${flooder.key}`, accept: 'text/csv' }, signal: abort.signal },
        ).catch(() => undefined);
        return res?.status ?? 0;
      }
      const filter = { userFilter: { search: 'User' } };
      const res =
        i % 2 === 0
          ? await flooder.call('POST', `/v1/customers/${wide.id}/license-overview`, filter)
          : await flooder.call('POST', `/v1/customers/${wide.id}/license-jobs/preview`, { ...filter, assign });
      return res.status;
    });
    for (const abort of stalled) abort.abort();
  }

  // Webhook test pings to a dead endpoint, as fast as the rate limit allows: the victim's job events
  // are timed from each job's finish to its endpoint, quiet and during the flood.
  if (process.env.BENCH_ABUSE_WEBHOOKS !== '0' && (!only || only.includes('webhookTests'))) {
    const hooks = await webhookEndpoints();
    try {
      for (const [p, url] of [
        [victim, hooks.victimUrl],
        [flooder, hooks.deadUrl],
      ] as const) {
        const saved = await p.call('PUT', '/v1/webhook', { url });
        if (saved.status !== 200)
          throw new Error(`webhook: ${saved.status} ${JSON.stringify(saved.body).slice(0, 200)}`);
      }
      await measure(sleep(Math.min(seconds, 10) * 1000));
      await sleep(1000);
      const quiet = hooks.take();
      console.log('webhooksQuiet', JSON.stringify({ victimDeliveries: quiet }));
      await run(
        'webhookTests',
        [],
        async () => (await flooder.call('POST', '/v1/webhook/test')).status,
        () => ({ victimDeliveriesQuiet: quiet, victimDeliveries: hooks.take() }),
      );
    } finally {
      await flooder.call('DELETE', '/v1/webhook');
      await victim.call('DELETE', '/v1/webhook');
      await hooks.close();
    }
  }
  return results;
}
