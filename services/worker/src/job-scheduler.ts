import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '@licensing/db';
import type { LicenseTaskQueues } from '@licensing/queue';
import type { RedisClient } from '@licensing/redis';
import { enqueuePendingUsers } from './enqueue-pending-users.ts';

/** Due jobs one pass queues at most; the next pass (at once) takes the rest. */
const JOBS_PER_PASS = 20;

/**
 * Starts scheduled jobs when their time comes. The schedule is in Postgres only (`status =
 * 'scheduled'`, `not_before`): every worker process looks for due jobs a few times a second through
 * the small partial index `license_jobs_scheduled`, so a job starts within about `intervalMs` of its
 * time, whichever processes were restarted in between and whatever Redis lost (nothing of a
 * scheduled job is in Redis before it starts). Each due job is turned `queued` by exactly one process
 * (its row is claimed with SKIP LOCKED, and a cancel, which locks the row too, either comes first and
 * leaves nothing to start or comes after and cancels a queued job), which then adds its users'
 * tasks. A process that dies in between leaves a queued job without its tasks: the reconciler counts
 * it from its `notBefore` and enqueues them. No Redis lock: Redis being away must not hold back the
 * start in Postgres, and the worker's batches apply a job's users only once it is due anyway.
 */
export class JobScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      db: Db;
      queues: LicenseTaskQueues;
      redis: RedisClient;
      log: Logger;
      /** How often Postgres is asked for due jobs. */
      intervalMs: number;
      onStarted?: (job: { id: string; users: number }) => void;
    },
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.startDueJobs()
        .then(() => undefined)
        .catch((err: unknown) => this.deps.log.warn({ err }, 'scheduled jobs not started'))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(tick, this.deps.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Queues every job whose time has come, and adds its tasks; answers the jobs started. Public for tests. */
  async startDueJobs(): Promise<string[]> {
    const started: string[] = [];
    for (;;) {
      const due = await this.deps.db.execute<{
        id: string;
        partner_id: string;
        customer_id: string;
        user_count: number;
      }>(sql`
        UPDATE license_jobs j SET status = 'queued'
        FROM (SELECT customer_id, id FROM license_jobs
              WHERE status = 'scheduled' AND not_before <= now()
              ORDER BY not_before LIMIT ${JOBS_PER_PASS} FOR UPDATE SKIP LOCKED) d
        WHERE j.customer_id = d.customer_id AND j.id = d.id AND j.status = 'scheduled'
        RETURNING j.id, j.partner_id, j.customer_id, j.user_count`);
      for (const job of due) {
        const users = await enqueuePendingUsers(this.deps, {
          id: job.id,
          partnerId: job.partner_id,
          customerId: job.customer_id,
          userCount: job.user_count,
        });
        this.deps.log.info({ jobId: job.id, users }, 'scheduled license job started');
        this.deps.onStarted?.({ id: job.id, users });
        started.push(job.id);
      }
      if (due.length < JOBS_PER_PASS) return started;
    }
  }
}
