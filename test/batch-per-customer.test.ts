// A worker batch holding users of several customers is applied in one transaction per customer, so
// that no transaction touches two customers' rows (on a Postgres sharded by customer each stays on
// one shard). Observed on the rows themselves: a row's xmin is the transaction that last wrote it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTasks, JobCustomers } from '@licensing/worker';
import { startTestSystem, silentLog, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  // No worker: only the calls below apply anything.
  system = await startTestSystem({ products: TEST_PRODUCTS });
  env = system.env;
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

/** Two customers with a job each assigning SUITE to their users; the tasks interleaved customer by customer. */
async function twoCustomersWithJobs(usersEach: number) {
  const customers = [await partner.customer('Alpha'), await partner.customer('Beta')];
  const jobs: { customer: string; jobId: string; users: string[] }[] = [];
  for (const customer of customers) {
    const users = await partner.users(customer, usersEach);
    await partner.subscribe(customer, SUITE.id, usersEach);
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    jobs.push({ customer, jobId: job.body.id, users });
  }
  const tasks = jobs[0]!.users.flatMap((_, i) => jobs.map((j) => ({ jobId: j.jobId, userId: j.users[i]! })));
  return { jobs, tasks };
}

/** The transactions (xmin) that last wrote the customer's items, licenses and progress rows. */
async function writers(customer: string) {
  const rows = await env.sql<{ xmin: string }[]>`
    SELECT xmin::text FROM license_job_items WHERE customer_id = ${customer} AND status <> 'pending'
    UNION ALL SELECT xmin::text FROM user_licenses WHERE customer_id = ${customer}
    UNION ALL SELECT xmin::text FROM license_job_progress WHERE customer_id = ${customer}`;
  return new Set(rows.map((r) => r.xmin));
}

const options = () => ({ db: env.db, log: silentLog, jobCustomers: new JobCustomers(env.db) });

describe('a batch holding users of two customers', () => {
  it('commits each customer in a transaction of its own: one writer per customer, never shared', async () => {
    const { jobs, tasks } = await twoCustomersWithJobs(5);
    expect(await applyTasks(options(), tasks)).toEqual(tasks.map(() => undefined));

    const [alpha, beta] = [await writers(jobs[0]!.customer), await writers(jobs[1]!.customer)];
    // Items, licenses and the progress delta of each customer: written by one transaction...
    expect(alpha.size).toBe(1);
    expect(beta.size).toBe(1);
    // ...which is not the other customer's.
    expect([...alpha][0]).not.toBe([...beta][0]);
    for (const job of jobs) {
      expect(await partner.waitForJob(job.customer, job.jobId, 5_000)).toMatchObject({
        status: 'completed',
        progress: { succeeded: 5 },
      });
    }
    await expectSeatInvariant(env.sql);
  });

  it("commits one customer's users while another customer's users wait for a lock", async () => {
    const { jobs, tasks } = await twoCustomersWithJobs(3);
    const [alpha, beta] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
    // Beta's part comes first in the batch; alpha's waits behind a lock on its job's row (which the
    // first batch of a job takes to mark it running).
    const batch = [...tasks.filter((t) => t.jobId === beta.jobId), ...tasks.filter((t) => t.jobId === alpha.jobId)];
    let locked!: () => void;
    let release!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = env.sql.begin(async (tx) => {
      await tx`SELECT 1 FROM license_jobs WHERE customer_id = ${alpha.customer} AND id = ${alpha.jobId} FOR UPDATE`;
      locked();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await isLocked;
    const applying = applyTasks(options(), batch);

    const done = async (customer: string) =>
      (
        await env.sql`SELECT count(*)::int AS n FROM license_job_items WHERE customer_id = ${customer} AND status = 'succeeded'`
      )[0]!.n as number;
    const waiting = async () =>
      (
        await env.sql`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                     WHERE NOT l.granted AND a.datname = current_database()`
      )[0]!.n as number;
    try {
      // Alpha's transaction waits for the lock, and beta's has committed meanwhile (another connection
      // sees it): the two are not one transaction.
      // The parts run side by side, so beta's commit may come a moment after alpha starts waiting.
      await expect.poll(waiting, { timeout: 5_000 }).toBeGreaterThan(0);
      await expect.poll(() => done(beta.customer), { timeout: 5_000 }).toBe(3);
      expect(await waiting()).toBeGreaterThan(0);
      expect(await done(alpha.customer)).toBe(0);
    } finally {
      release();
      await holder;
    }
    expect(await applying).toEqual(batch.map(() => undefined));
    expect(await done(alpha.customer)).toBe(3);
    await expectSeatInvariant(env.sql);
  });

  it("does not hold one customer's users behind another customer's part that waits for a lock", async () => {
    const { jobs, tasks } = await twoCustomersWithJobs(3);
    const [alpha, beta] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
    // Alpha's part comes FIRST in the batch and waits for a lock on its job's row (a customer of
    // another partner, say, whose job acceptance holds its rows); beta's must not wait behind it.
    const batch = [...tasks.filter((t) => t.jobId === alpha.jobId), ...tasks.filter((t) => t.jobId === beta.jobId)];
    let locked!: () => void;
    let release!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = env.sql.begin(async (tx) => {
      await tx`SELECT 1 FROM license_jobs WHERE customer_id = ${alpha.customer} AND id = ${alpha.jobId} FOR UPDATE`;
      locked();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await isLocked;
    const applying = applyTasks(options(), batch);
    const done = async (customer: string) =>
      (
        await env.sql`SELECT count(*)::int AS n FROM license_job_items WHERE customer_id = ${customer} AND status = 'succeeded'`
      )[0]!.n as number;
    try {
      await expect.poll(() => done(beta.customer), { timeout: 5_000 }).toBe(3);
      expect(await done(alpha.customer)).toBe(0);
    } finally {
      release();
      await holder;
    }
    expect(await applying).toEqual(batch.map(() => undefined));
    expect(await done(alpha.customer)).toBe(3);
    await expectSeatInvariant(env.sql);
  });

  it("one customer's part failing on a real constraint rolls back nothing of the other's, which still commits as one transaction", async () => {
    const { jobs, tasks } = await twoCustomersWithJobs(4);
    const [alpha, beta] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
    // Alpha's reserved seats counter says fewer seats are held than its items reserve: ending their
    // reservations would take it below zero, which the table's check refuses (23514).
    await env.sql`UPDATE reserved_seats SET reserved = 0 WHERE customer_id = ${alpha.customer}`;

    const errors = await applyTasks(options(), tasks);
    for (const [k, task] of tasks.entries()) {
      if (task.jobId === alpha.jobId) expect(errors[k]).toMatchObject({ code: '23514' });
      else expect(errors[k]).toBeUndefined();
    }
    // Beta's users were applied together, in one transaction (not one by one after a failed batch).
    expect((await writers(beta.customer)).size).toBe(1);
    expect(await partner.waitForJob(beta.customer, beta.jobId, 5_000)).toMatchObject({
      status: 'completed',
      progress: { succeeded: 4 },
    });
    // Nothing of alpha's was written.
    expect((await writers(alpha.customer)).size).toBe(0);
    expect(
      (await partner.call('GET', `/v1/customers/${alpha.customer}/license-jobs/${alpha.jobId}`)).body,
    ).toMatchObject({ progress: { pending: 4 } });

    // With the counter back in step, alpha's tasks apply as usual.
    await env.sql`UPDATE reserved_seats SET reserved = 4 WHERE customer_id = ${alpha.customer}`;
    const alphaTasks = tasks.filter((t) => t.jobId === alpha.jobId);
    expect(await applyTasks(options(), alphaTasks)).toEqual(alphaTasks.map(() => undefined));
    expect(await partner.waitForJob(alpha.customer, alpha.jobId, 5_000)).toMatchObject({ status: 'completed' });
    await expectSeatInvariant(env.sql);
  });

  it('a task whose job no longer exists has nothing to apply and does not fail', async () => {
    const { jobs, tasks } = await twoCustomersWithJobs(2);
    const gone = jobs[0]!;
    await env.sql`DELETE FROM license_job_items WHERE customer_id = ${gone.customer} AND job_id = ${gone.jobId}`;
    await env.sql`DELETE FROM license_jobs WHERE customer_id = ${gone.customer} AND id = ${gone.jobId}`;
    await env.sql`UPDATE reserved_seats SET reserved = 0 WHERE customer_id = ${gone.customer}`;
    expect(await applyTasks(options(), tasks)).toEqual(tasks.map(() => undefined));
    expect(await partner.waitForJob(jobs[1]!.customer, jobs[1]!.jobId, 5_000)).toMatchObject({ status: 'completed' });
    await expectSeatInvariant(env.sql);
  });
});
