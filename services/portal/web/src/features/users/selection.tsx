// The users a partner picked, per customer, kept while they page, search and filter. Either a
// list of users picked one by one, or "every user matching this filter" — which the API resolves
// itself (userFilter), so a selection of 50,000 users never travels to the browser. The pages that
// use it (users, manage licenses) mirror it into their URL (`selected=id,id…` or
// `selectedFilter={json}&selectedTotal=n`), so it survives a reload and can be shared as a link.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiProblem, api, data } from '../../api/http.ts';
import type { User, UserFilter, UserSelection } from '../../api/types.ts';
import { updateSearchParams, useSearchParams } from '../../app/router.tsx';
import { useSubscriptions } from '../customers/api.ts';
import { filterQuery } from './api.ts';

/** A picked user as the table showed it (the rest of its row is kept for the "Selected users" view). */
export type SelectedUser = Pick<User, 'id' | 'displayName' | 'userPrincipalName'> & Partial<User>;

export type Selection =
  | { kind: 'users'; users: ReadonlyMap<string, SelectedUser> }
  | { kind: 'matching'; filter: UserFilter; total: number; productNames: Readonly<Record<string, string>> };

const empty: Selection = { kind: 'users', users: new Map() };

interface SelectionStore {
  has: (customerId: string) => boolean;
  get: (customerId: string) => Selection;
  set: (customerId: string, update: (current: Selection) => Selection) => void;
}

const SelectionContext = createContext<SelectionStore | null>(null);

export function SelectionProvider({ children }: { children: ReactNode }) {
  const [selections, setSelections] = useState<Record<string, Selection>>({});
  // Stable, so that effects which complete a selection do not run again for every change.
  const set = useCallback<SelectionStore['set']>(
    (customerId, update) =>
      setSelections((all) => {
        const current = all[customerId] ?? selectionFromParams(new URLSearchParams(location.search)) ?? empty;
        const next = update(current);
        return next === all[customerId] ? all : { ...all, [customerId]: next };
      }),
    [],
  );
  const store = useMemo<SelectionStore>(
    () => ({
      has: (customerId) => customerId in selections,
      get: (customerId) => selections[customerId] ?? empty,
      set,
    }),
    [selections, set],
  );
  return <SelectionContext.Provider value={store}>{children}</SelectionContext.Provider>;
}

export function selectionCount(selection: Selection): number {
  return selection.kind === 'users' ? selection.users.size : selection.total;
}

/** The selection as the API takes it in a license-overview, preview or job body. */
export function selectionRequest(selection: Selection): UserSelection {
  return selection.kind === 'users' ? { userIds: [...selection.users.keys()] } : { userFilter: selection.filter };
}

export function useSelection(customerId: string) {
  const store = useContext(SelectionContext);
  if (!store) throw new Error('useSelection outside SelectionProvider');
  const params = useSearchParams();
  const fromUrl = useMemo(() => selectionFromParams(params), [params]);
  // What this tab picked wins; a page opened from a link or reloaded starts from its URL.
  const selection = store.has(customerId) ? store.get(customerId) : (fromUrl ?? empty);
  const storeSet = store.set;
  const set = useCallback(
    (update: (current: Selection) => Selection) => storeSet(customerId, update),
    [storeSet, customerId],
  );

  const setUsers = useCallback(
    (users: SelectedUser[], selected: boolean) =>
      set((current) => {
        const next = new Map(current.kind === 'users' ? current.users : []);
        for (const user of users) {
          if (selected) next.set(user.id, user);
          else next.delete(user.id);
        }
        return { kind: 'users', users: next };
      }),
    [set],
  );

  return {
    selection,
    /** Changes the selection as it stands (a no-op update keeps it). */
    replace: set,
    count: selectionCount(selection),
    isSelected: (userId: string) => selection.kind === 'matching' || selection.users.has(userId),
    setUsers,
    selectMatching: (filter: UserFilter, total: number, productNames: Readonly<Record<string, string>>) =>
      set(() => ({ kind: 'matching', filter, total, productNames })),
    clear: () => set(() => empty),
  };
}

const SELECTED = 'selected';
/**
 * Picks beyond this many are kept while the tab is open but not named in the URL: a request line
 * that long (36 characters an id) is refused by servers. A filter ("Select all matching") has no limit.
 */
export const MAX_IDS_IN_URL = 300;
const SELECTED_FILTER = 'selectedFilter';
const SELECTED_TOTAL = 'selectedTotal';

/** The selection a URL names, if any; users named by id only until their names are read. */
export function selectionFromParams(params: URLSearchParams): Selection | undefined {
  const ids = params.get(SELECTED);
  if (ids) {
    const users = new Map<string, SelectedUser>();
    // Ids as the API answers them (lower case), so that their names can be matched up.
    for (const raw of ids.split(',')) {
      const id = raw.trim().toLowerCase();
      if (id) users.set(id, { id, displayName: '', userPrincipalName: '' });
    }
    return { kind: 'users', users };
  }
  const filterText = params.get(SELECTED_FILTER);
  if (filterText === null) return undefined;
  const filter = parseFilter(filterText);
  if (!filter) return undefined;
  const total = Number(params.get(SELECTED_TOTAL));
  return { kind: 'matching', filter, total: Number.isSafeInteger(total) && total > 0 ? total : 0, productNames: {} };
}

