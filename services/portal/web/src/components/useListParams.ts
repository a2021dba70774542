import { updateSearchParams, useSearchParams } from '../app/router.tsx';
import { pageSizes } from './Pager.tsx';

const defaults: Record<string, string> = { page: '1', pageSize: '50' };

/**
 * Sets params of the current URL; empty values and defaults are left out, so a plain list has a
 * plain URL. A list keeps its page, search and filters there: a reload keeps them, a link shares them.
 */
export function setListParams(values: Record<string, string | number | undefined>) {
  updateSearchParams((params) => {
    for (const [name, value] of Object.entries(values)) {
      const text = value === undefined ? '' : String(value);
      if (!text || defaults[name] === text) params.delete(name);
      else params.set(name, text);
    }
  });
}

function positiveInt(value: string | null, fallback: number): number {
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : fallback;
}

/** The page and page size a list's URL names (`?page=2&pageSize=100`). */
export function usePageParams() {
  const params = useSearchParams();
  return {
    params,
    page: positiveInt(params.get('page'), 1),
    pageSize: pageSizes.find((size) => size === Number(params.get('pageSize'))) ?? 50,
    setPage: (page: number) => setListParams({ page }),
    setPageSize: (pageSize: number) => setListParams({ pageSize, page: 1 }),
  };
}
