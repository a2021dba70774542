import { type SQL, sql } from 'drizzle-orm';
import {
  addJobProgress,
  countSeats,
  type DeliveryRef,
  executePrepared,
  licenseHolderCount,
  partnerSubscribes,
  recordWebhookEvent,
  loadCatalog,
  releaseReservedSeatsStatement,
  revertHistory,
  type Db,
  type DbOrTx,
} from '@licensing/db';
import {
  evaluateGroupSources,
  evaluateRevertUser,
  evaluateUserChanges,
  progressDeltas,
  recordLicenseStates,
  sourcesOf,
  type AssignChange,
  type ChangeError,
  type ChangeResult,
  type GroupChange,
  type GroupLicenseRow,
  type GroupSourcesEvaluation,
  type UserEvaluation,
  type LaterChanges,
  type License,
  type LicenseSources,
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
  /** Webhook events the batch recorded (`subscription.seats_exhausted`), to enqueue once committed. */
  deliveries: DeliveryRef[];
  /** The batch left more seats of some product free than it found (revokes, reservations ended unused). */
  freedSeats?: boolean;
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
  /** License changes the user's groups made once the item's were applied (see settleOtherGroups). */
  groupChanges?: GroupChange[];
  errorCodes: ViolationCode[];
  /** A group job's item: the group whose rows (one per product) it rewrote. */
  groupId?: string;
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
  /** For a group job's item: the group whose grants the user is brought in line with. */
  group_id: string | null;
};

/** A customer's ids as key rows (customer_id, id), for a join on a key led by the customer. */
const customerKeys = (customerId: string, ids: readonly string[]) =>
  sql`unnest(array_fill(${customerId}::uuid, ARRAY[${ids.length}::int]), ${sql.param(ids)}::uuid[])`;

/**
 * A user's rows of a table keyed (customer_id, user_id, …), as the lateral subquery of a join on
 * customerKeys' rows `q`. Joined plainly, a planner without statistics on a table that grows during
 * the run (the licenses a group's grant writes) put the table's whole customer range outside the
 * loop and the batch's keys inside it, or walked another index led by the customer (40-70 ms a
 * batch at a few thousand rows, more as they grow). Here each key is one range of the primary key:
 * OFFSET 0 keeps the subquery from being flattened into a join the planner could reorder, and the
 * order by the key's remaining columns is what only the primary key gives without a sort.
 */
const userRows = (table: 'user_licenses' | 'group_license_states') =>
  sql.raw(
    `SELECT * FROM ${table} t WHERE t.customer_id = q.customer_id AND t.user_id = q.user_id ORDER BY ${
      table === 'user_licenses' ? 't.product_id' : 't.group_id, t.product_id'
    } OFFSET 0`,
  );

/**
 * The pending items of the users `userIds` of a customer, in the users' order and then acceptance
 * order, with their job's changes (see applyUserChanges). A scheduled job's items are not due before its
 * notBefore (Postgres's clock decides): they stay pending, whichever task reached this batch, and are
 * applied once due. A user's own changes (a revert's item) stand in for its job's.
 *
 * Each user's items are one range of the primary key (customer, user, job_seq), from the customer's
 * oldest unfinished job on, so the range skips the user's history; each item's job is found by its
 * whole key. As with userRows, the customer is taken from the key rows `q` and the range is ordered by
 * the key's last column: with the customer as a constant, a planner whose statistics predate the
 * customer's items (a job accepted while the writes of a flood never paused for an analysis) saw
 * one item for the customer and walked the (customer, job, position) index instead, every item of
 * the customer for each user of the batch (a second a batch for a 20,000-item customer).
 */
