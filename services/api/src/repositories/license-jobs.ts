// Bulk license jobs. Every query is scoped by customer, which the caller has scoped to its partner.
import type { RecentlyBusyUsers } from '../recently-busy-users.ts';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  addJobProgress,
  addReservedSeats,
  countJobSummaries,
  finishJobIfDone,
  releaseReservedSeats,
  preparedQuery,
  tables,
  type Db,
  type DbOrTx,
  type DeliveryRef,
  jobRefParams,
  type JobRef,
  type JobRow,
  recordJobFinished,
  type postgresClientOf,
} from '@licensing/db';
import { conflict, ProblemError, unprocessable } from '@licensing/http';
import type { AssignChange, ChangeResult, JobResultStatus, RequestedChanges } from '@licensing/domain';
import type { ChangeErrorFields } from '@licensing/i18n';
import type { PageQuery } from '../schemas/common.ts';
import type { ListJobsQuery } from '../schemas/license-jobs.ts';
import { seatUsage } from './seats.ts';
import { findCustomerUsers } from './users.ts';
import { userFilterTuning, withSortsOff } from './user-selection.ts';

export interface NewLicenseJob {
  partnerId: string;
  customerId: string;
  userIds: string[];
  assign: Required<AssignChange>[];
  revoke: string[];
  idempotencyKey?: string;
  clientReference?: string;
  /** The finished job whose failed and cancelled users this one retries. */
  retryOf?: string;
  /** Refuse the job if any of its users already has this many unfinished jobs (see `refuseBusyUsers`). */
  pendingJobsPerUser?: number;
  /** Users refused moments ago for their unfinished jobs: refused again without asking Postgres. */
  recentlyBusy?: RecentlyBusyUsers;
  /** The finished job whose succeeded users this one puts back (with `requests`). */
  revertOf?: string;
  /**
   * Each user's own changes, when they differ from user to user (a revert): `userIds` are then
   * these users, and `assign` and `revoke` list every product some of them get assigned or revoked.
   */
  requests?: ReadonlyMap<string, RequestedChanges>;
  /**
   * When the job may start. While it is ahead by Postgres's clock the job is `scheduled` (the worker's
   * scheduler queues it at that time); a time that has come makes it `queued` as without one.
   */
  notBefore?: Date | null;
}

/**
 * Creates the job, its per-user items and the seat reservations in the caller's transaction.
 *
 * Seat invariant: for every subscription, assigned + reserved <= quantity. Every decision that
 * TAKES a seat holds the subscription row lock (FOR UPDATE) and checks the sum after its own
 * writes, in one statement; everything else only converts a reservation into an assignment in one
 * commit (sum unchanged) or frees seats (sum lower). So checking after inserting under the lock is
 * enough, and if any product falls short the whole transaction rolls back: nothing is reserved.
 */
