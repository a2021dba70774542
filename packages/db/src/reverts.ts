import { sql } from 'drizzle-orm';
import type { ChangeResult, LaterChanges } from '@licensing/domain';
import type { DbOrTx } from './client.ts';

/** What a job applied to a user, and what was applied to the user after it. */
export interface RevertHistory {
  /** The changes the job applied (its succeeded item's, with the plan states the worker recorded). */
  done: ChangeResult[];
  /**
   * The changes applied to the user since, each with its job: the jobs' own, oldest first, then those
   * the user's groups made once a job's were applied (with that job).
   */
  later: LaterChanges[];
}

/**
 * The license history a revert is decided on, for each (user, job) given: the job's succeeded item
 * of the user, and the user's succeeded items finished after it, in the order they were applied
 * (finished_at is taken once a batch holds its users' locks; ties are one batch's items, applied
 * in job order), with the changes the user's groups made once each was applied (the job's own item's
 * included: they came after its changes). Users whose item did not succeed, or whose job is gone, are
 * left out. One statement; each user's history is read along its item key.
 */
export async function revertHistory(
  db: DbOrTx,
  customerId: string,
  pairs: readonly { userId: string; jobId: string }[],
): Promise<Map<string, RevertHistory>> {
  const result = new Map<string, RevertHistory>();
  if (pairs.length === 0) return result;
  const rows = await db.execute<{
    user_id: string;
    done: ChangeResult[] | null;
    later: LaterChanges[] | null;
    by_groups: LaterChanges[] | null;
  }>(sql`
    SELECT q.user_id, o.changes AS done,
      (SELECT jsonb_agg(jsonb_build_object('jobId', l.job_id, 'changes', l.changes) ORDER BY l.finished_at, l.job_seq)
       FROM license_job_items l
       WHERE l.customer_id = o.customer_id AND l.user_id = o.user_id AND l.status = 'succeeded'
         AND (l.finished_at, l.job_seq) > (o.finished_at, o.job_seq)) AS later,
      (SELECT jsonb_agg(jsonb_build_object('jobId', l.job_id, 'changes', l.group_changes) ORDER BY l.finished_at, l.job_seq)
       FROM license_job_items l
       WHERE l.customer_id = o.customer_id AND l.user_id = o.user_id AND l.status = 'succeeded' AND l.group_changes IS NOT NULL
         AND (l.finished_at, l.job_seq) >= (o.finished_at, o.job_seq)) AS by_groups
    FROM jsonb_to_recordset(${sql.param(JSON.stringify(pairs.map((p) => ({ user_id: p.userId, job_id: p.jobId }))))}::jsonb)
      AS q(user_id uuid, job_id uuid)
    JOIN license_jobs oj ON oj.customer_id = ${customerId} AND oj.id = q.job_id
    JOIN license_job_items o ON o.customer_id = oj.customer_id AND o.user_id = q.user_id AND o.job_seq = oj.seq
      AND o.status = 'succeeded'`);
  for (const r of rows)
    result.set(r.user_id, { done: r.done ?? [], later: [...(r.later ?? []), ...(r.by_groups ?? [])] });
  return result;
}