export function pendingItemsSql(customerId: string, userIds: readonly string[]): SQL {
  return sql`
        SELECT i.job_id, i.job_seq, q.user_id, i.reserved_products, j.status AS job_status,
          coalesce(i.request -> 'assign', j.assign) AS assign, coalesce(i.request -> 'revoke', j.revoke) AS revoke, j.revert_of, j.source_group_id
        FROM ${customerKeys(customerId, userIds)} WITH ORDINALITY AS q(customer_id, user_id, n)
        CROSS JOIN LATERAL (
          SELECT i.customer_id, i.job_id, i.job_seq, i.reserved_products, i.request FROM license_job_items i
          WHERE i.customer_id = q.customer_id AND i.user_id = q.user_id AND i.status = 'pending'
            AND i.job_seq >= (SELECT min(seq) FROM license_jobs WHERE customer_id = ${customerId} AND finished_at IS NULL)
          ORDER BY i.job_seq
          OFFSET 0) i
        CROSS JOIN LATERAL (
          SELECT j.status, j.assign, j.revoke, j.revert_of, j.not_before, j.source_group_id FROM license_jobs j
          WHERE j.customer_id = i.customer_id AND j.id = i.job_id
          OFFSET 0) j
        WHERE j.not_before IS NULL OR j.not_before <= now()
        ORDER BY q.n, i.job_seq`;
}

/**
 * The row addresses (ctid) of the rows of `table` whose whole key is one of `keys` (rows with the
 * key's `columns`), each key looked up on its own (a lateral subquery the planner cannot reorder),
 * for a DELETE by address. As a join (DELETE … USING the keys), a planner whose statistics still
 * showed the table nearly empty (a revoke straight after a job assigned 10,000 licenses) walked the
 * customer's every row for each key, 0.2-0.7 s a batch. The callers hold the users' locks, which keep
 * the rows where they were found until the delete.
 */
