// Undoing a job, end to end through the API, Postgres, BullMQ on the real Redis and the real worker:
// a revert puts every user the job changed back as the history recorded it (revoked licenses with the
// plans the user had, assigned ones gone, plan changes reversed), leaves alone users changed since
// (ChangedSinceJob with the later jobs), takes seats as any job, and reverting a revert redoes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { SUITE, SUITE_BASIC, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  env = system.env;
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

afterEach(async () => {
  await env.queue.resume();
  await expectSeatInvariant(env.sql);
});

const revert = (customer: string, jobId: string, headers?: Record<string, string>) =>
  partner.call('POST', `/v1/customers/${customer}/license-jobs/${jobId}/revert`, undefined, headers);
const previewRevert = (customer: string, jobId: string) =>
  partner.call('POST', `/v1/customers/${customer}/license-jobs/${jobId}/revert/preview`);

/** Every license of the customer's users, as Postgres holds it: `user -> product -> disabled plans`. */
async function licenses(customer: string): Promise<Record<string, Record<string, string[]>>> {
  const rows = await env.sql<{ user_id: string; product_id: string; plans: string[] }[]>`
    SELECT user_id, product_id, disabled_service_plans AS plans FROM user_licenses WHERE customer_id = ${customer}`;
  const out: Record<string, Record<string, string[]>> = {};
  for (const r of rows) {
    out[r.user_id] ??= {};
    out[r.user_id]![r.product_id] = [...r.plans].sort();
  }
  return out;
}