export async function createJobWithReservations(
  tx: DbOrTx,
  input: NewLicenseJob,
): Promise<{ job: JobRow; reserved: Map<string, number> }> {
  const assignedProducts = input.assign.map((a) => a.productId).sort();
  // Before any lock is taken: a refusal must not hold the subscriptions that the customer's other
  // job acceptances and its workers wait for.
  if (input.pendingJobsPerUser !== undefined)
    await refuseBusyUsers(tx, input.customerId, input.userIds, input.pendingJobsPerUser, input.recentlyBusy);
  const locked = assignedProducts.length
    ? await tx.execute<{ product_id: string; quantity: number }>(sql`
        SELECT product_id, quantity FROM subscriptions
        WHERE customer_id = ${input.customerId} AND product_id = any(${sql.param(assignedProducts)}::text[])
        ORDER BY product_id FOR UPDATE`)
    : [];
  const quantities = new Map(locked.map((r) => [r.product_id, r.quantity]));
  const unsubscribed = assignedProducts.filter((p) => !quantities.has(p));
  if (unsubscribed.length) {
    throw unprocessable(
      'no_subscription',
      `The customer has no subscription to ${unsubscribed.map((p) => `"${p}"`).join(', ')}.`,
      { productIds: unsubscribed },
    );
  }

  const [job] = await tx
    .insert(tables.licenseJobs)
    .values({
      partnerId: input.partnerId,
      customerId: input.customerId,
      status: input.notBefore
        ? sql`CASE WHEN ${input.notBefore.toISOString()}::timestamptz > now() THEN 'scheduled' ELSE 'queued' END`
        : 'queued',
      notBefore: input.notBefore ?? null,
      assign: input.assign,
      revoke: input.revoke,
      userCount: input.userIds.length,
      idempotencyKey: input.idempotencyKey ?? null,
      clientReference: input.clientReference ?? null,
      retryOf: input.retryOf ?? null,
      revertOf: input.revertOf ?? null,
    })
    .returning();

  // Items snapshot each user's names (a deleted user is still reported) and list position, and
  // reserve one seat of every assigned product the user does not hold yet: the reservation is part
  // of the item and lasts while it is pending. Most users hold none of the products and get the
  // assigned list as it is (sorted in JS); a job that assigns nothing looks for nothing held.
  // Answers counts, not 50,000 rows: how many users were found, and the seats reserved per product.
  // A large job's users are read in list order from the sort index, each tested against the ids
  // through a hash table (see selectedUsersWithProducts): sorting 50,000 users by name costs more;
  // what they hold is read in one pass over the customer's licenses of the products.
  // What a small job's users hold is found license by license, each a lookup of its whole key
  // (customer, user, product), which any index of user_licenses answers alike (a scalar subquery:
  // an EXISTS became a join that used the key without the product), and once (materialized); a
  // user who holds none of the products gets an empty list, which reserves them all as no list
  // does. With statistics that predated the customer's licenses (autovacuum off, a flood of writes
  // that never paused for an analysis), the planner took the customer for a handful of rows and
  // read all of its licenses for every job, in a flood's plans once per user of the job: 100-user
  // jobs posted over and over cost 5-8 ms each, and their acceptance became Postgres's main cost.
  const large = input.userIds.length > userFilterTuning.listOrderFrom;
  const heldRows = !assignedProducts.length
    ? sql`SELECT NULL::uuid AS user_id, NULL::text[] AS products WHERE false`
    : large
      ? sql`
      SELECT l.user_id, array_agg(l.product_id) AS products FROM user_licenses l
      WHERE l.customer_id = ${input.customerId} AND l.product_id = any(${sql.param(assignedProducts)}::text[])
        AND (l.user_id IN (SELECT id FROM sel)) IS TRUE
      GROUP BY l.user_id`
      : sql`
      SELECT s.id AS user_id, array(
          SELECT p FROM unnest(${sql.param(assignedProducts)}::text[]) AS p
          WHERE (SELECT 1 FROM user_licenses l
                 WHERE l.customer_id = ${input.customerId} AND l.user_id = s.id AND l.product_id = p) = 1) AS products
      FROM unnest(${sql.param(input.userIds)}::uuid[]) AS s(id)`;
  const selected = large
    ? sql`(u.id IN (SELECT id FROM sel)) IS TRUE`
    : sql`u.id = any(${sql.param(input.userIds)}::uuid[])`;
  const statement = sql`
    WITH sel AS MATERIALIZED (SELECT unnest(${sql.param(large ? input.userIds : [])}::uuid[]) AS id),
    held AS MATERIALIZED (${heldRows}),
    ordered AS MATERIALIZED (
      SELECT u.id, u.user_principal_name, u.display_name,
             row_number() OVER (ORDER BY u.display_name, u.user_principal_name, u.id) AS position
      FROM users u WHERE u.customer_id = ${input.customerId} AND ${selected}),
    items AS (
      INSERT INTO license_job_items (customer_id, job_id, user_id, job_seq, position, user_principal_name, display_name, reserved_products)
      SELECT ${input.customerId}::uuid, ${job!.id}, u.id, ${job!.seq}, u.position, u.user_principal_name, u.display_name,
             CASE WHEN h.products IS NULL THEN ${sql.param(assignedProducts)}::text[]
                  ELSE array(SELECT p FROM unnest(${sql.param(assignedProducts)}::text[]) AS p WHERE p <> ALL (h.products) ORDER BY p) END
      FROM ordered u LEFT JOIN held h ON h.user_id = u.id
      RETURNING reserved_products)
    SELECT (SELECT count(*)::int FROM items) AS users,
           (SELECT jsonb_object_agg(p, (SELECT count(*)::int FROM items WHERE p = any(items.reserved_products)))
            FROM unnest(${sql.param(assignedProducts)}::text[]) AS p) AS reserved`;
  type Inserted = { users: number; reserved: Record<string, number> | null };
  const [inserted] = (input.requests
    ? await tx.execute<Inserted>(insertItemsWithRequests(input, job!, assignedProducts))
    : large
      ? await withSortsOff(tx, (sp) => sp.execute<Inserted>(statement))
      : await tx.execute<Inserted>(statement)) as unknown as [Inserted];
  if (inserted.users !== input.userIds.length) {
    const found = new Set((await findCustomerUsers(tx, input.customerId, input.userIds)).map((u) => u.id));
    const unknown = input.userIds.filter((id) => !found.has(id));
    throw unprocessable('unknown_users', `${unknown.length} of the selected users do not exist in this customer.`, {
      userIds: unknown,
    });
  }

  if (assignedProducts.length === 0) return { job: job!, reserved: new Map() };
  const mine = new Map<string, number>(Object.entries(inserted.reserved ?? {}));
  await addReservedSeats(
    tx,
    [...mine].map(([productId, seats]) => ({ customerId: input.customerId, productId, seats })),
  );
  const usage = await seatUsage(tx, input.customerId, assignedProducts);
  const shortages = assignedProducts.flatMap((productId) => {
    const required = mine.get(productId) ?? 0;
    const { assigned, reserved } = usage.get(productId)!;
    const quantity = quantities.get(productId)!;
    if (assigned + reserved <= quantity) return [];
    return [{ productId, required, available: Math.max(0, quantity - assigned - (reserved - required)) }];
  });
  if (shortages.length) {
    throw conflict(
      'insufficient_licenses',
      `Not enough available licenses: ${shortages.map((s) => `"${s.productId}" needs ${s.required}, ${s.available} available`).join('; ')}.`,
      { shortages },
    );
  }
  return { job: job!, reserved: mine };
}

