// A group's processing survives its worker process being killed (SIGKILL) and Redis losing the queue
// midway: afterwards every member holds exactly the group's licenses, once; seats add up (assigned =
// holders, nothing left reserved); the group's job finishes with every member counted once; and no
// member's change was applied twice. Real processes: the worker is spawned as `pnpm start:worker`
// runs it, and the Redis it uses is a throwaway redis-server (nothing on disk) killed for real.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createRedis } from '@licensing/redis';
import { createLicenseTaskQueue, type LicenseTaskQueue, licenseTaskQueues } from '@licensing/queue';
import { buildApiApp } from '@licensing/api';
import { buildTestCatalog, createTestEnv, OPERATOR_TOKEN, type TestEnv } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient, putProduct } from './support/client.ts';
import { freePort, spawnService, type ServiceProcess } from './support/processes.ts';
import { REGIONAL, SUITE } from './fixtures.ts';

const MEMBERS = 3000;
/** Members who already hold SUITE directly: the group adds its source to their license, no seat. */
const DIRECT = 100;

let env: TestEnv;
let redisProcess: ChildProcess | undefined;
let redisUrl: string;
let redisPort: number;
let redis: Redis;
let queue: LicenseTaskQueue;
let api: FastifyInstance;
let catalog: FastifyInstance;
let partner: PartnerClient;
const running: ServiceProcess[] = [];

async function startRedis() {
  redisProcess = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const probe = createRedis(redisUrl, 'producer', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {}); // refused until the server is up
    const ok = await probe
      .connect()
      .then(() => probe.ping())
      .then(
        () => true,
        () => false,
      );
    probe.disconnect();
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('throwaway redis did not start');
}

async function stopRedis() {
  const process = redisProcess!;
  if (process.exitCode !== null || process.signalCode !== null) return;
  const exited = new Promise((r) => process.once('exit', r));
  process.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  env = await createTestEnv();
  redisPort = await freePort();
  redisUrl = `redis://127.0.0.1:${redisPort}`;
  await startRedis();
  redis = createRedis(redisUrl, 'producer');
  redis.on('error', () => {}); // reconnects on its own once Redis is back
  queue = createLicenseTaskQueue(redis, env.prefix);
  queue.on('error', () => {});
  api = await buildApiApp({
    db: env.db,
    sql: env.sql,
    redis,
    queues: licenseTaskQueues([queue]),
    operatorToken: OPERATOR_TOKEN,
    rateLimitPerMinute: 0,
    logLevel: 'silent',
  });
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  await putProduct(catalog, REGIONAL);
  partner = await PartnerClient.create(api);
}, 60_000);

afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
  }
});

afterAll(async () => {
  await api?.close();
  await catalog?.close();
  await queue?.close();
  redis?.disconnect();
  if (redisProcess) await stopRedis();
  await env?.close();
});

function workerEnv(extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: redisUrl,
    BULLMQ_PREFIX: env.prefix,
    // Small batches, so that the group is still being processed when the fault lands.
    WORKER_CONCURRENCY: '16',
    WORKER_BATCH_SIZE: '8',
    WORKER_BATCH_PARALLELISM: '1',
    STALLED_INTERVAL_MS: '1000',
    RECONCILE_INTERVAL_MS: '600000',
    ...extra,
  };
}

const LICENSES = [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }, { productId: REGIONAL.id }];

/**
 * A customer with MEMBERS users in a group (dynamic or static), seats for every one of them, DIRECT of
 * them already holding SUITE directly; answers once the group's licenses are set (its job accepted).
 */
async function groupBeingLicensed(kind: 'dynamic' | 'static') {
  const customer = await partner.customer('Fabrikam', 'US');
  const users = await partner.users(customer, MEMBERS, () => ({ department: 'Field' }));
  await partner.subscribe(customer, SUITE.id, MEMBERS);
  await partner.subscribe(customer, REGIONAL.id, MEMBERS);
  const direct = await partner.startJob(customer, {
    userIds: users.slice(0, DIRECT),
    assign: [{ productId: SUITE.id }],
  });
  expect(direct.status).toBe(202);
  return { customer, users, direct: direct.body.id as string, kind };
}

