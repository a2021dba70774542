import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import { markTasksEnqueued, type Db } from '@licensing/db';
import type { RedisClient } from '@licensing/redis';
import { type EnqueuedJob, enqueueLicenseTasks, type LicenseTaskQueues } from '@licensing/queue';
import { PartnerTurns } from './partner-turns.ts';

/**
 * Enqueues committed jobs' tasks in the background, so the 202 does not wait for tens of
 * thousands of Redis writes. The job is already durable in Postgres, so nothing is lost if this
 * fails or the process dies midway: the worker's reconciler re-enqueues every pending user of an
 * unfinished job. The job is marked once all its tasks are queued, so that the reconciler does not
 * take a job still being enqueued for one that lost its tasks. On shutdown, `drain()` waits for the
 * enqueues in flight.
 */
export class TaskEnqueuer {
  private readonly inFlight = new Set<Promise<void>>();
  /** Bulk jobs' chunks take turns here, one chunk at a time (see `turn`). */
  private readonly bulkTurns = new PartnerTurns();

  constructor(
    private readonly queues: LicenseTaskQueues,
    private readonly redis: RedisClient,
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  enqueue(job: EnqueuedJob, userIds: string[]): void {
    const jobId = job.id;
    const started = performance.now();
    const work = enqueueLicenseTasks(this.queues.forCustomer(job.customerId), this.redis, job, userIds, {
      turn: () => this.turn(job.partnerId),
      express: this.queues.expressFor(job.customerId),
    })
      .then(() => markTasksEnqueued(this.db, { customerId: job.customerId, id: jobId }))
      .then(() =>
        this.log.debug({ jobId, users: userIds.length, ms: Math.round(performance.now() - started) }, 'tasks enqueued'),
      )
      .catch((err: unknown) =>
        this.log.warn({ err, jobId }, 'enqueueing failed; the reconciler will enqueue the pending users'),
      )
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /**
   * Enqueues a committed job's tasks from its items (a group's job: its users were selected by
   * Postgres, set-based, and are read back in list order once committed, never held by the request).
   */
  enqueueJobItems(job: EnqueuedJob): void {
    const work = this.db
      .execute<{ user_id: string }>(sql`
        SELECT user_id FROM license_job_items WHERE customer_id = ${job.customerId} AND job_id = ${job.id} ORDER BY position`)
      .then((rows) =>
        this.enqueue(
          job,
          rows.map((r) => r.user_id),
        ),
      )
      .catch((err: unknown) =>
        this.log.warn({ err, jobId: job.id }, 'reading the users to enqueue failed; the reconciler will enqueue them'),
      )
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /**
   * Bulk jobs enqueue one chunk at a time between them, in turns (round-robin between partners, so
   * that one partner's many jobs do not hold another's back; see PartnerTurns) and yielding to the
   * event loop between chunks: the requests of interactive users (and express jobs' tasks, which skip
   * the turns) wait for at most one chunk's work instead of every bulk job's chunk at once.
   */
  private async turn(partnerId: string): Promise<() => void> {
    const release = await this.bulkTurns.take(partnerId);
    await new Promise((resolve) => setImmediate(resolve));
    return release;
  }

  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