/** Seconds a client refused for its users' unfinished jobs should wait before trying again. */
const BUSY_USERS_RETRY_AFTER_SECONDS = 5;

/**
 * Bounded work per user: a job is refused (429 `too_many_pending_jobs`, nothing created) when any
 * of its users already has `limit` unfinished jobs, so that jobs piled on the same users (a script
 * re-posting in a loop) cannot grow a queue of changes nobody waits for. Most customers have fewer
 * unfinished jobs than the limit, and then no user can be at it: the users are looked at only when
 * the customer has at least `limit` unfinished jobs, each by its own short index range (its pending
 * items of those jobs, at most `limit` of them).
 */
async function refuseBusyUsers(
  tx: DbOrTx,
  customerId: string,
  userIds: string[],
  limit: number,
  recentlyBusy?: RecentlyBusyUsers,
): Promise<void> {
  const [unfinished] = await tx.execute<{ n: number; first: string | null }>(sql`
    SELECT count(*)::int AS n, min(seq)::text AS first FROM license_jobs
    WHERE customer_id = ${customerId} AND finished_at IS NULL`);
  if (!unfinished || unfinished.n < limit) return;
  const known = recentlyBusy?.busyAmong(customerId, userIds) ?? [];
  if (known.length > 0) throw busyUsersProblem(known, limit);
  const busy = await tx.execute<{ user_id: string }>(sql`
    SELECT q.user_id FROM unnest(${sql.param(userIds)}::uuid[]) AS q(user_id)
    WHERE (SELECT count(*) FROM (
             SELECT 1 FROM license_job_items i
             WHERE i.customer_id = ${customerId} AND i.user_id = q.user_id AND i.status = 'pending'
               AND i.job_seq >= ${unfinished.first}::bigint
             LIMIT ${limit}) AS x) >= ${limit}
    LIMIT 100`);
  if (busy.length === 0) return;
  const userIdsBusy = busy.map((b) => b.user_id);
  recentlyBusy?.remember(customerId, userIdsBusy);
  throw busyUsersProblem(userIdsBusy, limit);
}

