// The delivery worker: sends the events of the webhook outbox, one BullMQ task per attempt, on a
// queue of its own. Postgres holds each delivery's state; Redis only says when to look at it.
import { Worker } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Gauge, Counter, type Registry } from 'prom-client';
import type { Db } from '@licensing/db';
import { retriedAfterFailure, webhookRetryDelay, WEBHOOK_RETRY_DELAYS_MS } from '@licensing/domain';
import {
  enqueueDeliveries,
  openSecret,
  PARK_SECONDS,
  partnerLanes,
  requeueParked,
  WEBHOOK_QUEUE,
  type WEBHOOK_TASK_NAME,
  type WebhookQueue,
  WebhookSender,
  type WebhookTargetPolicy,
  type WebhookTaskData,
  webhookTaskRetention,
  WebhookSecretUnreadableError,
  WEBHOOK_TIMEOUT_MS,
} from '@licensing/webhooks';

/**
 * While an attempt is under way its delivery is due again only this much later: if the worker
 * dies mid-attempt, the reconciler finds it due afterwards and it is attempted again (at least once).
 */
const ATTEMPT_LEASE_SECONDS = 60;
/** A partner's slot is held at most the attempt's time limit plus this (its statements), if its worker dies. */
const SLOT_LEASE_MARGIN_MS = 30_000;
/** The attempt's error, for the partner, when its secret cannot be opened: nothing was sent. */
export const UNREADABLE_SECRET_ERROR =
  "not sent: the webhook's signing secret cannot be opened on the server (a configuration problem on our side); " +
  'rotating the secret also resolves it';
/** The same, for the operator: what is wrong and the two ways out. */
const UNREADABLE_SECRET_LOG =
  'webhook not sent: WEBHOOK_SECRET_KEY does not open its signing secret; configure the key it was sealed with ' +
  '(the same on the API and the worker), or have the partner rotate the secret';

