// License groups (contract 1.2): the membership rule as Postgres evaluates it, and what the worker
// reads of a user's groups. Every query is scoped by customer, which the caller has scoped to its
// partner.
import { type SQL, sql } from 'drizzle-orm';
import type { MembershipRule } from '@licensing/domain';
import type { Db, DbOrTx } from './client.ts';
import { licenseHolderCount } from './kept-counts.ts';
import { addReservedSeats } from './reserved-seats.ts';
import { type GroupLicense, licenseJobs } from './schema.ts';

/**
 * A dynamic group's rule as one SQL condition over a users row aliased `u` of the customer whose
 * country is `country`; it must select exactly the users matchesMembershipRule (packages/domain)
 * accepts: every present condition holds, a list matches any of its values, the usage location is
 * the user's own or else the customer's country, suffixes compare case aside. A rule without any
 * condition selects nobody.
 */
export function membershipRuleCondition(rule: MembershipRule, country: string): SQL {
  const conditions: SQL[] = [];
  if (rule.departments !== undefined) conditions.push(sql`u.department = any(${sql.param(rule.departments)}::text[])`);
  if (rule.usageLocations !== undefined)
    conditions.push(
      sql`upper(coalesce(u.usage_location, ${country}::text)) = any(${sql.param(rule.usageLocations.map((c) => c.toUpperCase()))}::text[])`,
    );
  if (rule.userPrincipalNameSuffixes !== undefined)
    conditions.push(
      sql`EXISTS (SELECT 1 FROM unnest(${sql.param(rule.userPrincipalNameSuffixes.map((s) => s.toLowerCase()))}::text[]) AS s(suffix)
        WHERE right(lower(u.user_principal_name), length(s.suffix)) = s.suffix)`,
    );
  if (conditions.length === 0) return sql`false`;
  return sql.join(conditions, sql` AND `);
}

/**
 * What a change of a group means in the job machinery: a license job with the group as its source,
 * and one item per affected user (no seat reserved: the worker takes a free seat under the
 * subscription's row lock, or leaves the member waiting). `affected` is a query yielding `user_id`
 * (duplicates ignored, users not of the customer ignored); `ctes` may hold the data-modifying
 * statements it reads from (the membership change itself), so change and items are one statement.
 * Answers the job and how many users it has; no job is left when nobody is affected.
 */
export async function createGroupJob(
  tx: DbOrTx,
  input: {
    partnerId: string;
    customerId: string;
    groupId: string;
    assign: GroupLicense[];
    revoke: string[];
    ctes?: SQL;
    affected: SQL;
    /** A product whose seat is reserved for every item (the waiting room's drain). */
    reserve?: string;
  },
): Promise<{ id: string; userCount: number } | undefined> {
  const [job] = await tx
    .insert(licenseJobs)
    .values({
      partnerId: input.partnerId,
      customerId: input.customerId,
      status: 'queued',
      assign: input.assign,
      revoke: input.revoke,
      userCount: 0,
      sourceGroupId: input.groupId,
    })
    .returning({ id: licenseJobs.id, seq: licenseJobs.seq });
  const [inserted] = await tx.execute<{ users: number }>(sql`
    WITH ${input.ctes ? sql`${input.ctes},` : sql``}
    affected AS (${input.affected}),
    items AS (
      INSERT INTO license_job_items (customer_id, job_id, user_id, job_seq, position, user_principal_name, display_name, reserved_products)
      SELECT ${input.customerId}::uuid, ${job!.id}::uuid, u.id, ${job!.seq}::bigint,
             row_number() OVER (ORDER BY u.display_name, u.user_principal_name, u.id), u.user_principal_name, u.display_name,
             ${sql.param(input.reserve ? [input.reserve] : [])}::text[]
      FROM users u
      WHERE u.customer_id = ${input.customerId} AND u.id IN (SELECT user_id FROM affected)
      RETURNING 1)
    SELECT count(*)::int AS users FROM items`);
  const users = inserted!.users;
  if (users === 0) {
    await tx.execute(sql`DELETE FROM license_jobs WHERE customer_id = ${input.customerId} AND id = ${job!.id}`);
    return undefined;
  }
  await tx.execute(
    sql`UPDATE license_jobs SET user_count = ${users} WHERE customer_id = ${input.customerId} AND id = ${job!.id}`,
  );
  if (input.reserve)
    await addReservedSeats(tx, [{ customerId: input.customerId, productId: input.reserve, seats: users }]);
  return { id: job!.id, userCount: users };
}

/** A job a drain created, for the caller to enqueue once committed. */
export interface DrainedJob {
  id: string;
  partnerId: string;
  customerId: string;
  userCount: number;
}

