import { z } from 'zod';
import { commonEnv, commonSettings, parseEnv, queueLayout, webhookEnv } from '@licensing/config';

export const workerEnv = {
  ...commonEnv,
  ...webhookEnv,
  /** Unset: 3002, or a free port when another worker holds it (see listenOnPortOrFree). */
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * Tasks held at once by one worker process; they are applied to Postgres in batches. Every task
   * held is an entry of BullMQ's active list in Redis, which finishing a task searches: with several
   * workers their tasks interleave there, so a longer list costs each of them. A larger value does
   * not make one worker faster and makes several slower, so the default stays moderate. With
   * several shards they are shared out between the shards by backlog.
   */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(5000).default(600),
  /**
   * Tasks held at once from each shard's express queue (interactive jobs): their own slots, so an
   * interactive job never waits for bulk tasks to free one. Five partners' express budgets (200
   * users each): with as many slots as one budget, one partner's two 100-user jobs held them all and
   * everybody else's small jobs waited in Redis until its users were applied.
   */
  WORKER_EXPRESS_CONCURRENCY: z.coerce.number().int().min(1).max(5000).default(1000),
  /** Most users applied in one Postgres transaction. */
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(2000).default(300),
  /** Batch transactions in flight at once per process. */
  WORKER_BATCH_PARALLELISM: z.coerce.number().int().min(1).max(16).default(2),
  /** A batch transaction still running after this is abandoned and its tasks retried. */
  WORKER_BATCH_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How often Postgres is compared with the queue to re-enqueue lost tasks and finish stuck jobs. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
  /** How often Postgres is asked for scheduled jobs whose time has come (they start within about this). */
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(50).max(10_000).default(500),
  /** How soon a task held by a dead worker is handed to another. */
  STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(5_000),
  /**
   * A queue's BullMQ worker that has free slots and has taken no task for this long while tasks wait
   * in the queue is stalled: the process logs it, counts it (license_worker_stalls_total), answers
   * /readyz 503 until it takes tasks again, and replaces that worker and its blocking Redis
   * connection. 0 turns the watchdog off.
   */
  WORKER_STALL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
  /** Idempotency keys are honoured at least this long. */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce.number().int().min(24).default(24),
  /** Finished jobs and their per-user results are kept this long, then pruned. */
  JOB_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /**
   * Webhook attempts in flight at once per process, on their own queue: a slow endpoint holds one
   * of these for at most 10 s and never a license task's slot.
   */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(32),
  /**
   * At most this many attempts of one partner in flight, over every worker process: more are parked
   * (holding no slot) until one of them ends, so one dead or slow endpoint, or one partner's backlog,
   * cannot take the slots. An endpoint whose last 3 attempts failed gets one at a time.
   */
  WEBHOOK_PARTNER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(4),
  /** An attempt without an answer within this is a failed one (at most the 10 s endpoints are promised). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1000).max(10_000).default(10_000),
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env) {
  const { WORKER_PORT, ...parsed } = parseEnv(workerEnv, env);
  return {
    ...parsed,
    ...commonSettings(parsed),
    WORKER_PORT: WORKER_PORT ?? 3002,
    workerPortIsDefault: WORKER_PORT === undefined,
    queueLayout: queueLayout(parsed),
  };
}