const addressesOf = (table: 'user_licenses' | 'group_license_states', keys: SQL, columns: readonly string[]) =>
  sql`SELECT t.ctid FROM ${keys} AS d(${sql.raw(columns.join(', '))})
      CROSS JOIN LATERAL (
        SELECT t.ctid FROM ${sql.raw(table)} t WHERE ${sql.raw(columns.map((c) => `t.${c} = d.${c}`).join(' AND '))} OFFSET 0) t`;

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
  if (tasks.length === 0) return { applied: [], busy: [], deliveries: [] };
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
      if (userIds.length === 0) return { applied: [], busy, deliveries: [] };
      const [pending, licenseRows, catalog, stateRows] = await Promise.all([
        // The users' pending items in acceptance order, with their job's changes: also those of jobs
        // other than the one a task names (an earlier job's item is applied before a later one's, and
        // a later job's item found here is simply applied now; its own task then finds nothing).
        executePrepared<{
          job_id: string;
          job_seq: string;
          user_id: string;
          reserved_products: string[];
          job_status: string;
          assign: Required<AssignChange>[];
          revoke: string[];
          revert_of: string | null;
          source_group_id: string | null;
        }>(tx, pendingItemsSql(customerId, userIds)),
        executePrepared<{
          user_id: string;
          product_id: string;
          disabled_service_plans: string[];
          direct: boolean;
          direct_disabled_service_plans: string[] | null;
        }>(
          tx,
          sql`
        SELECT l.user_id, l.product_id, l.disabled_service_plans, l.direct, l.direct_disabled_service_plans
        FROM ${customerKeys(customerId, userIds)} AS q(customer_id, user_id)
        CROSS JOIN LATERAL (${userRows('user_licenses')}) l
        ORDER BY l.assigned_at, l.product_id`,
        ),
        loadCatalog(tx),
        // The users' rows of every group (the group sources of their licenses, and what waits or failed).
        executePrepared<StateRow>(
          tx,
          sql`
        SELECT s.user_id, s.group_id, s.product_id, s.state, s.applied, s.disabled_service_plans, s.waiting_for, s.error
        FROM ${customerKeys(customerId, userIds)} AS q(customer_id, user_id)
        CROSS JOIN LATERAL (${userRows('group_license_states')}) s
        ORDER BY s.group_id, s.product_id`,
        ),
      ]);
      if (pending.length === 0) return { applied: [], busy, deliveries: [] };
      const items: PendingItem[] = pending.map((p) => ({
        job_id: p.job_id,
        job_seq: p.job_seq,
        user_id: p.user_id,
        assign: p.assign,
        revoke: p.revoke,
        reserved: new Set(p.reserved_products),
        revert_of: p.revert_of,
        group_id: p.source_group_id,
      }));
      // What the groups of the batch's group items grant, and which of the users are their members,
      // read after the pending items: a change of a group commits its members and its items together,
      // so a group item seen here is applied with (at least) the membership and grants it was made for.
      // Also those of the groups where a user has a row not settled (waiting, error): a change of its
      // licenses may settle it (see settleOtherGroups).
      const groupsHere = await readGroupGrants(tx, customerId, [
        ...items.flatMap((i) => (i.group_id ? [{ groupId: i.group_id, userId: i.user_id }] : [])),
        ...stateRows.flatMap((r) => (r.state !== 'active' ? [{ groupId: r.group_id, userId: r.user_id }] : [])),
      ]);
      // A revert's users: what the reverted job did to each, and what changed since (one statement,
      // none when the batch has no revert), read under the users' locks.
      const reverts = await revertHistory(
        tx,
        customerId,
        items.flatMap((i) => (i.revert_of ? [{ userId: i.user_id, jobId: i.revert_of }] : [])),
      );
      const itemUsers = [...new Set(items.map((i) => i.user_id))];
      const before = new Map<string, License[]>(itemUsers.map((id) => [id, []]));
      const directPlans = new Map<string, { productId: string; directDisabledServicePlans: string[] | null }[]>(
        itemUsers.map((id) => [id, []]),
      );
      for (const r of licenseRows) {
        before.get(r.user_id)?.push({ productId: r.product_id, disabledServicePlans: r.disabled_service_plans });
        directPlans.get(r.user_id)?.push({
          productId: r.product_id,
          directDisabledServicePlans: r.direct ? (r.direct_disabled_service_plans ?? r.disabled_service_plans) : null,
        });
      }
      const rowsBefore = new Map<string, GroupLicenseRow[]>(itemUsers.map((id) => [id, []]));
      for (const r of stateRows) rowsBefore.get(r.user_id)?.push(toGroupLicenseRow(r));
      const sourcesBefore = new Map<string, Map<string, LicenseSources>>(
        itemUsers.map((id) => [id, sourcesOf(directPlans.get(id)!, rowsBefore.get(id)!)]),
      );
      const current = new Map(before);
      const currentSources = new Map(sourcesBefore);
      const currentRows = new Map(rowsBefore);
      /** The (user, group) pairs whose rows this batch rewrites. */
      const touchedGroups = new Map<string, Set<string>>();
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
          for (const a of assignsOf(item, groupsHere)) if (!item.reserved.has(a.productId)) unreserved.add(a.productId);
      for (const r of stateRows)
        if (r.state !== 'active' && usersById.has(r.user_id))
          for (const a of grantsOf(r.group_id, r.user_id, groupsHere)) unreserved.add(a.productId);
      for (const productId of [...unreserved].sort()) await countFreeSeats(tx, freeSeats, customerId, productId);

      /**
       * After a change of a user's licenses, its other groups whose rows are not settled are evaluated
       * again in the same transaction (a license that arrived by another source lets a waiting row become
       * active without a seat; a revoked base lets an excluded product through; a removed add-on unblocks
       * a removal). Free seats only: nothing was reserved for these. Answers the changes of licenses and their sources they
       * made (each with its group), which the license history records with the item.
       */
      const settleOtherGroups = (
        userId: string,
        except: string | null,
        user: (typeof users)[number],
      ): GroupChange[] => {
        const made: GroupChange[] = [];
        const rows = currentRows.get(userId)!;
        const unsettled = [...new Set(rows.filter((r) => r.state !== 'active').map((r) => r.groupId))].filter(
          (g) => g !== except,
        );
        for (const groupId of unsettled) {
          const result = evaluateGroupSources({
            catalog,
            user: { usageLocation: user.usage_location, customerCountry: user.country, licenses: current.get(userId)! },
            sources: currentSources.get(userId)!,
            groupId,
            desired: grantsOf(groupId, userId, groupsHere),
            rows: currentRows.get(userId)!.filter((r) => r.groupId === groupId),
            hasSeat: (productId) => (freeSeats.get(productId) ?? 0) + (seatDelta.get(productId) ?? 0) > 0,
          });
          currentRows.set(userId, [...currentRows.get(userId)!.filter((r) => r.groupId !== groupId), ...result.rows]);
          touchedGroups.set(userId, (touchedGroups.get(userId) ?? new Set()).add(groupId));
          if (result.status !== 'succeeded') continue;
          // Every change of the license's sources, also one that leaves its plans as they were (the
          // group added as a source, or removed from a license other sources keep): the history folds
          // to the licenses and their sources. A row never applied that goes changes no license.
          for (const change of recordLicenseStates(result.changes, current.get(userId)!, result.licenses))
            if (change.outcome !== 'not_assigned') made.push({ ...change, groupId });
          current.set(userId, result.licenses);
          currentSources.set(userId, result.sources);
          for (const productId of result.newlyAssigned) addSeats(productId, -1);
          for (const productId of result.revoked) addSeats(productId, 1);
        }
        return made;
      };

      const applied: AppliedItem[] = [];
      // What this batch applied to each user so far, in order (a revert's later changes).
      const appliedHere = new Map<string, LaterChanges[]>();
      for (const item of items) {
        const user = usersById.get(item.user_id);
        const licenses = current.get(item.user_id)!;
        const held = new Set(licenses.map((l) => l.productId));
        const reserved = item.reserved;
        if (user) {
          for (const a of assignsOf(item, groupsHere)) {
            if (!held.has(a.productId) && !reserved.has(a.productId))
              await countFreeSeats(tx, freeSeats, customerId, a.productId);
          }
        }
        const input = {
          catalog,
          user: user ? { usageLocation: user.usage_location, customerCountry: user.country, licenses } : null,
          changes: { assign: item.assign, revoke: item.revoke },
          sources: currentSources.get(item.user_id)!,
          hasSeat: (productId: string) => {
            if (reserved.has(productId)) return true;
            return (freeSeats.get(productId) ?? 0) + (seatDelta.get(productId) ?? 0) > 0;
          },
        };
        // A revert's item is left alone if the license changed after the reverted job (in Postgres's
        // history, or by this batch's earlier items of the user).
        const revert = item.revert_of ? reverts.get(item.user_id) : undefined;
        let evaluation: UserEvaluation | GroupSourcesEvaluation;
        if (item.group_id) {
          // A group item brings the user in line with the group as it is now (its grants while the user
          // is a member, nothing otherwise), whatever change of the group made the item.
          const groupId = item.group_id;
          const rows = currentRows.get(item.user_id)!;
          const result = evaluateGroupSources({
            ...input,
            groupId,
            desired: assignsOf(item, groupsHere),
            rows: rows.filter((r) => r.groupId === groupId),
          });
          currentRows.set(item.user_id, [...rows.filter((r) => r.groupId !== groupId), ...result.rows]);
          touchedGroups.set(item.user_id, (touchedGroups.get(item.user_id) ?? new Set()).add(groupId));
          evaluation = result;
        } else {
          evaluation = item.revert_of
            ? evaluateRevertUser({
                ...input,
                done: revert?.done ?? [],
                later: [...(revert?.later ?? []), ...(appliedHere.get(item.user_id) ?? [])],
              })
            : evaluateUserChanges(input);
        }
        // The item's reservations end with it: each becomes the license it was for, or is released.
        // A revoke frees a seat; a seat taken without a reservation comes out of the free ones.
        const took = new Set(evaluation.newlyAssigned);
        for (const productId of reserved) if (!took.has(productId)) addSeats(productId, 1);
        let changes = evaluation.changes;
        let groupChanges: GroupChange[] = [];
        if (evaluation.status === 'succeeded') {
          current.set(item.user_id, evaluation.licenses);
          currentSources.set(item.user_id, evaluation.sources);
          for (const productId of evaluation.revoked) addSeats(productId, 1);
          for (const productId of took) if (!reserved.has(productId)) addSeats(productId, -1);
          // The history keeps the plans each change left and found, which a revert puts back.
          changes = recordLicenseStates(evaluation.changes, licenses, evaluation.licenses);
          if (user && (evaluation.newlyAssigned.length > 0 || evaluation.revoked.length > 0))
            groupChanges = settleOtherGroups(item.user_id, item.group_id, user);
          appliedHere.set(item.user_id, [
            ...(appliedHere.get(item.user_id) ?? []),
            { jobId: item.job_id, changes: [...changes, ...groupChanges] },
          ]);
        }
        applied.push({
          customerId,
          jobId: item.job_id,
          userId: item.user_id,
          status: evaluation.status,
          changes,
          ...(groupChanges.length > 0 ? { groupChanges } : {}),
          errorCodes: evaluation.errorCodes,
          ...(item.group_id ? { groupId: item.group_id } : {}),
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
          SET status = x.status, changes = x.changes, group_changes = x.group_changes, error_codes = x.error_codes, finished_at = statement_timestamp()
          FROM jsonb_to_recordset(${sql.param(JSON.stringify(applied.map((a, k) => ({ customer_id: customerId, user_id: a.userId, job_seq: items[k]!.job_seq, status: a.status, changes: a.changes, group_changes: a.groupChanges ?? null, error_codes: a.errorCodes }))))}::jsonb)
            AS x(customer_id uuid, user_id uuid, job_seq bigint, status text, changes jsonb, group_changes jsonb, error_codes text[])
          WHERE i.customer_id = x.customer_id AND i.user_id = x.user_id AND i.job_seq = x.job_seq AND i.status = 'pending'
          RETURNING 1),
        marked AS (SELECT count(*)::int AS n FROM done),
        seats AS (
          ${releaseReservedSeatsStatement(released, sql`marked`)}
          RETURNING 1)
        SELECT n FROM marked`,
        ),
        writeLicenseChanges(
          tx,
          customerId,
          { licenses: before, sources: sourcesBefore },
          { licenses: current, sources: currentSources },
        ),
        writeGroupRows(tx, customerId, touchedGroups, rowsBefore, currentRows),
      ]);
      if (marked[0]!.n !== applied.length) throw new ItemsChangedError(applied.length - marked[0]!.n);
      const deliveries = await recordSeatsExhausted(tx, customerId, rowsBefore, currentRows);
      return { applied, busy, deliveries, freedSeats: [...seatDelta.values()].some((n) => n > 0) };
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
    SELECT ${licenseHolderCount(customerId, sql`${productId}`)}
         + coalesce((SELECT reserved FROM reserved_seats WHERE customer_id = ${customerId} AND product_id = ${productId}), 0) AS used`,
  );
  freeSeats.set(productId, sub.quantity - Number(usage!.used));
}

