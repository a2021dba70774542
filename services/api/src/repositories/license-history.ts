// A user's license history: the changes jobs applied to (or refused for) the user, read from the
// jobs' per-user results, and those the user's groups made once a job's were applied. Scoped by the customer (every item carries it), which the caller has
// scoped to its partner; kept as long as the jobs are (job retention).
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@licensing/db';
import type { AssignChange, ChangeResult, GroupChange } from '@licensing/domain';
import type { PageQuery } from '../schemas/common.ts';
import type { LicenseHistoryEntry } from '../schemas/users.ts';

// Items a worker decided: succeeded or failed. A pending item has no changes yet, and the users a
// cancelled job never reached had nothing applied (before cancelled users got a status of their
// own they were failed with JobCancelled; both are left out).
const decided = sql`i.status IN ('succeeded', 'failed') AND NOT coalesce('JobCancelled' = ANY (i.error_codes), false)`;

/**
 * Newest first, in the order the user's items were applied (job acceptance order, except that a
 * scheduled job applies at its time): by when each was finished, then backwards along the item key
 * (customer_id, user_id, job_seq); within a job, the changes the user's groups made once the job's
 * were applied (with their groupId) before the job's own, each in the order recorded. An assign's plans
 * are those the worker recorded with it, or else those the job asked for the user.
 */
export async function listLicenseHistory(
  db: DbOrTx,
  customerId: string,
  userId: string,
  page: PageQuery,
): Promise<{ items: LicenseHistoryEntry[]; total: number }> {
  const [rows, [totals]] = await Promise.all([
    db.execute<{ job_id: string; at: Date | string; change: GroupChange | ChangeResult; assign: AssignChange[] }>(sql`
      SELECT i.job_id, i.finished_at AS at, c.change, coalesce(i.request -> 'assign', j.assign) AS assign
      FROM license_job_items i
      JOIN license_jobs j ON j.customer_id = i.customer_id AND j.id = i.job_id
      CROSS JOIN LATERAL (
        SELECT c.change, 1 AS part, c.n FROM jsonb_array_elements(coalesce(i.group_changes, '[]')) WITH ORDINALITY AS c(change, n)
        UNION ALL
        SELECT c.change, 2 AS part, c.n FROM jsonb_array_elements(coalesce(i.changes, '[]')) WITH ORDINALITY AS c(change, n)) c
      WHERE i.customer_id = ${customerId} AND i.user_id = ${userId} AND ${decided}
      ORDER BY i.finished_at DESC, i.job_seq DESC, c.part, c.n
      LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`),
    db.execute<{ total: number }>(sql`
      SELECT coalesce(sum(jsonb_array_length(coalesce(i.changes, '[]')) + jsonb_array_length(coalesce(i.group_changes, '[]'))), 0)::int AS total
      FROM license_job_items i
      WHERE i.customer_id = ${customerId} AND i.user_id = ${userId} AND ${decided}`),
  ]);
  return {
    items: rows.map((r) => {
      // An assign's plans, and those a revoke left to the license's other sources: as the worker
      // recorded them, or else (an assign recorded before it did) as the job asked for the user.
      const plans =
        r.change.action === 'assign'
          ? (r.change.disabledServicePlans ??
            r.assign.find((a) => a.productId === r.change.productId)?.disabledServicePlans)
          : r.change.disabledServicePlans;
      return {
        jobId: r.job_id,
        at: new Date(r.at).toISOString(),
        productId: r.change.productId,
        action: r.change.action,
        outcome: r.change.outcome,
        ...(r.change.action === 'assign' || plans ? { disabledServicePlans: [...(plans ?? [])].sort() } : {}),
        ...(r.change.error ? { error: r.change.error } : {}),
        ...('groupId' in r.change ? { groupId: r.change.groupId } : {}),
      };
    }),
    total: totals?.total ?? 0,
  };
}
