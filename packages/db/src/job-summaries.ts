import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';
import type { JobSummary } from './schema.ts';

/**
 * Progress and errors by code of jobs, counted from their items. Read for unfinished jobs, and
 * frozen into a job's row when it finishes so it is never counted again.
 */
export async function countJobSummaries(db: DbOrTx, jobIds: string[]): Promise<Map<string, JobSummary>> {
  const result = new Map<string, JobSummary>(
    jobIds.map((id) => [id, { progress: { total: 0, pending: 0, succeeded: 0, failed: 0 }, errorsByCode: {} }]),
  );
  if (jobIds.length === 0) return result;
  const [statusRows, codeRows] = await Promise.all([
    db.execute<{ job_id: string; status: 'pending' | 'succeeded' | 'failed'; n: number }>(sql`
      SELECT job_id, status, count(*)::int AS n FROM license_job_items
      WHERE job_id = any(${sql.param(jobIds)}::uuid[]) GROUP BY job_id, status`),
    db.execute<{ job_id: string; code: string; n: number }>(sql`
      SELECT job_id, code, count(*)::int AS n FROM license_job_items, unnest(error_codes) AS code
      WHERE job_id = any(${sql.param(jobIds)}::uuid[]) AND status = 'failed' GROUP BY job_id, code ORDER BY code`),
  ]);
  for (const r of statusRows) {
    const s = result.get(r.job_id)!;
    s.progress[r.status] += r.n;
    s.progress.total += r.n;
  }
  for (const r of codeRows) result.get(r.job_id)!.errorsByCode[r.code] = r.n;
  return result;
}