export interface WebhookWorkerOptions {
  db: Db;
  /** The worker's own connection (BullMQ duplicates it for blocking reads). */
  connection: Redis | Cluster;
  prefix: string;
  /** Where the next attempt of a failed delivery is queued. */
  queue: WebhookQueue;
  concurrency: number;
  /**
   * Attempts in flight for one partner over every worker process; more are parked until one of
   * them ends, holding no slot (see @licensing/webhooks' lanes.ts).
   */
  partnerConcurrency: number;
  policy: WebhookTargetPolicy;
  secretKey: Buffer | undefined;
  /** The waits between attempts; the contract's schedule unless a test shortens it. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  log: Logger;
  metrics?: WebhookMetrics;
}

type ClaimedDelivery = {
  id: string;
  partner_id: string;
  type: string;
  payload: unknown;
  created_at: Date;
  attempts: number;
  round_attempts: number;
  url: string | null;
  secret: string | null;
};

/** The exact body of an event: `{type, timestamp, data}`, the same bytes on every attempt. */
export function webhookBody(delivery: { type: string; created_at: Date; payload: unknown }): string {
  return JSON.stringify({ type: delivery.type, timestamp: delivery.created_at.toISOString(), data: delivery.payload });
}

export function createWebhookWorker(
  options: WebhookWorkerOptions,
): Worker<WebhookTaskData, void, typeof WEBHOOK_TASK_NAME> & { closeSender: () => Promise<void> } {
  const { db, log } = options;
  const sender = new WebhookSender(options.policy, options.timeoutMs);
  const delays = options.retryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS;
  const lanes = partnerLanes(
    options.queue,
    options.partnerConcurrency,
    (options.timeoutMs ?? WEBHOOK_TIMEOUT_MS) + SLOT_LEASE_MARGIN_MS,
  );

  /** Gives the partner's slot back and queues the parked attempts that take the free slots. */
  async function handOn(partner: string, token: string | null, outcome: 'ok' | 'failed' | 'none') {
    try {
      await requeueParked(options.queue, partner, await lanes.release(partner, token, outcome));
    } catch (err) {
      // The slot's lease runs out, and parked deliveries fall due in Postgres for the reconciler.
      log.warn({ err, partnerId: partner }, 'webhook slot not handed on; its lease will run out');
    }
  }

  async function attempt(task: WebhookTaskData, token: string) {
    const { d: deliveryId, a: expectedAttempts } = task;
    const [current] = await db.execute<{ partner_id: string }>(sql`
      SELECT partner_id FROM webhook_deliveries WHERE id = ${deliveryId} AND status = 'pending' AND attempts = ${expectedAttempts}`);
    if (!current) {
      // Made already, redelivered, or the delivery is over: nothing to send. A parked attempt handed
      // a free slot passes it on to the next.
      if (task.p) await handOn(task.p, null, 'none');
      return;
    }
    const partner = current.partner_id;
    if (!(await lanes.acquire(partner, token, { d: deliveryId, a: expectedAttempts, t: task.t ?? 0 }))) {
      // Parked: handed on when a slot of the partner frees; due in Postgres later in case Redis loses it.
      options.metrics?.parked.inc();
      await db.execute(sql`
        UPDATE webhook_deliveries SET next_attempt_at = greatest(next_attempt_at, now() + make_interval(secs => ${PARK_SECONDS}))
        WHERE id = ${deliveryId} AND status = 'pending' AND attempts = ${expectedAttempts}`);
      return;
    }
    let outcome: 'ok' | 'failed' | 'none' = 'none';
    try {
      // Claim the attempt: of two tasks for it (a re-enqueue racing the original), one sends.
      const [claimed] = await db.execute<ClaimedDelivery>(sql`
        UPDATE webhook_deliveries d
        SET attempts = attempts + 1, round_attempts = round_attempts + 1, last_attempt_at = now(),
            next_attempt_at = now() + make_interval(secs => ${ATTEMPT_LEASE_SECONDS})
        FROM (SELECT ${partner}::uuid AS partner_id) p LEFT JOIN webhooks w ON w.partner_id = p.partner_id
        WHERE d.id = ${deliveryId} AND d.status = 'pending' AND d.attempts = ${expectedAttempts}
        RETURNING d.id, d.partner_id, d.type, d.payload, d.created_at, d.attempts, d.round_attempts, w.url, w.secret`);
      if (!claimed) return;
      if (!claimed.url || !claimed.secret) {
        await record(
          claimed,
          { delivered: false, statusCode: null, error: 'the webhook was deleted', durationMs: 0 },
          true,
        );
        return;
      }
      let secret: string;
      try {
        secret = openSecret(claimed.secret, options.secretKey);
      } catch (err) {
        if (!(err instanceof WebhookSecretUnreadableError)) throw err;
        // Never signed with anything else: the attempt fails, unsent, and is retried on the usual
        // schedule, so deliveries resume once the key is right or the secret is rotated.
        log.error({ err, deliveryId: claimed.id, partnerId: claimed.partner_id }, UNREADABLE_SECRET_LOG);
        await record(
          claimed,
          { delivered: false, statusCode: null, error: UNREADABLE_SECRET_ERROR, durationMs: 0 },
          false,
        );
        return;
      }
      const result = await sender.send(claimed.url, {
        id: claimed.id,
        body: webhookBody({ ...claimed, created_at: new Date(claimed.created_at) }),
        secret,
      });
      outcome = result.delivered ? 'ok' : 'failed';
      await record(claimed, result, false);
    } finally {
      await handOn(partner, token, outcome);
    }
  }

  /** Records an attempt and what follows it: delivered, failed after the last, or the next one queued. */
  async function record(
    claimed: ClaimedDelivery,
    result: { delivered: boolean; statusCode: number | null; error: string | null; durationMs: number },
    final: boolean,
  ) {
    const retried = !result.delivered && !final && retriedAfterFailure(claimed.type);
    const delay = retried ? webhookRetryDelay(claimed.round_attempts, delays) : undefined;
    const status = result.delivered ? 'delivered' : delay === undefined ? 'failed' : 'pending';
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms)
        VALUES (${claimed.id}, ${claimed.attempts}, ${result.statusCode}, ${result.error}, ${result.durationMs})
        ON CONFLICT DO NOTHING`);
      await tx.execute(sql`
        UPDATE webhook_deliveries
        SET status = ${status}, last_status_code = ${result.statusCode}, last_error = ${result.error},
            delivered_at = CASE WHEN ${status} = 'delivered' THEN now() ELSE delivered_at END,
            next_attempt_at = CASE WHEN ${status} = 'pending' THEN now() + make_interval(secs => ${(delay ?? 0) / 1000}) ELSE next_attempt_at END
        WHERE id = ${claimed.id} AND attempts = ${claimed.attempts}`);
    });
    options.metrics?.attempts.inc({ result: result.delivered ? 'delivered' : 'failed' });
    if (status !== 'pending') options.metrics?.deliveries.inc({ outcome: status });
    const context = { deliveryId: claimed.id, partnerId: claimed.partner_id, attempt: claimed.attempts };
    if (status === 'failed')
      log.warn({ ...context, error: result.error }, 'webhook delivery failed after its last attempt');
    else if (status === 'pending') {
      log.info({ ...context, error: result.error, retryInMs: delay }, 'webhook attempt failed; retrying later');
      // If this is lost, the reconciler queues the delivery once it is due.
      const next = { id: claimed.id, attempts: claimed.attempts, partnerId: claimed.partner_id };
      await enqueueDeliveries(options.queue, [next], delay).catch((err: unknown) =>
        log.warn({ err, ...context }, 'next webhook attempt not queued; the reconciler will'),
      );
    }
  }

  const worker = new Worker<WebhookTaskData, void, typeof WEBHOOK_TASK_NAME>(
    WEBHOOK_QUEUE,
    async (job) => attempt(job.data, job.id!),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: false,
      // An attempt lasts at most the HTTP timeout plus two statements.
      lockDuration: 30_000,
      ...webhookTaskRetention,
    },
  );
  worker.on('error', (err) => log.error({ err }, 'webhook worker error'));
  worker.on('failed', (job, err) =>
    log.warn({ err, deliveryId: job?.data.d, attempts: job?.attemptsMade }, 'webhook task failed'),
  );
  return Object.assign(worker, { closeSender: () => sender.close() });
}

/**
 * Checks at start that WEBHOOK_SECRET_KEY opens every sealed webhook secret in the database, and
 * logs an error naming the partners whose secrets it does not (their deliveries would not be sent).
 * Answers how many it cannot open.
 */
export async function checkWebhookSecretKey(db: Db, key: Buffer | undefined, log: Logger): Promise<number> {
  const rows = await db.execute<{ partner_id: string; secret: string }>(sql`
    SELECT partner_id, secret FROM webhooks WHERE secret NOT LIKE 'plain:%'`);
  const unreadable = rows.filter((row) => {
    try {
      openSecret(row.secret, key);
      return false;
    } catch (err) {
      if (err instanceof WebhookSecretUnreadableError) return true;
      throw err;
    }
  });
  if (unreadable.length > 0)
    log.error(
      {
        webhooks: unreadable.length,
        partnerIds: unreadable.slice(0, 20).map((r) => r.partner_id),
        keyConfigured: key !== undefined,
      },
      `WEBHOOK_SECRET_KEY does not open ${unreadable.length} stored webhook secret(s): their deliveries will not be ` +
        'sent until the key they were sealed with is configured (the same on the API and the worker) or the ' +
        'partners rotate their secrets',
    );
  return unreadable.length;
}

/** Deliveries due now whose task may be lost (Redis flushed, a worker that died mid-attempt): queued again. */
export async function requeueDueDeliveries(db: Db, queue: WebhookQueue, limit = 1000): Promise<number> {
  const due = await db.execute<{ id: string; attempts: number; partnerId: string }>(sql`
    SELECT id, attempts, partner_id AS "partnerId" FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT ${limit}`);
  await enqueueDeliveries(queue, due);
  return due.length;
}

export function createWebhookMetrics(registry: Registry, db?: Db) {
  const deliveries = new Counter({
    name: 'webhook_deliveries_total',
    help: 'Webhook deliveries ended, by outcome (delivered, or failed after the last attempt)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts, by result',
    labelNames: ['result'],
    registers: [registry],
  });
  if (db) {
    new Gauge({
      name: 'webhook_oldest_pending_delivery_age_seconds',
      help: 'Age of the oldest webhook delivery not yet delivered nor failed (0 when none)',
      registers: [registry],
      async collect() {
        const [row] = await db.execute<{ age: number | null }>(sql`
          SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM webhook_deliveries WHERE status = 'pending'`);
        this.set(row?.age ?? 0);
      },
    });
  }
  const parked = new Counter({
    name: 'webhook_attempts_parked_total',
    help: 'Webhook attempts parked because their partner had its share of attempts in flight',
    registers: [registry],
  });
  return { deliveries, attempts, parked };
}
export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;
