// Bounded work per user and bounded transactions: jobs piled on the same users are refused past a
// limit, a batch never waits for users another batch holds, and a batch's transaction gives up on
// a lock in time and ends when its caller gives up on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlState } from '@licensing/db';
import { applyUserChanges } from '@licensing/worker';
import { startTestSystem, startTestWorker, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS });
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

async function customerWithUsers(count: number, seats = count) {
  const customer = await partner.customer();
  const users = await partner.users(customer, count);
  await partner.subscribe(customer, SUITE.id, seats);
  return { customer, users };
}

const toggle = (users: string[], i: number) =>
  i % 2 === 0 ? { userIds: users, assign: [{ productId: SUITE.id }] } : { userIds: users, revoke: [SUITE.id] };

/** Backends of the test's database waiting for a lock in a statement that contains `text`. */
async function waitingOnLock(text: string): Promise<number> {
  const [row] = await system.env.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE ${`%${text}%`}`;
  return row!.n;
}

describe('unfinished jobs per user', () => {
  it("refuses a job for users who already have five unfinished jobs (429, nothing created), others' jobs still go", async () => {
    // Enough seats for every assign while none is applied (a revoke frees its seat only when applied).
    const { customer, users } = await customerWithUsers(10, 40);
    await system.env.queue.pause();
    try {
      await pileUp();
    } finally {
      await system.env.queue.resume();
    }
    async function pileUp() {
      for (let i = 0; i < 5; i++) {
        const res = await partner.startJob(customer, toggle(users.slice(0, 6), i));
        expect(res.status, JSON.stringify(res.body)).toBe(202);
      }
      const counts = async () => {
        const [row] = await system.env.sql<{ jobs: number; items: number }[]>`
        SELECT (SELECT count(*)::int FROM license_jobs WHERE customer_id = ${customer}) AS jobs,
               (SELECT count(*)::int FROM license_job_items WHERE customer_id = ${customer}) AS items`;
        return row!;
      };
      const before = await counts();
      const seatsBefore = (await partner.subscriptions(customer))[SUITE.id];

      const refused = await partner.startJob(customer, { userIds: users.slice(4), assign: [{ productId: SUITE.id }] });
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ status: 429, code: 'too_many_pending_jobs', limit: 5 });
      expect([...refused.body.userIds].sort()).toEqual(users.slice(4, 6).sort());
      expect(await counts()).toEqual(before);
      expect((await partner.subscriptions(customer))[SUITE.id]).toEqual(seatsBefore);

      // Users without five unfinished jobs are not held back by the busy ones.
      const others = await partner.startJob(customer, { userIds: users.slice(6), assign: [{ productId: SUITE.id }] });
      expect(others.status).toBe(202);
    }
    // Once the jobs are done, the same request is accepted.
    const worker = await startTestWorker(system.env);
    try {
      const jobs = await system.env.sql<{ id: string }[]>`SELECT id FROM license_jobs WHERE customer_id = ${customer}`;
      for (const { id } of jobs) expect((await partner.waitForJob(customer, id)).status).toBe('completed');
      const again = await partner.startJob(customer, { userIds: users.slice(4), revoke: [SUITE.id] });
      expect(again.status).toBe(202);
      expect((await partner.waitForJob(customer, again.body.id)).status).toBe('completed');
    } finally {
      await worker.close();
    }
    await expectSeatInvariant(system.env.sql);
  });
});

describe('bounded batches', () => {
  it("applies a batch's other users at once while another transaction holds one of them, and that one after", async () => {
    const { customer, users } = await customerWithUsers(6);
    const [held, ...free] = users;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = system.env.sql.begin(async (tx) => {
      await tx`SELECT id FROM users WHERE customer_id = ${customer} AND id = ${held!} FOR UPDATE`;
      locked();
      await released;
    });
    await lockTaken;
    await system.env.queue.pause();
    let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
    try {
      const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
      expect(job.status).toBe(202);
      // One batch of the six users: the five free ones are applied, the held one is left for later,
      // without waiting for its lock.
      const batch = await applyUserChanges(
        system.env.db,
        customer,
        users.map((userId) => ({ jobId: job.body.id, userId })),
      );
      expect(batch.busy).toEqual([held]);
      expect(batch.applied.map((a) => a.userId).sort()).toEqual([...free].sort());
      // Through the worker, the held user's task keeps coming back while the lock is taken, and no
      // batch waits on the lock.
      worker = await startTestWorker(system.env, { batchSize: 10 });
      await system.env.queue.resume();
      await expect.poll(() => system.env.queue.getCompletedCount(), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
      expect(await waitingOnLock('FROM users')).toBe(0);
      const [heldItem] = await system.env.sql<{ status: string }[]>`
        SELECT status FROM license_job_items WHERE job_id = ${job.body.id} AND user_id = ${held!}`;
      expect(heldItem!.status).toBe('pending');
      release();
      await holder;
      const done = await partner.waitForJob(customer, job.body.id);
      expect(done).toMatchObject({ status: 'completed', progress: { succeeded: 6, failed: 0 } });
    } finally {
      release();
      await holder.catch(() => undefined);
      await system.env.queue.resume();
      await worker?.close();
    }
    await expectSeatInvariant(system.env.sql);
  });

  it('gives up waiting for a lock after lock_timeout, and a batch given up on ends its transaction', async () => {
    const { customer, users } = await customerWithUsers(3);
    await system.env.queue.pause();
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    const tasks = users.map((userId) => ({ jobId: job.body.id, userId }));
    // The first batch of a job marks it running: a transaction of the test's own holds the job's row.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = system.env.sql.begin(async (tx) => {
      await tx`SELECT id FROM license_jobs WHERE id = ${job.body.id} FOR UPDATE`;
      locked();
      await released;
    });
    await lockTaken;
    try {
      // A lock waited for past lock_timeout fails the batch (its tasks are retried), changing nothing.
      const timedOut = await applyUserChanges(system.env.db, customer, tasks, { lockTimeoutMs: 300 }).catch((e) => e);
      expect(sqlState(timedOut)).toBe('55P03'); // lock_not_available

      // A batch whose caller gives up on it (the batch timeout) ends its transaction at once.
      const giveUp = new AbortController();
      const applying = applyUserChanges(system.env.db, customer, tasks, {
        signal: giveUp.signal,
        lockTimeoutMs: 120_000,
        statementTimeoutMs: 120_000,
      });
      // The batch's own statement (the API's mark of enqueued tasks may wait on the same row too).
      const batchStatement = "UPDATE license_jobs SET status = 'running'";
      await expect.poll(() => waitingOnLock(batchStatement), { timeout: 30_000 }).toBe(1);
      const [waiter] = await system.env.sql<{ pid: number }[]>`
        SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE ${`%${batchStatement}%`}`;
      giveUp.abort();
      await expect(applying).rejects.toThrow();
      // The transaction's backend is gone, and its locks with it.
      await expect
        .poll(
          async () =>
            (
              await system.env.sql<
                { n: number }[]
              >`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${waiter!.pid}`
            )[0]!.n,
          { timeout: 30_000 },
        )
        .toBe(0);
    } finally {
      release();
      await holder;
    }
    const [row] = await system.env.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM license_job_items WHERE job_id = ${job.body.id} AND status = 'pending'`;
    expect(row!.n).toBe(3);
    // Nothing was lost: the same users apply once the lock is free.
    expect((await applyUserChanges(system.env.db, customer, tasks)).applied).toHaveLength(3);
    await system.env.queue.obliterate({ force: true });
    await system.env.queue.resume();
    await expectSeatInvariant(system.env.sql);
  });
});
