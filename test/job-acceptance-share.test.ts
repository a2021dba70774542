// One partner's share of job acceptances: a partner posting many jobs (or changes of groups, which
// accept group jobs) at once holds at most its share of the API's Postgres connections; the rest wait
// a little for their partner's own turn or are answered 429 with Retry-After, having changed nothing,
// while another partner's job is accepted at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
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
    let refusedWhileHeld = 0;
    const posts = floodUsers.map((userId) =>
      flooder.startJob(flooded, { userIds: [userId], assign: [{ productId: SUITE.id }] }).then((answer) => {
        if (answer.status === 429) refusedWhileHeld++;
        return answer;
      }),
    );
    try {
      // Two acceptances hold a connection each, waiting on the lock; the others wait for the
      // partner's turn without a connection, or are answered at once (all twelve must have
      // arrived before the lock goes, or a late one would find a turn free).
      await until('two acceptances waiting for the seats', async () => (await waitingForSeats()) === 2, 10_000);
      await until('the two past the waiting room refused', async () => refusedWhileHeld >= 2, 10_000);
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

  it("counts groups' changes too: one partner's concurrent group changes hold at most two backends, the rest are refused 429 having changed nothing, and another partner's change is accepted meanwhile", async () => {
    const flooder = await PartnerClient.create(api, 'Group flooder');
    const victim = await PartnerClient.create(api, 'Group victim');
    const flooded = await flooder.customer();
    const users = await flooder.users(flooded, 6, (i) => ({ department: i < 3 ? 'Sales' : 'Marketing' }));
    await flooder.subscribe(flooded, SUITE.id, 100);
    const group = async (client: PartnerClient, customerId: string, body: unknown) => {
      const res = await client.call('POST', `/v1/customers/${customerId}/groups`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return `/v1/customers/${customerId}/groups/${res.body.id}`;
    };
    const grant = { licenses: [{ productId: SUITE.id }] };
    const licensed = await group(flooder, flooded, { name: 'Licensed' });
    expect((await flooder.call('POST', `${licensed}/members`, { userIds: users.slice(0, 3) })).status).toBe(200);
    expect((await flooder.call('PUT', `${licensed}/licenses`, grant)).status).toBe(202);
    const dynamic = await group(flooder, flooded, { name: 'Sales', membershipRule: { departments: ['Sales'] } });
    expect((await flooder.call('PUT', `${dynamic}/licenses`, grant)).status).toBe(202);
    const own = await victim.customer();
    const ownUsers = await victim.users(own, 2);
    await victim.subscribe(own, SUITE.id, 10);
    const ownGroup = await group(victim, own, { name: 'Everyone' });
    expect((await victim.call('POST', `${ownGroup}/members`, { userIds: ownUsers })).status).toBe(200);

    // What a refused change must leave as it is.
    const state = async () => ({
      groups: await system.env.sql`
        SELECT id, name, membership_rule, licenses, updated_at FROM groups WHERE customer_id = ${flooded} ORDER BY id`,
      members: await system.env.sql`
        SELECT group_id, user_id FROM group_members WHERE customer_id = ${flooded} ORDER BY group_id, user_id`,
      jobs: await system.env.sql<{ id: string }[]>`SELECT id FROM license_jobs WHERE customer_id = ${flooded}`,
      audit: await system.env.sql<{ type: string }[]>`
        SELECT type FROM audit_events WHERE customer_id = ${flooded} ORDER BY seq`,
    });
    const before = await state();

    // The flooder's groups are locked by this test, as by a busy database; its own connections, so
    // that it sees the backends even when the API's pool is taken.
    const observer = postgres(system.env.databaseUrl, { max: 2, onnotice: () => {} });
    const waitingForGroups = async () => {
      const [row] = await observer<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%groups%'`;
      return row!.n;
    };
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = observer.begin(async (tx) => {
      await tx`SELECT 1 FROM groups WHERE customer_id = ${flooded} FOR UPDATE`;
      locked();
      await released;
    });
    await isLocked;

    let settled = 0;
    const send = (method: 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown) => {
      const answer = flooder.call(method, path, body);
      void answer.finally(() => settled++);
      return answer;
    };
    const first = [send('PUT', `${licensed}/licenses`, grant), send('PUT', `${licensed}/licenses`, grant)];
    let rest: ReturnType<typeof send>[] = [];
    try {
      await until('two group changes waiting for the lock', async () => (await waitingForGroups()) === 2, 10_000);
      // Every route that accepts a group job, and more of them than may wait for their turn.
      rest = [
        send('PATCH', dynamic, { membershipRule: { departments: ['Marketing'] } }),
        send('POST', `${licensed}/members`, { userIds: [users[5]] }),
        send('POST', `${licensed}/members/remove`, { userIds: [users[0]] }),
        send('PUT', `${licensed}/licenses`, { licenses: [] }),
        send('POST', `${licensed}/reprocess`),
        send('POST', `/v1/customers/${flooded}/users/${users[0]}/reprocess-licenses`),
        ...Array.from({ length: 4 }, () => send('PUT', `${dynamic}/licenses`, { licenses: [] })),
      ];
      const startedAt = performance.now();
      // Bounded: with the pool taken by the flooder, it would wait for as long as this test holds the lock.
      const victimChange = await Promise.race([
        victim.call('PUT', `${ownGroup}/licenses`, grant),
        new Promise<undefined>((r) => setTimeout(r, 3_000)),
      ]);
      expect(victimChange?.status, JSON.stringify(victimChange?.body ?? 'no answer within 3 s')).toBe(202);
      expect(performance.now() - startedAt).toBeLessThan(1_500);
      expect(await waitingForGroups()).toBe(2);
      // The ones past the share are answered while the first two still wait (8 after their 5 s wait).
      await until('the changes past the share answered', () => settled === rest.length, 10_000);
      expect(await waitingForGroups()).toBe(2);
    } finally {
      release();
      await holder;
      await observer.end();
    }
    const accepted = await Promise.all(first);
    for (const a of accepted) expect(a.status, JSON.stringify(a.body)).toBe(202);
    const refused = await Promise.all(rest);
    for (const r of refused) {
      expect(r.status, JSON.stringify(r.body)).toBe(429);
      expect(r.body.code).toBe('partner_concurrency_limit');
      expect(r.body.limit).toBe(2);
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }

    // The refused changed nothing: only the two accepted changes of the licenses are there (which
    // set what the group already granted, touching its row), a job each.
    const after = await state();
    expect(after.members).toEqual(before.members);
    const licensedId = licensed.split('/').pop();
    const comparable = (rows: typeof before.groups) =>
      rows.map((g) => (g.id === licensedId ? { id: g.id, licenses: g.licenses } : g));
    expect(comparable(after.groups)).toEqual(comparable(before.groups));
    expect(after.jobs.length - before.jobs.length).toBe(2);
    expect(after.audit.slice(before.audit.length).map((a) => a.type)).toEqual([
      'group.licenses_updated',
      'group.licenses_updated',
    ]);

    // The OpenAPI document says so on each of them.
    const doc = (await flooder.call('GET', '/docs/json')).body;
    for (const [method, path] of [
      ['patch', '/v1/customers/{customerId}/groups/{groupId}'],
      ['post', '/v1/customers/{customerId}/groups/{groupId}/members'],
      ['post', '/v1/customers/{customerId}/groups/{groupId}/members/remove'],
      ['put', '/v1/customers/{customerId}/groups/{groupId}/licenses'],
      ['post', '/v1/customers/{customerId}/groups/{groupId}/reprocess'],
      ['post', '/v1/customers/{customerId}/users/{userId}/reprocess-licenses'],
    ] as const)
      expect(doc.paths[path][method].responses['429'].description, `${method} ${path}`).toContain(
        '`partner_concurrency_limit`',
      );

    // The share is given back: the flooder's next group change is accepted.
    const next = await flooder.call('POST', `${licensed}/reprocess`);
    expect(next.status, JSON.stringify(next.body)).toBe(202);
  });
});
