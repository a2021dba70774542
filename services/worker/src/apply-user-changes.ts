import { sql } from 'drizzle-orm';
import {
  addJobProgress,
  countSeats,
  executePrepared,
  loadCatalog,
  releaseReservedSeatsStatement,
  revertHistory,
  type Db,
  type DbOrTx,
} from '@licensing/db';
import {
  evaluateRevertUser,
  evaluateUserChanges,
  progressDeltas,
  recordLicenseStates,
  type AssignChange,
  type ChangeResult,
  type LaterChanges,
  type License,
  type ViolationCode,
} from '@licensing/domain';

/** Some items stopped being pending while the batch ran; the batch rolled back and is retried. */
export class ItemsChangedError extends Error {
  constructor(readonly count: number) {
    super(`${count} job items changed state while the batch ran; retrying`);
    this.name = 'ItemsChangedError';
  }
}

/** What a batch did: the items it applied, and the users it left for later (another batch holds them). */
export interface AppliedBatch {
  applied: AppliedItem[];
  busy: string[];
}

/** Bounds on a batch's transaction, so that it never waits, or holds its locks, for long. */
export interface BatchBounds {
  /** Ends the transaction (its backend is terminated): the caller has given up on it. */
  signal?: AbortSignal;
  /** Longest wait for any one lock (Postgres `lock_timeout`), in ms. */
  lockTimeoutMs?: number;
  /** Longest statement, and longest idle moment inside the transaction, in ms. */
  statementTimeoutMs?: number;
}

export const DEFAULT_BATCH_BOUNDS = { lockTimeoutMs: 5000, statementTimeoutMs: 10_000 } as const;

/**
 * What a batch needs of a task: its user. A task also names the job that enqueued it, but the batch
 * applies every pending item of the user, whichever job of the customer it belongs to.
 */
export interface UserTaskRef {
  userId: string;
}

export interface AppliedItem {
  customerId: string;
  jobId: string;
  userId: string;
  status: 'succeeded' | 'failed';
  changes: ChangeResult[];
  errorCodes: ViolationCode[];
}

type PendingItem = {
  job_id: string;
  /** The item's key with the customer and user (the job's acceptance order; int8, as a string). */
  job_seq: string;
  user_id: string;
  assign: Required<AssignChange>[];
  revoke: string[];
  /** Products a seat was reserved for at acceptance; the reservation ends when the item is marked done. */
  reserved: ReadonlySet<string>;
  /** For a revert's item: the job it puts back. */
  revert_of: string | null;
};

/** A customer's ids as key rows (customer_id, id), for a join on a key led by the customer. */
const customerKeys = (customerId: string, ids: readonly string[]) =>
  sql`unnest(array_fill(${customerId}::uuid, ARRAY[${ids.length}::int]), ${sql.param(ids)}::uuid[])`;

/**
 * Applies the pending changes of a batch of one customer's users in ONE transaction, so that a
 * worker pays one commit for many users instead of one each. A transaction never holds rows of two
 * customers (on a Postgres sharded by customer it stays on one shard): the worker splits a batch
 * by customer first (see license-worker.ts). Users that are not the customer's are not found.
 *
 * Per-user guarantees:
 * - Serialised: the user's row is locked (FOR UPDATE, in id order so batches never deadlock),
 *   so two jobs, two workers, or a delete never interleave on one user.
 * - In acceptance order: a task applies all of its user's still-pending items, oldest job first
 *   (an earlier job's before its own, a later job's after it); their own tasks then find nothing
 *   pending.
 * - Idempotent: only items still 'pending' are applied, read under the user's lock and marked
 *   done in the same transaction as the license change (rolling back if any stopped being pending),
 *   so a task delivered twice, or a task whose item another batch has just finished, changes nothing.
 * - Seats: an item's reservations last while it is pending, and it is marked done in the same
 *   transaction that inserts the licenses, so a reserved seat becomes an assigned one (or is
 *   released) atomically. A seat the job did not reserve (another job revoked the product
 *   meanwhile) is taken only under the subscription's row lock, after counting what is free:
 *   what Postgres shows plus what this batch's earlier items freed (their revokes and released
 *   reservations) minus what they took, so a user's jobs applied together give the same result
 *   as applied one after another.
 */
