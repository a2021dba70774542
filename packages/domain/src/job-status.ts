export const JOB_STATUSES = ['queued', 'running', 'completed', 'completed_with_errors', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** The final status of a job whose users are all done: every one succeeded, some did, or none did. */
export function finalJobStatus(succeeded: number, failed: number): JobStatus {
  if (failed === 0) return 'completed';
  if (succeeded === 0) return 'failed';
  return 'completed_with_errors';
}
