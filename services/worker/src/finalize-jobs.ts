import { and, eq, isNull, sql } from 'drizzle-orm';
import {
  countJobSummaries,
  type DbOrTx,
  type DeliveryRef,
  jobsWithSubscribedWebhook,
  recordWebhookEvent,
  tables,
  toJob,
} from '@licensing/db';
import { finalJobStatus } from '@licensing/domain';

export interface FinishedJob {
  id: string;
  status: string;
  /** The `license_job.finished` event recorded with the finish, when the partner subscribes to it. */
  delivery?: DeliveryRef;
}

/**
 * Sets the final status of each job whose users are all done, exactly once: the UPDATE only
 * matches a job that is not finished yet, and a concurrent finaliser waiting on the row lock
 * re-checks that condition and matches nothing. Runs after the batch has committed, so the last
 * batch of a job to commit always sees every other batch's progress. Once nothing is pending, a
 * job's progress no longer changes, so the summary read here is final; it is frozen into the job so
 * reading a finished job never sums its progress again.
 *
 * When the job's partner has a webhook subscribed to `license_job.finished`, the event (the job as
 * GET answers it) is recorded in the same transaction as the finish: a finished job and its event
 * commit together or not at all.
 */
export async function finalizeJobsIfDone(db: DbOrTx, jobIds: readonly string[]): Promise<FinishedJob[]> {
  const ids = [...new Set(jobIds)];
  if (ids.length === 0) return [];
  const summaries = await countJobSummaries(db, ids, { unfinishedOnly: true });
  const done = [...summaries].filter(([, summary]) => summary.progress.pending === 0);
  if (done.length === 0) return [];
  const subscribed = await jobsWithSubscribedWebhook(
    db,
    done.map(([id]) => id),
    'license_job.finished',
  );
  const finished: FinishedJob[] = [];
  for (const [jobId, summary] of done) {
    const status = finalJobStatus(summary.progress.succeeded, summary.progress.failed);
    const finish = (tx: DbOrTx) =>
      tx
        .update(tables.licenseJobs)
        .set({
          status,
          startedAt: sql`coalesce(${tables.licenseJobs.startedAt}, now())`,
          finishedAt: sql`now()`,
          summary,
        })
        .where(and(eq(tables.licenseJobs.id, jobId), isNull(tables.licenseJobs.finishedAt)))
        .returning();
    if (!subscribed.has(jobId)) {
      const [row] = await finish(db);
      if (row) finished.push({ id: row.id, status: row.status });
      continue;
    }
    const outcome = await db.transaction(async (tx) => {
      const [row] = await finish(tx);
      if (!row) return undefined;
      const delivery = await recordWebhookEvent(tx, {
        partnerId: row.partnerId,
        type: 'license_job.finished',
        jobId: row.id,
        data: toJob(row, summary),
      });
      return { id: row.id, status: row.status, delivery };
    });
    if (outcome) finished.push(outcome);
  }
  return finished;
}
