import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiJson, query } from '../../api/http.ts';
import type { Customer, Paged, Product, Subscription } from '../../api/types.ts';

export const customerKeys = {
  list: (page: number, pageSize: number) => ['customers', { page, pageSize }] as const,
  one: (customerId: string) => ['customer', customerId] as const,
  subscriptions: (customerId: string) => ['customer', customerId, 'subscriptions'] as const,
};

export function useCustomers(page: number, pageSize: number) {
  return useQuery({
    queryKey: customerKeys.list(page, pageSize),
    queryFn: ({ signal }) => apiJson<Paged<Customer>>(`/v1/customers${query({ page, pageSize })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(customerId: string) {
  return useQuery({
    queryKey: customerKeys.one(customerId),
    queryFn: ({ signal }) => apiJson<Customer>(`/v1/customers/${encodeURIComponent(customerId)}`, { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useSubscriptions(customerId: string) {
  return useQuery({
    queryKey: customerKeys.subscriptions(customerId),
    queryFn: ({ signal }) =>
      apiJson<{ items: Subscription[] }>(`/v1/customers/${encodeURIComponent(customerId)}/subscriptions`, { signal }),
  });
}

/** The catalog (names, service plans and their dependencies); it changes rarely. */
export function useProducts() {
  return useQuery({
    queryKey: ['products'],
    queryFn: ({ signal }) => apiJson<{ items: Product[] }>('/v1/products', { signal }),
    staleTime: 5 * 60_000,
    select: (data) => new Map(data.items.map((product) => [product.id, product])),
  });
}
