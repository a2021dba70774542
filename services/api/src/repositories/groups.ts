// License groups (contract 1.2). Every query is scoped by customer, which the caller has scoped to its
// partner. A group is not limited to 50,000 members: every statement proportional to the members is
// set-based (memberships, the job's items), and nothing proportional to them is read into memory here.
import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm';
import {
  createGroupJob,
  type DbOrTx,
  type GroupLicense,
  membershipRuleCondition,
  sqlState,
  tables,
} from '@licensing/db';

export { createGroupJob };
import { conflict } from '@licensing/http';
import type { MembershipRule } from '@licensing/domain';
import type { PageQuery } from '../schemas/common.ts';
import type { Group } from '../schemas/groups.ts';
import { licenseColumns, type UserListRow } from './user-selection.ts';

export type GroupRow = typeof tables.groups.$inferSelect;

export async function getGroupRow(db: DbOrTx, customerId: string, groupId: string): Promise<GroupRow | undefined> {
  const [row] = await db
    .select()
    .from(tables.groups)
    .where(and(eq(tables.groups.customerId, customerId), eq(tables.groups.id, groupId)));
  return row;
}

/** Whether the customer has any group (until it has one, every license is direct). */
export async function customerHasGroups(db: DbOrTx, customerId: string): Promise<boolean> {
  const rows = await db.execute<{ one: number }>(
    sql`SELECT 1 AS one FROM groups WHERE customer_id = ${customerId} LIMIT 1`,
  );
  return rows.length > 0;
}

/** The group's row locked for a change (changes of one group take turns; members, licenses, rule). */
export async function lockGroupRow(tx: DbOrTx, customerId: string, groupId: string): Promise<GroupRow | undefined> {
  const [row] = await tx
    .select()
    .from(tables.groups)
    .where(and(eq(tables.groups.customerId, customerId), eq(tables.groups.id, groupId)))
    .for('update');
  return row;
}

export async function listGroupRows(
  db: DbOrTx,
  customerId: string,
  page: PageQuery,
): Promise<{ items: GroupRow[]; total: number }> {
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(tables.groups)
      .where(eq(tables.groups.customerId, customerId))
      .orderBy(asc(sql`lower(${tables.groups.name})`), asc(tables.groups.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(tables.groups).where(eq(tables.groups.customerId, customerId)),
  ]);
  return { items, total: total!.n };
}

