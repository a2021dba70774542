import { useMemo } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../api/http.ts';
import type { CreateCustomer } from '../../api/types.ts';

export const customerKeys = {
  list: (page: number, pageSize: number) => ['customers', { page, pageSize }] as const,
  one: (customerId: string) => ['customer', customerId] as const,
  subscriptions: (customerId: string) => ['customer', customerId, 'subscriptions'] as const,
};

export function useCustomers(page: number, pageSize: number) {
  return useQuery({
    queryKey: customerKeys.list(page, pageSize),
    queryFn: ({ signal }) => data(api().GET('/v1/customers', { params: { query: { page, pageSize } }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** POST a customer; the customer list is read again. */
export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCustomer) => data(api().POST('/v1/customers', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['customers'] }),
  });
}

export function useCustomer(customerId: string) {
  return useQuery({
    queryKey: customerKeys.one(customerId),
    queryFn: ({ signal }) =>
      data(api().GET('/v1/customers/{customerId}', { params: { path: { customerId } }, signal })),
    staleTime: 5 * 60_000,
  });
}

export function useSubscriptions(customerId: string) {
  return useQuery({
    queryKey: customerKeys.subscriptions(customerId),
    queryFn: ({ signal }) =>
      data(api().GET('/v1/customers/{customerId}/subscriptions', { params: { path: { customerId } }, signal })),
  });
}

/** The catalog (names, service plans and their dependencies); it changes rarely. */
export function useProducts() {
  return useQuery({
    queryKey: ['products'],
    queryFn: ({ signal }) => data(api().GET('/v1/products', { signal })),
    staleTime: 5 * 60_000,
    select: (data) => new Map(data.items.map((product) => [product.id, product])),
  });
}

/** Names of the catalog's products and service plans by id: messages name them, never by id. */
export function useCatalogNames(): ReadonlyMap<string, string> {
  const products = useProducts();
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const product of products.data?.values() ?? []) {
      names.set(product.id, product.name);
      for (const plan of product.servicePlans) if (!names.has(plan.id)) names.set(plan.id, plan.name);
    }
    return names;
  }, [products.data]);
}