export async function applyUserChanges(
  db: Db,
  customerId: string,
  tasks: UserTaskRef[],
  bounds: BatchBounds = {},
): Promise<AppliedBatch> {
  if (tasks.length === 0) return { applied: [], busy: [] };
  bounds.signal?.throwIfAborted();
  const { lockTimeoutMs, statementTimeoutMs } = { ...DEFAULT_BATCH_BOUNDS, ...bounds };
  let endTransaction: (() => void) | undefined;
  try {
    return await db.transaction(async (tx) => {
      const requested = [...new Set(tasks.map((t) => t.userId))].sort();
      // Round trips are what a busy worker waits on most, so statements that neither depend on each
      // other's results nor take locks in a particular order are sent together (postgres.js pipelines
      // them on the transaction's connection; the order they go out in is not relied on).
      const [[session], locked] = await Promise.all([
        // Every statement below looks up at most a batch of rows by key. With statistics that lag
        // behind a burst of work (a fresh deployment, or "few pending items" while a 50,000-user job
        // runs) the planner can prefer a hash join over a scan whose cost grows with the job. For the
        // same reason the batch's keys are joined to the tables with the customer in every key row
        // (customerKeys), never as `customer_id = constant AND id = any(…)`: the key's leading column
        // alone selects the customer's whole range, which such a planner takes for one row, reads at
        // once and filters (for every batch of the job); joined on the whole key, each row is one
        // index lookup.
        //
        // The transaction is bounded: no lock is waited for longer than lock_timeout, no statement or
        // pause inside it lasts longer than statement_timeout, and the caller that gives up on it
        // (the batch timeout) ends it by terminating its backend, so it never holds its locks while
        // the tasks it was applying are retried elsewhere.
        executePrepared<{ pid: number }>(
          tx,
          sql`SELECT set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true),
        set_config('enable_mergejoin', 'off', true), set_config('enable_bitmapscan', 'off', true),
        set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true),
        set_config('statement_timeout', ${`${statementTimeoutMs}ms`}, true),
        set_config('idle_in_transaction_session_timeout', ${`${statementTimeoutMs}ms`}, true),
        pg_backend_pid() AS pid`,
        ),
        // The user locks, before any other read: every read after them sees what the previous holder
        // of each lock committed. A user another batch holds is skipped, not waited for (SKIP LOCKED):
        // that batch applies what is pending for it, and this task comes back for the rest, so jobs
        // piled on the same users never queue batches behind each other's row locks.
        executePrepared<{ id: string; usage_location: string | null; country: string }>(
          tx,
          sql`
        SELECT u.id, u.usage_location, (SELECT c.country FROM customers c WHERE c.id = ${customerId}) AS country
        FROM ${customerKeys(customerId, requested)} AS q(customer_id, id)
        JOIN users u ON u.customer_id = q.customer_id AND u.id = q.id
        ORDER BY u.id FOR UPDATE OF u SKIP LOCKED`,
        ),
      ]);
      const pid = session!.pid;
      const terminate = () => void db.execute(sql`SELECT pg_terminate_backend(${pid})`).catch(() => undefined);
      if (bounds.signal) {
        bounds.signal.addEventListener('abort', terminate, { once: true });
        endTransaction = () => bounds.signal!.removeEventListener('abort', terminate);
      }
      // A user not locked is either held by another batch (it exists: busy, left for later) or
      // deleted (its pending items are reported as such below).
      const lockedIds = new Set(locked.map((u) => u.id));
      const skipped = requested.filter((id) => !lockedIds.has(id));
      const existing = skipped.length
        ? await executePrepared<{ id: string }>(
            tx,
            sql`
          SELECT u.id FROM ${customerKeys(customerId, skipped)} AS q(customer_id, id)
          JOIN users u ON u.customer_id = q.customer_id AND u.id = q.id`,
          )
        : [];
      const busy = existing.map((u) => u.id);
      const busyIds = new Set(busy);
      const userIds = requested.filter((id) => !busyIds.has(id));
      const users = locked;
      if (userIds.length === 0) return { applied: [], busy };
      const [pending, licenseRows, catalog] = await Promise.all([
        // The users' pending items in acceptance order, with their job's changes: also those of jobs
        // other than the one a task names (an earlier job's item is applied before a later one's, and
        // a later job's item found here is simply applied now; its own task then finds nothing).
        // Pending items belong to the customer's unfinished jobs, so the index range skips each user's
        // history. The items are looked up user by user, and each item's job by its whole key, the
        // customer taken from the item (OFFSET 0 keeps the planner from flattening a lateral subquery
        // into a join it could reorder, or from seeing the customer as a constant): with statistics
        // that lag behind a burst of work, a plain join let it walk every item of the job for each
        // batch, or every unfinished job for each user.
        executePrepared<{
          job_id: string;
          job_seq: string;
          user_id: string;
          reserved_products: string[];
          job_status: string;
          assign: Required<AssignChange>[];
          revoke: string[];
          revert_of: string | null;
        }>(
          tx,
          // A user's own changes (a revert's item) stand in for its job's. A scheduled job's items are
          // not due before its notBefore (Postgres's clock decides): they stay pending, whichever task
          // reached this batch, and are applied once due.
          sql`
        SELECT i.job_id, i.job_seq, q.user_id, i.reserved_products, j.status AS job_status,
          coalesce(i.request -> 'assign', j.assign) AS assign, coalesce(i.request -> 'revoke', j.revoke) AS revoke, j.revert_of
        FROM unnest(${sql.param(userIds)}::uuid[]) WITH ORDINALITY AS q(user_id, n)
        CROSS JOIN LATERAL (
          SELECT i.customer_id, i.job_id, i.job_seq, i.reserved_products, i.request FROM license_job_items i
          WHERE i.customer_id = ${customerId} AND i.user_id = q.user_id AND i.status = 'pending'
            AND i.job_seq >= (SELECT min(seq) FROM license_jobs WHERE customer_id = ${customerId} AND finished_at IS NULL)
          OFFSET 0) i
        CROSS JOIN LATERAL (
          SELECT j.status, j.assign, j.revoke, j.revert_of, j.not_before FROM license_jobs j
          WHERE j.customer_id = i.customer_id AND j.id = i.job_id
          OFFSET 0) j
        WHERE j.not_before IS NULL OR j.not_before <= now()
        ORDER BY q.n, i.job_seq`,
        ),
        executePrepared<{ user_id: string; product_id: string; disabled_service_plans: string[] }>(
          tx,
          sql`
        SELECT l.user_id, l.product_id, l.disabled_service_plans
        FROM ${customerKeys(customerId, userIds)} AS q(customer_id, user_id)
        JOIN user_licenses l ON l.customer_id = q.customer_id AND l.user_id = q.user_id
        ORDER BY l.assigned_at, l.product_id`,
        ),
        loadCatalog(tx),
      ]);
      if (pending.length === 0) return { applied: [], busy };
      const items: PendingItem[] = pending.map((p) => ({
        job_id: p.job_id,
        job_seq: p.job_seq,
        user_id: p.user_id,
        assign: p.assign,
        revoke: p.revoke,
        reserved: new Set(p.reserved_products),
        revert_of: p.revert_of,
      }));
      // A revert's users: what the reverted job did to each, and what changed since (one statement,
      // none when the batch has no revert), read under the users' locks.
      const reverts = await revertHistory(
        tx,
        customerId,
        items.flatMap((i) => (i.revert_of ? [{ userId: i.user_id, jobId: i.revert_of }] : [])),
      );
      const itemUsers = [...new Set(items.map((i) => i.user_id))];
      const before = new Map<string, License[]>(itemUsers.map((id) => [id, []]));
      for (const r of licenseRows)
        before.get(r.user_id)?.push({ productId: r.product_id, disabledServicePlans: r.disabled_service_plans });
      const current = new Map(before);
      const usersById = new Map(users.map((u) => [u.id, u]));
      // Free seats per product of the customer, as Postgres counted them under the subscription's lock.
      const freeSeats = new Map<string, number>();
      // Seats this transaction has freed (+) or taken (-) so far, per product: Postgres does not see
      // them until the batch writes at the end, but a later item of the batch may need them (a user's
      // revoke and re-assign queued in two jobs). Free = what Postgres counted + this.
      const seatDelta = new Map<string, number>();
      const addSeats = (productId: string, n: number) => seatDelta.set(productId, (seatDelta.get(productId) ?? 0) + n);

      // Subscriptions that may need a seat check are locked up front in product order, the order job
      // acceptance locks them in, so the two never wait for each other crosswise.
      const unreserved = new Set<string>();
      for (const item of items)
        if (usersById.has(item.user_id))
          for (const a of item.assign) if (!item.reserved.has(a.productId)) unreserved.add(a.productId);
      for (const productId of [...unreserved].sort()) await countFreeSeats(tx, freeSeats, customerId, productId);

      const applied: AppliedItem[] = [];
      // What this batch applied to each user so far, in order (a revert's later changes).
      const appliedHere = new Map<string, LaterChanges[]>();
      for (const item of items) {
        const user = usersById.get(item.user_id);
        const licenses = current.get(item.user_id)!;
        const held = new Set(licenses.map((l) => l.productId));
        const reserved = item.reserved;
        if (user) {
          for (const a of item.assign) {
            if (!held.has(a.productId) && !reserved.has(a.productId))
              await countFreeSeats(tx, freeSeats, customerId, a.productId);
          }
        }
        const input = {
          catalog,
          user: user ? { usageLocation: user.usage_location, customerCountry: user.country, licenses } : null,
          changes: { assign: item.assign, revoke: item.revoke },
          hasSeat: (productId: string) => {
            if (reserved.has(productId)) return true;
            return (freeSeats.get(productId) ?? 0) + (seatDelta.get(productId) ?? 0) > 0;
          },
        };
        // A revert's item is left alone if the license changed after the reverted job (in Postgres's
        // history, or by this batch's earlier items of the user).
        const revert = item.revert_of ? reverts.get(item.user_id) : undefined;
        const evaluation = item.revert_of
          ? evaluateRevertUser({
              ...input,
              done: revert?.done ?? [],
              later: [...(revert?.later ?? []), ...(appliedHere.get(item.user_id) ?? [])],
            })
          : evaluateUserChanges(input);
        // The item's reservations end with it: each becomes the license it was for, or is released.
        // A revoke frees a seat; a seat taken without a reservation comes out of the free ones.
        const took = new Set(evaluation.newlyAssigned);
        for (const productId of reserved) if (!took.has(productId)) addSeats(productId, 1);
        let changes = evaluation.changes;
        if (evaluation.status === 'succeeded') {
          current.set(item.user_id, evaluation.licenses);
          for (const productId of evaluation.revoked) addSeats(productId, 1);
          for (const productId of took) if (!reserved.has(productId)) addSeats(productId, -1);
          // The history keeps the plans each change left and found, which a revert puts back.
          changes = recordLicenseStates(evaluation.changes, licenses, evaluation.licenses);
          appliedHere.set(item.user_id, [...(appliedHere.get(item.user_id) ?? []), { jobId: item.job_id, changes }]);
        }
        applied.push({
          customerId,
          jobId: item.job_id,
          userId: item.user_id,
          status: evaluation.status,
          changes,
          errorCodes: evaluation.errorCodes,
        });
      }

      // The job row is the one lock a batch shares with a cancel, which takes it before the items:
      // so the first batch of a job marks it running on its own, before touching any item, and the
      // two never deadlock. Later batches leave the job row alone (no foreign key points at it either),
      // so they never queue behind, or in front of, a cancel.
      const queuedJobs = [...new Set(pending.filter((p) => p.job_status === 'queued').map((p) => p.job_id))];
      if (queuedJobs.length > 0) {
        await executePrepared(
          tx,
          sql`
        UPDATE license_jobs SET status = 'running', started_at = now()
        WHERE customer_id = ${customerId} AND id = any(${sql.param(queuedJobs)}::uuid[]) AND status = 'queued'`,
        );
      }
      // The rest of the writes go together. The items are marked done (which also ends their seat
      // reservations) only if still pending: if any is not (the job was cancelled meanwhile, or a
      // deleted user's item was reported by another batch), the whole transaction rolls back,
      // licenses, progress and seat counters included, and the tasks are retried against the new state.
      const released = countSeats(items.map((i) => ({ customerId, productIds: i.reserved })));
      const [, marked] = await Promise.all([
        addJobProgress(tx, customerId, progressDeltas(applied)),
        // An item's key is (customer_id, user_id, job_seq), the customer in every key row (see above);
        // finished_at is taken once the users are locked, so a user's items are ordered by it as they
        // were applied (a revert's "changed since" reads that order; scheduled jobs apply out of seq);
        // applied[k] is the outcome of items[k]. The reserved seats counters are updated by the same
        // statement, once every item is marked (the insert reads the count of marked items): they are
        // the last locks a transaction takes, as in a cancel, which also locks items before counters
        // (see migration 0005).
        executePrepared<{ n: number }>(
          tx,
          sql`
        WITH done AS (
          UPDATE license_job_items i
          SET status = x.status, changes = x.changes, error_codes = x.error_codes, finished_at = statement_timestamp()
          FROM jsonb_to_recordset(${sql.param(JSON.stringify(applied.map((a, k) => ({ customer_id: customerId, user_id: a.userId, job_seq: items[k]!.job_seq, status: a.status, changes: a.changes, error_codes: a.errorCodes }))))}::jsonb)
            AS x(customer_id uuid, user_id uuid, job_seq bigint, status text, changes jsonb, error_codes text[])
          WHERE i.customer_id = x.customer_id AND i.user_id = x.user_id AND i.job_seq = x.job_seq AND i.status = 'pending'
          RETURNING 1),
        marked AS (SELECT count(*)::int AS n FROM done),
        seats AS (
          ${releaseReservedSeatsStatement(released, sql`marked`)}
          RETURNING 1)
        SELECT n FROM marked`,
        ),
        writeLicenseChanges(tx, customerId, before, current),
      ]);
      if (marked[0]!.n !== applied.length) throw new ItemsChangedError(applied.length - marked[0]!.n);
      return { applied, busy };
    });
  } finally {
    endTransaction?.();
  }
}

