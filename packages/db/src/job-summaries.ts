import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';
import { executePrepared } from './prepared.ts';
import type { JobProgressDelta } from '@licensing/domain';
import type { JobSummary } from './schema.ts';

/**
 * A job as the tables that hold its rows are keyed: by customer, then id (migration 0010). Every
 * statement about a job names both, so on a Postgres sharded by customer it goes to one shard.
 */
export interface JobRef {
  customerId: string;
  id: string;
}

/**
 * Customers and ids of jobs as two array parameters, for `customer_id = any(…) AND id = any(…)`: a
 * job id is a random UUID, so the two lists matched apart find exactly the jobs given (a job named
 * with another customer than its own is not found), and the customers let a sharded Postgres send
 * the statement to their shards only.
 */
export function jobRefParams(jobs: readonly JobRef[]): { customerIds: string[]; ids: string[] } {
  return { customerIds: [...new Set(jobs.map((j) => j.customerId))], ids: jobs.map((j) => j.id) };
}

/**
 * Records progress deltas of a customer's jobs. Must run in the transaction that marks the counted
 * items done, so the sum of a job's deltas always equals what its items say. Locks nothing but the
 * new rows.
 */
export async function addJobProgress(tx: DbOrTx, customerId: string, deltas: JobProgressDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await executePrepared(
    tx,
    sql`
    INSERT INTO license_job_progress (customer_id, job_id, succeeded, failed, cancelled, errors_by_code)
    SELECT ${customerId}::uuid, x.job_id, x.succeeded, x.failed, x.cancelled, x.errors_by_code
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
  jobs: readonly JobRef[],
  options: { unfinishedOnly?: boolean } = {},
): Promise<Map<string, JobSummary>> {
  const result = new Map<string, JobSummary>();
  if (jobs.length === 0) return result;
  const { customerIds, ids } = jobRefParams(jobs);
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
      coalesce((SELECT sum(p.succeeded) FROM license_job_progress p WHERE p.customer_id = j.customer_id AND p.job_id = j.id), 0)::int AS succeeded,
      coalesce((SELECT sum(p.failed) FROM license_job_progress p WHERE p.customer_id = j.customer_id AND p.job_id = j.id), 0)::int AS failed,
      coalesce((SELECT sum(p.cancelled) FROM license_job_progress p WHERE p.customer_id = j.customer_id AND p.job_id = j.id), 0)::int AS cancelled,
      (SELECT jsonb_object_agg(e.code, e.n) FROM (
         SELECT c.key AS code, sum(c.value::int)::int AS n
         FROM license_job_progress p, jsonb_each_text(p.errors_by_code) AS c
         WHERE p.customer_id = j.customer_id AND p.job_id = j.id GROUP BY c.key) e) AS errors
    FROM license_jobs j
    WHERE j.customer_id = any(${sql.param(customerIds)}::uuid[]) AND j.id = any(${sql.param(ids)}::uuid[])${options.unfinishedOnly ? sql` AND j.finished_at IS NULL` : sql``}`,
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
export async function markTasksEnqueued(db: DbOrTx, job: JobRef): Promise<void> {
  await db.execute(
    sql`UPDATE license_jobs SET tasks_enqueued_at = now() WHERE customer_id = ${job.customerId} AND id = ${job.id} AND tasks_enqueued_at IS NULL`,
  );
}
