// Fair sharing between partners, then customers: a small job of another customer is applied before a
// big job's remaining users, partners' big jobs take turns, and a partner flooding the queue with
// small jobs cannot hold another partner's job back. Ordering is observed through the finishing
// times Postgres records per user, never through timing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countBacklogged,
  createLicenseTaskQueue,
  DEFAULT_FAIR_SHARE,
  enqueueLicenseTasks,
  EXPRESS,
  FairClock,
  fairClockKey,
  licenseTaskShards,
  PRIORITY_LEVELS,
  priorityOfTag,
  priorityOfTask,
  TAG_BLOCK,
  HORIZON_LEVELS,
  MAX_PARTNER_WEIGHT,
  PARTNER_DEPTH_TAGS,
  PARTNER_RECENT_JOBS,
  partnerBacklogKey,
  partnerUsageKey,
  shareSlots,
  tagTasks,
} from '@licensing/queue';
import { createLicenseWorker } from '@licensing/worker';
import { createRedis } from '@licensing/redis';
import { createTestEnv, silentLog, startTestSystem, startTestWorker, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';

const { chunk, interactiveMaxUsers } = DEFAULT_FAIR_SHARE;
const BIG = 3 * chunk; // three priority levels, and well above the interactive size

let system: TestSystem;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, expressQueue: true });
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

async function customerWithUsers(name: string, count: number, of = partner) {
  const customer = await of.customer(name);
  const users = await of.users(customer, count);
  await of.subscribe(customer, SUITE.id, count);
  return { customer, users };
}

async function acceptJob(customer: string, users: string[], of = partner): Promise<string> {
  const res = await of.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id;
}

