// The webhook outbox: events are recorded in the transaction that produces them; the delivery
// worker (services/worker) sends them. Shared by the API (cancel, test ping) and the worker (finish).
import { sql } from 'drizzle-orm';
import type { WebhookEventType } from '@licensing/domain';
import type { DbOrTx } from './client.ts';
import { webhookDeliveries } from './schema.ts';

/** A delivery to enqueue: its id, the attempts made so far and its partner (see packages/webhooks' queue). */
export interface DeliveryRef {
  id: string;
  attempts: number;
  partnerId: string;
}

/** Whether the partner has a webhook subscribed to `type`. */
export async function partnerSubscribes(db: DbOrTx, partnerId: string, type: WebhookEventType): Promise<boolean> {
  const rows = await db.execute(sql`SELECT 1 FROM webhooks WHERE partner_id = ${partnerId} AND ${type} = any(events)`);
  return rows.length > 0;
}

/**
 * Records an event for the partner's webhook, in the caller's transaction. `customerId` names the
 * customer the event is about: keys limited to some customers list only their customers' deliveries
 * (an event without one is partner-wide, listed for unlimited keys only).
 */
export async function recordWebhookEvent(
  tx: DbOrTx,
  event: { partnerId: string; type: string; customerId?: string; jobId?: string; data: unknown },
): Promise<DeliveryRef> {
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({
      partnerId: event.partnerId,
      type: event.type,
      customerId: event.customerId ?? null,
      jobId: event.jobId ?? null,
      payload: event.data,
    })
    .returning({
      id: webhookDeliveries.id,
      attempts: webhookDeliveries.attempts,
      partnerId: webhookDeliveries.partnerId,
    });
  return row!;
}
