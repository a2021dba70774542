// The partner's API key lives in this tab's sessionStorage only: never in a URL, a cookie or
// localStorage, so it is gone when the tab closes and no other site can send it.
import { useSyncExternalStore } from 'react';

const storageKey = 'licensing-portal.apiKey';
const listeners = new Set<() => void>();

export function readApiKey(): string | null {
  try {
    return sessionStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function storeApiKey(key: string | null) {
  if (key) sessionStorage.setItem(storageKey, key);
  else sessionStorage.removeItem(storageKey);
  for (const listener of listeners) listener();
}

export function useApiKey(): string | null {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, readApiKey);
}