/** Waits until the API has put every accepted job's tasks on the (paused) queue. */
async function waitUntilEnqueued(jobIds: string[]) {
  const { sql } = system.env;
  for (let i = 0; i < 200; i++) {
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM license_jobs WHERE id = ANY(${jobIds}) AND tasks_enqueued_at IS NOT NULL`;
    if (row!.n === jobIds.length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('tasks were not enqueued');
}

/**
 * How many of `jobId`'s users were applied after the last of `otherJobId`'s (by the items' own
 * times: the job's `finished_at` comes a little later, when it is finalised, and a loaded machine
 * would count the users applied meanwhile).
 */
async function appliedAfter(jobId: string, otherJobId: string): Promise<number> {
  const [row] = await system.env.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM license_job_items i
    WHERE i.job_id = ${jobId}
      AND i.finished_at > (SELECT max(o.finished_at) FROM license_job_items o WHERE o.job_id = ${otherJobId})`;
  return row!.n;
}

/** Runs a worker that takes few tasks at a time, so the queue's order decides the order applied. */
async function drainWithSmallWorker(customerJobs: [string, string][]) {
  const worker = await startTestWorker(system.env, { concurrency: 5, batchSize: 5 });
  try {
    for (const [customer, job] of customerJobs) {
      const done = await partner.waitForJob(customer, job);
      expect(done.status).toBe('completed');
    }
  } finally {
    await worker.close();
  }
}

describe('fair share between customers', () => {
  it("applies another customer's small job before a big job's remaining users", async () => {
    await system.env.queue.pause();
    const big = await customerWithUsers('Big customer', BIG);
    const small = await customerWithUsers('Small customer', 5);
    const bigJob = await acceptJob(big.customer, big.users);
    const smallJob = await acceptJob(small.customer, small.users);
    await waitUntilEnqueued([bigJob, smallJob]);
    await system.env.queue.resume();

    await drainWithSmallWorker([
      [big.customer, bigJob],
      [small.customer, smallJob],
    ]);
    // The small job takes the express lane: at most the few tasks the worker held wait for it.
    expect(await appliedAfter(bigJob, smallJob)).toBeGreaterThanOrEqual(BIG - 10);
    expect(await appliedAfter(smallJob, bigJob)).toBe(0);
    await expectSeatInvariant(system.env.sql);
  });

  it('applies an interactive job while every bulk task the worker holds is stuck in a batch', async () => {
    const big = await customerWithUsers('Blocked big customer', BIG);
    const small = await customerWithUsers('Interactive customer', 5);
    // A transaction of the test's own holds the big customer's users: its batches wait for it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = system.env.sql.begin(async (tx) => {
      await tx`SELECT id FROM users WHERE customer_id = ${big.customer} FOR UPDATE`;
      locked();
      await released;
    });
    await lockTaken;
    const worker = await startTestWorker(system.env, { concurrency: 5, batchSize: 5 });
    try {
      const bigJob = await acceptJob(big.customer, big.users);
      // Every slot of the worker's bulk queue is taken by the big job's tasks, stuck on the lock.
      await expect.poll(() => system.env.queue.getActiveCount(), { timeout: 10_000 }).toBe(5);
      const smallJob = await acceptJob(small.customer, small.users);
      const done = await partner.waitForJob(small.customer, smallJob, 15_000);
      expect(done.status).toBe('completed');
      expect(done.progress.succeeded).toBe(5);
      const [row] = await system.env.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM license_job_items WHERE job_id = ${bigJob} AND status <> 'pending'`;
      expect(row!.n).toBe(0); // the big job is still entirely held back
      release();
      await holder;
      expect((await partner.waitForJob(big.customer, bigJob)).status).toBe('completed');
    } finally {
      release();
      await holder.catch(() => undefined);
      await worker.close();
    }
    await expectSeatInvariant(system.env.sql);
  });

  it("takes turns between two partners' big jobs, one partner's several jobs and customers counting as one backlog", async () => {
    await system.env.queue.pause();
    const other = await PartnerClient.create(system.api, 'Other partner');
    const first = await customerWithUsers('First big customer', BIG);
    const firstSibling = await customerWithUsers('First partner, second customer', BIG / 2);
    const second = await customerWithUsers('Second big customer', BIG, other);
    // The first partner's users in two jobs of one customer and one of another, accepted before the
    // second partner's one job.
    const firstJobA = await acceptJob(first.customer, first.users.slice(0, BIG / 2 + 10));
    const firstJobB = await acceptJob(first.customer, first.users.slice(BIG / 2 + 10));
    const siblingJob = await acceptJob(firstSibling.customer, firstSibling.users);
    const secondJob = await acceptJob(second.customer, second.users, other);
    await waitUntilEnqueued([firstJobA, firstJobB, siblingJob, secondJob]);
    await system.env.queue.resume();

    await drainWithSmallWorker([
      [first.customer, firstJobA],
      [first.customer, firstJobB],
      [firstSibling.customer, siblingJob],
    ]);
    expect((await other.waitForJob(second.customer, secondJob)).status).toBe('completed');
    // In first-in first-out order the second partner would wait for all of the first's users; with
    // turns, much of its job is applied before the first partner's last job finishes.
    const appliedBefore = async (jobId: string, otherJobId: string) => {
      const [row] = await system.env.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM license_job_items i, license_jobs b
        WHERE i.job_id = ${jobId} AND b.id = ${otherJobId} AND i.finished_at < b.finished_at`;
      return row!.n;
    };
    expect(await appliedBefore(secondJob, siblingJob)).toBeGreaterThanOrEqual(BIG - chunk - 20);
    // The first partner's two customers share its turn: its second customer is not held behind the
    // first customer's jobs either (first in, first out would apply none of it before them).
    expect(await appliedBefore(siblingJob, firstJobB)).toBeGreaterThanOrEqual(BIG / 2 / 3);
    await expectSeatInvariant(system.env.sql);
  });

  it("holds no partner's job behind another partner's flood of small jobs, in one customer or across many", async () => {
    // Fifteen 100-user jobs of one customer, then one of each of twenty customers: 3,500 users, past
    // the partner's express budget of 1,000 users, all accepted before the other partner's big job
    // is taken from the queue. The flood's jobs beyond the budget take the flooding partner's turn.
    await system.env.queue.pause();
    const flooder = await PartnerClient.create(system.api, 'Flooding partner');
    const victim = await PartnerClient.create(system.api, 'Victim partner');
    const one = await customerWithUsers('Flooded customer', 15 * interactiveMaxUsers, flooder);
    const many = [];
    for (let i = 0; i < 20; i++) many.push(await customerWithUsers(`Flood ${i}`, interactiveMaxUsers, flooder));
    const big = await customerWithUsers('Victim customer', BIG, victim);
    const bigJob = await acceptJob(big.customer, big.users, victim);
    const flood: [string, string][] = [];
    for (let i = 0; i < 15; i++) {
      const users = one.users.slice(i * interactiveMaxUsers, (i + 1) * interactiveMaxUsers);
      flood.push([one.customer, await acceptJob(one.customer, users, flooder)]);
    }
    for (const c of many) flood.push([c.customer, await acceptJob(c.customer, c.users, flooder)]);
    await waitUntilEnqueued([bigJob, ...flood.map(([, job]) => job)]);
    await system.env.queue.resume();

    const worker = await startTestWorker(system.env, { concurrency: 5, batchSize: 5 });
    try {
      expect((await victim.waitForJob(big.customer, bigJob)).status).toBe('completed');
      for (const [customer, job] of flood) expect((await flooder.waitForJob(customer, job)).status).toBe('completed');
    } finally {
      await worker.close();
    }
    // Served first, the flood would be entirely applied before the victim's job finished.
    const [row] = await system.env.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM license_job_items i, license_jobs b
      WHERE i.job_id = ANY(${flood.map(([, job]) => job)}) AND b.id = ${bigJob} AND i.finished_at > b.finished_at`;
    expect(row!.n).toBeGreaterThanOrEqual(500);
    await expectSeatInvariant(system.env.sql);
  });
});

describe('fair share across shards', () => {
  it("shares a worker's slots between shards by their partners' backlogs, so partners get alike", async () => {
    const { env } = system;
    const owners = [
      await PartnerClient.create(system.api, 'Shard A first'),
      await PartnerClient.create(system.api, 'Shard A second'),
      await PartnerClient.create(system.api, 'Shard A third'),
    ];
    const a = [];
    for (const [i, owner] of owners.entries())
      a.push({ ...(await customerWithUsers(`Shard A ${i}`, BIG, owner)), owner });
    const b = await customerWithUsers('Shard B', BIG);
    // Accepted through the API (their tasks also land on the test's own queue, which nothing here
    // consumes), then enqueued to two shards as the services do: the a customers on one, b on the other.
    await system.env.queue.pause();
    const jobs: string[] = [];
    for (const c of a) jobs.push(await acceptJob(c.customer, c.users, c.owner));
    const bJob = await acceptJob(b.customer, b.users);
    await waitUntilEnqueued([...jobs, bJob]);
    const shards = licenseTaskShards({ prefix: env.prefix, shards: 2, cluster: false });
    const queues = shards.map((shard) => createLicenseTaskQueue(env.redis, shard.prefix, { name: shard.name }));
    const enqueue = (queue: number, partnerId: string, customerId: string, id: string, users: string[]) =>
      enqueueLicenseTasks(queues[queue]!, env.redis, { id, partnerId, customerId, userCount: users.length }, users);
    for (const [i, c] of a.entries()) await enqueue(0, c.owner.id, c.customer, jobs[i]!, c.users);
    await enqueue(1, partner.id, b.customer, bJob, b.users);
    expect(await countBacklogged(env.redis, queues[0]!.toKey)).toBe(3);
    expect(await countBacklogged(env.redis, queues[1]!.toKey)).toBe(1);

    const connection = createRedis(env.redisUrl, 'worker');
    const worker = createLicenseWorker({
      db: env.db,
      connection,
      prefix: env.prefix,
      shards,
      concurrency: 12,
      batchSize: 6,
      batchParallelism: 2,
      stalledIntervalMs: 5000,
      log: silentLog,
    });
    try {
      // Three partners' backlogs on the first shard, one on the second: 8 and 3 of the 12 slots.
      expect(await worker.shareSlots()).toEqual([8, 3]);
      void worker.run();
      const done = await partner.waitForJob(b.customer, bJob);
      expect(done.status).toBe('completed');
      // With even slots per shard, b would go three times as fast as each of the others and finish
      // when they were a third done; with slots by backlog, the four go at about the same pace.
      for (const job of jobs) {
        const [row] = await env.sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM license_job_items WHERE job_id = ${job} AND status <> 'pending'`;
        expect(row!.n).toBeGreaterThanOrEqual(Math.round(0.6 * BIG));
      }
      for (const [i, c] of a.entries())
        expect((await c.owner.waitForJob(c.customer, jobs[i]!)).status).toBe('completed');
      // Drained shards count no backlog, though the clock stops short of the last partners' ends.
      expect(await countBacklogged(env.redis, queues[0]!.toKey)).toBe(0);
      expect(await countBacklogged(env.redis, queues[1]!.toKey)).toBe(0);
      expect(await worker.shareSlots()).toEqual([6, 6]);
    } finally {
      await worker.close();
      await connection.quit();
      for (const queue of queues) await queue.close();
      await system.env.queue.obliterate({ force: true });
      await system.env.queue.resume();
    }
    await expectSeatInvariant(env.sql);
  });
});

