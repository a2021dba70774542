// Which users a request selects: a list of ids, or a filter resolved to ids once, when the request
// is answered. Every query is scoped by the customer, which the caller has already scoped to its
// partner (so another partner's customer is 404 before any filter is looked at).
import { and, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { getProducts, tables, type DbOrTx } from '@licensing/db';
import { unprocessable } from '@licensing/http';
import { MAX_SELECTED_USERS, type UserFilter, type UserSelection } from '../schemas/user-selection.ts';

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// Scoped to the customer so the holders come from user_licenses' (customer_id, product_id, user_id)
// index, never from other customers' licenses.
const holds = (customerId: string, productId: string) =>
  sql`exists (select 1 from user_licenses l where l.customer_id = ${customerId} and l.product_id = ${productId} and l.user_id = ${tables.users.id})`;
const holdsAny = (customerId: string) =>
  sql`exists (select 1 from user_licenses l where l.customer_id = ${customerId} and l.user_id = ${tables.users.id})`;

/**
 * The WHERE condition over `users` for a customer's users matching the filter (all of them for
 * `{}`). Shared by the user list and every body that selects users by filter, so both select alike.
 * The product conditions are (anti-)semi-joins with the customer's licenses (see migration 0004).
 */
export function userFilterCondition(customerId: string, filter: UserFilter): SQL {
  const search = filter.search?.trim();
  return and(
    eq(tables.users.customerId, customerId),
    search
      ? or(
          ilike(tables.users.displayName, `%${escapeLike(search)}%`),
          ilike(tables.users.userPrincipalName, `%${escapeLike(search)}%`),
        )
      : undefined,
    filter.hasProduct !== undefined ? holds(customerId, filter.hasProduct) : undefined,
    filter.lacksProduct !== undefined ? sql`not ${holds(customerId, filter.lacksProduct)}` : undefined,
    filter.department !== undefined ? eq(tables.users.department, filter.department) : undefined,
    filter.licensed === true
      ? holdsAny(customerId)
      : filter.licensed === false
        ? sql`not ${holdsAny(customerId)}`
        : undefined,
  )!;
}

/**
 * A filter naming a product the catalog does not have is refused (422 `unknown_product`), as a job
 * assigning one is: a mistyped product id must not quietly select nobody (or, with lacksProduct,
 * everybody). A catalog product the customer has no subscription to is a valid filter.
 */
export async function checkFilterProducts(db: DbOrTx, filter: UserFilter): Promise<void> {
  const named = [filter.hasProduct, filter.lacksProduct].filter((p): p is string => p !== undefined);
  if (named.length === 0) return;
  const products = await getProducts(db, named);
  const unknown = [...new Set(named.filter((p) => !products.has(p)))];
  if (unknown.length)
    throw unprocessable('unknown_product', `Unknown product ${unknown.map((p) => `"${p}"`).join(', ')}.`, {
      productIds: unknown,
    });
}

/**
 * The ids of the users a request selects, each once (lower case), resolved once: pass the
 * transaction the selection must be part of (a job resolves its filter in the transaction that
 * reserves its seats).
 *
 * - `{userIds}`: the ids as given, without duplicates, in the order given. They are NOT checked
 *   here: the caller reports ids that are not users of the customer (422 `unknown_users`) as part
 *   of the work it does with them anyway.
 * - `{userFilter}`: every user of the customer matching the filter, at the moment of the query
 *   (in no particular order). More than MAX_SELECTED_USERS → 422 `too_many_users`; an unknown
 *   product in the filter → 422 `unknown_product`. May be empty.
 */
export async function resolveUserSelection(
  db: DbOrTx,
  customerId: string,
  selection: UserSelection,
): Promise<string[]> {
  if (selection.userFilter === undefined) return [...new Set(selection.userIds.map((id) => id.toLowerCase()))];
  const filter = selection.userFilter;
  await checkFilterProducts(db, filter);
  const rows = await db
    .select({ id: tables.users.id })
    .from(tables.users)
    .where(userFilterCondition(customerId, filter))
    .limit(MAX_SELECTED_USERS + 1);
  if (rows.length > MAX_SELECTED_USERS)
    throw unprocessable(
      'too_many_users',
      `The filter matches more than ${MAX_SELECTED_USERS} users; narrow it down, or split the work into several requests.`,
      { maxUsers: MAX_SELECTED_USERS },
    );
  return rows.map((r) => r.id);
}

/**
 * How many users a selection names, for sizing work before it is done (see SelectionBudget): the
 * distinct ids given, or the users the filter matches now, counted up to one past the limit. Not a
 * resolution: the request still resolves its selection once, where its answer is decided.
 */
export async function selectionSize(db: DbOrTx, customerId: string, selection: UserSelection): Promise<number> {
  if (selection.userFilter === undefined) return new Set(selection.userIds.map((id) => id.toLowerCase())).size;
  await checkFilterProducts(db, selection.userFilter);
  const [row] = (await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM users WHERE ${userFilterCondition(customerId, selection.userFilter)} LIMIT ${MAX_SELECTED_USERS + 1}) s`)) as unknown as [
    { n: number },
  ];
  return row.n;
}
