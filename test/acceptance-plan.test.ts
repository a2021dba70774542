// A small job's acceptance reads what its users hold, and no more, when the statistics predate the
// customer's licenses (autovacuum off, a flood of writes that never paused for an analysis): each
// license looked for is a lookup of its whole key, whichever index of user_licenses was built last,
// and a job that assigns nothing looks for none. A flipped plan read all of the customer's licenses
// for every job (in a flood's plans, once per user of the job).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createJobWithReservations } from '@licensing/api';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { PartnerClient } from './support/client.ts';

const HELD = { id: 'PLAN_HELD', name: 'Held', servicePlans: [{ id: 'PLAN_HELD_PLAN', name: 'Plan' }] };
const NEW = { id: 'PLAN_NEW', name: 'New', servicePlans: [{ id: 'PLAN_NEW_PLAN', name: 'Plan' }] };
const USERS = 10_000;

let system: TestSystem;
let env: TestEnv;
let api: FastifyInstance;

beforeAll(async () => {
  system = await startTestSystem({ products: [HELD, NEW] });
  ({ env, api } = system);
});

afterAll(async () => {
  await system?.close();
});

it("reads each user's licenses by its own keys when accepting a 100-user job, with statistics taken before the customer had any", async () => {
  const partner = await PartnerClient.create(api, 'Acceptance plans');
  const holdAll = (customerId: string) => env.sql`
    INSERT INTO user_licenses (customer_id, user_id, product_id)
    SELECT ${customerId}, id, ${HELD.id} FROM users WHERE customer_id = ${customerId}`;
  // Statistics of the licenses as they were before the big customer's: a small customer's only (and
  // kept so where autovacuum runs, as in a container).
  await env.sql`ALTER TABLE user_licenses SET (autovacuum_enabled = off)`;
  const small = await partner.customer();
  await partner.users(small, 5);
  await holdAll(small);
  await env.sql`ANALYZE user_licenses`;
  const customer = await partner.customer();
  const userIds = await partner.users(customer, USERS);
  await partner.subscribe(customer, HELD.id, USERS);
  await partner.subscribe(customer, NEW.id, USERS);
  // Every user holds one product (written as the worker leaves it, without a job here).
  await holdAll(customer);
  // The planner breaks a tie between equally cheap indexes by taking the one built last: the
  // (customer, product, user) index rebuilt, so that it is (a lookup by customer and user alone
  // would then read all of the customer's licenses in it, for every user).
  await env.sql`REINDEX INDEX CONCURRENTLY user_licenses_customer_product`;

  const batch = userIds.slice(4_000, 4_100);
  // Blocks of user_licenses (the table and its indexes) the session read so far, not yet reported
  // to the statistics (which happens between transactions, now and then): counted before and after.
  const blocksRead = async (tx: Pick<typeof env.db, 'execute'>) => {
    const [row] = await tx.execute<{ blocks: number }>(sql`
      SELECT coalesce(sum(pg_stat_get_xact_blocks_fetched(c.oid)), 0)::int AS blocks FROM pg_class c
      WHERE c.oid = 'user_licenses'::regclass
         OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'user_licenses'::regclass)`);
    return row!.blocks;
  };
  const accept = (job: { assign: { productId: string; disabledServicePlans: string[] }[]; revoke: string[] }) =>
    env.db.transaction(async (tx) => {
      const before = await blocksRead(tx);
      const created = await createJobWithReservations(tx, {
        partnerId: partner.id,
        customerId: customer,
        userIds: batch,
        ...job,
      });
      expect(created.job.userCount).toBe(batch.length);
      return { blocks: (await blocksRead(tx)) - before, reserved: created.reserved };
    });

  const revoke = await accept({ assign: [], revoke: [HELD.id] });
  const fresh = await accept({ assign: [{ productId: NEW.id, disabledServicePlans: [] }], revoke: [] });
  console.log(`user_licenses blocks read: revoke ${revoke.blocks}, assign ${fresh.blocks}`);
  // A revoke reserves nothing and looks at no license; an assign probes each user's (a few blocks
  // each). Reading the customer's 10,000 licenses once per user would be thousands of blocks.
  expect(revoke.blocks).toBe(0);
  expect(fresh.blocks).toBeLessThan(batch.length * 6);
  expect(fresh.reserved.get(NEW.id)).toBe(batch.length);
  // What they hold is found: assigning it again with a product they lack reserves a seat of that one only.
  const again = await accept({
    assign: [
      { productId: HELD.id, disabledServicePlans: [] },
      { productId: NEW.id, disabledServicePlans: [] },
    ],
    revoke: [],
  });
  expect(again.reserved.get(HELD.id) ?? 0).toBe(0);
  expect(again.reserved.get(NEW.id)).toBe(batch.length);
  expect(again.blocks).toBeLessThan(batch.length * 2 * 6);
});