function busyUsersProblem(userIds: string[], limit: number): ProblemError {
  return new ProblemError(
    429,
    'too_many_pending_jobs',
    `${userIds.length === 100 ? 'At least 100' : userIds.length} of the selected users already have ${limit} unfinished jobs; ` +
      'wait for them to finish (or cancel them) before starting another for these users.',
    { userIds, limit },
    { 'retry-after': String(BUSY_USERS_RETRY_AFTER_SECONDS) },
  );
}

/**
 * The items of a job whose users each have their own changes: as createJobWithReservations inserts
 * them, each with its `request`, and a seat reserved for every product the user is assigned and does
 * not hold yet.
 */
function insertItemsWithRequests(input: NewLicenseJob, job: JobRow, assignedProducts: string[]) {
  const requests = [...input.requests!].map(([userId, r]) => ({
    user_id: userId,
    request: r,
    products: [...new Set(r.assign.map((a) => a.productId))].sort(),
  }));
  return sql`
    WITH req AS (
      SELECT x.user_id, x.request, x.products
      FROM jsonb_to_recordset(${sql.param(JSON.stringify(requests))}::jsonb) AS x(user_id uuid, request jsonb, products text[])),
    items AS (
      INSERT INTO license_job_items (customer_id, job_id, user_id, job_seq, position, user_principal_name, display_name, reserved_products, request)
      SELECT ${input.customerId}::uuid, ${job.id}, u.id, ${job.seq},
             row_number() OVER (ORDER BY u.display_name, u.user_principal_name, u.id),
             u.user_principal_name, u.display_name,
             -- Each product the user does not hold yet, looked up by its whole key (see createJobWithReservations).
             array(SELECT p FROM unnest(r.products) AS p
                   WHERE (SELECT 1 FROM user_licenses l
                          WHERE l.customer_id = ${input.customerId} AND l.user_id = u.id AND l.product_id = p) IS NULL
                   ORDER BY p),
             r.request
      FROM req r JOIN users u ON u.customer_id = ${input.customerId} AND u.id = r.user_id
      RETURNING reserved_products)
    SELECT (SELECT count(*)::int FROM items) AS users,
           (SELECT jsonb_object_agg(p, (SELECT count(*)::int FROM items WHERE p = any(items.reserved_products)))
            FROM unnest(${sql.param(assignedProducts)}::text[]) AS p) AS reserved`;
}

const jobOfCustomer = preparedQuery((db) =>
  db
    .select()
    .from(tables.licenseJobs)
    .where(
      and(
        eq(tables.licenseJobs.customerId, sql.placeholder('customerId')),
        eq(tables.licenseJobs.id, sql.placeholder('jobId')),
      ),
    )
    .prepare('job_of_customer'),
);

export async function getJobRow(db: Db, customerId: string, jobId: string): Promise<JobRow | undefined> {
  const [row] = await jobOfCustomer(db).execute({ customerId, jobId });
  return row;
}

/**
 * Jobs of several customers: only for jobs already scoped to the caller when they were first looked
 * up (the job-event watcher polls the jobs its streams were opened on).
 */
export async function jobRowsByRefs(db: DbOrTx, jobs: readonly JobRef[]): Promise<JobRow[]> {
  if (jobs.length === 0) return [];
  const { customerIds, ids } = jobRefParams(jobs);
  return db
    .select()
    .from(tables.licenseJobs)
    .where(and(inArray(tables.licenseJobs.customerId, customerIds), inArray(tables.licenseJobs.id, ids)));
}

