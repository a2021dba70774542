// The customer's license groups: list, one group, its members (by license state), its jobs, and the
// changes (create, rule, members, licenses, delete). Every change that can take licenses away is
// first asked as a dry run (`?dryRun=true`), whose Impact the page shows before it is sent.
import { useMemo } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../api/http.ts';
import type { Group, GroupImpact, GroupLicense, MembershipRule, UserSelection } from '../../api/types.ts';

export const groupKeys = {
  all: (customerId: string) => ['customer', customerId, 'groups'] as const,
  list: (customerId: string, page: number, pageSize: number) =>
    ['customer', customerId, 'groups', 'list', { page, pageSize }] as const,
  one: (customerId: string, groupId: string) => ['customer', customerId, 'groups', 'one', groupId] as const,
  members: (customerId: string, groupId: string, params: MemberListParams) =>
    ['customer', customerId, 'groups', 'members', groupId, params] as const,
};

/** While a group's changes are still being applied, its numbers move: they are read again now and then. */
const whileProcessing = (group: Group | undefined) => (group && group.processing.state !== 'idle' ? 1500 : false);

export function useGroups(customerId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: groupKeys.list(customerId, page, pageSize),
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/groups', {
          params: { path: { customerId }, query: { page, pageSize } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((g) => g.processing.state !== 'idle') ? 2000 : false),
  });
}

/**
 * The customer's groups by id (the first 500 by name), for naming the groups a license comes from.
 * A customer has a handful of groups; a name not found shows as "a group".
 */
export function useGroupNames(customerId: string): { names: ReadonlyMap<string, string>; groups: Group[] } {
  const groups = useQuery({
    queryKey: [...groupKeys.all(customerId), 'names'],
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/groups', {
          params: { path: { customerId }, query: { page: 1, pageSize: 500 } },
          signal,
        }),
      ),
    staleTime: 30_000,
  });
  return useMemo(() => {
    const items = groups.data?.items ?? [];
    return { names: new Map(items.map((g) => [g.id, g.name])), groups: items };
  }, [groups.data]);
}

export function useGroup(customerId: string, groupId: string) {
  return useQuery({
    queryKey: groupKeys.one(customerId, groupId),
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/groups/{groupId}', {
          params: { path: { customerId, groupId } },
          signal,
        }),
      ),
    refetchInterval: (q) => whileProcessing(q.state.data),
  });
}

export type MemberState = 'all' | 'active' | 'waiting' | 'error';
export const memberStates: MemberState[] = ['all', 'active', 'waiting', 'error'];

export interface MemberListParams {
  state: MemberState;
  page: number;
  pageSize: number;
}

/**
 * A page of members. `version` (the group's counts and processing state) is part of the key: when
 * the group's numbers move, the page is read again, also the last time, when processing ends.
 */
export function useGroupMembers(
  customerId: string,
  groupId: string,
  params: MemberListParams,
  version: string,
  live: boolean,
) {
  return useQuery({
    queryKey: [...groupKeys.members(customerId, groupId, params), version],
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/groups/{groupId}/members', {
          params: {
            path: { customerId, groupId },
            query: {
              page: params.page,
              pageSize: params.pageSize,
              ...(params.state === 'all' ? {} : { state: params.state }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 1500 : false,
  });
}

/** The jobs that processed this group's changes, newest first. */
export function useGroupJobs(customerId: string, groupId: string, version: string, live: boolean) {
  return useQuery({
    queryKey: ['customer', customerId, 'jobs', { groupId }, version],
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/license-jobs', {
          params: { path: { customerId }, query: { groupId, page: 1, pageSize: 10 } },
          signal,
        }),
      ),
    refetchInterval: live ? 1500 : false,
  });
}

/** After a change: the group, its lists, the users (their licenses), seats and jobs are read again. */
function useRefresh(customerId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['customer', customerId] });
}

/** What changes when the group's members or their states move (see useGroupMembers). */
export const groupVersion = (group: Group) =>
  [group.memberCount, group.membersWaiting, group.membersWithErrors, group.processing.state, group.updatedAt].join('|');

export interface NewGroup {
  name: string;
  description?: string;
  membershipRule?: MembershipRule;
}

export function useCreateGroup(customerId: string) {
  const refresh = useRefresh(customerId);
  return useMutation({
    mutationFn: (body: NewGroup) =>
      data(api().POST('/v1/customers/{customerId}/groups', { params: { path: { customerId } }, body })),
    onSuccess: refresh,
  });
}

/**
 * DELETE a group. The lists are read again only once its confirmation dialog has closed (see
 * afterDialogCloses): the row holding the dialog disappears with the refreshed list.
 */
