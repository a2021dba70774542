// The worker's read of a batch's pending items keeps its plan when the statistics predate the
// customer's items (a job accepted while a flood's writes never paused for an analysis): each user's
// items are one range of the primary key, never a walk of every item of the customer per user.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { pendingItemsSql } from '@licensing/worker';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { PartnerClient } from './support/client.ts';

const PRODUCT = { id: 'PLAN_CHECK', name: 'Plan check', servicePlans: [{ id: 'PLAN_CHECK_PLAN', name: 'Plan' }] };

let system: TestSystem;
let env: TestEnv;
let api: FastifyInstance;

beforeAll(async () => {
  system = await startTestSystem({ products: [PRODUCT] });
  ({ env, api } = system);
});

afterAll(async () => {
  await system?.close();
});

/** The indexes a plan scans license_job_items by. */
function itemIndexes(node: any, found: string[] = []): string[] {
  if (node['Relation Name'] === 'license_job_items') found.push(node['Index Name'] ?? node['Node Type']);
  for (const child of node.Plans ?? []) itemIndexes(child, found);
  return found;
}

it("reads each user's pending items by the primary key, with statistics taken before the customer had any", async () => {
  const partner = await PartnerClient.create(api, 'Plans');
  const customerWithJob = async () => {
    const customer = await partner.customer();
    const userIds = await partner.users(customer, 5_000);
    await partner.subscribe(customer, PRODUCT.id, 5_000);
    // No worker runs: the job's 5,000 items stay pending.
    const job = await partner.startJob(customer, { userIds, assign: [{ productId: PRODUCT.id }] });
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    return { customer, userIds, job: job.body };
  };
  // Statistics of the items as they were before the customer's job: another customer's only.
  await customerWithJob();
  await env.sql`ANALYZE license_job_items`;
  const { customer, userIds, job } = await customerWithJob();

  const batch = userIds.slice(1_000, 1_300);
  const [row] = await env.db.execute<{ 'QUERY PLAN': any }>(
    sql`EXPLAIN (FORMAT JSON) ${pendingItemsSql(customer, batch)}`,
  );
  const plan = row!['QUERY PLAN'][0].Plan;
  expect(itemIndexes(plan)).toEqual(['license_job_items_pkey']);
  // And it reads what it should: one pending item per user of the batch, in the batch's order.
  const items = await env.db.execute<{ user_id: string; job_id: string }>(pendingItemsSql(customer, batch));
  expect(items.map((i) => i.user_id)).toEqual(batch);
  expect(new Set(items.map((i) => i.job_id))).toEqual(new Set([job.id]));
});
