import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../api/http.ts';
import type { LicenseJobRequest, UserSelection } from '../../api/types.ts';
import { customerKeys } from '../customers/api.ts';

export const licenseKeys = {
  overview: (customerId: string, selection: UserSelection) =>
    ['customer', customerId, 'license-overview', selection] as const,
};

/** The "manage licenses" view of a selection: per product, who holds it and how many seats are free. */
export function useLicenseOverview(customerId: string, selection: UserSelection, enabled: boolean) {
  return useQuery({
    queryKey: licenseKeys.overview(customerId, selection),
    queryFn: ({ signal }) =>
      data(
        api().POST('/v1/customers/{customerId}/license-overview', {
          params: { path: { customerId } },
          body: selection,
          signal,
        }),
      ),
    enabled,
    staleTime: 0,
  });
}

/** "Buy more": raise a subscription's quantity. */
export function useSetQuantity(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ productId, quantity }: { productId: string; quantity: number }) =>
      data(
        api().PUT('/v1/customers/{customerId}/subscriptions/{productId}', {
          params: { path: { customerId, productId } },
          body: { quantity },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.subscriptions(customerId) }),
        queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'license-overview'] }),
      ]),
  });
}

/** What a job would do, predicted on the current state; nothing is reserved or changed. */
export function usePreview(customerId: string) {
  return useMutation({
    mutationFn: (body: LicenseJobRequest) =>
      data(api().POST('/v1/customers/{customerId}/license-jobs/preview', { params: { path: { customerId } }, body })),
  });
}

export function useStartJob(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // One key per set of changes: a request repeated after a lost answer gets the same job back.
    mutationFn: ({ body, idempotencyKey }: { body: LicenseJobRequest; idempotencyKey: string }) =>
      data(
        api().POST('/v1/customers/{customerId}/license-jobs', {
          params: { path: { customerId }, header: { 'idempotency-key': idempotencyKey } },
          body,
        }),
      ),
    onSuccess: (job) => {
      queryClient.setQueryData(['customer', customerId, 'job', job.id], job);
      return queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'jobs'] });
    },
  });
}