/**
 * The waiting room of a customer: for every product members wait for, under the subscription's row
 * lock (which every decision that takes a seat holds), the free seats are counted and the oldest
 * waiting users (by `since`; a user waiting in several groups counts once), without a pending item of
 * their group already, are given a job of their group with a seat reserved each. Reserving keeps a
 * second drain from handing out the same seats; a user who still cannot take the seat (another
 * product of the group lacks one) waits again, and its reservation ends with its item. Answers the
 * jobs created (the caller enqueues them once committed).
 */
export async function drainWaitingRoom(db: Db, customerId: string): Promise<DrainedJob[]> {
  return db.transaction(async (tx) => {
    const products = await tx.execute<{ product_id: string; partner_id: string }>(sql`
      SELECT DISTINCT s.waiting_for AS product_id, c.partner_id FROM group_license_states s
      JOIN customers c ON c.id = s.customer_id
      WHERE s.customer_id = ${customerId} AND s.state = 'waiting' AND s.waiting_for IS NOT NULL
      ORDER BY 1`);
    const jobs: DrainedJob[] = [];
    for (const { product_id: productId, partner_id: partnerId } of products) {
      // The row lock first, the count in a statement of its own: a statement that waited for the lock
      // still reads the other tables as they were when it started (read committed), so a count in the
      // locking statement missed the reservations of a drain that held the lock meanwhile, and the
      // two handed out the same free seats.
      await tx.execute(sql`
        SELECT 1 FROM subscriptions WHERE customer_id = ${customerId} AND product_id = ${productId} FOR UPDATE`);
      const [free] = await tx.execute<{ free: number }>(sql`
        SELECT ((SELECT quantity FROM subscriptions WHERE customer_id = ${customerId} AND product_id = ${productId})
          - ${licenseHolderCount(customerId, sql`${productId}`)}
          - coalesce((SELECT reserved FROM reserved_seats WHERE customer_id = ${customerId} AND product_id = ${productId}), 0))::int AS free`);
      const seats = free?.free ?? 0;
      if (!(seats > 0)) continue;
      const picked = await tx.execute<{ user_id: string; group_id: string }>(sql`
        SELECT user_id, group_id FROM (
          SELECT DISTINCT ON (s.user_id) s.user_id, s.group_id, s.since FROM group_license_states s
          WHERE s.customer_id = ${customerId} AND s.waiting_for = ${productId} AND s.state = 'waiting'
            AND NOT EXISTS (
              SELECT 1 FROM license_job_items i JOIN license_jobs j ON j.customer_id = i.customer_id AND j.id = i.job_id
              WHERE i.customer_id = s.customer_id AND i.user_id = s.user_id AND i.status = 'pending'
                AND j.source_group_id = s.group_id)
          ORDER BY s.user_id, s.since) w
        ORDER BY since, user_id LIMIT ${seats}`);
      const byGroup = new Map<string, string[]>();
      for (const p of picked) byGroup.set(p.group_id, [...(byGroup.get(p.group_id) ?? []), p.user_id]);
      for (const [groupId, userIds] of byGroup) {
        const [group] = await tx.execute<{ licenses: GroupLicense[] }>(sql`
          SELECT licenses FROM groups WHERE customer_id = ${customerId} AND id = ${groupId}`);
        const job = await createGroupJob(tx, {
          partnerId,
          customerId,
          groupId,
          assign: group?.licenses ?? [],
          revoke: [],
          affected: sql`SELECT unnest(${sql.param(userIds)}::uuid[]) AS user_id`,
          reserve: productId,
        });
        if (job) jobs.push({ ...job, partnerId, customerId });
      }
    }
    return jobs;
  });
}

/** Customers with members waiting for a seat (the reconciler drains their waiting rooms on each tick). */
export async function customersWithWaitingMembers(db: DbOrTx): Promise<string[]> {
  const rows = await db.execute<{ customer_id: string }>(sql`
    SELECT DISTINCT customer_id FROM group_license_states WHERE state = 'waiting'`);
  return rows.map((r) => r.customer_id);
}

/** Users waiting for a seat of each product of a customer. */
export async function waitingPerProduct(db: DbOrTx, customerId: string): Promise<Map<string, number>> {
  const rows = await db.execute<{ product_id: string; n: number }>(sql`
    SELECT waiting_for AS product_id, count(DISTINCT user_id)::int AS n FROM group_license_states
    WHERE customer_id = ${customerId} AND state = 'waiting' AND waiting_for IS NOT NULL GROUP BY waiting_for`);
  return new Map(rows.map((r) => [r.product_id, r.n]));
}
