import { Queue, type JobsOptions, type QueueOptions } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { z } from 'zod';

/**
 * The one task kind of this system: apply one bulk job's changes to one user.
 * Everything the worker needs beyond these ids is read from Postgres, the source of truth,
 * so a task can be re-created from a job item at any time (see the reconciler).
 */
export const LICENSE_TASK_QUEUE = 'license-tasks';
export const LICENSE_TASK_NAME = 'apply-user-changes';

export const licenseTaskSchema = z.object({
  jobId: z.uuid(),
  customerId: z.uuid(),
  userId: z.uuid(),
});
export type LicenseTask = z.infer<typeof licenseTaskSchema>;

/** Deterministic task id: adding the same (job, user) twice while it is queued adds it once. */
export const licenseTaskId = (jobId: string, userId: string) => `${jobId}.${userId}`;

export const licenseTaskOptions: JobsOptions = {
  // Only infrastructure errors (database away, deadlock) reach BullMQ's retries; rule violations
  // are outcomes recorded in Postgres, not failures.
  attempts: 12,
  backoff: { type: 'exponential', delay: 500 },
  // Finished tasks are removed so Redis memory stays bounded; the report lives in Postgres.
  removeOnComplete: { count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

export type LicenseTaskQueue = Queue<LicenseTask, void, typeof LICENSE_TASK_NAME>;

/**
 * BullMQ's OpenTelemetry integration: adding tasks opens a span under the active one (the API
 * request) and carries its context in each task, so the worker's span for every user joins the
 * request's trace. Only on when tracing is.
 */
export const taskTelemetry = (enabled: boolean) => (enabled ? new BullMQOtel({ tracerName: 'licensing' }) : undefined);

export function createLicenseTaskQueue(connection: QueueOptions['connection'], prefix?: string, options: { tracing?: boolean } = {}): LicenseTaskQueue {
  return new Queue<LicenseTask, void, typeof LICENSE_TASK_NAME>(LICENSE_TASK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: licenseTaskOptions,
    telemetry: taskTelemetry(options.tracing ?? false),
  });
}

const ENQUEUE_CHUNK = 1000;

/** Adds one task per user in chunks, so a 50,000-user job never builds one giant Redis command. */
export async function enqueueLicenseTasks(
  queue: LicenseTaskQueue,
  job: { jobId: string; customerId: string },
  userIds: readonly string[],
): Promise<void> {
  for (let start = 0; start < userIds.length; start += ENQUEUE_CHUNK) {
    const chunk = userIds.slice(start, start + ENQUEUE_CHUNK);
    await queue.addBulk(
      chunk.map((userId) => ({
        name: LICENSE_TASK_NAME,
        data: { jobId: job.jobId, customerId: job.customerId, userId },
        opts: { jobId: licenseTaskId(job.jobId, userId) },
      })),
    );
  }
}
