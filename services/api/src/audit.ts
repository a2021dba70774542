import type { FastifyRequest } from 'fastify';
import { type AuditEvent, type DbOrTx, recordAuditEvent } from '@licensing/db';
import { partnerOf } from './auth.ts';

/** Records a change the calling partner made, in the change's own transaction; the actor is the caller's key. */
export function auditChange(
  tx: DbOrTx,
  request: FastifyRequest,
  customerId: string,
  type: AuditEvent['type'],
  data: Record<string, unknown>,
): Promise<void> {
  const partner = partnerOf(request);
  return recordAuditEvent(tx, {
    partnerId: partner.id,
    customerId,
    type,
    keyId: partner.keyId,
    requestId: String(request.id),
    data,
  });
}
