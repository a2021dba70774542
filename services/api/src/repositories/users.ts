// Users are always addressed through their customer, which the caller has already scoped to its partner.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { addJobProgress, countSeats, releaseReservedSeats, tables, type Db, type DbOrTx } from '@licensing/db';
import { evaluateUserChanges, progressDeltas, type AssignChange, type License } from '@licensing/domain';
import type { PageQuery } from '../schemas/common.ts';
import type { CreateUser, UpdateUser, User } from '../schemas/users.ts';
import type { UserFilter } from '../schemas/user-selection.ts';
import { licenseColumns, pageOfUsers, planUserFilter, sortsOff } from './user-selection.ts';

const userColumns = {
  id: tables.users.id,
  customerId: tables.users.customerId,
  userPrincipalName: tables.users.userPrincipalName,
  displayName: tables.users.displayName,
  usageLocation: tables.users.usageLocation,
  department: tables.users.department,
};
type UserRow = Omit<User, 'licenses' | 'licenseStates'>;

/**
 * Inserts users in one statement; all or nothing. Unique violations surface as Postgres 23505.
 * The rows travel as three array parameters (unnested in request order), not as one VALUES row of
 * four parameters per user: a 10,000-user batch would be a statement of 40,000 parameters, which
 * drizzle's builder turns into SQL at a cost in memory and time out of all proportion.
 */
export async function insertUsers(db: DbOrTx, customerId: string, input: CreateUser[]): Promise<User[]> {
  const rows = await db.execute<{
    id: string;
    customer_id: string;
    user_principal_name: string;
    display_name: string;
    usage_location: string | null;
    department: string | null;
  }>(sql`
    INSERT INTO users (customer_id, user_principal_name, display_name, usage_location, department)
    SELECT ${customerId}::uuid, u.upn, u.display_name, u.usage_location, u.department
    FROM unnest(${sql.param(input.map((u) => u.userPrincipalName))}::text[], ${sql.param(input.map((u) => u.displayName))}::text[],
      ${sql.param(input.map((u) => u.usageLocation ?? null))}::text[], ${sql.param(input.map((u) => u.department ?? null))}::text[])
      WITH ORDINALITY AS u(upn, display_name, usage_location, department, n)
    ORDER BY u.n
    RETURNING id, customer_id, user_principal_name, display_name, usage_location, department`);
  // Names are stored exactly as given (already NFKC-normalised) and unique within the batch.
  const byUpn = new Map(rows.map((r) => [r.user_principal_name, r]));
  return input.map((u) => {
    const r = byUpn.get(u.userPrincipalName)!;
    return {
      id: r.id,
      customerId: r.customer_id,
      userPrincipalName: r.user_principal_name,
      displayName: r.display_name,
      usageLocation: r.usage_location,
      department: r.department,
      licenses: [],
      licenseStates: [],
    };
  });
}

/**
 * Which of these user principal names the customer already has under the same key (Unicode form,
 * case and cross-script look-alikes aside); the key is computed by the function the `users.upn_key`
 * column is (migration 0012).
 */
export async function existingPrincipalNames(db: DbOrTx, customerId: string, names: string[]): Promise<string[]> {
  const rows = await db.execute<{ upn: string }>(sql`
    SELECT user_principal_name AS upn FROM users
    WHERE customer_id = ${customerId}
      AND upn_key = ANY (SELECT user_principal_name_key(n) FROM unnest(${sql.param(names)}::text[]) AS n)`);
  return rows.map((r) => r.upn);
}