export async function listJobRows(
  db: DbOrTx,
  customerId: string,
  query: ListJobsQuery,
): Promise<{ items: JobRow[]; total: number }> {
  const jobs = tables.licenseJobs;
  const where = and(
    eq(jobs.customerId, customerId),
    query.status ? inArray(jobs.status, query.status) : undefined,
    query.clientReference !== undefined ? eq(jobs.clientReference, query.clientReference) : undefined,
    query.groupId !== undefined ? eq(jobs.sourceGroupId, query.groupId) : undefined,
  );
  const [items, [totals]] = await Promise.all([
    db
      .select()
      .from(tables.licenseJobs)
      .where(where)
      .orderBy(desc(tables.licenseJobs.seq))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: count() }).from(tables.licenseJobs).where(where),
  ]);
  return { items, total: totals?.total ?? 0 };
}

export async function listJobResults(db: DbOrTx, job: JobRef, query: PageQuery & { status?: JobResultStatus }) {
  const items = tables.licenseJobItems;
  const where = and(
    eq(items.customerId, job.customerId),
    eq(items.jobId, job.id),
    query.status ? eq(items.status, query.status) : undefined,
  );
  const [rows, [totals]] = await Promise.all([
    db
      .select({
        userId: items.userId,
        userPrincipalName: items.userPrincipalName,
        displayName: items.displayName,
        status: items.status,
        changes: items.changes,
      })
      .from(items)
      .where(where)
      .orderBy(asc(items.position))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: count() }).from(items).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      ...r,
      status: r.status as JobResultStatus,
      changes: r.changes ?? [],
    })),
    total: totals?.total ?? 0,
  };
}

/**
 * The users a retry of a finished job selects: those whose result was failed or cancelled and who
 * are still users of the customer, in the job's user-list order, each with its own changes where
 * the job gave each user its own (a revert), null where the job's changes were everyone's.
 */
export async function retryableUsers(
  tx: DbOrTx,
  customerId: string,
  jobId: string,
): Promise<{ userId: string; request: RequestedChanges | null }[]> {
  const rows = await tx.execute<{ user_id: string; request: RequestedChanges | null }>(sql`
    SELECT i.user_id, i.request FROM license_job_items i JOIN users u ON u.customer_id = i.customer_id AND u.id = i.user_id
    WHERE i.customer_id = ${customerId} AND i.job_id = ${jobId} AND i.status IN ('failed', 'cancelled')
    ORDER BY i.position`);
  return rows.map((r) => ({ userId: r.user_id, request: r.request }));
}

/** A succeeded user of a job, with what the job applied to it. */
export interface RevertableUser {
  userId: string;
  done: ChangeResult[];
}

/**
 * The users a revert of a finished job is about: those whose result was succeeded and who are still
 * users of the customer, in the job's user-list order, each with the changes the job applied (with
 * the plan states the worker recorded). A revoke or update recorded without the plans the user had
 * before (applied by an older version) gets them from the user's earlier history where it has them:
 * the plans its latest earlier assign of the product left.
 */
