import { sql } from 'drizzle-orm';
import type { RedisClient } from '@licensing/redis';
import type { Logger } from 'pino';
import {
  customersWithWaitingMembers,
  drainWaitingRoom,
  finalizeJobsIfDone,
  markTasksEnqueued,
  type Db,
} from '@licensing/db';
import { decodeLicenseTask, enqueueLicenseTasks, type LicenseTaskQueues } from '@licensing/queue';
import { enqueuePendingUsers } from './enqueue-pending-users.ts';
import { pruneExpired, type RetentionPolicy } from './retention.ts';
import type { WebhookQueue } from '@licensing/webhooks';
import { requeueDueDeliveries } from './webhook-worker.ts';

/**
 * Postgres is the record of what is left to do; Redis may lose it (FLUSHDB, a restart with nothing
 * on disk, an API that died between commit and enqueue). Every interval, one worker (a Redis lock
 * elects it) compares the pending items of unfinished jobs with the tasks the queue holds, and when
 * the queue holds fewer, re-enqueues every pending item. A pending item whose task is still queued
 * then has two tasks: the first to run applies it, the second finds it done and changes nothing
 * (tasks are kept small, with BullMQ's own ids, rather than deduplicated by a long custom id).
 * Scheduled jobs are the scheduler's until their time (see JobScheduler); a job it queued counts from
 * then, as one the API accepted counts from its acceptance.
 * It also retries tasks that exhausted their attempts while their item is still pending,
 * finishes jobs whose items are all done but that no worker finalised (a crash between commit and
 * finalisation), and prunes what is past retention.
 * A timer and a Redis lock, not a BullMQ job scheduler: the reconciler exists for the case where
 * Redis has lost its data, and a scheduler's repeatable job would be lost with it.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastPruned = 0;

  constructor(
    private readonly deps: {
      db: Db;
      /** Every shard's queue: their tasks together are compared with Postgres's pending users. */
      queues: LicenseTaskQueues;
      redis: RedisClient;
      log: Logger;
      intervalMs: number;
      lockKey: string;
      /** Jobs younger than this are left to the API, which enqueues right after committing. */
      graceSeconds?: number;
      /**
       * A job whose tasks the API has not finished enqueueing is left alone this long (the API
       * marks it when done); after that the API is taken to have died midway.
       */
      enqueueTimeoutSeconds?: number;
      /** Pruning runs on the same elected tick, at most this often. */
      retention?: RetentionPolicy & { everyMs: number };
      /** Webhook deliveries due in Postgres are queued here again on every tick (see requeueDueDeliveries). */
      webhookQueue?: WebhookQueue;
    },
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.reconcileIfLeader()
        .catch((err: unknown) => this.deps.log.warn({ err }, 'reconciliation failed'))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(tick, this.deps.intervalMs);
        });
    };
    this.timer = setTimeout(tick, Math.min(1000, this.deps.intervalMs));
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async reconcileIfLeader(): Promise<void> {
    const acquired = await this.deps.redis.set(
      this.deps.lockKey,
      String(process.pid),
      'PX',
      Math.max(this.deps.intervalMs - 100, 100),
      'NX',
    );
    if (!acquired) return;
    await this.reconcile();
    await this.drainWaitingRooms();
    await this.reconcileWebhooks();
    const retention = this.deps.retention;
    if (retention && Date.now() - this.lastPruned >= retention.everyMs) {
      this.lastPruned = Date.now();
      const pruned = await pruneExpired(this.deps.db, retention);
      if (pruned.jobs || pruned.idempotencyKeys || pruned.webhookDeliveries)
        this.deps.log.info(pruned, 'pruned expired jobs, idempotency keys and webhook deliveries');
    }
  }

  /**
   * Queues every webhook delivery that is due: recorded while Redis was away, lost with it, or left
   * by a worker that died mid-attempt. A delivery whose task is still queued is not added twice (the
   * task id names the attempt). Public for tests.
   */
  async reconcileWebhooks(): Promise<number> {
    if (!this.deps.webhookQueue) return 0;
    const queued = await requeueDueDeliveries(this.deps.db, this.deps.webhookQueue);
    if (queued) this.deps.log.debug({ queued }, 'due webhook deliveries queued');
    return queued;
  }

  /**
   * Every waiting room with free seats gets its oldest waiting members licensed (see
   * drainWaitingRoom): a drain after a change that freed seats may have been lost with its process,
   * and seats also free as reservations end unused. Answers how many jobs it created. Public for tests.
   */
  async drainWaitingRooms(): Promise<number> {
    let created = 0;
    for (const customerId of await customersWithWaitingMembers(this.deps.db))
      created += await this.drainWaitingRoomOf(customerId);
    return created;
  }

  private readonly draining = new Set<string>();

  /**
   * One customer's waiting room, drained now (a batch freed seats of it); a drain of the customer
   * already running is not doubled (what it misses, the next tick drains). Answers the jobs created.
   */
  async drainWaitingRoomOf(customerId: string): Promise<number> {
    if (this.draining.has(customerId)) return 0;
    this.draining.add(customerId);
    try {
      return await this.drainAndEnqueue(customerId);
    } finally {
      this.draining.delete(customerId);
    }
  }

  private async drainAndEnqueue(customerId: string): Promise<number> {
    const { db, queues, redis } = this.deps;
    let created = 0;
    for (const job of await drainWaitingRoom(db, customerId)) {
      const rows = await db.execute<{ user_id: string }>(sql`
        SELECT user_id FROM license_job_items WHERE customer_id = ${customerId} AND job_id = ${job.id} ORDER BY position`);
      await enqueueLicenseTasks(
        queues.forCustomer(customerId),
        redis,
        job,
        rows.map((r) => r.user_id),
        { express: queues.expressFor(customerId) },
      );
      await markTasksEnqueued(db, { customerId, id: job.id });
      created++;
    }
    if (created) this.deps.log.info({ customerId, jobs: created }, 'waiting members given free seats');
    return created;
  }

  /** One pass: how many tasks it re-enqueued and how many jobs it finalised. Public for tests and operators. */
  async reconcile(): Promise<{ requeued: number; finished: number }> {
    const { db, queues, log } = this.deps;
    const jobs = await db.execute<{
      id: string;
      partner_id: string;
      customer_id: string;
      user_count: number;
      pending: number;
    }>(sql`
      SELECT j.id, j.partner_id, j.customer_id, j.user_count,
             j.user_count - coalesce((SELECT sum(p.succeeded + p.failed) FROM license_job_progress p
                                      WHERE p.customer_id = j.customer_id AND p.job_id = j.id), 0)::int AS pending
      FROM license_jobs j
      WHERE j.finished_at IS NULL AND j.status <> 'scheduled'
        AND greatest(j.created_at, j.not_before) < now() - make_interval(secs => ${this.deps.graceSeconds ?? 5})
        AND (j.tasks_enqueued_at IS NOT NULL
             OR greatest(j.created_at, j.not_before) < now() - make_interval(secs => ${this.deps.enqueueTimeoutSeconds ?? 60}))
      ORDER BY j.seq`);
    const finished = await finalizeJobsIfDone(
      db,
      jobs.filter((j) => j.pending === 0).map((j) => ({ customerId: j.customer_id, id: j.id })),
    );
    const open = jobs.filter((j) => j.pending > 0);
    const pendingTotal = open.reduce((n, j) => n + j.pending, 0);
    if (pendingTotal === 0) return { requeued: 0, finished: finished.length };

    let queued = 0;
    for (const queue of queues.all) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      queued += Object.values(counts).reduce((n, c) => n + c, 0);
    }
    if (queued >= pendingTotal) return { requeued: 0, finished: finished.length };

    // Tasks that ran out of attempts hold their id in the failed set; retry those first.
    const failedTasks = (await Promise.all(queues.all.map((queue) => queue.getFailed(0, 9999)))).flat();
    for (const task of failedTasks) {
      const jobId = decodeLicenseTask(task?.data)?.jobId;
      if (jobId && open.some((j) => j.id === jobId)) await task!.retry().catch(() => undefined);
    }
    let requeued = 0;
    for (const job of open)
      requeued += await enqueuePendingUsers(this.deps, {
        id: job.id,
        partnerId: job.partner_id,
        customerId: job.customer_id,
        userCount: job.user_count,
      });
    log.warn(
      { pendingTotal, queued, requeued },
      'queue held fewer tasks than Postgres has pending users; re-enqueued them',
    );
    return { requeued, finished: finished.length };
  }
}