/** Groups as the API shows them: with their member count, members waiting or in error, and processing. */
export async function groupsWithCounts(db: DbOrTx, rows: GroupRow[]): Promise<Group[]> {
  if (rows.length === 0) return [];
  const customerId = rows[0]!.customerId;
  // Waiting: members only. A user who has just left the group keeps its waiting rows until the
  // group's job reaches it, and is not one of the group's members waiting for a seat meanwhile. (In
  // error: anyone whose rows of the group failed, a former member whose removal is blocked included.)
  const isMember = sql`EXISTS (SELECT 1 FROM group_members m
    WHERE m.customer_id = s.customer_id AND m.group_id = s.group_id AND m.user_id = s.user_id)`;
  const counts = await db.execute<{
    id: string;
    members: number;
    waiting: number;
    errors: number;
    pending: number;
    running: boolean;
    unfinished: boolean;
  }>(sql`
    SELECT g.id,
      (SELECT count(*) FROM group_members m WHERE m.customer_id = ${customerId} AND m.group_id = g.id)::int AS members,
      (SELECT count(DISTINCT s.user_id) FROM group_license_states s
       WHERE s.customer_id = ${customerId} AND s.group_id = g.id AND s.state = 'waiting' AND ${isMember})::int AS waiting,
      (SELECT count(DISTINCT s.user_id) FROM group_license_states s
       WHERE s.customer_id = ${customerId} AND s.group_id = g.id AND s.state = 'error')::int AS errors,
      coalesce((SELECT sum(j.user_count - coalesce((SELECT sum(p.succeeded + p.failed + p.cancelled) FROM license_job_progress p
                                                    WHERE p.customer_id = j.customer_id AND p.job_id = j.id), 0))
                FROM license_jobs j
                WHERE j.customer_id = ${customerId} AND j.source_group_id = g.id AND j.finished_at IS NULL), 0)::int AS pending,
      EXISTS (SELECT 1 FROM license_jobs j WHERE j.customer_id = ${customerId} AND j.source_group_id = g.id
              AND j.finished_at IS NULL AND j.status = 'running') AS running,
      EXISTS (SELECT 1 FROM license_jobs j WHERE j.customer_id = ${customerId} AND j.source_group_id = g.id
              AND j.finished_at IS NULL) AS unfinished
    FROM unnest(${sql.param(rows.map((r) => r.id))}::uuid[]) AS g(id)`);
  const byId = new Map(counts.map((c) => [c.id, c]));
  return rows.map((r) => {
    const c = byId.get(r.id)!;
    return {
      id: r.id,
      customerId: r.customerId,
      name: r.name,
      description: r.description,
      membershipRule: r.membershipRule,
      memberCount: c.members,
      licenses: r.licenses,
      processing: {
        // Idle once every job of the group has finished (its last users applied and the job finalised).
        state: !c.unfinished ? 'idle' : c.running || c.pending === 0 ? 'processing' : 'queued',
        pendingUsers: c.pending,
      },
      membersWithErrors: c.errors,
      membersWaiting: c.waiting,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

const groupNameTaken = (name: string) =>
  conflict('group_name_taken', `The customer already has a group named "${name}".`, { name });

/** Inserts a group; a name the customer already uses (case aside) → 409 `group_name_taken`. */
export async function insertGroup(
  tx: DbOrTx,
  customerId: string,
  values: { name: string; description: string | null; membershipRule: MembershipRule | null },
): Promise<GroupRow> {
  try {
    // A savepoint, so a name taken leaves the caller's transaction usable for its answer.
    return await tx.transaction(async (sp) => {
      const [row] = await sp
        .insert(tables.groups)
        .values({ customerId, ...values })
        .returning();
      return row!;
    });
  } catch (error) {
    if (sqlState(error) === '23505') throw groupNameTaken(values.name);
    throw error;
  }
}

export async function updateGroupRow(
  tx: DbOrTx,
  customerId: string,
  groupId: string,
  set: Partial<Pick<GroupRow, 'name' | 'description' | 'membershipRule' | 'licenses'>>,
): Promise<GroupRow> {
  try {
    return await tx.transaction(async (sp) => {
      const [row] = await sp
        .update(tables.groups)
        .set({ ...set, updatedAt: sql`now()` })
        .where(and(eq(tables.groups.customerId, customerId), eq(tables.groups.id, groupId)))
        .returning();
      return row!;
    });
  } catch (error) {
    if (sqlState(error) === '23505' && set.name !== undefined) throw groupNameTaken(set.name);
    throw error;
  }
}

/** Deletes the group and its memberships (its rows of members' licenses are left to its jobs). */
export async function deleteGroupRow(tx: DbOrTx, customerId: string, groupId: string): Promise<void> {
  await tx.execute(sql`
    WITH m AS (DELETE FROM group_members WHERE customer_id = ${customerId} AND group_id = ${groupId})
    DELETE FROM groups WHERE customer_id = ${customerId} AND id = ${groupId}`);
}

/** Whether members hold, wait for or failed anything through the group (its jobs have work left). */
export async function groupHasRows(tx: DbOrTx, customerId: string, groupId: string): Promise<boolean> {
  const [row] = await tx.execute<{ any: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM group_license_states WHERE customer_id = ${customerId} AND group_id = ${groupId}) AS any`);
  return row!.any;
}

/** The products members still hold, wait for or were refused through the group (sorted). */
export async function groupRowProducts(tx: DbOrTx, customerId: string, groupId: string): Promise<string[]> {
  const rows = await tx.execute<{ product_id: string }>(sql`
    SELECT DISTINCT product_id FROM group_license_states
    WHERE customer_id = ${customerId} AND group_id = ${groupId} ORDER BY product_id`);
  return rows.map((r) => r.product_id);
}

/** Users of the customer among `ids`, as a query yielding `user_id` (for createGroupJob). */
export const usersAmong = (ids: readonly string[]) => sql`SELECT unnest(${sql.param([...ids])}::uuid[]) AS user_id`;

/** Every member of the group and every user with a row of it (what a change of its licenses affects). */
export const membersAndHolders = (customerId: string, groupId: string) => sql`
  SELECT user_id FROM group_members WHERE customer_id = ${customerId} AND group_id = ${groupId}
  UNION SELECT user_id FROM group_license_states WHERE customer_id = ${customerId} AND group_id = ${groupId}`;

/** Members with an `error` or `waiting` row of the group (reprocessed when the group changes). */
export const membersNotSettled = (customerId: string, groupId: string) => sql`
  SELECT user_id FROM group_license_states
  WHERE customer_id = ${customerId} AND group_id = ${groupId} AND state <> 'active'`;

/** Adds users of the customer to a static group; answers how many were not members before. */
export async function addMembers(tx: DbOrTx, customerId: string, groupId: string, userIds: string[]): Promise<number> {
  // The users added are locked (KEY SHARE: no other change of theirs waits) until this commits: a
  // user's delete in flight is waited for, and its user is then not found, where without the lock
  // the delete removed the user's memberships before this one's was inserted, leaving a member
  // without a user. A delete that comes later waits for this, and then removes the membership.
  const [row] = await tx.execute<{ n: number }>(sql`
    WITH added AS (
      INSERT INTO group_members (customer_id, group_id, user_id)
      SELECT ${customerId}::uuid, ${groupId}::uuid, u.id FROM users u
      WHERE u.customer_id = ${customerId} AND u.id = any(${sql.param(userIds)}::uuid[])
      FOR KEY SHARE OF u
      ON CONFLICT DO NOTHING RETURNING 1)
    SELECT count(*)::int AS n FROM added`);
  return row!.n;
}

export async function removeMembers(
  tx: DbOrTx,
  customerId: string,
  groupId: string,
  userIds: string[],
): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(sql`
    WITH removed AS (
      DELETE FROM group_members
      WHERE customer_id = ${customerId} AND group_id = ${groupId} AND user_id = any(${sql.param(userIds)}::uuid[])
      RETURNING 1)
    SELECT count(*)::int AS n FROM removed`);
  return row!.n;
}

/**
 * The membership of a dynamic group brought in line with its rule, as CTEs for createGroupJob:
 * `joined` and `left` yield the users who join and leave (set-based, whatever the group's size).
 */
export function syncDynamicMembers(customerId: string, groupId: string, rule: MembershipRule, country: string): SQL {
  return sql`
    matching AS MATERIALIZED (
      SELECT u.id FROM users u WHERE u.customer_id = ${customerId} AND (${membershipRuleCondition(rule, country)})),
    left_group AS (
      DELETE FROM group_members m
      WHERE m.customer_id = ${customerId} AND m.group_id = ${groupId} AND NOT EXISTS (SELECT 1 FROM matching x WHERE x.id = m.user_id)
      RETURNING m.user_id),
    joined AS (
      INSERT INTO group_members (customer_id, group_id, user_id)
      SELECT ${customerId}::uuid, ${groupId}::uuid, x.id FROM matching x
      ON CONFLICT DO NOTHING RETURNING user_id)`;
}

/** A page of a group's members (sorted as the user list), each with its licenses and license states. */
export async function pageOfMembers(
  db: DbOrTx,
  customerId: string,
  groupId: string,
  query: PageQuery & { state?: 'active' | 'waiting' | 'error' },
): Promise<{ items: UserListRow[]; total: number }> {
  const columns = sql`p.id, p.customer_id AS "customerId", p.user_principal_name AS "userPrincipalName",
    p.display_name AS "displayName", p.usage_location AS "usageLocation", p.department,
    ${licenseColumns(customerId, sql`p.id`)}`;
  const page = sql`LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`;
  if (query.state === 'waiting') {
    // The waiting room in the order seats are handed out: the longest waiting first.
    const [items, [total]] = await Promise.all([
      db.execute<UserListRow>(sql`
        SELECT ${columns}
        FROM (
          SELECT u.*, w.since AS waiting_since
          FROM (SELECT s.user_id, min(s.since) AS since FROM group_license_states s
                WHERE s.customer_id = ${customerId} AND s.group_id = ${groupId} AND s.state = 'waiting'
                GROUP BY s.user_id) w
          JOIN group_members m ON m.customer_id = ${customerId} AND m.group_id = ${groupId} AND m.user_id = w.user_id
          JOIN users u ON u.customer_id = m.customer_id AND u.id = m.user_id
          ORDER BY w.since, u.display_name, u.user_principal_name, u.id
          ${page}) p
        ORDER BY p.waiting_since, p.display_name, p.user_principal_name, p.id`),
      db.execute<{ n: number }>(sql`
        SELECT count(DISTINCT s.user_id)::int AS n FROM group_license_states s
        JOIN group_members m ON m.customer_id = s.customer_id AND m.group_id = s.group_id AND m.user_id = s.user_id
        WHERE s.customer_id = ${customerId} AND s.group_id = ${groupId} AND s.state = 'waiting'`),
    ]);
    return { items: [...items], total: total!.n };
  }
  const inState = query.state
    ? sql`AND EXISTS (SELECT 1 FROM group_license_states s WHERE s.customer_id = m.customer_id AND s.user_id = m.user_id
                      AND s.group_id = m.group_id AND s.state = ${query.state})`
    : sql``;
  const [items, [total]] = await Promise.all([
    db.execute<UserListRow>(sql`
      SELECT ${columns}
      FROM (
        SELECT u.* FROM group_members m JOIN users u ON u.customer_id = m.customer_id AND u.id = m.user_id
        WHERE m.customer_id = ${customerId} AND m.group_id = ${groupId} ${inState}
        ORDER BY u.display_name, u.user_principal_name, u.id
        ${page}) p
      ORDER BY p.display_name, p.user_principal_name, p.id`),
    db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM group_members m
      WHERE m.customer_id = ${customerId} AND m.group_id = ${groupId} ${inState}`),
  ]);
  return { items: [...items], total: total!.n };
}

/**
 * Users created, changed or about to be re-evaluated: each dynamic group's membership of them is
 * brought in line with its rule (set-based per group), and every group where one of them joins or
 * leaves, or has a row not `active`, gets a job for those users (when the group grants anything or
 * still has rows). Run in the transaction of the users' change; answers the jobs created.
 */
export async function groupJobsForChangedUsers(
  tx: DbOrTx,
  input: { partnerId: string; customerId: string; userIds: string[]; country: string },
): Promise<{ id: string; userCount: number }[]> {
  const { customerId, userIds, country } = input;
  if (userIds.length === 0) return [];
  // Shared locks: users change side by side; a change of a group (its rule, licenses, members) waits.
  const groups = await tx.execute<{
    id: string;
    membership_rule: MembershipRule | null;
    licenses: GroupLicense[];
    has_rows: boolean;
  }>(sql`
    SELECT g.id, g.membership_rule, g.licenses,
      EXISTS (SELECT 1 FROM group_license_states s WHERE s.customer_id = g.customer_id AND s.group_id = g.id) AS has_rows
    FROM groups g
    WHERE g.customer_id = ${customerId}
      AND (g.membership_rule IS NOT NULL OR EXISTS (
        SELECT 1 FROM group_license_states s WHERE s.customer_id = g.customer_id AND s.group_id = g.id
          AND s.user_id = any(${sql.param(userIds)}::uuid[]) AND s.state <> 'active'))
    ORDER BY g.id FOR SHARE OF g`);
  const jobs: { id: string; userCount: number }[] = [];
  for (const g of groups) {
    const unsettled = sql`
      SELECT user_id FROM group_license_states
      WHERE customer_id = ${customerId} AND group_id = ${g.id} AND user_id = any(${sql.param(userIds)}::uuid[]) AND state <> 'active'`;
    const ctes = g.membership_rule
      ? sql`
        matching AS MATERIALIZED (
          SELECT u.id FROM users u
          WHERE u.customer_id = ${customerId} AND u.id = any(${sql.param(userIds)}::uuid[]) AND (${membershipRuleCondition(g.membership_rule, country)})),
        left_group AS (
          DELETE FROM group_members m
          WHERE m.customer_id = ${customerId} AND m.group_id = ${g.id} AND m.user_id = any(${sql.param(userIds)}::uuid[])
            AND NOT EXISTS (SELECT 1 FROM matching x WHERE x.id = m.user_id)
          RETURNING m.user_id),
        joined AS (
          INSERT INTO group_members (customer_id, group_id, user_id)
          SELECT ${customerId}::uuid, ${g.id}::uuid, x.id FROM matching x
          ON CONFLICT DO NOTHING RETURNING user_id)`
      : undefined;
    if (g.licenses.length === 0 && !g.has_rows) {
      // Nothing to grant: the membership alone changes.
      if (ctes)
        await tx.execute(sql`WITH ${ctes} SELECT (SELECT count(*) FROM left_group) + (SELECT count(*) FROM joined)`);
      continue;
    }
    const job = await createGroupJob(tx, {
      partnerId: input.partnerId,
      customerId,
      groupId: g.id,
      assign: g.licenses,
      revoke: [],
      ctes,
      affected: ctes
        ? sql`SELECT user_id FROM left_group UNION SELECT user_id FROM joined UNION ${unsettled}`
        : unsettled,
    });
    if (job) jobs.push(job);
  }
  return jobs;
}