export function useDeleteGroup(customerId: string) {
  const refresh = useRefresh(customerId);
  return useMutation({
    mutationFn: (groupId: string) =>
      data(
        api().DELETE('/v1/customers/{customerId}/groups/{groupId}', {
          params: { path: { customerId, groupId } },
        }),
      ),
    onSuccess: () => afterDialogCloses(() => void refresh()),
  });
}

/**
 * Runs `then` once a dialog that just closed has finished its exit animation. A modal dialog taken
 * out of the page while still open (its row gone from a refreshed list, or the page changed) leaves
 * the rest of the app hidden from assistive technology (`aria-hidden` on the root), so what removes
 * it waits for it to close first.
 */
export function afterDialogCloses(then: () => void) {
  setTimeout(then, 600);
}

/** A change that may take licenses away: asked as a dry run first, then sent with the confirmation. */
export type Confirmed = { confirmRemovals?: number };

export function useUpdateGroup(customerId: string, groupId: string) {
  const refresh = useRefresh(customerId);
  return useMutation({
    mutationFn: ({
      body,
      dryRun,
    }: {
      body: { name?: string; description?: string | null; membershipRule?: MembershipRule } & Confirmed;
      dryRun?: boolean;
    }) =>
      data(
        api().PATCH('/v1/customers/{customerId}/groups/{groupId}', {
          params: { path: { customerId, groupId }, query: dryRun ? { dryRun: 'true' } : {} },
          body,
        }),
      ) as Promise<Group | GroupImpact>,
    onSuccess: (_, { dryRun }) => (dryRun ? undefined : refresh()),
  });
}

export function useSetGroupLicenses(customerId: string, groupId: string) {
  const refresh = useRefresh(customerId);
  return useMutation({
    mutationFn: ({ licenses, dryRun, confirmRemovals }: { licenses: GroupLicense[]; dryRun?: boolean } & Confirmed) =>
      data(
        api().PUT('/v1/customers/{customerId}/groups/{groupId}/licenses', {
          params: { path: { customerId, groupId }, query: dryRun ? { dryRun: 'true' } : {} },
          body: { licenses, ...(confirmRemovals === undefined ? {} : { confirmRemovals }) },
        }),
      ) as Promise<Group | GroupImpact>,
    onSuccess: (_, { dryRun }) => (dryRun ? undefined : refresh()),
  });
}

export function useGroupMembersChange(customerId: string, action: 'add' | 'remove') {
  const refresh = useRefresh(customerId);
  return useMutation({
    mutationFn: ({
      groupId,
      selection,
      dryRun,
      confirmRemovals,
    }: { groupId: string; selection: UserSelection; dryRun?: boolean } & Confirmed) => {
      const options = {
        params: { path: { customerId, groupId }, query: dryRun ? { dryRun: 'true' as const } : {} },
        body: { ...selection, ...(confirmRemovals === undefined ? {} : { confirmRemovals }) },
      };
      return (
        action === 'add'
          ? data(api().POST('/v1/customers/{customerId}/groups/{groupId}/members', options))
          : data(api().POST('/v1/customers/{customerId}/groups/{groupId}/members/remove', options))
      ) as Promise<{ added: number } | { removed: number } | GroupImpact>;
    },
    onSuccess: (_, { dryRun }) => (dryRun ? undefined : refresh()),
  });
}

export function useReprocessGroup(customerId: string, groupId: string) {
  const refresh = useRefresh(customerId);
  return useMutation({
    mutationFn: () =>
      data(
        api().POST('/v1/customers/{customerId}/groups/{groupId}/reprocess', {
          params: { path: { customerId, groupId } },
        }),
      ),
    onSuccess: refresh,
  });
}

export const isImpact = (value: unknown): value is GroupImpact =>
  Boolean(value && typeof value === 'object' && 'usersLosing' in value);

/** Values typed into a rule's field, one per comma or line. */
export function ruleValues(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,;\n]/)
        .map((value) => value.trim())
        .filter(Boolean),
    ),
  ];
}

/** A rule from its three fields; undefined when no condition is given. */
export function ruleFrom(fields: { departments: string; usageLocations: string; suffixes: string }) {
  const departments = ruleValues(fields.departments);
  const usageLocations = ruleValues(fields.usageLocations).map((c) => c.toUpperCase());
  const userPrincipalNameSuffixes = ruleValues(fields.suffixes);
  const rule: MembershipRule = {
    ...(departments.length ? { departments } : {}),
    ...(usageLocations.length ? { usageLocations } : {}),
    ...(userPrincipalNameSuffixes.length ? { userPrincipalNameSuffixes } : {}),
  };
  return Object.keys(rule).length ? rule : undefined;
}
