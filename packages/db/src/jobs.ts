// A license job as the API answers it (GET, list, cancel) and as the `license_job.finished` webhook
// carries it: one serialisation for both, so the event's data is exactly what a GET returns.
import { normalizePlans, type JobStatus } from '@licensing/domain';
import type { DbOrTx } from './client.ts';
import { countJobSummaries } from './job-summaries.ts';
import type { JobSummary, licenseJobs } from './schema.ts';

export type JobRow = typeof licenseJobs.$inferSelect;

export interface Job {
  id: string;
  customerId: string;
  status: JobStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  request: {
    assign: { productId: string; disabledServicePlans: string[] }[];
    revoke: string[];
    userCount: number;
  };
  progress: { total: number; pending: number; succeeded: number; failed: number; cancelled: number };
  errorsByCode: Record<string, number>;
  clientReference: string | null;
  retryOf: string | null;
  revertOf: string | null;
  /** What started the job: a license job request, or a change of a group (processed for its members). */
  source: { type: 'direct' } | { type: 'group'; groupId: string };
  notBefore: string | null;
}

/** Jobs with their progress: frozen in the row once finished, summed from the deltas before. */
export async function jobsWithProgress(db: DbOrTx, rows: JobRow[]): Promise<Job[]> {
  const live = await countJobSummaries(
    db,
    rows.filter((r) => !r.summary).map((r) => ({ customerId: r.customerId, id: r.id })),
  );
  return rows.map((r) => toJob(r, r.summary ?? live.get(r.id)!));
}

export function toJob(row: JobRow, summary: JobSummary): Job {
  return {
    id: row.id,
    customerId: row.customerId,
    // The row and the progress are read by two statements; a batch committing in between must not
    // show a job with finished users as still queued (nor a scheduled one whose time came, applied
    // before the scheduler queued it).
    status:
      (row.status === 'queued' || row.status === 'scheduled') && summary.progress.pending < summary.progress.total
        ? 'running'
        : (row.status as JobStatus),
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    request: {
      assign: row.assign.map((a) => ({
        productId: a.productId,
        disabledServicePlans: normalizePlans(a.disabledServicePlans),
      })),
      revoke: row.revoke,
      userCount: row.userCount,
    },
    progress: { ...summary.progress, cancelled: summary.progress.cancelled ?? 0 },
    errorsByCode: summary.errorsByCode,
    clientReference: row.clientReference,
    retryOf: row.retryOf,
    revertOf: row.revertOf,
    source: row.sourceGroupId ? { type: 'group', groupId: row.sourceGroupId } : { type: 'direct' },
    notBefore: row.notBefore?.toISOString() ?? null,
  };
}