/** The licenses of some of a customer's users. */
export async function licensesOf(db: DbOrTx, customerId: string, userIds: string[]): Promise<Map<string, License[]>> {
  const result = new Map<string, License[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return result;
  const rows = await db
    .select({
      userId: tables.userLicenses.userId,
      productId: tables.userLicenses.productId,
      disabledServicePlans: tables.userLicenses.disabledServicePlans,
    })
    .from(tables.userLicenses)
    .where(and(eq(tables.userLicenses.customerId, customerId), inArray(tables.userLicenses.userId, userIds)))
    .orderBy(asc(tables.userLicenses.assignedAt), asc(tables.userLicenses.productId));
  for (const r of rows)
    result.get(r.userId)?.push({ productId: r.productId, disabledServicePlans: r.disabledServicePlans });
  return result;
}

export async function getUser(db: DbOrTx, customerId: string, userId: string): Promise<User | undefined> {
  const [row] = await db.execute<User>(sql`
    SELECT u.id, u.customer_id AS "customerId", u.user_principal_name AS "userPrincipalName",
      u.display_name AS "displayName", u.usage_location AS "usageLocation", u.department,
      ${licenseColumns(customerId, sql`u.id`)}
    FROM users u WHERE u.customer_id = ${customerId} AND u.id = ${userId}`);
  return row;
}

/**
 * A page of the customer's users matching the filter, sorted by display name, principal name and id,
 * with how many match in all; `totalIsEstimate` when that number is estimated (see pageOfUsers).
 * Read in one snapshot.
 */
export async function listUsers(
  db: Db,
  customerId: string,
  query: PageQuery & UserFilter,
): Promise<{ items: User[]; total: number; totalIsEstimate: boolean }> {
  return db.transaction(
    async (tx) => {
      const off = sortsOff(tx);
      const plan = await planUserFilter(tx, customerId, query);
      await off;
      const page = await pageOfUsers(tx, plan, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
      return { items: page.rows, total: page.total, totalIsEstimate: page.estimated };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Changes a user's display name, usage location and/or department; its licenses stay as they are (a worker
 * applying a job to the user holds the user's row lock, so the two take turns). Undefined when the
 * customer has no such user.
 */
export async function updateUser(
  db: DbOrTx,
  customerId: string,
  userId: string,
  changes: UpdateUser,
): Promise<User | undefined> {
  const set: Partial<typeof tables.users.$inferInsert> = {};
  if (changes.displayName !== undefined) set.displayName = changes.displayName;
  if (changes.usageLocation !== undefined) set.usageLocation = changes.usageLocation;
  if (changes.department !== undefined) set.department = changes.department;
  if (Object.keys(set).length === 0) return getUser(db, customerId, userId);
  const [row] = await db
    .update(tables.users)
    .set(set)
    .where(and(eq(tables.users.customerId, customerId), eq(tables.users.id, userId)))
    .returning(userColumns);
  if (!row) return undefined;
  return getUser(db, customerId, row.id);
}

/** The users among `userIds` that belong to the customer, sorted as in the user list. */
export async function findCustomerUsers(db: DbOrTx, customerId: string, userIds: string[]): Promise<UserRow[]> {
  return db
    .select(userColumns)
    .from(tables.users)
    .where(and(eq(tables.users.customerId, customerId), sql`${tables.users.id} = any(${sql.param(userIds)}::uuid[])`))
    .orderBy(asc(tables.users.displayName), asc(tables.users.userPrincipalName), asc(tables.users.id));
}

/**
 * Deletes a user and with it its licenses, which frees their seats; the caller opens the
 * transaction. The row lock taken by the first statement waits for any worker applying changes to
 * this user, so the two never interleave; the later statements' snapshots include whatever that
 * worker committed. The user's items still pending in unfinished jobs end here as the worker would
 * report them (`failed`, `UserNotFound`), which ends their seat reservations at once, in the same
 * transaction. Answers the jobs of those items, for the caller to finish once this has committed
 * (finalizeJobsIfDone), or undefined when the customer has no such user.
 */
export async function deleteUser(
  tx: DbOrTx,
  customerId: string,
  userId: string,
): Promise<{ jobIds: string[] } | undefined> {
  const rows = await tx
    .delete(tables.users)
    .where(and(eq(tables.users.customerId, customerId), eq(tables.users.id, userId)))
    .returning({ id: tables.users.id });
  if (rows.length === 0) return undefined;
  await tx
    .delete(tables.userLicenses)
    .where(and(eq(tables.userLicenses.customerId, customerId), eq(tables.userLicenses.userId, userId)));
  // A deleted user leaves every group, and its rows of them (sources, waiting, errors) go with it.
  await tx.execute(sql`
    WITH m AS (DELETE FROM group_members WHERE customer_id = ${customerId} AND user_id = ${userId})
    DELETE FROM group_license_states WHERE customer_id = ${customerId} AND user_id = ${userId}`);
  // Pending items belong to the customer's unfinished jobs: the index range skips the user's history.
  const pending = await tx.execute<{ job_id: string; job_seq: string; assign: AssignChange[]; revoke: string[] }>(sql`
    SELECT i.job_id, i.job_seq, coalesce(i.request -> 'assign', j.assign) AS assign,
      coalesce(i.request -> 'revoke', j.revoke) AS revoke
    FROM license_job_items i JOIN license_jobs j ON j.customer_id = i.customer_id AND j.id = i.job_id
    WHERE i.customer_id = ${customerId} AND i.user_id = ${userId} AND i.status = 'pending'
      AND i.job_seq >= (SELECT min(seq) FROM license_jobs WHERE customer_id = ${customerId} AND finished_at IS NULL)
    ORDER BY i.job_seq`);
  if (pending.length === 0) return { jobIds: [] };
  const outcomes = pending.map((p) => {
    const evaluation = evaluateUserChanges({
      catalog: new Map(),
      user: null,
      changes: { assign: p.assign, revoke: p.revoke },
      hasSeat: () => false,
    });
    return { jobId: p.job_id, jobSeq: p.job_seq, changes: evaluation.changes, errorCodes: evaluation.errorCodes };
  });
  // Only items still pending are ended (a cancel may have ended some since they were read); what
  // the update returns is what the progress and the reserved seats counters account for.
  const ended = await tx.execute<{ job_id: string; reserved_products: string[] }>(sql`
    UPDATE license_job_items i
    SET status = 'failed', changes = x.changes, error_codes = x.error_codes, finished_at = now()
    FROM jsonb_to_recordset(${sql.param(JSON.stringify(outcomes.map((o) => ({ job_seq: o.jobSeq, changes: o.changes, error_codes: o.errorCodes }))))}::jsonb)
      AS x(job_seq bigint, changes jsonb, error_codes text[])
    WHERE i.customer_id = ${customerId} AND i.user_id = ${userId} AND i.job_seq = x.job_seq AND i.status = 'pending'
    RETURNING i.job_id, i.reserved_products`);
  const codesOf = new Map(outcomes.map((o) => [o.jobId, o.errorCodes]));
  await addJobProgress(
    tx,
    customerId,
    progressDeltas(
      ended.map((e) => ({ jobId: e.job_id, status: 'failed' as const, errorCodes: codesOf.get(e.job_id)! })),
    ),
  );
  await releaseReservedSeats(tx, countSeats(ended.map((e) => ({ customerId, productIds: e.reserved_products }))));
  return { jobIds: ended.map((e) => e.job_id) };
}
