// A partner's share of the queue: past UNFINISHED_JOBS_PER_PARTNER unfinished jobs (or their users
// past UNFINISHED_USERS_PER_PARTNER), a job that would start now is refused with 429
// partner_queue_full and nothing is created; other partners, scheduled jobs, and the same partner
// once its jobs have finished are not refused. A group's change makes a job too, and is refused alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startTestSystem, startTestWorker, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';

const PRODUCT = { id: 'QUEUE_SHARE', name: 'Queue share', servicePlans: [{ id: 'QUEUE_SHARE_PLAN', name: 'Plan' }] };
const LIMITS = { jobs: 3, users: 25 };

let system: TestSystem;
let env: TestEnv;
let api: FastifyInstance;

beforeAll(async () => {
  system = await startTestSystem({ products: [PRODUCT], api: { partnerQueue: LIMITS } });
  ({ env, api } = system);
});

afterAll(async () => {
  await system?.close();
});

async function partnerWithUsers(name: string, users: number) {
  const partner = await PartnerClient.create(api, name);
  const customer = await partner.customer();
  const userIds = await partner.users(customer, users);
  await partner.subscribe(customer, PRODUCT.id, users);
  return { partner, customer, userIds };
}

const assign = (userIds: string[]) => ({ userIds, assign: [{ productId: PRODUCT.id }] });

