// Preview (dry run) end to end: the prediction is compared with what the real worker then does for
// the same body, and nothing is written by the preview itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient } from './support/client.ts';
import { ADDON, REFUSED_IN_FR, SUITE, SUITE_BASIC, TEST_PRODUCTS } from './fixtures.ts';

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

/** Every table a job touches, hashed: a preview must leave all of them as they were. */
async function snapshot(): Promise<string> {
  const tables = [
    'license_jobs',
    'license_job_items',
    'license_job_progress',
    'user_licenses',
    'subscriptions',
    'users',
  ];
  const parts = await Promise.all(
    tables.map(
      async (t) =>
        (
          await env.sql.unsafe(`SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS h FROM ${t} x`)
        )[0]!.h,
    ),
  );
  const [{ reserved }] = await env.sql`SELECT count(*)::int AS reserved FROM seat_reservations`;
  return `${parts.join(':')}:${reserved}`;
}

const preview = (customer: string, body: unknown) =>
  partner.call('POST', `/v1/customers/${customer}/license-jobs/preview`, body);

async function assignDirectly(customer: string, userIds: string[], assign: unknown[]) {
  const job = await partner.startJob(customer, { userIds, assign });
  expect(job.status, JSON.stringify(job.body)).toBe(202);
  await partner.waitForJob(customer, job.body.id);
}

