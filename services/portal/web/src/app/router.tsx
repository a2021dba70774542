// A small history-API router: the app has a handful of routes, under /customers and /keys.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';
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

export function usePath(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => location.pathname,
  );
}

export type Route =
  | { name: 'customers' }
  | { name: 'keys' }
  | { name: 'users'; customerId: string }
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
