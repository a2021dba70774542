import { Queue, type QueueOptions } from 'bullmq';

/**
 * Webhook deliveries have a queue of their own, consumed by their own worker with its own
 * concurrency, so a slow or dead endpoint never holds a license task's slot. A task is one attempt
 * of one delivery: `{d: deliveryId, a: attempts made before it}`. Its BullMQ id is built from both,
 * so adding the same attempt twice (the reconciler re-adding a due delivery whose task is still
 * queued) adds it once; a stale task finds its attempt already made and does nothing.
 */
export const WEBHOOK_QUEUE = 'webhook-deliveries';
export const WEBHOOK_TASK_NAME = 'deliver';

export interface WebhookTaskData {
  d: string;
  a: number;
}

/**
 * A finished task is removed at once, completed or failed: the delivery's record is in Postgres, and
 * a retained task would keep its id taken, so the reconciler could not queue that attempt again.
 * (Objects, not `true`: BullMQ 6.7's finishing script cannot read a worker-level boolean.)
 */
export const webhookTaskRetention = { removeOnComplete: { count: 0 }, removeOnFail: { count: 0 } } as const;

export type WebhookQueue = Queue<WebhookTaskData, void, typeof WEBHOOK_TASK_NAME>;

export function createWebhookQueue(connection: QueueOptions['connection'], prefix?: string): WebhookQueue {
  return new Queue<WebhookTaskData, void, typeof WEBHOOK_TASK_NAME>(WEBHOOK_QUEUE, {
    connection,
    prefix,
    // Retries are the delivery's own schedule (kept in Postgres); BullMQ's only cover a worker that
    // could not reach Postgres to record the attempt. Finished tasks are removed at once (see
    // webhookTaskRetention).
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, ...webhookTaskRetention },
  });
}

/** Adds the next attempt of each delivery, `delayMs` from now. */
export async function enqueueDeliveries(
  queue: WebhookQueue,
  deliveries: readonly { id: string; attempts: number }[],
  delayMs = 0,
): Promise<void> {
  if (deliveries.length === 0) return;
  await queue.addBulk(
    deliveries.map((d) => ({
      name: WEBHOOK_TASK_NAME,
      data: { d: d.id, a: d.attempts },
      opts: { jobId: `${d.id}-${d.attempts}`, ...(delayMs > 0 ? { delay: delayMs } : {}) },
    })),
  );
}

/**
 * Queues a delivery's next attempt to run now (a redelivery). The same attempt is only ever added
 * once, so a task already queued for it with a delay (the retry after a failed attempt) is moved
 * forward instead of waiting out its delay.
 */
export async function attemptNow(queue: WebhookQueue, delivery: { id: string; attempts: number }): Promise<void> {
  await enqueueDeliveries(queue, [delivery]);
  const task = await queue.getJob(`${delivery.id}-${delivery.attempts}`);
  if (!task || !(await task.isDelayed())) return;
  // A task that left the delayed set in between is waiting or running already: nothing to move.
  await task.promote().catch(async (err: unknown) => {
    if (await task.isDelayed()) throw err;
  });
}
