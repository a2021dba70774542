import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { type ParkedAttempt, priorityOfTag, tagAttempts } from './lanes.ts';

/**
 * Webhook deliveries have a queue of their own, consumed by their own worker with its own
 * concurrency, so a slow or dead endpoint never holds a license task's slot. A task is one attempt
 * of one delivery: `{d: deliveryId, a: attempts made before it}`. Its BullMQ id is built from both,
 * so adding the same attempt twice (the reconciler re-adding a due delivery whose task is still
 * queued) adds it once; a stale task finds its attempt already made and does nothing.
 *
 * Every task carries its partner and its tag, and is queued with the tag's priority, so partners
 * take turns (see lanes.ts): a task without a priority would be taken before all of them.
 */
export const WEBHOOK_QUEUE = 'webhook-deliveries';
export const WEBHOOK_TASK_NAME = 'deliver' as const;

export interface WebhookTaskData {
  d: string;
  a: number;
  /** The partner (tasks queued by an earlier version have none, and are looked up). */
  p?: string;
  /** The task's tag in its partner's lane (see lanes.ts). */
  t?: number;
}

/** A delivery to queue: its id, the attempts made so far and its partner. */
export interface DeliveryToQueue {
  id: string;
  attempts: number;
  partnerId: string;
}

/**
 * A finished task is removed at once, completed or failed: the delivery's record is in Postgres, and
 * a retained task would keep its id taken, so the reconciler could not queue that attempt again.
 * (Objects, not `true`: BullMQ 6.7's finishing script cannot read a worker-level boolean.)
 */
export const webhookTaskRetention = { removeOnComplete: { count: 0 }, removeOnFail: { count: 0 } } as const;

/** The queue, with the connection it was made with (for the partners' lanes beside its keys). */
export type WebhookQueue = Queue<WebhookTaskData, void, typeof WEBHOOK_TASK_NAME> & { readonly redis: Redis | Cluster };

export function createWebhookQueue(connection: Redis | Cluster, prefix?: string): WebhookQueue {
  const queue = new Queue<WebhookTaskData, void, typeof WEBHOOK_TASK_NAME>(WEBHOOK_QUEUE, {
    connection,
    prefix,
    // Retries are the delivery's own schedule (kept in Postgres); BullMQ's only cover a worker that
    // could not reach Postgres to record the attempt. Finished tasks are removed at once (see
    // webhookTaskRetention).
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, ...webhookTaskRetention },
  });
  return Object.assign(queue, { redis: connection });
}

/**
 * Adds the next attempt of each delivery, `delayMs` from now, each in its partner's turn (the tags of
 * one partner's deliveries follow one another, see lanes.ts).
 */
export async function enqueueDeliveries(
  queue: WebhookQueue,
  deliveries: readonly DeliveryToQueue[],
  delayMs = 0,
): Promise<void> {
  if (deliveries.length === 0) return;
  const byPartner = new Map<string, DeliveryToQueue[]>();
  for (const d of deliveries) {
    const ofPartner = byPartner.get(d.partnerId);
    if (ofPartner) ofPartner.push(d);
    else byPartner.set(d.partnerId, [d]);
  }
  const tasks: Parameters<WebhookQueue['addBulk']>[0] = [];
  for (const [partnerId, ofPartner] of byPartner) {
    const { start, clock } = await tagAttempts(queue.redis, queue.toKey, partnerId, ofPartner.length);
    tasks.push(
      ...ofPartner.map((d, i) => ({
        name: WEBHOOK_TASK_NAME,
        data: { d: d.id, a: d.attempts, p: partnerId, t: start + 1 + i },
        opts: {
          jobId: `${d.id}-${d.attempts}`,
          priority: priorityOfTag(start + 1 + i, clock),
          ...(delayMs > 0 ? { delay: delayMs } : {}),
        },
      })),
    );
  }
  await queue.addBulk(tasks);
}

/**
 * Queues parked attempts again once their partner has a free slot, with their first tags (behind the
 * clock: they are taken next). Their ids are new: the parked task may not have been removed yet.
 */
export async function requeueParked(queue: WebhookQueue, partnerId: string, parked: readonly ParkedAttempt[]) {
  if (parked.length === 0) return;
  const clock = parked.reduce((max, p) => Math.max(max, p.t), 0);
  await queue.addBulk(
    parked.map((p) => ({
      name: WEBHOOK_TASK_NAME,
      data: { d: p.d, a: p.a, p: partnerId, t: p.t },
      opts: { jobId: `${p.d}-${p.a}-${Date.now()}`, priority: priorityOfTag(p.t, clock) },
    })),
  );
}

/**
 * Queues a delivery's next attempt to run now (a redelivery). The same attempt is only ever added
 * once, so a task already queued for it with a delay (the retry after a failed attempt) is moved
 * forward instead of waiting out its delay.
 */
export async function attemptNow(queue: WebhookQueue, delivery: DeliveryToQueue): Promise<void> {
  await enqueueDeliveries(queue, [delivery]);
  const task = await queue.getJob(`${delivery.id}-${delivery.attempts}`);
  if (!task || !(await task.isDelayed())) return;
  // A task that left the delayed set in between is waiting or running already: nothing to move.
  await task.promote().catch(async (err: unknown) => {
    if (await task.isDelayed()) throw err;
  });
}
