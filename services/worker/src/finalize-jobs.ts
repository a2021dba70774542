import { sql } from 'drizzle-orm';
import { countJobSummaries, type DbOrTx } from '@licensing/db';
import { finalJobStatus } from '@licensing/domain';

/**
 * Sets the final status of each job whose users are all done, exactly once: the UPDATE only
 * matches a job that is not finished yet, and a concurrent finaliser waiting on the row lock
 * re-checks that condition and matches nothing. Runs after the batch has committed, so the last
 * batch of a job to commit always sees every other batch's progress. Once nothing is pending, a
 * job's progress no longer changes, so the summary read here is final; it is frozen into the job so
 * reading a finished job never sums its progress again.
 */
export async function finalizeJobsIfDone(
  db: DbOrTx,
  jobIds: readonly string[],
): Promise<{ id: string; status: string }[]> {
  const ids = [...new Set(jobIds)];
  if (ids.length === 0) return [];
  const summaries = await countJobSummaries(db, ids, { unfinishedOnly: true });
  const finished: { id: string; status: string }[] = [];
  for (const [jobId, summary] of summaries) {
    if (summary.progress.pending > 0) continue;
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