/** A finished job's id, after checking it was accepted. */
async function runJob(customer: string, body: unknown): Promise<string> {
  const res = await partner.startJob(customer, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await partner.waitForJob(customer, res.body.id);
  return res.body.id;
}

/** Each user's result of a job: `[status, [productId, outcome, errorCode?, jobIds?]...]`. */
async function outcomes(customer: string, jobId: string) {
  return Object.fromEntries(
    (await partner.results(customer, jobId)).map((r: any) => [
      r.userId,
      [
        r.status,
        ...r.changes.map((c: any) =>
          [c.productId, c.outcome, c.error?.code, c.error?.jobIds].filter((x) => x !== undefined),
        ),
      ],
    ]),
  );
}

describe('revert', () => {
  it('puts every user back as it was just before the job, from the history; reverting the revert redoes', async () => {
    const customer = await partner.customer();
    const [fresh, teamsOff, allOn, basic] = await partner.users(customer, 4);
    await partner.subscribe(customer, SUITE.id, 4);
    await partner.subscribe(customer, SUITE_BASIC.id, 4);
    // The starting state, made by earlier jobs: two users hold E3 with different plans, one holds Basic.
    await runJob(customer, { userIds: [teamsOff], assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }] });
    await runJob(customer, { userIds: [allOn], assign: [{ productId: SUITE.id }] });
    await runJob(customer, { userIds: [basic], assign: [{ productId: SUITE_BASIC.id }] });
    const before = await licenses(customer);

    // One job: E3 with Exchange off for three users (assigned once, updated twice), and a swap for the
    // Basic user (Basic revoked, E3 assigned: the two exclude each other).
    const job = await runJob(customer, {
      userIds: [fresh, teamsOff, allOn],
      assign: [{ productId: SUITE.id, disabledServicePlans: ['EXCHANGE'] }],
    });
    const swap = await runJob(customer, {
      userIds: [basic],
      revoke: [SUITE_BASIC.id],
      assign: [{ productId: SUITE.id }],
    });
    expect(await outcomes(customer, job)).toEqual({
      [fresh]: ['succeeded', [SUITE.id, 'assigned']],
      [teamsOff]: ['succeeded', [SUITE.id, 'updated']],
      [allOn]: ['succeeded', [SUITE.id, 'updated']],
    });

    const undo = await revert(customer, job);
    expect(undo.status, JSON.stringify(undo.body)).toBe(202);
    expect(undo.headers.location).toBe(`/v1/customers/${customer}/license-jobs/${undo.body.id}`);
    expect(undo.body).toMatchObject({
      revertOf: job,
      retryOf: null,
      request: { userCount: 3, assign: [{ productId: SUITE.id }], revoke: [SUITE.id] },
    });
    expect(await partner.waitForJob(customer, undo.body.id)).toMatchObject({
      status: 'completed',
      progress: { total: 3, succeeded: 3, failed: 0 },
    });
    expect(await outcomes(customer, undo.body.id)).toEqual({
      [fresh]: ['succeeded', [SUITE.id, 'revoked']],
      [teamsOff]: ['succeeded', [SUITE.id, 'updated']],
      [allOn]: ['succeeded', [SUITE.id, 'updated']],
    });
    const undoSwap = await revert(customer, swap);
    expect(undoSwap.status).toBe(202);
    await partner.waitForJob(customer, undoSwap.body.id);
    // Exactly the state before the two jobs, plans included.
    expect(await licenses(customer)).toEqual(before);
    expect(before[teamsOff]).toEqual({ [SUITE.id]: ['TEAMS'] });
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 2, reserved: 0 });

    // The license history shows the plans each change left, per user.
    const history = await partner.call('GET', `/v1/customers/${customer}/users/${teamsOff}/license-history`);
    expect(history.body.items.slice(0, 2)).toEqual([
      expect.objectContaining({
        jobId: undo.body.id,
        action: 'assign',
        outcome: 'updated',
        disabledServicePlans: ['TEAMS'],
      }),
      expect.objectContaining({ jobId: job, action: 'assign', outcome: 'updated', disabledServicePlans: ['EXCHANGE'] }),
    ]);

    // Reverting the revert redoes the job.
    const redo = await revert(customer, undo.body.id);
    expect(redo.status).toBe(202);
    expect(redo.body.revertOf).toBe(undo.body.id);
    await partner.waitForJob(customer, redo.body.id);
    expect(await licenses(customer)).toEqual({
      ...before,
      [fresh]: { [SUITE.id]: ['EXCHANGE'] },
      [teamsOff]: { [SUITE.id]: ['EXCHANGE'] },
      [allOn]: { [SUITE.id]: ['EXCHANGE'] },
    });

    // Audited as reverted, by the caller, with the job it reverts.
    const audit = await partner.call('GET', `/v1/customers/${customer}/audit-events?type=license_job.reverted`);
    expect(audit.body.items.map((e: any) => e.data)).toEqual([
      expect.objectContaining({ jobId: redo.body.id, revertOf: undo.body.id }),
      expect.objectContaining({ jobId: undoSwap.body.id, revertOf: swap }),
      expect.objectContaining({ jobId: undo.body.id, revertOf: job }),
    ]);
  });

  it('leaves alone a user whose license changed since the job, naming the later jobs', async () => {
    const customer = await partner.customer();
    const [a, b, c] = await partner.users(customer, 3);
    await partner.subscribe(customer, SUITE.id, 3);
    const job = await runJob(customer, { userIds: [a, b, c], assign: [{ productId: SUITE.id }] });
    const later = await runJob(customer, {
      userIds: [b],
      assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    // A later job that left the license as it was does not count.
    await runJob(customer, { userIds: [c], assign: [{ productId: SUITE.id }] });

    const preview = await previewRevert(customer, job);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({
      userCount: 3,
      outcomes: { revoked: 2, assigned: 0 },
      failures: {
        total: 1,
        byCode: { ChangedSinceJob: 1 },
        users: [
          {
            userId: b,
            changes: [
              {
                productId: SUITE.id,
                action: 'revoke',
                outcome: 'failed',
                error: { code: 'ChangedSinceJob', jobIds: [later], productIds: [SUITE.id] },
              },
            ],
          },
        ],
      },
    });

    const undo = await revert(customer, job);
    expect(await partner.waitForJob(customer, undo.body.id)).toMatchObject({
      status: 'completed_with_errors',
      progress: { succeeded: 2, failed: 1 },
      errorsByCode: { ChangedSinceJob: 1 },
    });
    expect(await outcomes(customer, undo.body.id)).toEqual({
      [a]: ['succeeded', [SUITE.id, 'revoked']],
      [b]: ['failed', [SUITE.id, 'failed', 'ChangedSinceJob', [later]]],
      [c]: ['succeeded', [SUITE.id, 'revoked']],
    });
    expect(await licenses(customer)).toEqual({ [b]: { [SUITE.id]: ['TEAMS'] } });
  });

  it("retries a revert's failed users with each user's own changes, not the union of the revert's", async () => {
    const customer = await partner.customer();
    const [assigned, updated] = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    await runJob(customer, { userIds: [updated], assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }] });
    // The job assigns E3 to one user and changes the other's plans: its revert revokes E3 from the
    // first and gives the second its plans back, so the revert's changes name E3 in both lists.
    const job = await runJob(customer, { userIds: [assigned, updated], assign: [{ productId: SUITE.id }] });
    await runJob(customer, { userIds: [assigned], assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }] });
    const undo = await revert(customer, job);
    expect(undo.status, JSON.stringify(undo.body)).toBe(202);
    expect(undo.body.request).toMatchObject({ revoke: [SUITE.id], assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, undo.body.id);
    expect((await outcomes(customer, undo.body.id))[assigned][0]).toBe('failed'); // changed since the job

    // The retry gives the failed user its own change (revoke E3) and nothing else.
    const retry = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${undo.body.id}/retry`);
    expect(retry.status, JSON.stringify(retry.body)).toBe(202);
    expect(retry.body).toMatchObject({ retryOf: undo.body.id, request: { userCount: 1 } });
    await partner.waitForJob(customer, retry.body.id);
    expect(await outcomes(customer, retry.body.id)).toEqual({ [assigned]: ['succeeded', [SUITE.id, 'revoked']] });
    expect(await licenses(customer)).toEqual({ [updated]: { [SUITE.id]: ['TEAMS'] } });
  });

  it('refuses what cannot be reverted: not finished (409), nothing to undo (422), other partners (404)', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    await env.queue.pause();
    const pending = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    const early = await revert(customer, pending.body.id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('job_not_finished');
    expect((await previewRevert(customer, pending.body.id)).body.code).toBe('job_not_finished');
    await env.queue.resume();
    await partner.waitForJob(customer, pending.body.id);

    // Every change left the license as it was: nothing to undo. Revoking what nobody holds likewise.
    const unchanged = await runJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    const notAssigned = await runJob(customer, { userIds: users, revoke: [SUITE_BASIC.id] });
    for (const jobId of [unchanged, notAssigned]) {
      const nothing = await revert(customer, jobId);
      expect(nothing.status).toBe(422);
      expect(nothing.body.code).toBe('nothing_to_revert');
      expect((await previewRevert(customer, jobId)).body.code).toBe('nothing_to_revert');
    }
    // A user deleted since is not reverted either.
    const [gone] = await partner.users(customer, 1, () => ({ userPrincipalName: 'gone@fabrikam.example' }));
    await partner.subscribe(customer, SUITE.id, 3);
    const assignedToGone = await runJob(customer, { userIds: [gone], assign: [{ productId: SUITE.id }] });
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${gone}`)).status).toBe(204);
    expect((await revert(customer, assignedToGone)).body.code).toBe('nothing_to_revert');

    const other = await PartnerClient.create(system.api, 'Other Partner');
    const foreign = await other.call('POST', `/v1/customers/${customer}/license-jobs/${pending.body.id}/revert`);
    expect(foreign.status).toBe(404);
    const malformed = await revert(customer, 'not-a-uuid');
    expect([400, 404]).toContain(malformed.status);
    const [{ jobs }] =
      await env.sql`SELECT count(*)::int AS jobs FROM license_jobs WHERE revert_of IS NOT NULL AND customer_id = ${customer}`;
    expect(jobs).toBe(0);
  });

  it('needs seats to put licenses back (409 insufficient_licenses, nothing reserved), and honours Idempotency-Key', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 3);
    await partner.subscribe(customer, SUITE.id, 3);
    await runJob(customer, { userIds: users, assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }] });
    const revokeAll = await runJob(customer, { userIds: users, revoke: [SUITE.id] });
    await partner.subscribe(customer, SUITE.id, 2);
    const [{ items: itemsBefore }] =
      await env.sql`SELECT count(*)::int AS items FROM license_job_items WHERE customer_id = ${customer}`;
    const short = await revert(customer, revokeAll, { 'idempotency-key': 'undo-revoke' });
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({
      code: 'insufficient_licenses',
      shortages: [{ productId: SUITE.id, required: 3, available: 2 }],
    });
    const [{ items: itemsAfter }] =
      await env.sql`SELECT count(*)::int AS items FROM license_job_items WHERE customer_id = ${customer}`;
    expect(itemsAfter).toBe(itemsBefore);
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 0 });

    await partner.subscribe(customer, SUITE.id, 3);
    await env.queue.pause();
    const undo = await revert(customer, revokeAll, { 'idempotency-key': 'undo-revoke' });
    expect(undo.status).toBe(202);
    // The seats are reserved at acceptance, as for any job.
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 3, available: 0 });
    const again = await revert(customer, revokeAll, { 'idempotency-key': 'undo-revoke' });
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(undo.body.id);
    const reused = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${revokeAll}/retry`, undefined, {
      'idempotency-key': 'undo-revoke',
    });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    await env.queue.resume();
    expect(await partner.waitForJob(customer, undo.body.id)).toMatchObject({ status: 'completed' });
    expect(Object.values(await licenses(customer))).toEqual(users.map(() => ({ [SUITE.id]: ['TEAMS'] })));
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 3, reserved: 0 });
  });

  it('a cancelled revert reports each user with its own changes, skipped, and releases its seats', async () => {
    const customer = await partner.customer();
    const [a, b] = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    await partner.subscribe(customer, SUITE_BASIC.id, 2);
    await runJob(customer, { userIds: [a], assign: [{ productId: SUITE_BASIC.id }] });
    const job = await runJob(customer, {
      userIds: [a, b],
      revoke: [SUITE_BASIC.id],
      assign: [{ productId: SUITE.id }],
    });
    await env.queue.pause();
    const undo = await revert(customer, job);
    expect((await partner.subscriptions(customer))[SUITE_BASIC.id]).toMatchObject({ reserved: 1 });
    const cancelled = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${undo.body.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', progress: { cancelled: 2 } });
    expect(await outcomes(customer, undo.body.id)).toEqual({
      [a]: ['cancelled', [SUITE.id, 'skipped'], [SUITE_BASIC.id, 'skipped']],
      [b]: ['cancelled', [SUITE.id, 'skipped']],
    });
    expect((await partner.subscriptions(customer))[SUITE_BASIC.id]).toMatchObject({ reserved: 0 });
  });
});

describe('a revert racing a new job on the same users', () => {
  it('a job accepted first applies first, and the revert then leaves its users alone', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 20);
    await partner.subscribe(customer, SUITE.id, 20);
    const job = await runJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    await env.queue.pause();
    const newer = await partner.startJob(customer, {
      userIds: users.slice(0, 10),
      assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
    });
    const undo = await revert(customer, job);
    expect(undo.status).toBe(202);
    await env.queue.resume();
    await partner.waitForJob(customer, newer.body.id);
    expect(await partner.waitForJob(customer, undo.body.id)).toMatchObject({
      progress: { succeeded: 10, failed: 10 },
      errorsByCode: { ChangedSinceJob: 10 },
    });
    const results = await outcomes(customer, undo.body.id);
    for (const u of users.slice(0, 10))
      expect(results[u]).toEqual(['failed', [SUITE.id, 'failed', 'ChangedSinceJob', [newer.body.id]]]);
    for (const u of users.slice(10)) expect(results[u]).toEqual(['succeeded', [SUITE.id, 'revoked']]);
    const held = await licenses(customer);
    expect(Object.keys(held).sort()).toEqual(users.slice(0, 10).sort());
    for (const u of users.slice(0, 10)) expect(held[u]).toEqual({ [SUITE.id]: ['TEAMS'] });
  });

  it('a revert accepted first applies first, and the new job then applies on top', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 10);
    await partner.subscribe(customer, SUITE.id, 10);
    const job = await runJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    await env.queue.pause();
    const undo = await revert(customer, job);
    const newer = await partner.startJob(customer, { userIds: users.slice(0, 5), assign: [{ productId: SUITE.id }] });
    await env.queue.resume();
    expect(await partner.waitForJob(customer, undo.body.id)).toMatchObject({ status: 'completed' });
    expect(await partner.waitForJob(customer, newer.body.id)).toMatchObject({ status: 'completed' });
    const results = await outcomes(customer, newer.body.id);
    for (const u of users.slice(0, 5)) expect(results[u]).toEqual(['succeeded', [SUITE.id, 'assigned']]);
    expect(Object.keys(await licenses(customer)).sort()).toEqual(users.slice(0, 5).sort());
  });

  it('sent at the same moment, the outcome is as if applied one after the other in acceptance order', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 40);
    await partner.subscribe(customer, SUITE.id, 40);
    const job = await runJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    const [undo, newer] = await Promise.all([
      revert(customer, job),
      partner.startJob(customer, { userIds: users, revoke: [SUITE.id] }),
    ]);
    expect([undo.status, newer.status]).toEqual([202, 202]);
    await partner.waitForJob(customer, undo.body.id);
    await partner.waitForJob(customer, newer.body.id);
    const [{ first }] = await env.sql`
      SELECT id AS first FROM license_jobs WHERE id IN (${undo.body.id}, ${newer.body.id}) ORDER BY seq LIMIT 1`;
    const undone = await outcomes(customer, undo.body.id);
    const revoked = await outcomes(customer, newer.body.id);
    for (const u of users) {
      if (first === undo.body.id) {
        expect(undone[u]).toEqual(['succeeded', [SUITE.id, 'revoked']]);
        expect(revoked[u]).toEqual(['succeeded', [SUITE.id, 'not_assigned']]);
      } else {
        expect(revoked[u]).toEqual(['succeeded', [SUITE.id, 'revoked']]);
        expect(undone[u]).toEqual(['failed', [SUITE.id, 'failed', 'ChangedSinceJob', [newer.body.id]]]);
      }
    }
    expect(await licenses(customer)).toEqual({});
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ assigned: 0, reserved: 0 });
  });
});
