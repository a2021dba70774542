import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';
import { executePrepared } from './prepared.ts';
import type { JobProgressDelta } from '@licensing/domain';
import type { JobSummary } from './schema.ts';

/**
 * Records progress deltas. Must run in the transaction that marks the counted items done, so the
 * sum of a job's deltas always equals what its items say. Locks nothing but the new rows.
 */
export async function addJobProgress(tx: DbOrTx, deltas: JobProgressDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await executePrepared(
    tx,
    sql`
    INSERT INTO license_job_progress (job_id, succeeded, failed, cancelled, errors_by_code)
    SELECT x.job_id, x.succeeded, x.failed, x.cancelled, x.errors_by_code
    FROM jsonb_to_recordset(${sql.param(JSON.stringify(deltas.map((d) => ({ job_id: d.jobId, succeeded: d.succeeded, failed: d.failed, cancelled: d.cancelled, errors_by_code: d.errorsByCode }))))}::jsonb)
      AS x(job_id uuid, succeeded int, failed int, cancelled int, errors_by_code jsonb)`,
  );
}

/**
 * Progress and errors by code of jobs, summed from their progress deltas (a few dozen rows a job,
 * whatever its size): total is the job's user count, and what no delta counted yet is pending.
 * Frozen into a job's row when it finishes. With `unfinishedOnly`, finished jobs are left out.
 */
export async function countJobSummaries(
  db: DbOrTx,
  jobIds: string[],
  options: { unfinishedOnly?: boolean } = {},
): Promise<Map<string, JobSummary>> {
  const result = new Map<string, JobSummary>();
  if (jobIds.length === 0) return result;
  // Prepared: run by the worker after every batch and by the API for every poll (two fixed texts).
  const rows = await executePrepared<{
    id: string;
    total: number;
    succeeded: number;
    failed: number;
    cancelled: number;
    errors: Record<string, number> | null;
  }>(
    db,
    sql`
    SELECT j.id, j.user_count AS total,
      coalesce((SELECT sum(p.succeeded) FROM license_job_progress p WHERE p.job_id = j.id), 0)::int AS succeeded,
      coalesce((SELECT sum(p.failed) FROM license_job_progress p WHERE p.job_id = j.id), 0)::int AS failed,
      coalesce((SELECT sum(p.cancelled) FROM license_job_progress p WHERE p.job_id = j.id), 0)::int AS cancelled,
      (SELECT jsonb_object_agg(e.code, e.n) FROM (
         SELECT c.key AS code, sum(c.value::int)::int AS n
         FROM license_job_progress p, jsonb_each_text(p.errors_by_code) AS c
         WHERE p.job_id = j.id GROUP BY c.key) e) AS errors
    FROM license_jobs j WHERE j.id = any(${sql.param(jobIds)}::uuid[])${options.unfinishedOnly ? sql` AND j.finished_at IS NULL` : sql``}`,
  );
  for (const r of rows) {
    result.set(r.id, {
      progress: {
        total: r.total,
        pending: r.total - r.succeeded - r.failed - r.cancelled,
        succeeded: r.succeeded,
        failed: r.failed,
        cancelled: r.cancelled,
      },
      // Codes in alphabetical order, whatever order jsonb keeps its keys in.
      errorsByCode: Object.fromEntries(Object.entries(r.errors ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
    });
  }
  return result;
}

/**
 * Marks that every task of a job has been added to the queue: from then on, a pending user with no
 * task in the queue is a lost task, which the reconciler re-enqueues.
 */
export async function markTasksEnqueued(db: DbOrTx, jobId: string): Promise<void> {
  await db.execute(
    sql`UPDATE license_jobs SET tasks_enqueued_at = now() WHERE id = ${jobId} AND tasks_enqueued_at IS NULL`,
  );
}