/**
 * Free seats of a subscription as Postgres shows them, counted once per batch under the
 * subscription's row lock (held until commit), which every decision that takes a seat also takes.
 * What the batch itself frees and takes is added in memory by the caller.
 */
async function countFreeSeats(
  tx: DbOrTx,
  freeSeats: Map<string, number>,
  customerId: string,
  productId: string,
): Promise<void> {
  if (freeSeats.has(productId)) return;
  const [sub] = await executePrepared<{ quantity: number }>(
    tx,
    sql`
    SELECT quantity FROM subscriptions WHERE customer_id = ${customerId} AND product_id = ${productId} FOR UPDATE`,
  );
  if (!sub) {
    freeSeats.set(productId, 0);
    return;
  }
  const [usage] = await executePrepared<{ used: number }>(
    tx,
    sql`
    SELECT (SELECT count(*) FROM user_licenses WHERE customer_id = ${customerId} AND product_id = ${productId})
         + coalesce((SELECT reserved FROM reserved_seats WHERE customer_id = ${customerId} AND product_id = ${productId}), 0) AS used`,
  );
  freeSeats.set(productId, sub.quantity - Number(usage!.used));
}

/** Writes the difference between the customer's users' licenses before and after the batch, set-based. */
async function writeLicenseChanges(
  tx: DbOrTx,
  customerId: string,
  before: Map<string, License[]>,
  after: Map<string, License[]>,
): Promise<void> {
  const removed: { user_id: string; product_id: string }[] = [];
  const upserted: { user_id: string; product_id: string; plans: string[] }[] = [];
  for (const [userId, old] of before) {
    const next = after.get(userId)!;
    if (next === old) continue;
    const nextById = new Map(next.map((l) => [l.productId, l]));
    const oldById = new Map(old.map((l) => [l.productId, l]));
    for (const l of old) if (!nextById.has(l.productId)) removed.push({ user_id: userId, product_id: l.productId });
    for (const l of next) {
      const was = oldById.get(l.productId);
      if (!was || was.disabledServicePlans.join('\u0000') !== l.disabledServicePlans.join('\u0000')) {
        upserted.push({ user_id: userId, product_id: l.productId, plans: l.disabledServicePlans });
      }
    }
  }
  await Promise.all([
    // The customer in every key row (see applyUserChanges).
    removed.length > 0 &&
      executePrepared(
        tx,
        sql`
      DELETE FROM user_licenses l
      USING unnest(array_fill(${customerId}::uuid, ARRAY[${removed.length}::int]), ${sql.param(removed.map((r) => r.user_id))}::uuid[],
        ${sql.param(removed.map((r) => r.product_id))}::text[]) AS d(customer_id, user_id, product_id)
      WHERE l.customer_id = d.customer_id AND l.user_id = d.user_id AND l.product_id = d.product_id`,
      ),
    upserted.length > 0 &&
      executePrepared(
        tx,
        sql`
      INSERT INTO user_licenses (user_id, product_id, customer_id, disabled_service_plans)
      SELECT x.user_id, x.product_id, ${customerId}::uuid, x.plans
      FROM jsonb_to_recordset(${sql.param(JSON.stringify(upserted))}::jsonb) AS x(user_id uuid, product_id text, plans text[])
      ON CONFLICT (customer_id, user_id, product_id) DO UPDATE SET disabled_service_plans = excluded.disabled_service_plans`,
      ),
  ]);
}

/** How many user_licenses rows the applied items wrote: every assign, update and revoke that took effect. */
export function licenseRowsChanged(items: AppliedItem[]): number {
  let rows = 0;
  for (const item of items)
    for (const change of item.changes)
      if (change.outcome === 'assigned' || change.outcome === 'updated' || change.outcome === 'revoked') rows++;
  return rows;
}
