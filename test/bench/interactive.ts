// The interactive-latency phases of `pnpm bench`: how long another customer's 5-user jobs take,
// from POST to the poll that sees them finished, while big jobs of other customers run; and how two
// customers' big jobs share the workers.
//   BENCH_INTERACTIVE_BIG (50000; 0 skips)  BENCH_INTERACTIVE_CONCURRENT (20000: three customers' jobs at once; 0 skips)
//   BENCH_INTERACTIVE_JOBS (40 small jobs, one every 250 ms, while the big jobs run)
//   BENCH_FAIR_USERS (10000: one customer's two jobs of that many against another's one; 0 skips)
//   BENCH_NEW_HIRES (40: users created, one every 250 ms, in a dynamic group's department while a
//   BENCH_INTERACTIVE_BIG job runs, each timed until it holds the group's product; 0 skips)

import type { CreateLicenseJobRequest } from '@licensing/client';

export interface Customer {
  id: string;
  ids: string[];
}

export interface FinishedJob {
  jobId: string;
  postMs: number;
  seconds: number;
  usersPerSecond: number;
  startedAfterMs: number;
  finishedAfterMs: number;
}

export interface InteractiveDeps {
  /** A customer with that many users and as many seats of the product. */
  makeCustomer: (users: number) => Promise<Customer>;
  /** POST a job and poll it (every 50 ms) until finished; throws unless it completed. */
  runJob: (customerId: string, body: CreateLicenseJobRequest) => Promise<FinishedJob>;
  productId: string;
  /** A partner API request with the bench partner's key: status and parsed body. */
  call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SMALL_JOB_USERS = 5;
const SMALL_JOB_EVERY_MS = 250;

export function percentiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
  return { count: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
}

/**
 * Starts the big jobs, then submits a small job every 250 ms (up to `count`) for as long as any big
 * job is still running. Each small job is timed as its client sees it.
 */
async function smallJobsDuring(deps: InteractiveDeps, bigJobs: { customer: Customer }[], count: number) {
  const small = await deps.makeCustomer(SMALL_JOB_USERS * count);
  let running = bigJobs.length;
  const big = bigJobs.map(({ customer }) =>
    deps
      .runJob(customer.id, { userIds: customer.ids, assign: [{ productId: deps.productId }] })
      .finally(() => (running -= 1)),
  );
  // Let the big jobs be accepted and their tasks queued before the first small job.
  await sleep(1000);
  const latencies: number[] = [];
  const slowest: { atMs: number; totalMs: number; postMs: number; startedAfterMs: number; finishedAfterMs: number }[] =
    [];
  const smallRuns: Promise<void>[] = [];
  const firstAt = performance.now();
  for (let i = 0; i < count && running > 0; i++) {
    const userIds = small.ids.slice(i * SMALL_JOB_USERS, (i + 1) * SMALL_JOB_USERS);
    const atMs = Math.round(performance.now() - firstAt);
    smallRuns.push(
      deps.runJob(small.id, { userIds, assign: [{ productId: deps.productId }] }).then((run) => {
        latencies.push(run.seconds * 1000);
        const { postMs, startedAfterMs, finishedAfterMs } = run;
        slowest.push({ atMs, totalMs: Math.round(run.seconds * 1000), postMs, startedAfterMs, finishedAfterMs });
      }),
    );
    await sleep(SMALL_JOB_EVERY_MS);
  }
  const [bigRuns] = await Promise.all([Promise.all(big), Promise.all(smallRuns)]);
  return {
    smallJobs: percentiles(latencies),
    // Where the slowest small jobs' time went: submitted `atMs` after the first; the POST's answer;
    // from the job's creation to its first and last user applied (server clock); the rest is polling.
    slowestSmallJobs: slowest.sort((a, b) => b.totalMs - a.totalMs).slice(0, 5),
    bigJobs: bigRuns.map((run) => ({ seconds: run.seconds, usersPerSecond: run.usersPerSecond, postMs: run.postMs })),
  };
}

/**
 * New hires licensed by a dynamic group while another customer's big job runs: a customer's group
 * selects department "Sales" and grants the product; users are created in that department one every
 * 250 ms, each timed from its POST until a read of the user shows the product held.
 */
async function newHiresDuring(deps: InteractiveDeps, big: Customer, count: number) {
  const must = async (method: string, path: string, body: unknown, status: number) => {
    const res = await deps.call(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  // Its own users hold nothing: the seats are there for the new hires.
  const customer = await deps.makeCustomer(count);
  const group = await must(
    'POST',
    `/v1/customers/${customer.id}/groups`,
    { name: 'Sales', membershipRule: { departments: ['Sales'] } },
    201,
  );
  await must(
    'PUT',
    `/v1/customers/${customer.id}/groups/${group.id}/licenses`,
    { licenses: [{ productId: deps.productId }] },
    202,
  );
  let running = true;
  const bigRun = deps
    .runJob(big.id, { userIds: big.ids, assign: [{ productId: deps.productId }] })
    .finally(() => (running = false));
  await sleep(1000);
  const hire = async (i: number) => {
    const started = performance.now();
    const user = await must(
      'POST',
      `/v1/customers/${customer.id}/users`,
      { userPrincipalName: `hire${i}@sales.bench.example`, displayName: `Hire ${i}`, department: 'Sales' },
      201,
    );
    const postMs = performance.now() - started;
    for (;;) {
      const read = await must('GET', `/v1/customers/${customer.id}/users/${user.id}`, undefined, 200);
      if ((read.licenses as { productId: string }[]).some((l) => l.productId === deps.productId))
        return { totalMs: performance.now() - started, postMs };
      if (performance.now() - started > 60_000) throw new Error(`hire ${i} not licensed within 60 s`);
      await sleep(50);
    }
  };
  const hires: Promise<{ totalMs: number; postMs: number }>[] = [];
  for (let i = 0; i < count && running; i++) {
    hires.push(hire(i));
    await sleep(SMALL_JOB_EVERY_MS);
  }
  const [timings, bigJob] = await Promise.all([Promise.all(hires), bigRun]);
  return {
    licensed: percentiles(timings.map((t) => t.totalMs)),
    userPosts: percentiles(timings.map((t) => t.postMs)),
    bigJob: { seconds: bigJob.seconds, usersPerSecond: bigJob.usersPerSecond },
  };
}

export async function interactivePhases(deps: InteractiveDeps) {
  const bigUsers = Number(process.env.BENCH_INTERACTIVE_BIG ?? 50_000);
  const concurrentUsers = Number(process.env.BENCH_INTERACTIVE_CONCURRENT ?? 20_000);
  const count = Number(process.env.BENCH_INTERACTIVE_JOBS ?? 40);
  const fairUsers = Number(process.env.BENCH_FAIR_USERS ?? 10_000);
  const newHires = Number(process.env.BENCH_NEW_HIRES ?? 40);
  const results: Record<string, unknown> = {};

  if (bigUsers > 0) {
    const customer = await deps.makeCustomer(bigUsers);
    results.smallJobsDuringOneBigJob = { bigUsers, ...(await smallJobsDuring(deps, [{ customer }], count)) };
  }
  if (bigUsers > 0 && newHires > 0) {
    const customer = await deps.makeCustomer(bigUsers);
    results.newHiresDuringOneBigJob = { bigUsers, ...(await newHiresDuring(deps, customer, newHires)) };
  }
  if (concurrentUsers > 0) {
    const customers = [];
    for (let i = 0; i < 3; i++) customers.push({ customer: await deps.makeCustomer(concurrentUsers) });
    results.smallJobsDuringThreeBigJobs = {
      bigUsers: concurrentUsers,
      ...(await smallJobsDuring(deps, customers, count)),
    };
  }
  if (fairUsers > 0) {
    // One customer's two jobs accepted first, then another customer's one job of the same size.
    const first = await deps.makeCustomer(2 * fairUsers);
    const second = await deps.makeCustomer(fairUsers);
    const assign = [{ productId: deps.productId }];
    const firstJobs = [first.ids.slice(0, fairUsers), first.ids.slice(fairUsers)].map((userIds) =>
      deps.runJob(first.id, { userIds, assign }),
    );
    await sleep(200);
    const secondJob = deps.runJob(second.id, { userIds: second.ids, assign });
    const [a, b, c] = await Promise.all([...firstJobs, secondJob]);
    // Seconds from each job's own POST to the poll that saw it finished.
    results.bigJobsSharing = {
      usersPerJob: fairUsers,
      firstCustomerTwoJobsSeconds: [a!.seconds, b!.seconds],
      secondCustomerOneJobSeconds: c!.seconds,
    };
  }
  return results;
}
