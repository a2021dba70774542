import { useEffect } from 'react';
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../api/http.ts';
import type { CreateUser, UpdateUser, User, UserFilter } from '../../api/types.ts';

/** A filter as the users list's query string takes it. */
export function filterQuery(filter: UserFilter) {
  return {
    ...(filter.search ? { search: filter.search } : {}),
    ...(filter.hasProduct ? { hasProduct: filter.hasProduct } : {}),
    ...(filter.lacksProduct ? { lacksProduct: filter.lacksProduct } : {}),
    ...(filter.department ? { department: filter.department } : {}),
    ...(filter.licensed === undefined ? {} : { licensed: filter.licensed ? ('true' as const) : ('false' as const) }),
  };
}

export interface UserListParams {
  filter: UserFilter;
  page: number;
  pageSize: number;
}

export const userKeys = {
  all: (customerId: string) => ['customer', customerId, 'users'] as const,
  list: (customerId: string, params: UserListParams) => ['customer', customerId, 'users', params] as const,
};

function usersQuery(customerId: string, { filter, page, pageSize }: UserListParams) {
  return queryOptions({
    queryKey: userKeys.list(customerId, { filter, page, pageSize }),
    // The signal is handed on, so a page nobody waits for any more (the search changed) is cancelled.
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/users', {
          params: {
            path: { customerId },
            query: { page, pageSize, ...filterQuery(filter) },
          },
          signal,
        }),
      ),
  });
}

/**
 * One page of the customer's users; the API filters and pages, the browser never holds them all.
 * The page shown stays while the next one loads, and once a page is shown the one after it is read
 * ahead, so turning to it shows it at once.
 */
export function useUsers(customerId: string, params: UserListParams) {
  const queryClient = useQueryClient();
  const query = useQuery({ ...usersQuery(customerId, params), placeholderData: keepPreviousData });
  const totalPages = query.isPlaceholderData ? undefined : query.data?.totalPages;
  const { filter, page, pageSize } = params;
  useEffect(() => {
    if (totalPages === undefined || page >= totalPages) return;
    void queryClient.prefetchQuery(usersQuery(customerId, { filter, page: page + 1, pageSize }));
  }, [queryClient, customerId, filter, page, pageSize, totalPages]);
  return query;
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

export type NewUser = CreateUser;

/** POST one user; the list and the selection's counts are read again. */
export function useCreateUser(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) =>
      data(api().POST('/v1/customers/{customerId}/users', { params: { path: { customerId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all(customerId) }),
  });
}

/** POST up to 10,000 users at once, all or nothing (an import). */
export function useCreateUsers(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (users: NewUser[]) =>
      data(api().POST('/v1/customers/{customerId}/users/batch', { params: { path: { customerId } }, body: { users } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all(customerId) }),
  });
}

/** DELETE a user: the API frees its seats, so the subscriptions are read again too. */
export function useDeleteUser(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      data(api().DELETE('/v1/customers/{customerId}/users/{userId}', { params: { path: { customerId, userId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['customer', customerId] }),
  });
}

/** Every user matching a filter, read page by page (500 at a time), for an export. */
export async function allUsers(
  customerId: string,
  filter: UserFilter,
  onProgress: (read: number, total: number) => void,
): Promise<User[]> {
  const users: User[] = [];
  for (let page = 1; ; page++) {
    const answer = await data(
      api().GET('/v1/customers/{customerId}/users', {
        params: { path: { customerId }, query: { page, pageSize: 500, ...filterQuery(filter) } },
      }),
    );
    users.push(...(answer.items as User[]));
    onProgress(users.length, answer.total);
    if (page >= answer.totalPages || answer.items.length === 0) return users;
  }
}

/** One user, with its licenses. */
export function useUser(customerId: string, userId: string) {
  return useQuery({
    queryKey: [...userKeys.all(customerId), 'one', userId],
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/users/{userId}', { params: { path: { customerId, userId } }, signal }),
      ),
  });
}

/** A page of the user's license history, newest first: every change a job applied (or refused). */
export function useLicenseHistory(customerId: string, userId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...userKeys.all(customerId), 'history', userId, { page, pageSize }],
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/users/{userId}/license-history', {
          params: { path: { customerId, userId }, query: { page, pageSize } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Evaluate again the user's licenses in each of its groups (a member waiting or refused). */
export function useReprocessUser(customerId: string, userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      data(
        api().POST('/v1/customers/{customerId}/users/{userId}/reprocess-licenses', {
          params: { path: { customerId, userId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['customer', customerId] }),
  });
}