describe('preview', () => {
  it('predicts what the worker then does for the same body, and changes nothing', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 12, (i) => (i === 9 || i === 10 ? { usageLocation: 'FR' } : {}));
    for (const p of [SUITE, SUITE_BASIC, ADDON, REFUSED_IN_FR]) await partner.subscribe(customer, p.id, 20);
    await assignDirectly(customer, users.slice(0, 2), [{ productId: SUITE.id }]);
    await assignDirectly(customer, [users[2]!], [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }]);
    await assignDirectly(customer, [users[3]!], [{ productId: SUITE_BASIC.id }]);
    await assignDirectly(customer, [users[4]!], [{ productId: REFUSED_IN_FR.id }]);
    const body = {
      userIds: [...users, users[0]],
      assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }, { productId: ADDON.id }],
      revoke: [REFUSED_IN_FR.id],
    };

    const before = await snapshot();
    const res = await preview(customer, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await snapshot()).toBe(before);
    const predicted = res.body;
    expect(predicted.userCount).toBe(12);
    expect(predicted.seats).toEqual([
      { productId: SUITE.id, required: 9, available: 17, shortfall: 0 },
      { productId: ADDON.id, required: 12, available: 20, shortfall: 0 },
    ]);
    // u3 holds the exclusive basic suite; u9 and u10 are French (fine: Copilot is only revoked).
    expect(predicted.failures.total).toBe(1);
    expect(predicted.failures.byCode).toEqual({ MutuallyExclusiveViolation: 1 });
    expect(predicted.failures.users).toEqual([
      {
        userId: users[3],
        userPrincipalName: 'user000003@fabrikam.example',
        displayName: 'User 000003',
        changes: [
          { productId: REFUSED_IN_FR.id, action: 'revoke', outcome: 'skipped' },
          {
            productId: SUITE.id,
            action: 'assign',
            outcome: 'failed',
            error: {
              code: 'MutuallyExclusiveViolation',
              message: expect.any(String),
              productIds: [SUITE.id, SUITE_BASIC.id],
            },
          },
          { productId: ADDON.id, action: 'assign', outcome: 'skipped' },
        ],
      },
    ]);

    // The job itself, on the same state: its results are the prediction.
    const job = await partner.startJob(customer, body);
    expect(job.status).toBe(202);
    const done = await partner.waitForJob(customer, job.body.id);
    expect(done.errorsByCode).toEqual(predicted.failures.byCode);
    expect(done.progress.failed).toBe(predicted.failures.total);
    const results = await partner.results(customer, job.body.id);
    const outcomes: Record<string, number> = {
      assigned: 0,
      updated: 0,
      unchanged: 0,
      revoked: 0,
      not_assigned: 0,
      inherited: 0,
    };
    for (const r of results.filter((x: any) => x.status === 'succeeded'))
      for (const c of r.changes) outcomes[c.outcome] += 1;
    expect(predicted.outcomes).toEqual(outcomes);
    expect(predicted.outcomes).toEqual({
      assigned: 8 + 11,
      updated: 2,
      unchanged: 1,
      revoked: 1,
      not_assigned: 10,
      inherited: 0,
    });
    const failed = results.filter((x: any) => x.status === 'failed');
    expect(failed.map((r: any) => ({ ...r, status: undefined }))).toEqual(
      predicted.failures.users.map((u: any) => ({ ...u, status: undefined })),
    );
    await expectSeatInvariant(env.sql);
  });

  it('reports a seat shortfall as the job would be refused, and the users left without a seat', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 5);
    await partner.subscribe(customer, SUITE.id, 3);
    const body = { userIds: users, assign: [{ productId: SUITE.id }] };
    const res = await preview(customer, body);
    expect(res.status).toBe(200);
    expect(res.body.seats).toEqual([{ productId: SUITE.id, required: 5, available: 3, shortfall: 2 }]);
    expect(res.body.outcomes.assigned).toBe(3);
    expect(res.body.failures).toMatchObject({ total: 2, byCode: { CountViolation: 2 } });
    expect(res.body.failures.users.map((u: any) => u.userId)).toEqual(users.slice(3));
    expect(res.body.failures.users[0].changes[0].error).toMatchObject({
      code: 'CountViolation',
      productIds: [SUITE.id],
    });
    const job = await partner.startJob(customer, body);
    expect(job.status).toBe(409);
    expect(job.body.shortages).toEqual([{ productId: SUITE.id, required: 5, available: 3 }]);
  });

  it('selects users by filter, and lists at most 100 failed users', async () => {
    const customer = await partner.customer('Paris', 'FR');
    await partner.users(customer, 150);
    await partner.subscribe(customer, REFUSED_IN_FR.id, 200);
    const res = await preview(customer, {
      userFilter: { lacksProduct: SUITE.id },
      assign: [{ productId: REFUSED_IN_FR.id }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.userCount).toBe(150);
    expect(res.body.failures.total).toBe(150);
    expect(res.body.failures.byCode).toEqual({ ProhibitedInUsageLocationViolation: 150 });
    expect(res.body.failures.users).toHaveLength(100);
    expect(res.body.failures.users[0].userPrincipalName).toBe('user000000@fabrikam.example');
  });

  it('answers the same problems as creating the job, and writes nothing', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    const before = await snapshot();
    const cases: [unknown, number, string][] = [
      [{ userIds: users, assign: [{ productId: 'NOPE' }] }, 422, 'unknown_product'],
      [
        { userIds: users, assign: [{ productId: SUITE.id, disabledServicePlans: ['SHAREPOINT'] }] },
        422,
        'invalid_service_plans',
      ],
      [{ userIds: users, assign: [{ productId: ADDON.id }] }, 422, 'no_subscription'],
      [{ userIds: [...users, crypto.randomUUID()], revoke: [SUITE.id] }, 422, 'unknown_users'],
      [{ userFilter: { search: 'nobody-by-that-name' }, revoke: [SUITE.id] }, 422, 'no_matching_users'],
      [{ userIds: users }, 400, 'validation_error'],
      [{ userIds: users, userFilter: {}, revoke: [SUITE.id] }, 400, 'validation_error'],
    ];
    for (const [body, status, code] of cases) {
      const res = await preview(customer, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code, JSON.stringify(body)).toBe(code);
      const job = await partner.startJob(customer, body);
      expect([job.status, job.body.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect(await snapshot()).toBe(before);
  });
});
