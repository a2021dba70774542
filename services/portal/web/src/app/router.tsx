// A small history-API router: the app has a handful of routes, under /customers and /keys.
import { useMemo, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { Link as FluentLink } from '@fluentui/react-components';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/**
 * The page's search params (page, search, filters, selection): a page keeps its state in the URL so
 * that it survives a reload and can be shared as a link. The object is stable while the URL is.
 */
export function useSearchParams(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, () => location.search);
  return useMemo(() => new URLSearchParams(search), [search]);
}

/**
 * Changes the current URL's search params in place (replacing the history entry: typing a search or
 * turning a page is not a place to go back to). Nothing happens when they come out the same.
 */
export function updateSearchParams(update: (params: URLSearchParams) => void) {
  const params = new URLSearchParams(location.search);
  update(params);
  const next = params.toString();
  if (next === location.search.replace(/^\?/, '')) return;
  history.replaceState(history.state, '', `${location.pathname}${next ? `?${next}` : ''}${location.hash}`);
  for (const listener of listeners) listener();
}

/** A path with search params (empty values left out). */
export function withSearch(path: string, params: URLSearchParams | Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [name, value] of entries) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export type Route =
  | { name: 'customers' }
  | { name: 'keys' }
  | { name: 'users'; customerId: string }
  | { name: 'user'; customerId: string; userId: string }
  | { name: 'subscriptions'; customerId: string }
  | { name: 'groups'; customerId: string }
  | { name: 'group'; customerId: string; groupId: string }
  | { name: 'audit'; customerId: string }
  | { name: 'licenses'; customerId: string }
  | { name: 'jobs'; customerId: string }
  | { name: 'job'; customerId: string; jobId: string }
  | { name: 'notFound' };

export function matchRoute(path: string): Route {
  if (path === '/' || path === '/customers') return { name: 'customers' };
  if (path === '/keys') return { name: 'keys' };
  const parts = path.split('/').filter(Boolean);
  if (parts[0] !== 'customers' || !parts[1]) return { name: 'notFound' };
  const customerId = decodeURIComponent(parts[1]);
  if (parts.length === 2 || (parts.length === 3 && parts[2] === 'users')) return { name: 'users', customerId };
  if (parts.length === 4 && parts[2] === 'users' && parts[3])
    return { name: 'user', customerId, userId: decodeURIComponent(parts[3]) };
  if (parts.length === 3 && parts[2] === 'subscriptions') return { name: 'subscriptions', customerId };
  if (parts.length === 3 && parts[2] === 'groups') return { name: 'groups', customerId };
  if (parts.length === 4 && parts[2] === 'groups' && parts[3])
    return { name: 'group', customerId, groupId: decodeURIComponent(parts[3]) };
  if (parts.length === 3 && parts[2] === 'audit') return { name: 'audit', customerId };
  if (parts.length === 3 && parts[2] === 'licenses') return { name: 'licenses', customerId };
  if (parts.length === 3 && parts[2] === 'jobs') return { name: 'jobs', customerId };
  if (parts.length === 4 && parts[2] === 'jobs' && parts[3])
    return { name: 'job', customerId, jobId: decodeURIComponent(parts[3]) };
  return { name: 'notFound' };
}

export const paths = {
  customers: () => '/customers',
  keys: () => '/keys',
  users: (customerId: string) => `/customers/${encodeURIComponent(customerId)}/users`,
  user: (customerId: string, userId: string) =>
    `/customers/${encodeURIComponent(customerId)}/users/${encodeURIComponent(userId)}`,
  subscriptions: (customerId: string) => `/customers/${encodeURIComponent(customerId)}/subscriptions`,
  groups: (customerId: string) => `/customers/${encodeURIComponent(customerId)}/groups`,
  group: (customerId: string, groupId: string) =>
    `/customers/${encodeURIComponent(customerId)}/groups/${encodeURIComponent(groupId)}`,
  audit: (customerId: string) => `/customers/${encodeURIComponent(customerId)}/audit`,
  licenses: (customerId: string) => `/customers/${encodeURIComponent(customerId)}/licenses`,
  jobs: (customerId: string) => `/customers/${encodeURIComponent(customerId)}/jobs`,
  job: (customerId: string, jobId: string) =>
    `/customers/${encodeURIComponent(customerId)}/jobs/${encodeURIComponent(jobId)}`,
};

/** A link that navigates inside the app (a real href, so open-in-new-tab and copy-link work). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <FluentLink
      href={href}
      {...rest}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(href);
      }}
    />
  );
}