interface LicenseState {
  licenses: Map<string, License[]>;
  /** Each user's licenses' sources (only the direct one and whether it exists are stored with the license). */
  sources: Map<string, Map<string, LicenseSources>>;
}

/** A license as stored: its plans, and its direct source's (null without one). */
function storedForm(license: License, sources: ReadonlyMap<string, LicenseSources> | undefined): string {
  const direct = sources?.get(license.productId)?.direct;
  const directPlans = direct === undefined ? license.disabledServicePlans : direct;
  return JSON.stringify([license.disabledServicePlans, directPlans === null ? null : [...directPlans].sort()]);
}

/**
 * Writes the difference between the customer's users' licenses before and after the batch,
 * set-based: the license rows (one seat each, whatever the sources) with their direct source.
 */
async function writeLicenseChanges(
  tx: DbOrTx,
  customerId: string,
  before: LicenseState,
  after: LicenseState,
): Promise<void> {
  const removed: { user_id: string; product_id: string }[] = [];
  const upserted: {
    user_id: string;
    product_id: string;
    plans: string[];
    direct: boolean;
    direct_plans: string[] | null;
  }[] = [];
  for (const [userId, old] of before.licenses) {
    const next = after.licenses.get(userId)!;
    const oldSources = before.sources.get(userId);
    const nextSources = after.sources.get(userId);
    if (next === old && oldSources === nextSources) continue;
    const nextById = new Map(next.map((l) => [l.productId, l]));
    const oldById = new Map(old.map((l) => [l.productId, l]));
    for (const l of old) if (!nextById.has(l.productId)) removed.push({ user_id: userId, product_id: l.productId });
    for (const l of next) {
      const was = oldById.get(l.productId);
      if (!was || storedForm(was, oldSources) !== storedForm(l, nextSources)) {
        const direct = nextSources?.get(l.productId)?.direct;
        const directPlans = direct === undefined ? l.disabledServicePlans : direct;
        upserted.push({
          user_id: userId,
          product_id: l.productId,
          plans: l.disabledServicePlans,
          direct: directPlans !== null,
          direct_plans: directPlans === null ? null : [...directPlans].sort(),
        });
      }
    }
  }
  await Promise.all([
    // The customer in every key row (see applyUserChanges); deleted by address (see addressesOf).
    removed.length > 0 &&
      executePrepared(
        tx,
        sql`
      DELETE FROM user_licenses l
      WHERE l.ctid = any(ARRAY(${addressesOf(
        'user_licenses',
        sql`unnest(array_fill(${customerId}::uuid, ARRAY[${removed.length}::int]), ${sql.param(removed.map((r) => r.user_id))}::uuid[],
          ${sql.param(removed.map((r) => r.product_id))}::text[])`,
        ['customer_id', 'user_id', 'product_id'],
      )}))`,
      ),
    upserted.length > 0 &&
      executePrepared(
        tx,
        sql`
      INSERT INTO user_licenses (user_id, product_id, customer_id, disabled_service_plans, direct, direct_disabled_service_plans)
      SELECT x.user_id, x.product_id, ${customerId}::uuid, x.plans, x.direct, x.direct_plans
      FROM jsonb_to_recordset(${sql.param(JSON.stringify(upserted))}::jsonb)
        AS x(user_id uuid, product_id text, plans text[], direct boolean, direct_plans text[])
      ON CONFLICT (customer_id, user_id, product_id) DO UPDATE SET disabled_service_plans = excluded.disabled_service_plans,
        direct = excluded.direct, direct_disabled_service_plans = excluded.direct_disabled_service_plans`,
      ),
  ]);
}

