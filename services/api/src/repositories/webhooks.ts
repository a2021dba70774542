// The partner's webhook and its deliveries. Every query is scoped to the caller's partner.
import { and, count, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { recordWebhookEvent, tables, type Db, type DbOrTx, type DeliveryRef } from '@licensing/db';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PING, WEBHOOK_PINGS_KEPT, type WebhookEventType } from '@licensing/domain';
import { generateWebhookSecret, sealSecret } from '@licensing/webhooks';
import type { ListDeliveriesQuery, WebhookDelivery } from '../schemas/webhooks.ts';

type WebhookRow = typeof tables.webhooks.$inferSelect;
type DeliveryRow = typeof tables.webhookDeliveries.$inferSelect;

export function toWebhook(row: WebhookRow, secret?: string) {
  return {
    url: row.url,
    events: row.events as WebhookEventType[],
    ...(secret ? { secret } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    type: row.type,
    customerId: row.customerId,
    jobId: row.jobId,
    status: row.status as WebhookDelivery['status'],
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function getWebhook(db: DbOrTx, partnerId: string): Promise<WebhookRow | undefined> {
  const [row] = await db.select().from(tables.webhooks).where(eq(tables.webhooks.partnerId, partnerId));
  return row;
}

/** Creates or updates the partner's webhook; a new one gets a secret, which is answered once. */
export async function putWebhook(
  db: Db,
  partnerId: string,
  input: { url: string; events?: WebhookEventType[] },
  secretKey: Buffer | undefined,
): Promise<{ row: WebhookRow; secret?: string }> {
  const events = [...new Set(input.events ?? WEBHOOK_EVENT_TYPES)];
  const secret = generateWebhookSecret();
  const [row] = await db
    .insert(tables.webhooks)
    .values({ partnerId, url: input.url, events, secret: sealSecret(secret, secretKey) })
    .onConflictDoUpdate({
      target: tables.webhooks.partnerId,
      set: { url: input.url, events, updatedAt: sql`now()` },
    })
    .returning({ ...getTableColumns(tables.webhooks), created: sql<boolean>`(xmax = 0)` });
  const { created, ...saved } = row!;
  return created ? { row: saved, secret } : { row: saved };
}

export async function rotateWebhookSecret(
  db: Db,
  partnerId: string,
  secretKey: Buffer | undefined,
): Promise<{ row: WebhookRow; secret: string } | undefined> {
  const secret = generateWebhookSecret();
  const [row] = await db
    .update(tables.webhooks)
    .set({ secret: sealSecret(secret, secretKey), updatedAt: sql`now()` })
    .where(eq(tables.webhooks.partnerId, partnerId))
    .returning();
  return row ? { row, secret } : undefined;
}

/** Deletes the webhook; its pending deliveries fail with it, in the same transaction. */
export async function deleteWebhook(db: Db, partnerId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const gone = await tx.delete(tables.webhooks).where(eq(tables.webhooks.partnerId, partnerId)).returning();
    if (gone.length === 0) return false;
    await tx
      .update(tables.webhookDeliveries)
      .set({ status: 'failed', lastError: 'the webhook was deleted' })
      .where(and(eq(tables.webhookDeliveries.partnerId, partnerId), eq(tables.webhookDeliveries.status, 'pending')));
    return true;
  });
}

/** How far back among a partner's deliveries a new ping looks for old ones to delete. */
const RECENT_DELIVERIES_SCANNED = 1000;

/**
 * Records a `ping` for the partner's webhook; undefined when it has none. Of the partner's latest
 * deliveries, only the newest WEBHOOK_PINGS_KEPT finished pings are kept: older ones go with their
 * attempts (and pruning removes finished pings after a day).
 */
export async function recordPing(db: Db, partnerId: string): Promise<DeliveryRow | undefined> {
  return db.transaction(async (tx) => {
    const webhook = await getWebhook(tx, partnerId);
    if (!webhook) return undefined;
    await tx.execute(sql`
      WITH recent AS (
        SELECT id, type, status, seq FROM webhook_deliveries WHERE partner_id = ${partnerId}
        ORDER BY seq DESC LIMIT ${RECENT_DELIVERIES_SCANNED}),
      old AS (
        SELECT id FROM recent WHERE type = ${WEBHOOK_PING} AND status <> 'pending'
        ORDER BY seq DESC OFFSET ${WEBHOOK_PINGS_KEPT}),
      gone AS (DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM old) RETURNING id)
      DELETE FROM webhook_delivery_attempts WHERE delivery_id IN (SELECT id FROM gone)`);
    const ref = await recordWebhookEvent(tx, {
      partnerId,
      type: WEBHOOK_PING,
      data: { webhook: { url: webhook.url } },
    });
    return (await getDelivery(tx, partnerId, ref.id))!;
  });
}

export async function getDelivery(db: DbOrTx, partnerId: string, id: string): Promise<DeliveryRow | undefined> {
  const d = tables.webhookDeliveries;
  const [row] = await db
    .select()
    .from(d)
    .where(and(eq(d.partnerId, partnerId), eq(d.id, id)));
  return row;
}

/**
 * The partner's deliveries, newest first. `customerIds` (a limited key's customers) keeps only the
 * events about those customers: partner-wide events (`ping`) and other customers' are left out.
 */
export async function listDeliveries(
  db: DbOrTx,
  partnerId: string,
  query: ListDeliveriesQuery,
  customerIds: readonly string[] | null = null,
) {
  const d = tables.webhookDeliveries;
  const where = and(
    eq(d.partnerId, partnerId),
    customerIds === null ? undefined : inArray(d.customerId, [...customerIds]),
    query.status ? eq(d.status, query.status) : undefined,
  );
  const [rows, [totals]] = await Promise.all([
    db
      .select()
      .from(d)
      .where(where)
      .orderBy(desc(d.seq))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: count() }).from(d).where(where),
  ]);
  return { items: rows.map(toDelivery), total: totals?.total ?? 0 };
}

/**
 * Sends a delivery again, whatever its status: it becomes pending and due now, with a fresh retry
 * schedule and the same `webhook-id`. Undefined when the partner has no such delivery.
 */
export async function redeliver(
  db: Db,
  partnerId: string,
  id: string,
  customerIds: readonly string[] | null = null,
): Promise<DeliveryRow | undefined> {
  const d = tables.webhookDeliveries;
  const [row] = await db
    .update(d)
    .set({ status: 'pending', roundAttempts: 0, nextAttemptAt: sql`now()`, deliveredAt: null })
    .where(
      and(
        eq(d.partnerId, partnerId),
        eq(d.id, id),
        customerIds === null ? undefined : inArray(d.customerId, [...customerIds]),
      ),
    )
    .returning();
  return row;
}

export const deliveryRef = (row: DeliveryRow): DeliveryRef => ({
  id: row.id,
  attempts: row.attempts,
  partnerId: row.partnerId,
});