async function jobsOf(customerId: string): Promise<number> {
  const [row] = await env.sql<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM license_jobs WHERE customer_id = ${customerId}`;
  return row!.n;
}

describe("a partner's share of the queue", () => {
  it('refuses a job past the unfinished jobs (429, nothing created); other partners and scheduled jobs go; it frees up as jobs finish', async () => {
    const flooder = await partnerWithUsers('Flooder', 10);
    const other = await partnerWithUsers('Other', 10);
    // No worker runs: accepted jobs stay unfinished.
    const first = await flooder.partner.startJob(flooder.customer, assign([flooder.userIds[0]!]), {
      'idempotency-key': 'first-job',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    for (let i = 1; i < LIMITS.jobs; i++) {
      const res = await flooder.partner.startJob(flooder.customer, assign([flooder.userIds[i]!]));
      expect(res.status, JSON.stringify(res.body)).toBe(202);
    }
    const refused = await flooder.partner.startJob(flooder.customer, assign([flooder.userIds[5]!]));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'partner_queue_full',
      status: 429,
      jobs: LIMITS.jobs,
      users: LIMITS.jobs,
      maxJobs: LIMITS.jobs,
      maxUsers: LIMITS.users,
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await jobsOf(flooder.customer)).toBe(LIMITS.jobs);
    // Remembered for a moment: refused again without another count, still nothing created.
    expect((await flooder.partner.startJob(flooder.customer, assign([flooder.userIds[6]!]))).status).toBe(429);
    expect(await jobsOf(flooder.customer)).toBe(LIMITS.jobs);
    // The first job's request again, with its Idempotency-Key: answered with that job, full queue or not.
    const again = await flooder.partner.startJob(flooder.customer, assign([flooder.userIds[0]!]), {
      'idempotency-key': 'first-job',
    });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(await jobsOf(flooder.customer)).toBe(LIMITS.jobs);

    // Another partner's job, and the flooder's job scheduled for later, are accepted.
    expect((await other.partner.startJob(other.customer, assign(other.userIds.slice(0, 2)))).status).toBe(202);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await flooder.partner.startJob(flooder.customer, {
      ...assign([flooder.userIds[7]!]),
      notBefore: later,
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(202);
    expect(scheduled.body.status).toBe('scheduled');

    // Once the workers have finished its jobs, the flooder's next job is accepted.
    const worker = await startTestWorker(env);
    try {
      const deadline = Date.now() + 30_000;
      let res = await flooder.partner.startJob(flooder.customer, assign([flooder.userIds[8]!]));
      while (res.status === 429 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        res = await flooder.partner.startJob(flooder.customer, assign([flooder.userIds[8]!]));
      }
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await flooder.partner.waitForJob(flooder.customer, res.body.id);
    } finally {
      await worker.close();
    }
    await expectSeatInvariant(env.sql);
  });

  it("refuses a job past the unfinished jobs' users, but never the first job, whatever its size", async () => {
    const big = await partnerWithUsers('Big jobs', 40);
    // Larger than the users' limit, and the partner has no unfinished job: accepted.
    const first = await big.partner.startJob(big.customer, assign(big.userIds.slice(0, 30)));
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const second = await big.partner.startJob(big.customer, assign(big.userIds.slice(30, 31)));
    expect(second.status).toBe(429);
    expect(second.body).toMatchObject({ code: 'partner_queue_full', jobs: 1, users: 30 });
    expect(await jobsOf(big.customer)).toBe(1);
  });

  it("refuses a group's change that reaches licenses while the queue is full, changing nothing; one that makes no job, and a dry run, still answer", async () => {
    const flooder = await partnerWithUsers('Group flooder', 10);
    const group = async (name: string) => {
      const created = await flooder.partner.call('POST', `/v1/customers/${flooder.customer}/groups`, { name });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return `/v1/customers/${flooder.customer}/groups/${created.body.id as string}`;
    };
    const licensed = await group('sales');
    expect(
      (await flooder.partner.call('POST', `${licensed}/members`, { userIds: flooder.userIds.slice(0, 2) })).status,
    ).toBe(200);
    // No worker runs: the group's job, then the partner's license jobs, stay unfinished, up to its share.
    const granted = await flooder.partner.call('PUT', `${licensed}/licenses`, {
      licenses: [{ productId: PRODUCT.id }],
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(202);
    for (let i = 1; i < LIMITS.jobs; i++) {
      const res = await flooder.partner.startJob(flooder.customer, assign([flooder.userIds[i + 2]!]));
      expect(res.status, JSON.stringify(res.body)).toBe(202);
    }
    const before = await jobsOf(flooder.customer);

    const licenses = await flooder.partner.call('PUT', `${licensed}/licenses`, { licenses: [] });
    expect(licenses.status, JSON.stringify(licenses.body)).toBe(429);
    expect(licenses.body).toMatchObject({ code: 'partner_queue_full', jobs: LIMITS.jobs, maxJobs: LIMITS.jobs });
    expect(Number(licenses.headers['retry-after'])).toBeGreaterThan(0);
    const added = await flooder.partner.call('POST', `${licensed}/members`, { userIds: flooder.userIds.slice(6, 8) });
    expect(added.status).toBe(429);
    expect(added.body.code).toBe('partner_queue_full');
    expect((await flooder.partner.call('POST', `${licensed}/reprocess`)).status).toBe(429);
    // Nothing changed: no job, the group grants what it did, its members are the two it had.
    expect(await jobsOf(flooder.customer)).toBe(before);
    const [row] = await env.sql<{ licenses: { productId: string }[]; members: number }[]>`
      SELECT g.licenses, (SELECT count(*)::int FROM group_members m WHERE m.customer_id = g.customer_id AND m.group_id = g.id) AS members
      FROM groups g WHERE g.customer_id = ${flooder.customer} AND g.name = 'sales'`;
    expect(row!.licenses.map((l) => l.productId)).toEqual([PRODUCT.id]);
    expect(row!.members).toBe(2);

    // A dry run makes no job: it answers what the change would do.
    const dryRun = await flooder.partner.call('PUT', `${licensed}/licenses?dryRun=true`, { licenses: [] });
    expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
    // Nor does a change of a group that grants nothing: its members change, the queue being full or not.
    const unlicensed = await group('everyone');
    const joined = await flooder.partner.call('POST', `${unlicensed}/members`, {
      userIds: flooder.userIds.slice(0, 5),
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body).toEqual({ added: 5 });
    expect(await jobsOf(flooder.customer)).toBe(before);
  });
});