type StateRow = {
  user_id: string;
  group_id: string;
  product_id: string;
  state: GroupLicenseRow['state'];
  applied: boolean;
  disabled_service_plans: string[];
  waiting_for: string | null;
  error: ChangeError | null;
};

function toGroupLicenseRow(r: StateRow): GroupLicenseRow {
  return {
    groupId: r.group_id,
    productId: r.product_id,
    state: r.state,
    applied: r.applied,
    disabledServicePlans: r.disabled_service_plans,
    ...(r.waiting_for ? { waitingFor: r.waiting_for } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

/** What each group of the batch grants, and the (group, user) pairs that are memberships. */
interface GroupGrants {
  licenses: Map<string, Required<AssignChange>[]>;
  members: Set<string>;
}

async function readGroupGrants(
  tx: DbOrTx,
  customerId: string,
  pairs: { groupId: string; userId: string }[],
): Promise<GroupGrants> {
  if (pairs.length === 0) return { licenses: new Map(), members: new Set() };
  const groupIds = [...new Set(pairs.map((p) => p.groupId))];
  const [groups, members] = await Promise.all([
    executePrepared<{ id: string; licenses: Required<AssignChange>[] }>(
      tx,
      sql`SELECT id, licenses FROM groups WHERE customer_id = ${customerId} AND id = any(${sql.param(groupIds)}::uuid[])`,
    ),
    executePrepared<{ group_id: string; user_id: string }>(
      tx,
      sql`
      SELECT m.group_id, m.user_id
      FROM unnest(${sql.param(pairs.map((p) => p.groupId))}::uuid[], ${sql.param(pairs.map((p) => p.userId))}::uuid[]) AS q(group_id, user_id)
      CROSS JOIN LATERAL (
        SELECT m.group_id, m.user_id FROM group_members m
        WHERE m.customer_id = ${customerId} AND m.group_id = q.group_id AND m.user_id = q.user_id OFFSET 0) m`,
    ),
  ]);
  return {
    licenses: new Map(groups.map((g) => [g.id, g.licenses])),
    members: new Set(members.map((m) => `${m.group_id}/${m.user_id}`)),
  };
}

/**
 * The products an item may assign: a job's own, or for a group item what the group grants the user
 * now (its licenses while the user is a member; nothing once it left, or the group is gone).
 */
function assignsOf(item: PendingItem, groups: GroupGrants): Required<AssignChange>[] {
  return item.group_id ? grantsOf(item.group_id, item.user_id, groups) : item.assign;
}

/** What a group grants a user now: its licenses while the user is a member, nothing otherwise. */
function grantsOf(groupId: string, userId: string, groups: GroupGrants): Required<AssignChange>[] {
  if (!groups.members.has(`${groupId}/${userId}`)) return [];
  return groups.licenses.get(groupId) ?? [];
}

/**
 * Rewrites the rows of the (user, group) pairs the batch evaluated: rows the group no longer has for
 * the user go, the others are upserted. `since` moves only when the state does (the waiting room is
 * served oldest first). A user's rows change only under its row lock (here, or with the user's
 * deletion), so the rows read at the batch's start are the ones there: those that go are found by
 * their whole key, key by key, and deleted by row address (see addressesOf). Found by (customer, user, group) instead, an index led by the group looked
 * attractive to a planner without statistics, and each batch of a 200,000-member group walked the
 * group's whole range for every user (1.7 s a batch).
 */
async function writeGroupRows(
  tx: DbOrTx,
  customerId: string,
  touched: Map<string, Set<string>>,
  before: Map<string, GroupLicenseRow[]>,
  rows: Map<string, GroupLicenseRow[]>,
): Promise<void> {
  if (touched.size === 0) return;
  const gone = { users: [] as string[], groups: [] as string[], products: [] as string[] };
  const input: Record<string, unknown>[] = [];
  for (const [userId, groupIds] of touched) {
    const kept = new Set(
      (rows.get(userId) ?? []).filter((r) => groupIds.has(r.groupId)).map((r) => `${r.groupId}/${r.productId}`),
    );
    for (const r of before.get(userId) ?? [])
      if (groupIds.has(r.groupId) && !kept.has(`${r.groupId}/${r.productId}`)) {
        gone.users.push(userId);
        gone.groups.push(r.groupId);
        gone.products.push(r.productId);
      }
    for (const r of rows.get(userId) ?? [])
      if (groupIds.has(r.groupId))
        input.push({
          user_id: userId,
          group_id: r.groupId,
          product_id: r.productId,
          state: r.state,
          applied: r.applied,
          plans: r.disabledServicePlans,
          waiting_for: r.state === 'waiting' ? (r.waitingFor ?? r.productId) : null,
          error: r.state === 'active' ? null : (r.error ?? null),
        });
  }
  await executePrepared(
    tx,
    sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${sql.param(JSON.stringify(input))}::jsonb)
        AS x(user_id uuid, group_id uuid, product_id text, state text, applied boolean, plans text[], waiting_for text, error jsonb)),
    gone AS (
      DELETE FROM group_license_states s
      WHERE s.ctid = any(ARRAY(${addressesOf(
        'group_license_states',
        sql`unnest(array_fill(${customerId}::uuid, ARRAY[${gone.users.length}::int]), ${sql.param(gone.users)}::uuid[],
          ${sql.param(gone.groups)}::uuid[], ${sql.param(gone.products)}::text[])`,
        ['customer_id', 'user_id', 'group_id', 'product_id'],
      )})))
    INSERT INTO group_license_states AS s (customer_id, user_id, group_id, product_id, state, applied, disabled_service_plans, waiting_for, error)
    SELECT ${customerId}::uuid, x.user_id, x.group_id, x.product_id, x.state, x.applied, x.plans, x.waiting_for, x.error FROM input x
    ON CONFLICT (customer_id, user_id, group_id, product_id) DO UPDATE SET
      state = excluded.state, applied = excluded.applied, disabled_service_plans = excluded.disabled_service_plans,
      waiting_for = excluded.waiting_for, error = excluded.error,
      since = CASE WHEN s.state = excluded.state THEN s.since ELSE now() END`,
  );
}

/**
 * `subscription.seats_exhausted`: for each product some of the batch's users started waiting for, when
 * nobody else waits for it (the batch's rows are written; the subscription's row lock, taken by every
 * seat check, is held), recorded in the batch's transaction for partners subscribed to it.
 */
async function recordSeatsExhausted(
  tx: DbOrTx,
  customerId: string,
  before: Map<string, GroupLicenseRow[]>,
  after: Map<string, GroupLicenseRow[]>,
): Promise<DeliveryRef[]> {
  const started = new Map<string, Set<string>>();
  for (const [userId, rows] of after) {
    const was = new Set((before.get(userId) ?? []).filter((r) => r.state === 'waiting').map((r) => r.waitingFor));
    for (const r of rows)
      if (r.state === 'waiting' && r.waitingFor && !was.has(r.waitingFor))
        started.set(r.waitingFor, (started.get(r.waitingFor) ?? new Set()).add(userId));
  }
  if (started.size === 0) return [];
  const [customer] = await executePrepared<{ partner_id: string }>(
    tx,
    sql`SELECT partner_id FROM customers WHERE id = ${customerId}`,
  );
  if (!customer || !(await partnerSubscribes(tx, customer.partner_id, 'subscription.seats_exhausted'))) return [];
  const deliveries: DeliveryRef[] = [];
  for (const [productId, users] of started) {
    const [waiting] = await executePrepared<{ n: number }>(
      tx,
      sql`
      SELECT count(DISTINCT user_id)::int AS n FROM group_license_states
      WHERE customer_id = ${customerId} AND waiting_for = ${productId} AND state = 'waiting'`,
    );
    if (waiting!.n !== users.size) continue;
    deliveries.push(
      await recordWebhookEvent(tx, {
        partnerId: customer.partner_id,
        type: 'subscription.seats_exhausted',
        customerId,
        data: { customerId, productId, waiting: waiting!.n },
      }),
    );
  }
  return deliveries;
}

/** How many user_licenses rows the applied items wrote: every assign, update and revoke that took effect. */
/** About how many group license rows the items rewrote (one per product of each group item). */
export function groupRowsChanged(items: AppliedItem[]): number {
  let rows = 0;
  for (const item of items) if (item.groupId) rows += Math.max(1, item.changes.length);
  return rows;
}

export function licenseRowsChanged(items: AppliedItem[]): number {
  let rows = 0;
  for (const item of items)
    for (const change of item.changes)
      if (change.outcome === 'assigned' || change.outcome === 'updated' || change.outcome === 'revoked') rows++;
  return rows;
}
