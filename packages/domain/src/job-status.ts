/** `scheduled`: accepted with a `notBefore` still ahead (seats reserved); it is queued at that time. */
export const JOB_STATUSES = [
  'scheduled',
  'queued',
  'running',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** A job's users by where they stand: `pending` until applied, then succeeded, failed, or cancelled (never applied). */
export const JOB_RESULT_STATUSES = ['pending', 'succeeded', 'failed', 'cancelled'] as const;
export type JobResultStatus = (typeof JOB_RESULT_STATUSES)[number];

/** The final status of a job whose users are all done: every one succeeded, some did, or none did. */
export function finalJobStatus(succeeded: number, failed: number): JobStatus {
  if (failed === 0) return 'completed';
  if (succeeded === 0) return 'failed';
  return 'completed_with_errors';
}

/** What one batch (or a cancel) finished of one job; a job's progress is the sum of its deltas. */
export interface JobProgressDelta {
  jobId: string;
  succeeded: number;
  failed: number;
  /** Users a cancel left unapplied. */
  cancelled: number;
  errorsByCode: Record<string, number>;
}

/** Per-job deltas of a set of finished users: counts by outcome, and each failure's codes. */
export function progressDeltas(
  items: readonly { jobId: string; status: 'succeeded' | 'failed'; errorCodes: readonly string[] }[],
): JobProgressDelta[] {
  const byJob = new Map<string, JobProgressDelta>();
  for (const item of items) {
    let delta = byJob.get(item.jobId);
    if (!delta) {
      delta = { jobId: item.jobId, succeeded: 0, failed: 0, cancelled: 0, errorsByCode: {} };
      byJob.set(item.jobId, delta);
    }
    if (item.status === 'succeeded') {
      delta.succeeded += 1;
      continue;
    }
    delta.failed += 1;
    for (const code of item.errorCodes) delta.errorsByCode[code] = (delta.errorsByCode[code] ?? 0) + 1;
  }
  return [...byJob.values()];
}