export async function revertableUsers(tx: DbOrTx, customerId: string, job: JobRow): Promise<RevertableUser[]> {
  const rows = await tx.execute<{ user_id: string; changes: ChangeResult[] | null }>(sql`
    SELECT i.user_id, i.changes FROM license_job_items i JOIN users u ON u.customer_id = i.customer_id AND u.id = i.user_id
    WHERE i.customer_id = ${customerId} AND i.job_id = ${job.id} AND i.status = 'succeeded'
    ORDER BY i.position`);
  const users = rows.map((r) => ({ userId: r.user_id, done: r.changes ?? [] }));
  const missing = users.flatMap((u) =>
    u.done
      .filter(
        (c) => (c.outcome === 'revoked' || c.outcome === 'updated') && c.previousDisabledServicePlans === undefined,
      )
      .map((c) => ({ user_id: u.userId, product_id: c.productId })),
  );
  if (missing.length === 0) return users;
  const found = await tx.execute<{ user_id: string; product_id: string; plans: string[] | null }>(sql`
    SELECT q.user_id, q.product_id, (
      SELECT coalesce(c.change -> 'disabledServicePlans', a.change -> 'disabledServicePlans', '[]'::jsonb)
      FROM license_job_items p
      JOIN license_jobs pj ON pj.customer_id = p.customer_id AND pj.id = p.job_id
      CROSS JOIN LATERAL jsonb_array_elements(p.changes) AS c(change)
      LEFT JOIN LATERAL (
        SELECT x AS change FROM jsonb_array_elements(coalesce(p.request -> 'assign', pj.assign)) AS x
        WHERE x ->> 'productId' = q.product_id LIMIT 1) a ON true
      WHERE p.customer_id = ${customerId} AND p.user_id = q.user_id AND p.status = 'succeeded'
        AND (p.finished_at, p.job_seq) < (o.finished_at, o.job_seq) AND c.change ->> 'productId' = q.product_id
        AND c.change ->> 'action' = 'assign' AND c.change ->> 'outcome' IN ('assigned', 'updated')
      ORDER BY p.finished_at DESC, p.job_seq DESC LIMIT 1) AS plans
    FROM jsonb_to_recordset(${sql.param(JSON.stringify(missing))}::jsonb) AS q(user_id uuid, product_id text)
    JOIN license_job_items o ON o.customer_id = ${customerId} AND o.user_id = q.user_id AND o.job_seq = ${job.seq}`);
  const plans = new Map(found.map((f) => [`${f.user_id}/${f.product_id}`, f.plans ?? []]));
  return users.map((u) => ({
    ...u,
    done: u.done.map((c) =>
      (c.outcome === 'revoked' || c.outcome === 'updated') && c.previousDisabledServicePlans === undefined
        ? { ...c, previousDisabledServicePlans: [...(plans.get(`${u.userId}/${c.productId}`) ?? [])].sort() }
        : c,
    ),
  }));
}

export interface JobResultCsvRow {
  user_principal_name: string;
  display_name: string;
  user_id: string;
  status: string;
  product_id: string | null;
  action: string | null;
  outcome: string | null;
  error_code: string | null;
  error_message: string | null;
  error: (ChangeErrorFields & { message: string }) | null;
}

/**
 * A job's results as one row per user and change (a user without changes, such as a pending one:
 * one row with the change columns null), in user-list order, read through a cursor `batchSize` rows
 * at a time: the caller holds one batch in memory, never the whole job. The cursor keeps one pool
 * connection until it is read to the end or its iterator is returned (a client that went away).
 * `job` must already be scoped to the caller's customer.
 */
export function jobResultRowsCursor(
  pg: ReturnType<typeof postgresClientOf>,
  job: JobRef,
  status: JobResultStatus | undefined,
  batchSize = 1000,
): AsyncIterable<JobResultCsvRow[]> {
  return pg<JobResultCsvRow[]>`
    SELECT i.user_principal_name, i.display_name, i.user_id::text AS user_id, i.status,
           c.change ->> 'productId' AS product_id, c.change ->> 'action' AS action, c.change ->> 'outcome' AS outcome,
           c.change #>> '{error,code}' AS error_code, c.change #>> '{error,message}' AS error_message,
           c.change -> 'error' AS error
    FROM license_job_items i
    LEFT JOIN LATERAL jsonb_array_elements(coalesce(i.changes, '[]'::jsonb)) WITH ORDINALITY AS c(change, n) ON true
    WHERE i.customer_id = ${job.customerId} AND i.job_id = ${job.id} ${status ? pg`AND i.status = ${status}` : pg``}
    ORDER BY i.position, c.n`.cursor(batchSize);
}

/** An item's own request (a revert's user) as its changes, every one skipped: revokes first, then assigns. */
const skippedChangesOfRequest = sql`(
  SELECT coalesce(jsonb_agg(jsonb_build_object('productId', c.product_id, 'action', c.action, 'outcome', 'skipped') ORDER BY c.k, c.n), '[]'::jsonb)
  FROM (SELECT r.product_id, 'revoke' AS action, 0 AS k, r.n
        FROM jsonb_array_elements_text(request -> 'revoke') WITH ORDINALITY AS r(product_id, n)
        UNION ALL
        SELECT a.change ->> 'productId', 'assign', 1, a.n
        FROM jsonb_array_elements(request -> 'assign') WITH ORDINALITY AS a(change, n)) c)`;

