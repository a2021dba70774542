import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiJson } from '../../api/http.ts';
import type {
  Job,
  LicenseJobRequest,
  LicenseOverview,
  LicensePreview,
  Subscription,
  UserSelection,
} from '../../api/types.ts';
import { customerKeys } from '../customers/api.ts';

const base = (customerId: string) => `/v1/customers/${encodeURIComponent(customerId)}`;

export const licenseKeys = {
  overview: (customerId: string, selection: UserSelection) =>
    ['customer', customerId, 'license-overview', selection] as const,
};

/** The "manage licenses" view of a selection: per product, who holds it and how many seats are free. */
export function useLicenseOverview(customerId: string, selection: UserSelection, enabled: boolean) {
  return useQuery({
    queryKey: licenseKeys.overview(customerId, selection),
    queryFn: ({ signal }) =>
      apiJson<LicenseOverview>(`${base(customerId)}/license-overview`, { method: 'POST', body: selection, signal }),
    enabled,
    staleTime: 0,
  });
}

/** "Buy more": raise a subscription's quantity. */
export function useSetQuantity(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ productId, quantity }: { productId: string; quantity: number }) =>
      apiJson<Subscription>(`${base(customerId)}/subscriptions/${encodeURIComponent(productId)}`, {
        method: 'PUT',
        body: { quantity },
      }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.subscriptions(customerId) }),
        queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'license-overview'] }),
      ]),
  });
}

export function usePreview(customerId: string) {
  return useMutation({
    mutationFn: (body: LicenseJobRequest) =>
      apiJson<LicensePreview>(`${base(customerId)}/license-jobs/preview`, { method: 'POST', body }),
  });
}

export function useStartJob(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // One key per attempt: a request repeated after a lost answer gets the same job back.
    mutationFn: ({ body, idempotencyKey }: { body: LicenseJobRequest; idempotencyKey: string }) =>
      apiJson<Job>(`${base(customerId)}/license-jobs`, {
        method: 'POST',
        body,
        headers: { 'idempotency-key': idempotencyKey },
      }),
    onSuccess: (job) => {
      queryClient.setQueryData(['customer', customerId, 'job', job.id], job);
      return queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'jobs'] });
    },
  });
}
