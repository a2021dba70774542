import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiJson, query } from '../../api/http.ts';
import type { Paged, User, UserFilter } from '../../api/types.ts';

export interface UserListParams {
  filter: UserFilter;
  page: number;
  pageSize: number;
}

export const userKeys = {
  all: (customerId: string) => ['customer', customerId, 'users'] as const,
  list: (customerId: string, params: UserListParams) => ['customer', customerId, 'users', params] as const,
};

/** One page of the customer's users; the API filters and pages, the browser never holds them all. */
export function useUsers(customerId: string, params: UserListParams) {
  return useQuery({
    queryKey: userKeys.list(customerId, params),
    queryFn: ({ signal }) =>
      apiJson<Paged<User>>(
        `/v1/customers/${encodeURIComponent(customerId)}/users${query({
          page: params.page,
          pageSize: params.pageSize,
          search: params.filter.search,
          hasProduct: params.filter.hasProduct,
          lacksProduct: params.filter.lacksProduct,
          licensed: params.filter.licensed,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}
