// One partner's share of job acceptances: a partner posting many jobs at once holds at most its
// share of the API's Postgres connections; the rest wait a little for their partner's own turn or
// are answered 429 with Retry-After, while another partner's job is accepted at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApi, startTestSystem, type TestSystem } from './support/test-env.ts';
import { PartnerClient } from './support/client.ts';
import { until } from './support/webhook-receiver.ts';
import { SUITE, TEST_PRODUCTS } from './fixtures.ts';
import { DEFAULT_JOB_ACCEPTANCES_PER_PARTNER } from '../services/api/src/partner-shares.ts';

let system: TestSystem;
/** An API with the product's default share (the test system's own races acceptances freely). */
let api: FastifyInstance;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS });
  api = await buildTestApi(system.env, { jobAcceptancesPerPartner: DEFAULT_JOB_ACCEPTANCES_PER_PARTNER });
});

afterAll(async () => {
  await api?.close();
  await system?.close();
});

/** Backends of the test's database waiting for a lock in the seat reservation's statement. */
async function waitingForSeats(): Promise<number> {
  const [row] = await system.env.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'
      AND query LIKE '%FROM subscriptions%ORDER BY product_id FOR UPDATE%'`;
  return row!.n;
}

describe("a partner's share of job acceptances", () => {
  it('holds at most two acceptances of one partner at once; past its short wait, 429 with Retry-After; another partner is accepted meanwhile', async () => {
    const flooder = await PartnerClient.create(api, 'Flooder');
    const victim = await PartnerClient.create(api, 'Victim');
    const flooded = await flooder.customer();
    const floodUsers = await flooder.users(flooded, 12);
    await flooder.subscribe(flooded, SUITE.id, 100);
    const own = await victim.customer();
    const ownUsers = await victim.users(own, 2);
    await victim.subscribe(own, SUITE.id, 10);

    // The flooder's seat reservations wait on a lock this test holds, as acceptances would on a busy database.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = system.env.sql.begin(async (tx) => {
      await tx`SELECT 1 FROM subscriptions WHERE customer_id = ${flooded} FOR UPDATE`;
      locked();
      await released;
    });
    await isLocked;

    // Two in progress and eight waiting for their turn: the eleventh and twelfth are refused at once.
    const posts = floodUsers.map((userId) =>
      flooder.startJob(flooded, { userIds: [userId], assign: [{ productId: SUITE.id }] }),
    );
    try {
      // Two acceptances hold a connection each, waiting on the lock; the others wait for the
      // partner's turn without a connection, or are answered at once.
      await until('two acceptances waiting for the seats', async () => (await waitingForSeats()) === 2, 10_000);
      const startedAt = performance.now();
      const victimJob = await victim.startJob(own, { userIds: ownUsers, assign: [{ productId: SUITE.id }] });
      expect(victimJob.status, JSON.stringify(victimJob.body)).toBe(202);
      expect(performance.now() - startedAt).toBeLessThan(1_500);
      expect(await waitingForSeats()).toBe(2);
    } finally {
      release();
      await holder;
    }
    const answers = await Promise.all(posts);
    const statuses = answers.map((a) => a.status).sort();
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length, JSON.stringify(statuses)).toBeGreaterThanOrEqual(2);
    for (const r of refused) {
      expect(r.body.code).toBe('partner_concurrency_limit');
      expect(r.body.detail).toContain('license jobs being accepted');
      expect(r.body.limit).toBe(2);
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(
      answers.every((a) => a.status === 202 || a.status === 429),
      JSON.stringify(statuses),
    ).toBe(true);
    // A refused job created nothing; every accepted one is there with its seat reserved.
    const accepted = answers.filter((a) => a.status === 202).map((a) => a.body.id as string);
    const jobs = await system.env.sql<{ id: string }[]>`SELECT id FROM license_jobs WHERE customer_id = ${flooded}`;
    expect(jobs.map((j) => j.id).sort()).toEqual(accepted.sort());
    const [seats] = await system.env.sql<{ reserved: number }[]>`
      SELECT coalesce(sum(reserved), 0)::int AS reserved FROM reserved_seats WHERE customer_id = ${flooded}`;
    expect(seats!.reserved).toBe(accepted.length);

    // The share is given back: the flooder's next job is accepted.
    const next = await flooder.startJob(flooded, { userIds: floodUsers, revoke: [SUITE.id] });
    expect(next.status, JSON.stringify(next.body)).toBe(202);
  });
});
