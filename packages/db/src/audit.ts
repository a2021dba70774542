import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';

export const AUDIT_EVENT_TYPES = [
  'customer.created',
  'user.created',
  'user.updated',
  'user.deleted',
  'subscription.updated',
  'license_job.accepted',
  'license_job.cancelled',
  'license_job.retried',
  'license_job.reverted',
  'license_job.scheduled',
  'license_job.finished',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.members_added',
  'group.members_removed',
  'group.licenses_updated',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditEvent {
  partnerId: string;
  customerId: string;
  type: AuditEventType;
  /** The API key the change was made with; null for changes the service makes itself (a job finishing). */
  keyId: string | null;
  requestId: string | null;
  data: Record<string, unknown>;
}

/**
 * Records a change in the audit trail. Must be called with the transaction that makes the change,
 * so that both commit or neither does.
 */
export async function recordAuditEvent(tx: DbOrTx, event: AuditEvent): Promise<void> {
  await tx.execute(sql`
    INSERT INTO audit_events (partner_id, customer_id, type, key_id, request_id, data)
    VALUES (${event.partnerId}, ${event.customerId}, ${event.type}, ${event.keyId}, ${event.requestId},
      ${sql.param(JSON.stringify(event.data))}::jsonb)`);
}
