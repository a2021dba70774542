// Idempotency keys recognise the same job request however it is spelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { PartnerClient } from '../../../test/support/client.ts';
import { REFUSED_IN_FR, SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';
import { canonicalJobRequest } from '../src/repositories/idempotency.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS });
  env = system.env;
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

describe('idempotency fingerprint', () => {
  it('returns the same job for the same request with upper-case, repeated and reordered ids and keys', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 4);
    await partner.subscribe(customer, SUITE.id, 4);
    await partner.subscribe(customer, REFUSED_IN_FR.id, 4);
    const key = { 'idempotency-key': 'normalised-1' };
    const first = await partner.startJob(
      customer,
      {
        userIds: users,
        assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS', 'EXCHANGE'] }, { productId: REFUSED_IN_FR.id }],
      },
      key,
    );
    expect(first.status).toBe(202);
    const spellings = [
      // Upper-case UUIDs.
      {
        userIds: users.map((u) => u.toUpperCase()),
        assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS', 'EXCHANGE'] }, { productId: REFUSED_IN_FR.id }],
      },
      // Repeated and reordered ids, products and plans; keys in another order; empty revoke.
      {
        revoke: [],
        assign: [
          { productId: REFUSED_IN_FR.id, disabledServicePlans: [] },
          { disabledServicePlans: ['EXCHANGE', 'TEAMS'], productId: SUITE.id },
        ],
        userIds: [...users].reverse().concat(users[0]!.toUpperCase()),
      },
    ];
    for (const body of spellings) {
      const again = await partner.startJob(customer, body, key);
      expect(again.status, JSON.stringify(again.body)).toBe(202);
      expect(again.body.id).toBe(first.body.id);
    }
    const [{ jobs }] = await env.sql`SELECT count(*)::int AS jobs FROM license_jobs WHERE customer_id = ${customer}`;
    expect(jobs).toBe(1);
    // A request that means another job is still refused.
    for (const body of [
      { userIds: users.slice(1), assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS', 'EXCHANGE'] }] },
      {
        userIds: users,
        assign: [{ productId: SUITE.id, disabledServicePlans: ['TEAMS'] }, { productId: REFUSED_IN_FR.id }],
      },
    ]) {
      const reused = await partner.startJob(customer, body, key);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
    }
  });

  it('canonicalJobRequest ignores spelling, not meaning', () => {
    const a = canonicalJobRequest({
      userIds: ['B0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000000'],
      assign: [{ productId: 'P2' }, { productId: 'P1', disabledServicePlans: ['y', 'x', 'x'] }],
    });
    expect(a).toEqual({
      userFilter: null,
      userIds: ['a0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000000'],
      assign: [
        { productId: 'P1', disabledServicePlans: ['x', 'y'] },
        { productId: 'P2', disabledServicePlans: [] },
      ],
      revoke: [],
      clientReference: null,
    });
    const byFilter = canonicalJobRequest({ userFilter: { licensed: true, search: 'ann' }, revoke: ['P1'] });
    expect(byFilter.userFilter).toEqual({ search: 'ann', hasProduct: null, lacksProduct: null, licensed: true });
    expect(byFilter.userIds).toBeNull();
  });
});
