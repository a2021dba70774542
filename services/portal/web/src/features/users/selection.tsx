// The users a partner picked, per customer, kept while they page, search and filter. Either a
// list of users picked one by one, or "every user matching this filter" — which the API resolves
// itself (userFilter), so a selection of 50,000 users never travels to the browser.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { User, UserFilter, UserSelection } from '../../api/types.ts';

/** A picked user as the table showed it (the rest of its row is kept for the "Selected users" view). */
export type SelectedUser = Pick<User, 'id' | 'displayName' | 'userPrincipalName'> & Partial<User>;

export type Selection =
  | { kind: 'users'; users: ReadonlyMap<string, SelectedUser> }
  | { kind: 'matching'; filter: UserFilter; total: number; productNames: Readonly<Record<string, string>> };

const empty: Selection = { kind: 'users', users: new Map() };

interface SelectionStore {
  get: (customerId: string) => Selection;
  set: (customerId: string, update: (current: Selection) => Selection) => void;
}

const SelectionContext = createContext<SelectionStore | null>(null);

export function SelectionProvider({ children }: { children: ReactNode }) {
  const [selections, setSelections] = useState<Record<string, Selection>>({});
  const store = useMemo<SelectionStore>(
    () => ({
      get: (customerId) => selections[customerId] ?? empty,
      set: (customerId, update) => setSelections((all) => ({ ...all, [customerId]: update(all[customerId] ?? empty) })),
    }),
    [selections],
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
  const selection = store.get(customerId);
  const set = useCallback(
    (update: (current: Selection) => Selection) => store.set(customerId, update),
    [store, customerId],
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
    count: selectionCount(selection),
    isSelected: (userId: string) => selection.kind === 'matching' || selection.users.has(userId),
    setUsers,
    selectMatching: (filter: UserFilter, total: number, productNames: Readonly<Record<string, string>>) =>
      set(() => ({ kind: 'matching', filter, total, productNames })),
    clear: () => set(() => empty),
  };
}