describe('fair-share tags and clock', () => {
  it('splits slots by backlog, keeping a few on every shard, and evenly when nothing waits', () => {
    expect(shareSlots(600, [0, 0, 0])).toEqual([200, 200, 200]);
    expect(shareSlots(10, [0, 0, 0])).toEqual([4, 3, 3]);
    expect(shareSlots(600, [2, 1, 0])).toEqual([350, 200, 50]);
    expect(shareSlots(600, [0, 5])).toEqual([75, 525]);
    expect(shareSlots(2, [3, 0])).toEqual([1, 1]);
  });

  it("tags a customer after its own backlog, a partner's customers sharing its turn, interactive jobs in the express lane", async () => {
    const env = await createTestEnv();
    try {
      const keyOf = env.queue.toKey;
      const [p, q, r] = [randomUUID(), randomUUID(), randomUUID()];
      const a = { partnerId: p, customerId: randomUUID() };
      const a2 = { partnerId: p, customerId: randomUUID() };
      const b = { partnerId: q, customerId: randomUUID() };
      const budget = { ...DEFAULT_FAIR_SHARE, expressBudget: interactiveMaxUsers + 20, expressWindowSeconds: 10 };
      const tag = async (...args: Parameters<typeof tagTasks> extends [unknown, unknown, ...infer R] ? R : never) => {
        const { start, spacing } = await tagTasks(env.redis, keyOf, ...args);
        return [start, spacing];
      };
      expect(await tag(a, 250, false)).toEqual([0, 1]);
      expect(await tag(a, 10, false)).toEqual([250, 1]);
      expect(await tag(b, 10, false)).toEqual([0, 1]);
      // The partner's second customer with a backlog: every other tag of the partner's turn.
      expect(await tag(a2, 10, false)).toEqual([0, 2]);
      expect(await tag(a, interactiveMaxUsers, true, budget)).toEqual([EXPRESS, 1]);
      expect(await tag(a2, 20, true, budget)).toEqual([EXPRESS, 1]);
      // Past its partner's express budget, whichever customer it is for, an interactive job is
      // tagged as any other: behind that customer's own backlog, sharing the partner's turn.
      expect(await tag(a2, 1, true, budget)).toEqual([20, 2]);
      // The budget is per partner and per window.
      expect(await tag(b, 5, true, budget)).toEqual([EXPRESS, 1]);
      const ttl = await env.redis.ttl(keyOf(`fair-express:${p}`));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(10);
      // A partner that has just sent much, or queued far ahead of the clock, weighs more per task:
      // flooding lowers its own share.
      const c = { partnerId: r, customerId: randomUUID() };
      expect(await tag(c, 50_000, false)).toEqual([0, 1]);
      expect(await tag(c, 10, false)).toEqual([50_000, 3]);
      expect(await tag({ partnerId: r, customerId: randomUUID() }, 10, false)).toEqual([0, 2 * 3]);

      // Workers serving the third level move the clock there: newcomers start at it.
      const clock = new FairClock(env.redis, fairClockKey(keyOf), chunk, (err) => silentLog.error(err));
      clock.observe(priorityOfTag(2 * chunk + 5, chunk));
      await expect.poll(() => env.redis.get(fairClockKey(keyOf))).toBe(String(2 * chunk));
      expect(await tag({ partnerId: randomUUID(), customerId: randomUUID() }, 10, false)).toEqual([2 * chunk, 1]);
      expect(await tag(a, 10, false)).toEqual([260, 1]); // a's backlog is still ahead; a2's is behind the clock
      // A lower level seen late (tasks finish out of order) never moves the clock back.
      clock.observe(priorityOfTag(0, chunk));
      await new Promise((r) => setTimeout(r, 100));
      expect(await env.redis.get(fairClockKey(keyOf))).toBe(String(2 * chunk));
    } finally {
      await env.close();
    }
  });

  it('weighs a partner by the jobs it sent lately past the express lane, counting less as they age', async () => {
    const env = await createTestEnv();
    try {
      const keyOf = env.queue.toKey;
      const flooder = randomUUID();
      const other = { partnerId: randomUUID(), customerId: randomUUID() };
      let options = { ...DEFAULT_FAIR_SHARE, usageHalfLifeSeconds: 5 };
      const spacingOf = async (owner: { partnerId: string; customerId: string }, count: number, interactive = false) =>
        (await tagTasks(env.redis, keyOf, owner, count, interactive, options)).spacing;
      const recentJobs = async () => Number((await env.redis.hgetall(partnerUsageKey(keyOf, flooder))).u ?? 0);
      // A script's small jobs in one customer: the first two go express and do not count.
      const customer = { partnerId: flooder, customerId: randomUUID() };
      expect(await spacingOf(customer, 100, true)).toBe(1);
      expect(await spacingOf(customer, 100, true)).toBe(1);
      expect(await recentJobs()).toBe(0);
      // Past the express budget they are tagged and counted: a step of weight per PARTNER_RECENT_JOBS
      // (a job sent a moment ago counts a little less than one).
      expect(await spacingOf(customer, 100, true)).toBe(1);
      for (let i = 1; i < PARTNER_RECENT_JOBS; i++) await spacingOf(customer, 100, true);
      expect(await recentJobs()).toBeCloseTo(PARTNER_RECENT_JOBS, 1);
      await spacingOf(customer, 100, true);
      expect(await spacingOf(customer, 100, true)).toBe(2);
      // Many more: at most MAX_PARTNER_WEIGHT, whatever its backlog (one customer, 10 tasks each).
      for (let i = 0; i < MAX_PARTNER_WEIGHT * PARTNER_RECENT_JOBS; i++) await spacingOf(customer, 10);
      expect(await spacingOf(customer, 1)).toBe(MAX_PARTNER_WEIGHT);
      // Another partner's first job weighs 1, and its size does not count: after a 50,000-user job,
      // its next job weighs by its depth ahead of the clock only (a second customer's job).
      expect(await spacingOf(other, 50_000)).toBe(1);
      expect(await spacingOf({ partnerId: other.partnerId, customerId: randomUUID() }, 10)).toBe(
        2 * (1 + Math.floor(50_000 / PARTNER_DEPTH_TAGS)),
      );
      // What the flooder sent counts less as it ages (read here with a half-life of 0.25 s, 2 s later:
      // 1/256): its weight falls back to 1 once its flood stops.
      expect(await recentJobs()).toBeGreaterThan((MAX_PARTNER_WEIGHT + 1) * PARTNER_RECENT_JOBS - 1);
      await new Promise((r) => setTimeout(r, 2_000));
      options = { ...options, usageHalfLifeSeconds: 0.25 };
      const [, furthest] = await env.redis.zrevrange(partnerBacklogKey(keyOf, flooder), 0, 0, 'WITHSCORES');
      expect(Number(furthest)).toBeLessThan(PARTNER_DEPTH_TAGS);
      expect(await spacingOf(customer, 1)).toBe(1);
      expect(await recentJobs()).toBeLessThan(2);
      expect(await env.redis.ttl(partnerUsageKey(keyOf, flooder))).toBeGreaterThan(0);
    } finally {
      await env.close();
    }
  });

  it("tags a job's tasks in blocks: a block's tasks share its middle task's level, the next block follows the block's turns later", () => {
    // A partner's twenty customers with a backlog, weight 4: a tag every 80 for each.
    const tagging = { start: 0, spacing: 80, clock: 0 };
    const levels = Array.from({ length: 2 * TAG_BLOCK }, (_, i) => priorityOfTask(tagging, i, chunk));
    const middle = Math.floor((TAG_BLOCK - 1) / 2);
    expect(new Set(levels.slice(0, TAG_BLOCK))).toEqual(new Set([priorityOfTag(middle * 80, chunk)]));
    expect(new Set(levels.slice(TAG_BLOCK))).toEqual(new Set([priorityOfTag((TAG_BLOCK + middle) * 80, chunk)]));
    // A job of weight 1 alone: its blocks stay within a level or two of where its tasks would be.
    expect(priorityOfTask({ start: 0, spacing: 1, clock: 0 }, 0, chunk)).toBe(priorityOfTag(0, chunk));
  });

  it('never places a task further ahead of the clock than the horizon', () => {
    const clock = 5 * chunk;
    const horizon = priorityOfTag((5 + HORIZON_LEVELS) * chunk, chunk);
    expect(priorityOfTask({ start: clock, spacing: 1, clock }, 10, chunk)).toBe(6);
    expect(priorityOfTask({ start: clock, spacing: 4000, clock }, 10 ** 6, chunk)).toBe(horizon);
    expect(priorityOfTask({ start: 10 ** 12, spacing: 1, clock }, 0, chunk)).toBe(horizon);
  });

  it('keeps moving forward across the wrap-around of BullMQ priorities', async () => {
    const env = await createTestEnv();
    try {
      const key = fairClockKey(env.queue.toKey);
      const lastLevel = PRIORITY_LEVELS - 1;
      await env.redis.set(key, String(lastLevel * chunk));
      expect(priorityOfTag(lastLevel * chunk, chunk)).toBe(PRIORITY_LEVELS);
      expect(priorityOfTag((lastLevel + 1) * chunk, chunk)).toBe(1);
      const clock = new FairClock(env.redis, key, chunk, (err) => silentLog.error(err));
      clock.observe(1); // the level after the last one
      await expect.poll(() => env.redis.get(key)).toBe(String((lastLevel + 1) * chunk));
    } finally {
      await env.close();
    }
  });
});
