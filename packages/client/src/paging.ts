import { unwrap } from './errors.ts';

/** One answer of a paged list, as the typed client gives it. */
export interface PageResult<T> {
  data?: { items: T[]; page?: number; totalPages: number };
  error?: unknown;
  response: Response;
}

/**
 * Every item of a paged list, page after page, as they arrive: `fetchPage` is called with 1, 2, …
 * until the last page. A problem answer is thrown as a LicensingApiError.
 *
 *   for await (const user of paginate((page) =>
 *     api.GET('/v1/customers/{customerId}/users', { params: { path: { customerId }, query: { page, pageSize: 500 } } }),
 *   )) console.log(user.userPrincipalName);
 *
 * Pages are read one by one, so items created or deleted meanwhile may shift between pages.
 */
export async function* paginate<T>(fetchPage: (page: number) => Promise<PageResult<T>>): AsyncGenerator<T, void> {
  for (let page = 1; ; page++) {
    const body = unwrap(await fetchPage(page));
    yield* body.items;
    if (page >= body.totalPages) return;
  }
}

/** Every item of a paged list, in one array (see `paginate`). */
export async function allPages<T>(fetchPage: (page: number) => Promise<PageResult<T>>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of paginate(fetchPage)) items.push(item);
  return items;
}
