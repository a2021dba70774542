import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAuditEvent } from './audit.ts';
import { finalJobStatus } from '@licensing/domain';
import type { Db, DbOrTx } from './client.ts';
import { countJobSummaries, type JobRef } from './job-summaries.ts';
import { type JobRow, toJob } from './jobs.ts';
import { type JobSummary, licenseJobs } from './schema.ts';
import { type DeliveryRef, partnerSubscribes, recordWebhookEvent } from './webhooks.ts';

export interface FinishedJob {
  id: string;
  status: string;
  /** The `license_job.finished` event recorded with the finish, when the partner subscribes to it. */
  delivery?: DeliveryRef;
  /** A group's job: the `group.processed` event recorded with the finish, when the partner subscribes to it. */
  groupDelivery?: DeliveryRef;
}

/**
 * Finishes a job whose users are all done: its final status, and its summary frozen into the row so
 * reading a finished job never sums its progress again. The caller holds the job's row lock, which a
 * cancel also takes: the two never both finish a job, and the second sees what the first did. Once
 * nothing is pending a job's progress no longer changes, so the summary read here is final. When the
 * job's partner has a webhook subscribed to `license_job.finished`, the event (the job as GET answers
 * it) is recorded in the same transaction. Answers undefined when the job is finished already or
 * still has pending users.
 */
export async function finishJobIfDone(tx: DbOrTx, job: JobRef): Promise<FinishedJob | undefined> {
  const summary = (await countJobSummaries(tx, [job], { unfinishedOnly: true })).get(job.id);
  if (!summary || summary.progress.pending > 0) return undefined;
  const [row] = await tx
    .update(licenseJobs)
    .set({
      status: finalJobStatus(summary.progress.succeeded, summary.progress.failed),
      startedAt: sql`coalesce(${licenseJobs.startedAt}, now())`,
      finishedAt: sql`now()`,
      summary,
    })
    .where(and(eq(licenseJobs.customerId, job.customerId), eq(licenseJobs.id, job.id), isNull(licenseJobs.finishedAt)))
    .returning();
  if (!row) return undefined;
  const delivery = await recordJobFinished(tx, row, summary);
  const groupDelivery = row.sourceGroupId ? await recordGroupProcessed(tx, row, summary) : undefined;
  return { id: row.id, status: row.status, delivery, groupDelivery };
}

/**
 * What finishing a job records, whoever finishes it (a worker, a cancel, a user's deletion), in the
 * transaction that sets its final status: the `license_job.finished` audit event (the service's
 * own, with no key nor request), and the webhook event when the partner subscribes to it (the job
 * as GET answers it), whose delivery reference is answered for the caller to enqueue once committed.
 */
export async function recordJobFinished(
  tx: DbOrTx,
  row: JobRow,
  summary: JobSummary,
): Promise<DeliveryRef | undefined> {
  await recordAuditEvent(tx, {
    partnerId: row.partnerId,
    customerId: row.customerId,
    type: 'license_job.finished',
    keyId: null,
    requestId: null,
    data: { jobId: row.id, status: row.status, progress: summary.progress, errorsByCode: summary.errorsByCode },
  });
  if (!(await partnerSubscribes(tx, row.partnerId, 'license_job.finished'))) return undefined;
  return recordWebhookEvent(tx, {
    partnerId: row.partnerId,
    type: 'license_job.finished',
    customerId: row.customerId,
    jobId: row.id,
    data: toJob(row, summary),
  });
}

/**
 * A group's job finished: its change has been applied to every affected member. The event carries
 * the group as it is now and the job's counts (members left waiting for a seat under `waiting`).
 */
async function recordGroupProcessed(tx: DbOrTx, row: JobRow, summary: JobSummary): Promise<DeliveryRef | undefined> {
  if (!(await partnerSubscribes(tx, row.partnerId, 'group.processed'))) return undefined;
  const [group] = await tx.execute<{
    id: string;
    name: string;
    membership_rule: unknown;
    licenses: unknown;
    members: number;
  }>(sql`
    SELECT g.id, g.name, g.membership_rule, g.licenses,
      (SELECT count(*)::int FROM group_members m WHERE m.customer_id = g.customer_id AND m.group_id = g.id) AS members
    FROM groups g WHERE g.customer_id = ${row.customerId} AND g.id = ${row.sourceGroupId}`);
  return recordWebhookEvent(tx, {
    partnerId: row.partnerId,
    type: 'group.processed',
    customerId: row.customerId,
    jobId: row.id,
    data: {
      group: group
        ? {
            id: group.id,
            customerId: row.customerId,
            name: group.name,
            membershipRule: group.membership_rule,
            licenses: group.licenses,
            memberCount: group.members,
          }
        : { id: row.sourceGroupId, customerId: row.customerId, deleted: true },
      jobId: row.id,
      counts: {
        users: summary.progress.total,
        succeeded: summary.progress.succeeded,
        failed: summary.progress.failed,
        waiting: summary.errorsByCode.CountViolation ?? 0,
      },
    },
  });
}

/**
 * Sets the final status of each of these jobs whose users are all done, exactly once. Runs after the
 * transaction that finished their last users has committed (a worker's batch, a user's deletion), so
 * the last one to commit always sees every other's progress. A job the summaries show done is then
 * locked and checked again in a transaction of its own, which finishes it (see finishJobIfDone).
 */
export async function finalizeJobsIfDone(db: Db, jobs: readonly JobRef[]): Promise<FinishedJob[]> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  if (byId.size === 0) return [];
  const summaries = await countJobSummaries(db, [...byId.values()], { unfinishedOnly: true });
  const finished: FinishedJob[] = [];
  for (const [jobId, summary] of summaries) {
    if (summary.progress.pending > 0) continue;
    const ref = byId.get(jobId)!;
    const job = await db.transaction(async (tx) => {
      const [locked] = await tx.execute<{ id: string }>(
        sql`SELECT id FROM license_jobs WHERE customer_id = ${ref.customerId} AND id = ${ref.id} AND finished_at IS NULL FOR UPDATE`,
      );
      return locked ? finishJobIfDone(tx, ref) : undefined;
    });
    if (job) finished.push(job);
  }
  return finished;
}