/**
 * Cancels an unfinished job: its still-pending users become `cancelled` (every change `skipped`,
 * nothing applied) and their reserved seats are released, in one transaction. Users already applied
 * stay applied. A worker that read one of these items before the cancel commits finds it no longer
 * pending when it marks it done, and rolls back its whole batch (see applyUserChanges), so no
 * license is changed for a cancelled user. A job whose users were all applied is finished as they
 * ended (`completed`, …), never cancelled, whether or not the worker had finished it yet: answers
 * 'finished'. `onCancelled` runs in the transaction once the job is known to end cancelled, before
 * its finish is recorded (the caller's audit event of the cancel comes before that of the finish);
 * the finish's `license_job.finished` events are recorded in the same transaction.
 */
export async function cancelJob(
  tx: DbOrTx,
  customerId: string,
  jobId: string,
  onCancelled?: () => Promise<void>,
): Promise<{ outcome: 'cancelled' | 'finished'; delivery?: DeliveryRef } | { outcome: 'not_found' }> {
  const [job] = await tx.execute<{
    id: string;
    finished_at: Date | null;
    assign: AssignChange[];
    revoke: string[];
  }>(sql`
    SELECT id, finished_at, assign, revoke FROM license_jobs WHERE customer_id = ${customerId} AND id = ${jobId} FOR UPDATE`);
  if (!job) return { outcome: 'not_found' };
  if (job.finished_at) return { outcome: 'finished' };
  const changes: ChangeResult[] = [
    ...job.revoke.map((productId) => ({ productId, action: 'revoke' as const, outcome: 'skipped' as const })),
    ...job.assign.map((a) => ({ productId: a.productId, action: 'assign' as const, outcome: 'skipped' as const })),
  ];
  const [{ cancelled, released }] = (await tx.execute<{
    cancelled: number;
    released: Record<string, number> | null;
  }>(sql`
    WITH c AS (
      UPDATE license_job_items
      SET status = 'cancelled', finished_at = now(),
        changes = CASE WHEN request IS NULL THEN ${sql.param(JSON.stringify(changes))}::jsonb ELSE ${skippedChangesOfRequest} END
      WHERE customer_id = ${customerId} AND job_id = ${jobId} AND status = 'pending'
      RETURNING reserved_products)
    SELECT (SELECT count(*)::int FROM c) AS cancelled,
      (SELECT jsonb_object_agg(p, n) FROM (SELECT p, count(*)::int AS n FROM c, unnest(c.reserved_products) AS p GROUP BY p) r) AS released`)) as unknown as [
    { cancelled: number; released: Record<string, number> | null },
  ];
  // Nothing was pending: every user was applied (the update above waited for any batch still
  // marking this job's items), and only the job's finishing is missing. The job ends as its users
  // did, not as cancelled; finishing it here, under the row lock, is what the worker would do next.
  if (cancelled === 0) {
    const finished = await finishJobIfDone(tx, { customerId, id: jobId });
    return { outcome: 'finished', delivery: finished?.delivery };
  }
  // Ending the pending items releases their reservations; the deltas keep the job's progress and the
  // reserved seats counters exact.
  await releaseReservedSeats(
    tx,
    Object.entries(released ?? {}).map(([productId, seats]) => ({ customerId, productId, seats })),
  );
  await addJobProgress(tx, customerId, [{ jobId, succeeded: 0, failed: 0, cancelled, errorsByCode: {} }]);
  await onCancelled?.();
  const summary = (await countJobSummaries(tx, [{ customerId, id: jobId }])).get(jobId)!;
  const [row] = await tx
    .update(tables.licenseJobs)
    .set({
      status: 'cancelled',
      startedAt: sql`coalesce(${tables.licenseJobs.startedAt}, now())`,
      finishedAt: sql`now()`,
      summary,
    })
    .where(and(eq(tables.licenseJobs.customerId, customerId), eq(tables.licenseJobs.id, jobId)))
    .returning();
  // The finish's audit and webhook events, in the transaction that finishes the job, as any finish records them.
  return { outcome: 'cancelled', delivery: await recordJobFinished(tx, row!, summary) };
}
