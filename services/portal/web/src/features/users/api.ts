import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../api/http.ts';
import type { UpdateUser, UserFilter } from '../../api/types.ts';

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
export function useUsers(customerId: string, { filter, page, pageSize }: UserListParams) {
  return useQuery({
    queryKey: userKeys.list(customerId, { filter, page, pageSize }),
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/users', {
          params: {
            path: { customerId },
            query: {
              page,
              pageSize,
              ...(filter.search ? { search: filter.search } : {}),
              ...(filter.hasProduct ? { hasProduct: filter.hasProduct } : {}),
              ...(filter.lacksProduct ? { lacksProduct: filter.lacksProduct } : {}),
              ...(filter.licensed === undefined ? {} : { licensed: filter.licensed ? 'true' : 'false' }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** PATCH a user's display name, usage location or department; the lists showing it are read again. */
export function useUpdateUser(customerId: string, userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateUser) =>
      data(
        api().PATCH('/v1/customers/{customerId}/users/{userId}', {
          params: { path: { customerId, userId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all(customerId) }),
  });
}
