import type { FastifyBaseLogger } from 'fastify';
import { enqueueLicenseTasks, type LicenseTaskQueue } from '@licensing/queue';

/**
 * Enqueues a committed job's tasks. The job is already durable in Postgres, so a failure here
 * (Redis away, process killed) loses nothing: the worker's reconciler re-enqueues every pending
 * item of an unfinished job. The client still gets its 202.
 */
export async function enqueueJobTasks(queue: LicenseTaskQueue, log: FastifyBaseLogger, job: { jobId: string; customerId: string }, userIds: string[]) {
  try {
    await enqueueLicenseTasks(queue, job, userIds);
  } catch (err) {
    log.warn({ err, jobId: job.jobId }, 'enqueueing failed; the reconciler will enqueue the pending users');
  }
}
