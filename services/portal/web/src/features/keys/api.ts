import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../api/http.ts';
import type { components } from '@licensing/client';

export type ApiKey = components['schemas']['ApiKey'];
export type IssuedApiKey = components['schemas']['IssuedApiKey'];
export type CreateApiKey = components['schemas']['CreateApiKeyRequest'];

export const apiKeyKeys = {
  current: ['keys', 'current'] as const,
  list: ['keys', 'list'] as const,
};

/** The key the portal is signed in with: its name, scopes, customers and expiry. */
export function useCurrentKey() {
  return useQuery({
    queryKey: apiKeyKeys.current,
    queryFn: ({ signal }) => data(api().GET('/v1/keys/current', { signal })),
    staleTime: 60_000,
  });
}

/** The partner's live keys (those the signed-in key may see). */
export function useApiKeys(enabled: boolean) {
  return useQuery({
    queryKey: apiKeyKeys.list,
    queryFn: ({ signal }) => data(api().GET('/v1/keys', { signal })),
    enabled,
  });
}

export function useCreateKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKey) => data(api().POST('/v1/keys', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.list }),
  });
}

export function useRevokeKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => data(api().DELETE('/v1/keys/{keyId}', { params: { path: { keyId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.list }),
  });
}