async function createGroup(customer: string, users: string[], kind: 'dynamic' | 'static'): Promise<string> {
  const created = await partner.call('POST', `/v1/customers/${customer}/groups`, {
    name: 'Field staff',
    ...(kind === 'dynamic' ? { membershipRule: { departments: ['Field'] } } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const group = created.body.id as string;
  if (kind === 'static') {
    const added = await partner.call('POST', `/v1/customers/${customer}/groups/${group}/members`, { userIds: users });
    expect(added.body).toEqual({ added: users.length });
  }
  return group;
}

async function setLicenses(customer: string, group: string): Promise<string> {
  const put = await partner.call('PUT', `/v1/customers/${customer}/groups/${group}/licenses`, { licenses: LICENSES });
  expect(put.status, JSON.stringify(put.body)).toBe(202);
  const [{ id }] = await env.sql<{ id: string }[]>`
    SELECT id FROM license_jobs WHERE customer_id = ${customer} AND source_group_id = ${group}`;
  return id!;
}

async function doneItems(jobId: string): Promise<number> {
  const [{ done }] =
    await env.sql`SELECT count(*)::int AS done FROM license_job_items WHERE job_id = ${jobId} AND status <> 'pending'`;
  return done;
}

async function waitForProgress(jobId: string, atLeast: number) {
  for (;;) {
    if ((await doneItems(jobId)) >= atLeast) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function waitForGroup(customer: string, group: string, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await partner.call('GET', `/v1/customers/${customer}/groups/${group}`);
    expect(res.status).toBe(200);
    if (res.body.processing.state === 'idle') return res.body;
    if (Date.now() > deadline) throw new Error(`group still processing: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Nothing is half-applied at any moment: a member whose item is done holds both of the group's
 * licenses with two active rows; a member still pending holds nothing through the group (its direct
 * license at most) and has no row of it. And the
 * job's progress counts exactly the done items.
 */
async function expectNothingHalfApplied(customer: string, group: string, jobId: string) {
  const [half] = await env.sql`
    SELECT
      count(*) FILTER (WHERE i.status <> 'pending' AND (x.licenses <> 2 OR x.active <> 2))::int AS "doneNotApplied",
      count(*) FILTER (WHERE i.status = 'pending' AND (x.rows > 0 OR x.inherited > 0))::int AS "pendingWithGroup",
      count(*) FILTER (WHERE i.status <> 'pending')::int AS done,
      (SELECT coalesce(sum(succeeded + failed), 0)::int FROM license_job_progress WHERE job_id = ${jobId}) AS counted
    FROM license_job_items i
    CROSS JOIN LATERAL (
      SELECT (SELECT count(*) FROM user_licenses l WHERE l.customer_id = i.customer_id AND l.user_id = i.user_id) AS licenses,
             (SELECT count(*) FROM group_license_states s WHERE s.customer_id = i.customer_id AND s.user_id = i.user_id
                AND s.group_id = ${group} AND s.state = 'active' AND s.applied) AS active,
             (SELECT count(*) FROM group_license_states s WHERE s.customer_id = i.customer_id AND s.user_id = i.user_id) AS rows,
             (SELECT count(*) FROM user_licenses l WHERE l.customer_id = i.customer_id AND l.user_id = i.user_id
                AND (NOT l.direct OR l.product_id = ${REGIONAL.id})) AS inherited) x
    WHERE i.customer_id = ${customer} AND i.job_id = ${jobId}`;
  expect(half).toMatchObject({ doneNotApplied: 0, pendingWithGroup: 0, counted: half!.done });
}

/** The end state after the fault: exactly the group's licenses once per member, seats adding up. */
async function expectGroupAppliedOnce(customer: string, group: string, jobId: string, users: string[]) {
  const done = await waitForGroup(customer, group, 120_000);
  expect(done).toMatchObject({
    memberCount: MEMBERS,
    membersWaiting: 0,
    membersWithErrors: 0,
    processing: { state: 'idle', pendingUsers: 0 },
  });
  const job = await partner.waitForJob(customer, jobId, 10_000);
  expect(job).toMatchObject({
    source: { type: 'group', groupId: group },
    status: 'completed',
    progress: { total: MEMBERS, pending: 0, succeeded: MEMBERS, failed: 0 },
  });

  // Applied once: a second application of a member's item would have found it done (and a second
  // evaluation of a member already holding the group's licenses answers `unchanged`, never `assigned`).
  const results = await partner.results(customer, jobId);
  expect(results).toHaveLength(MEMBERS);
  const directly = new Set(users.slice(0, DIRECT));
  const outcomes = new Map<string, number>();
  for (const r of results) {
    const expected = directly.has(r.userId)
      ? [
          { productId: SUITE.id, action: 'assign', outcome: 'unchanged' },
          { productId: REGIONAL.id, action: 'assign', outcome: 'assigned' },
        ]
      : [
          { productId: SUITE.id, action: 'assign', outcome: 'assigned' },
          { productId: REGIONAL.id, action: 'assign', outcome: 'assigned' },
        ];
    expect(r.changes.map((c: any) => ({ productId: c.productId, action: c.action, outcome: c.outcome }))).toEqual(
      expected,
    );
    outcomes.set(r.userId, (outcomes.get(r.userId) ?? 0) + 1);
  }
  expect(outcomes.size).toBe(MEMBERS);

  // Every member holds exactly the group's two products: one row each, with the group's plans (the
  // direct holders with the union of both sources' plans), and one active row of the group each.
  const [rows] = await env.sql`
    SELECT
      count(*) FILTER (WHERE product_id = ${SUITE.id} AND NOT direct AND disabled_service_plans = '{TEAMS}')::int AS "suiteGroup",
      count(*) FILTER (WHERE product_id = ${SUITE.id} AND direct AND disabled_service_plans = '{}')::int AS "suiteBoth",
      count(*) FILTER (WHERE product_id = ${REGIONAL.id} AND NOT direct)::int AS regional,
      count(*)::int AS total,
      count(DISTINCT user_id)::int AS holders
    FROM user_licenses WHERE customer_id = ${customer}`;
  expect(rows).toEqual({
    suiteGroup: MEMBERS - DIRECT,
    suiteBoth: DIRECT,
    regional: MEMBERS,
    total: 2 * MEMBERS,
    holders: MEMBERS,
  });
  const [states] = await env.sql`
    SELECT count(*)::int AS rows, count(*) FILTER (WHERE state = 'active' AND applied)::int AS active,
           count(DISTINCT user_id)::int AS users
    FROM group_license_states WHERE customer_id = ${customer} AND group_id = ${group}`;
  expect(states).toEqual({ rows: 2 * MEMBERS, active: 2 * MEMBERS, users: MEMBERS });
  // One item per member, none twice.
  const [items] = await env.sql`
    SELECT count(*)::int AS items, count(DISTINCT user_id)::int AS users FROM license_job_items WHERE job_id = ${jobId}`;
  expect(items).toEqual({ items: MEMBERS, users: MEMBERS });

  // Seats add up: assigned = holders, nothing reserved, nobody waiting.
  const subs = await partner.subscriptions(customer);
  expect(subs[SUITE.id]).toMatchObject({ quantity: MEMBERS, assigned: MEMBERS, reserved: 0, available: 0 });
  expect(subs[REGIONAL.id]).toMatchObject({ quantity: MEMBERS, assigned: MEMBERS, reserved: 0, available: 0 });
  expect((subs[SUITE.id] as any).waiting).toBe(0);
  await expectSeatInvariant(env.sql);
}

describe("a group's processing and faults", () => {
  it('a worker SIGKILLed mid-group: another worker finishes it, every member applied once', async () => {
    const { customer, users, direct } = await groupBeingLicensed('dynamic');
    const first = await spawnService('worker', workerEnv());
    running.push(first);
    await partner.waitForJob(customer, direct);
    const group = await createGroup(customer, users, 'dynamic');
    const jobId = await setLicenses(customer, group);
    await waitForProgress(jobId, 200);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const done = await doneItems(jobId);
    expect(done, 'the worker died mid-group').toBeLessThan(MEMBERS);
    await expectNothingHalfApplied(customer, group, jobId);
    expect((await partner.call('GET', `/v1/customers/${customer}/groups/${group}`)).body.processing).toMatchObject({
      pendingUsers: MEMBERS - done,
    });

    const restarted = Date.now();
    running.push(await spawnService('worker', workerEnv({ WORKER_BATCH_SIZE: '200', WORKER_CONCURRENCY: '400' })));
    await expectGroupAppliedOnce(customer, group, jobId, users);
    expect(Date.now() - restarted).toBeLessThan(60_000);
  });

  it('Redis killed mid-group and restarted empty: the reconciler re-enqueues the members from Postgres', async () => {
    const { customer, users, direct } = await groupBeingLicensed('static');
    // The worker's reconciler runs every second: it is what finds the members Redis lost.
    const worker = await spawnService('worker', workerEnv({ RECONCILE_INTERVAL_MS: '1000' }));
    running.push(worker);
    await partner.waitForJob(customer, direct);
    const group = await createGroup(customer, users, 'static');
    const jobId = await setLicenses(customer, group);
    await waitForProgress(jobId, 200);
    await stopRedis();
    const done = await doneItems(jobId);
    expect(done, 'Redis went away mid-group').toBeLessThan(MEMBERS);
    await expectNothingHalfApplied(customer, group, jobId);
    await startRedis(); // empty: every queued task of the group is gone

    await expectGroupAppliedOnce(customer, group, jobId, users);
    expect(worker.child.exitCode, 'the worker rode out the outage').toBeNull();
  });
});
