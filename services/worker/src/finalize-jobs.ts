import { sql } from 'drizzle-orm';
import { countJobSummaries, type DbOrTx } from '@licensing/db';
import { finalJobStatus } from '@licensing/domain';

/**
 * Sets the final status of each job whose users are all done, exactly once: the UPDATE only
 * matches a job that is not finished yet, and a concurrent finaliser waiting on the row lock
 * re-checks that condition and matches nothing. Once no item is pending, a job's items no longer
 * change, so the counts read here are final. They are frozen into the job (summary) so reading a
 * finished job never counts its items again.
 */
export async function finalizeJobsIfDone(db: DbOrTx, jobIds: readonly string[]): Promise<{ id: string; status: string }[]> {
  const finished: { id: string; status: string }[] = [];
  for (const jobId of new Set(jobIds)) {
    // Cheap test first (an index probe); the full count only runs for a job that is done.
    const [open] = await db.execute<{ pending: boolean; finished: boolean }>(sql`
      SELECT EXISTS (SELECT 1 FROM license_job_items WHERE job_id = ${jobId} AND status = 'pending') AS pending,
             EXISTS (SELECT 1 FROM license_jobs WHERE id = ${jobId} AND finished_at IS NOT NULL) AS finished`);
    if (!open || open.pending || open.finished) continue;
    const summary = (await countJobSummaries(db, [jobId])).get(jobId)!;
    const status = finalJobStatus(summary.progress.succeeded, summary.progress.failed);
    const rows = await db.execute<{ id: string; status: string }>(sql`
      UPDATE license_jobs
      SET status = ${status}, started_at = coalesce(started_at, now()), finished_at = now(), summary = ${sql.param(JSON.stringify(summary))}::jsonb
      WHERE id = ${jobId} AND finished_at IS NULL
      RETURNING id, status`);
    finished.push(...rows);
  }
  return finished;
}
