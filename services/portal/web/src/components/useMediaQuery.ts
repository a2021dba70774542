import { useSyncExternalStore } from 'react';

/** Whether a CSS media query matches now (and again whenever that changes). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (listener) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', listener);
      return () => list.removeEventListener('change', listener);
    },
    () => window.matchMedia(query).matches,
  );
}

/** A phone's width: lists instead of tables. */
export const PHONE = '(max-width: 600px)';
