import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data } from '../../api/http.ts';
import type { AuditEvent } from '../../api/types.ts';

export type AuditType = AuditEvent['type'];

/** Every type of change the audit log records, in the order a filter lists them. */
export const auditTypes: readonly AuditType[] = [
  'customer.created',
  'user.created',
  'user.updated',
  'user.deleted',
  'subscription.updated',
  'license_job.accepted',
  'license_job.cancelled',
  'license_job.retried',
  'license_job.reverted',
  'license_job.finished',
];

/** A page of the customer's audit log, newest first, of one type or all. */
export function useAuditEvents(customerId: string, type: AuditType | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['customer', customerId, 'audit', { type, page, pageSize }],
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/audit-events', {
          params: { path: { customerId }, query: { page, pageSize, ...(type ? { type } : {}) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