/** Only the filter's known fields of the right types: a hand-edited link cannot smuggle others in. */
function parseFilter(text: string): UserFilter | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const filter: UserFilter = {};
  for (const key of ['search', 'hasProduct', 'lacksProduct', 'department'] as const) {
    const value = raw[key];
    if (typeof value === 'string' && value) filter[key] = value;
  }
  if (typeof raw.licensed === 'boolean') filter.licensed = raw.licensed;
  return filter;
}

/** Writes the selection into the URL's params (and nothing else of them). */
export function writeSelectionParams(params: URLSearchParams, selection: Selection) {
  params.delete(SELECTED);
  params.delete(SELECTED_FILTER);
  params.delete(SELECTED_TOTAL);
  if (selection.kind === 'users' && selection.users.size > 0 && selection.users.size <= MAX_IDS_IN_URL)
    params.set(SELECTED, [...selection.users.keys()].join(','));
  if (selection.kind === 'matching') {
    params.set(SELECTED_FILTER, JSON.stringify(selection.filter));
    params.set(SELECTED_TOTAL, String(selection.total));
  }
}

/** The selection's params alone, for a link to another page of the same customer. */
export function selectionParams(selection: Selection): URLSearchParams {
  const params = new URLSearchParams();
  writeSelectionParams(params, selection);
  return params;
}

/**
 * Keeps the page's URL naming the selection, and completes a selection read from a URL: the names
 * of users given by id (ids that are not the customer's users are dropped), the product names and
 * the current total of a filter.
 */
export function useSelectionInUrl(customerId: string) {
  const { selection, replace } = useSelection(customerId);
  // A selection read from the URL is kept for the tab, as if picked here (other pages' links lack it).
  useEffect(() => replace((current) => current), [replace]);
  useEffect(() => updateSearchParams((params) => writeSelectionParams(params, selection)), [selection]);

  const unnamed = useMemo(
    () =>
      selection.kind === 'users'
        ? [...selection.users.values()].filter((u) => !u.userPrincipalName).map((u) => u.id)
        : [],
    [selection],
  );
  const names = useQuery({
    queryKey: ['customer', customerId, 'selection-names', unnamed],
    enabled: unnamed.length > 0,
    queryFn: async ({ signal }) => {
      const overview = (userIds: string[]) =>
        data(
          api().POST('/v1/customers/{customerId}/license-overview', {
            params: { path: { customerId } },
            body: { userIds },
            signal,
          }),
        );
      try {
        return (await overview(unnamed)).users;
      } catch (err) {
        if (!(err instanceof ApiProblem) || err.code !== 'unknown_users') throw err;
        const unknown = new Set((err.problem.userIds as string[] | undefined) ?? []);
        const known = unnamed.filter((id) => !unknown.has(id.toLowerCase()) && !unknown.has(id));
        return known.length ? (await overview(known)).users : [];
      }
    },
  });
  useEffect(() => {
    if (!names.data) return;
    const found = new Map(names.data.map((user) => [user.id, user]));
    replace((current) => {
      if (current.kind !== 'users' || [...current.users.values()].every((u) => u.userPrincipalName)) return current;
      const users = new Map<string, SelectedUser>();
      for (const [id, user] of current.users) {
        if (user.userPrincipalName) users.set(id, user);
        else if (found.has(id)) users.set(id, { ...user, ...found.get(id) });
      }
      return { kind: 'users', users };
    });
  }, [names.data, replace]);

  const subscriptions = useSubscriptions(customerId);
  const needsNames = selection.kind === 'matching' && Object.keys(selection.productNames).length === 0;
  const filter = selection.kind === 'matching' ? selection.filter : undefined;
  useEffect(() => {
    if (!needsNames || !subscriptions.data) return;
    const productNames = Object.fromEntries(subscriptions.data.items.map((s) => [s.productId, s.productName]));
    replace((current) => (current.kind === 'matching' ? { ...current, productNames } : current));
  }, [needsNames, subscriptions.data, replace]);
  const matching = useQuery({
    queryKey: ['customer', customerId, 'selection-total', filter],
    enabled: filter !== undefined,
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/users', {
          params: {
            path: { customerId },
            query: { page: 1, pageSize: 1, ...filterQuery(filter ?? {}) },
          },
          signal,
        }),
      ),
  });
  useEffect(() => {
    const total = matching.data?.total;
    if (total === undefined) return;
    replace((current) => (current.kind === 'matching' && current.total !== total ? { ...current, total } : current));
  }, [matching.data, replace]);
}
