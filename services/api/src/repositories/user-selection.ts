// Which users a request selects: a list of ids, or a filter resolved to ids once, when the request
// is answered. Every query is scoped by the customer, which the caller has already scoped to its
// partner (so another partner's customer is 404 before any filter is looked at).
//
// A customer may have hundreds of thousands of users, and Postgres's statistics about them may be
// missing or old (right after an import, or wherever autovacuum is off). So how a filter is
// evaluated is decided here, from the customer's number of users (kept by triggers), exact counts
// of license holders that cost an index range each and a sample of the customer's users, and every
// statement is written in a form that leaves the planner one sensible plan whatever its statistics
// say:
// - a condition on a user is a test of one row: a license is looked up by its key in a subquery
//   the planner cannot turn into a join (`OFFSET 0`), so it never picks a join that only pays off
//   for the few rows it wrongly expects (a nested loop over 150,000 users took 98 s that way);
// - a small set of candidates (a narrow search, the holders of a rarely held product, the few who
//   lack a product most hold: fewer than the rows a list-order read would walk, see pageOfUsers) is
//   listed first, from the trigram index or the licenses' index, each candidate's row is looked up
//   by its key, and the set is sorted in memory; "lacks" is a set difference (EXCEPT), which has no
//   nested-loop plan;
// - otherwise the users are read in list order from the sort index (from its far end for a page
//   nearer the end, where the total is exact), tested row by row, until the page is full; a product
//   condition on a read that walks many rows tests each against the product's holders read once into
//   a hash table (a hashed subplan under IS TRUE, which stays a test of each row), not by key.
//   These statements run with `enable_sort` off, so that no plan sorts every user of the customer
//   to show 50 of them (a sort the planner would choose if it believed the customer had a thousand
//   users); where a sort is the only way (a small set), it is still used.
import { sql, type SQL } from 'drizzle-orm';
import { customerUserCount, getProducts, type DbOrTx } from '@licensing/db';
import { unprocessable } from '@licensing/http';
import { MAX_SELECTED_USERS, type UserFilter, type UserSelection } from '../schemas/user-selection.ts';
import type { User } from '../schemas/users.ts';

type UserLicense = User['licenses'][number];
type LicenseStateView = User['licenseStates'][number];

/**
 * The sizes that decide how a filter is evaluated. `smallCustomer`: customers with at most this many
 * users are filtered by reading all of them (it costs less than deciding). `smallSet`: a set of
 * candidates this small is listed first, sorted in memory and counted exactly. `sampleSize`: users
 * read (the first by id, which is random) to estimate how many match. `listOrderFrom`: a selection of
 * more users is read in list order from the sort index instead of being sorted (an overview, a job's
 * items). Tests lower them to take every way on a few thousand users.
 */
export const userFilterTuning = {
  smallCustomer: 10_000,
  smallSet: 10_000,
  sampleSize: 2_000,
  listOrderFrom: 5_000,
  /**
   * What listing one candidate first costs (looked up by key, then sorted by name) in rows read in
   * list order from the sort index: measured at about 6 µs against 0.3 µs (200,000 users).
   */
  candidateCost: 20,
  /**
   * A set of license holders up to this many times the rows a list-order read walks is read once
   * into a hash table; a larger one is probed by key for each row walked (about 5 µs a row, against
   * 0.3 µs a row for a hash lookup and 0.2 µs for each holder hashed).
   */
  hashedSetPerRow: 8,
};
/** Searches shorter than this (once normalised) cannot use the trigram index. */
const TRIGRAM = 3;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One condition of a filter, as decided for this customer. */
interface Condition {
  /** Whether the users row `u` meets it, evaluated row by row. */
  test: SQL;
  /** The users rows (as `u`) that meet it, listed without reading every user, when that pays. */
  rows?: SQL;
  /**
   * The ids of the users that meet it (as `id`), listed without reading their users rows: all a
   * selection needs when no other condition must test the rows.
   */
  ids?: SQL;
  /** How many users meet it, when known exactly (cheaply). */
  size?: number;
  /**
   * The same test through a set of users read once into a hash table (a hashed subplan), and the
   * size of that set: cheaper than `test` when a read walks many more rows than the set holds.
   */
  hashed?: { test: SQL; size: number };
}

/** A filter as it will be evaluated for one customer. */
export interface FilterPlan {
  customerId: string;
  /** The customer's users, counted exactly. */
  users: number;
  conditions: Condition[];
  /** How many users match: exactly, or estimated from the sample (`estimated`). */
  total: number;
  estimated: boolean;
}

const userColumns = sql`u.id, u.customer_id, u.user_principal_name, u.display_name, u.usage_location, u.department, u.search_text`;

/**
 * Turns `enable_sort` off for the rest of the caller's transaction (see the top of this file), and
 * gives it at least 16 MB of `work_mem`, so that a set of license holders is tested through a hash
 * table (see `allTests`) whatever its size is believed to be. The statement is sent now, ahead of
 * whatever the caller sends next on the same connection, so it costs no round trip of its own.
 */
export function sortsOff(tx: DbOrTx): Promise<unknown> {
  return tx
    .execute(sql`
      SELECT set_config('enable_sort', 'off', true),
             set_config('work_mem', greatest(pg_size_bytes(current_setting('work_mem')) / 1024, 16384)::text || 'kB', true)`)
    .then(() => undefined);
}

/**
 * Decides how to evaluate `filter` for the customer, in one statement: the customer's number of
 * users (see customerUserCount), the filter's product conditions counted (an index range each),
 * and, for a large customer, a sample of its users tested against the filter. Run with
 * `enable_sort` off (`sortsOff`). A narrow search
 * of a large customer is listed from the trigram index; `smallSet` bounds what it reads from it.
 */
export async function planUserFilter(tx: DbOrTx, customerId: string, filter: UserFilter): Promise<FilterPlan> {
  const search = filter.search?.trim() ?? '';
  const holds = (productId: string) =>
    sql`exists (select 1 from user_licenses l where l.customer_id = ${customerId} and l.product_id = ${productId} and l.user_id = u.id offset 0)`;
  const holdsAny = sql`exists (select 1 from user_licenses l where l.customer_id = ${customerId} and l.user_id = u.id offset 0)`;
  const holders = (productId: string) =>
    sql`select l.user_id as id from user_licenses l where l.customer_id = ${customerId} and l.product_id = ${productId}`;
  // Under IS TRUE / IS FALSE the sublink stays a subplan, hashed (the holders are never NULL).
  const inHolders = (productId: string, is: 'true' | 'false') =>
    sql`(u.id in (select l.user_id from user_licenses l where l.customer_id = ${customerId} and l.product_id = ${productId})) is ${sql.raw(is)}`;
  const inLicensed = (is: 'true' | 'false') =>
    sql`(u.id in (select l.user_id from user_licenses l where l.customer_id = ${customerId})) is ${sql.raw(is)}`;
  const everyone = sql`select u.id from users u where u.customer_id = ${customerId}`;
  const licensed = sql`select distinct l.user_id as id from user_licenses l where l.customer_id = ${customerId}`;
  /** The users rows of a set of ids, each looked up by its key. */
  const rowsOf = (ids: SQL) =>
    sql`select ${userColumns} from (${ids}) d cross join lateral (select * from users u where u.customer_id = ${customerId} and u.id = d.id offset 0) u`;
  /** A condition's users listed both ways: their ids, and their rows looked up by those ids. */
  const listed = (ids: SQL) => ({ ids, rows: rowsOf(ids) });

  const searchTest = sql`strpos(u.search_text, user_search_key(${search}::text)) > 0`;
  const productTests: SQL[] = [];
  if (filter.hasProduct !== undefined) productTests.push(holds(filter.hasProduct));
  if (filter.lacksProduct !== undefined) productTests.push(sql`not ${holds(filter.lacksProduct)}`);
  if (filter.licensed !== undefined) productTests.push(filter.licensed ? holdsAny : sql`not ${holdsAny}`);
  const inDepartment = sql`u.department = ${filter.department ?? null}::text`;
  if (filter.department !== undefined) productTests.push(inDepartment);
  const tests = [...(search ? [searchTest] : []), ...productTests];
  const count = (set: SQL) => sql`(select count(*) from (${set}) s)::int`;
  // The sample: the customer's first users by id (ids are random), only for a large customer.
  const sample =
    tests.length > 0
      ? sql`case when n.users > ${userFilterTuning.smallCustomer} then (
          select array[count(*) filter (where ${search ? searchTest : sql`true`}), count(*) filter (where ${sql.join(tests, sql` and `)}), count(*)]::int[]
          from (select u.id, u.search_text, u.department from users u where u.customer_id = ${customerId} order by u.id limit ${userFilterTuning.sampleSize}) u) end`
      : sql`null::int[]`;
  const [counts] = (await tx.execute(sql`
    WITH n AS (SELECT ${customerUserCount(customerId)} AS users)
    SELECT n.users,
      ${search ? sql`user_search_key(${search}::text)` : sql`null::text`} AS key,
      ${filter.hasProduct !== undefined ? count(holders(filter.hasProduct)) : sql`null::int`} AS has,
      ${filter.lacksProduct !== undefined ? count(holders(filter.lacksProduct)) : sql`null::int`} AS lacks,
      ${filter.licensed !== undefined ? count(licensed) : sql`null::int`} AS licensed,
      ${filter.department !== undefined ? sql`(SELECT count(*) FROM users u WHERE u.customer_id = ${customerId} AND ${inDepartment})::int` : sql`null::int`} AS department,
      ${sample} AS sample
    FROM n`)) as unknown as [
    {
      users: number;
      key: string | null;
      has: number | null;
      lacks: number | null;
      licensed: number | null;
      department: number | null;
      sample: [number, number, number] | null;
    },
  ];
  const users = counts.users;
  const conditions: Condition[] = [];
  if (filter.hasProduct !== undefined)
    conditions.push({
      test: holds(filter.hasProduct),
      ...listed(holders(filter.hasProduct)),
      size: counts.has!,
      hashed: { test: inHolders(filter.hasProduct, 'true'), size: counts.has! },
    });
  if (filter.lacksProduct !== undefined)
    conditions.push({
      test: sql`not ${holds(filter.lacksProduct)}`,
      ...listed(sql`${everyone} except ${holders(filter.lacksProduct)}`),
      size: users - counts.lacks!,
      hashed: { test: inHolders(filter.lacksProduct, 'false'), size: counts.lacks! },
    });
  if (filter.licensed === true)
    conditions.push({
      test: holdsAny,
      ...listed(licensed),
      size: counts.licensed!,
      hashed: { test: inLicensed('true'), size: counts.licensed! },
    });
  if (filter.licensed === false)
    conditions.push({
      test: sql`not ${holdsAny}`,
      ...listed(sql`${everyone} except ${licensed}`),
      size: users - counts.licensed!,
      hashed: { test: inLicensed('false'), size: counts.licensed! },
    });
  if (filter.department !== undefined)
    conditions.push({
      test: inDepartment,
      rows: sql`select ${userColumns} from users u where u.customer_id = ${customerId} and ${inDepartment}`,
      size: counts.department!,
    });
  const key = counts.key ?? '';
  const [searchHits, allHits, sampled] = counts.sample ?? [0, 0, 0];
  const estimateOf = (hits: number) => Math.round((hits / Math.max(sampled, 1)) * users);
  if (key !== '') {
    const test = sql`strpos(u.search_text, ${key}) > 0`;
    // Few matches (a name, part of an address): the trigram index lists them. Many ("contoso", a
    // common syllable): the index's posting lists cost more than reading the customer's users in
    // list order, so they are read and tested instead. The customer's condition is kept away from
    // the btree indexes (IS TRUE): the trigram index finds the candidates, and AND-ing them with
    // the ids of every user of a large customer would cost more than checking each candidate's.
    const narrow = users > userFilterTuning.smallCustomer && key.length >= TRIGRAM;
    conditions.unshift(
      narrow && estimateOf(searchHits) <= userFilterTuning.smallSet
        ? {
            test,
            rows: sql`select ${userColumns} from users u where (u.customer_id = ${customerId}) is true and u.search_text like ${`%${escapeLike(key)}%`}`,
          }
        : { test },
    );
  }
  // Exact when it is one condition of a known size (or nobody can match); else the sample's estimate
  // (a small customer's users are counted as they are read, see pageOfUsers; until then, all of them).
  const exact =
    conditions.length === 0
      ? users
      : conditions.some((c) => c.size === 0)
        ? 0
        : conditions.length === 1
          ? conditions[0]!.size
          : undefined;
  return {
    customerId,
    users,
    conditions,
    total: exact ?? (counts.sample ? estimateOf(allHits) : users),
    estimated: exact === undefined,
  };
}

/**
 * The tests of every condition, AND-ed (true for none). With `walked` (the rows a list-order read
 * is expected to walk), a condition whose hashed set is small beside it is tested through that set.
 */
function allTests(conditions: Condition[], walked?: number): SQL {
  const test = (c: Condition) =>
    walked !== undefined && c.hashed && c.hashed.size <= walked * userFilterTuning.hashedSetPerRow
      ? c.hashed.test
      : c.test;
  return conditions.length ? sql.join(conditions.map(test), sql` AND `) : sql`true`;
}

/**
 * The condition whose users are listed first, if one costs less than `limit` rows: the smallest of
 * known size, or a narrow search (whose size is known once read).
 */
function driverOf(plan: FilterPlan, limit: number): Condition | undefined {
  let best: Condition | undefined;
  for (const c of plan.conditions) {
    if (!c.rows) continue;
    const size = c.size ?? userFilterTuning.smallSet;
    if (size <= limit && (!best || size < (best.size ?? userFilterTuning.smallSet))) best = c;
  }
  return best;
}

export type UserListRow = {
  id: string;
  customerId: string;
  userPrincipalName: string;
  displayName: string;
  usageLocation: string | null;
  department: string | null;
  licenses: UserLicense[];
  licenseStates: LicenseStateView[];
};
const listOrder = (t: string) => sql.raw(`${t}.display_name, ${t}.user_principal_name, ${t}.id`);
/** A page's rows (as `p`) as the API shows them, their licenses included. */
const shown = (customerId: string) => sql`
  p.id, p.customer_id AS "customerId", p.user_principal_name AS "userPrincipalName", p.display_name AS "displayName",
  p.usage_location AS "usageLocation", p.department,
  ${licenseColumns(customerId, sql`p.id`)}`;

/**
 * A user's `licenses` (with their sources) and `licenseStates` as JSON columns, for a user row's id
 * (`userId`) of the customer.
 */
export const licenseColumns = (customerId: string, userId: SQL) => sql`
  (SELECT coalesce(json_agg(json_build_object('productId', l.product_id, 'disabledServicePlans', l.disabled_service_plans,
                              'assignedBy', json_build_object('direct', l.direct, 'groupIds', coalesce(
                                (SELECT json_agg(s.group_id ORDER BY s.group_id) FROM group_license_states s
                                 WHERE s.customer_id = l.customer_id AND s.user_id = l.user_id AND s.product_id = l.product_id
                                   AND s.applied), '[]'::json)))
                            ORDER BY l.assigned_at, l.product_id), '[]'::json)
   FROM user_licenses l WHERE l.customer_id = ${customerId} AND l.user_id = ${userId}) AS licenses,
  (SELECT coalesce(json_agg(json_strip_nulls(json_build_object('productId', s.product_id, 'groupId', s.group_id,
                              'state', s.state, 'since', to_char(s.since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                              'error', s.error))
                            ORDER BY s.group_id, s.product_id), '[]'::json)
   FROM group_license_states s WHERE s.customer_id = ${customerId} AND s.user_id = ${userId}) AS "licenseStates"`;

/**
 * One page of the customer's users matching the plan, sorted as the user list is (display name,
 * principal name, id), with their licenses, in one statement, and how many match in all: exactly,
 * or (`estimated`) from the plan's sample where counting would mean reading most of a large
 * customer's users. Run it in the plan's transaction (read-only, repeatable read, sorts off).
 */
export async function pageOfUsers(
  tx: DbOrTx,
  plan: FilterPlan,
  page: { offset: number; limit: number },
): Promise<{ rows: UserListRow[]; total: number; estimated: boolean }> {
  const { customerId } = plan;
  if (plan.conditions.length === 0)
    return { rows: await unfilteredPage(tx, plan, page), total: plan.users, estimated: false };
  if (plan.users <= userFilterTuning.smallCustomer) {
    const rows = await tx.execute<UserListRow & { total: number }>(sql`
      WITH m AS MATERIALIZED (SELECT ${userColumns} FROM users u WHERE u.customer_id = ${customerId} AND ${allTests(plan.conditions)})
      SELECT (SELECT count(*) FROM m)::int AS total, ${shown(customerId)}
      FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT * FROM m ORDER BY ${listOrder('m')} LIMIT ${page.limit} OFFSET ${page.offset}) p ON true
      ORDER BY ${listOrder('p')}`);
    return { rows: pageRows(rows), total: rows[0]!.total, estimated: false };
  }
  // Where the total is exact, nothing is past it, and a page nearer the end of the list is read
  // from the end (in reverse list order, from the sort index), as fewer rows are walked that way.
  if (!plan.estimated && page.offset >= plan.total) return { rows: [], total: plan.total, estimated: false };
  const fromEnd = !plan.estimated && page.offset > plan.total / 2;
  // Listing a set of candidates first costs about its size; reading in list order costs the rows
  // read until the page is full, about (offset + limit) / the share of users that match.
  const share = Math.max(plan.total, 1) / Math.max(plan.users, 1);
  const walked = (fromEnd ? plan.total - page.offset : page.offset + page.limit) / share;
  // With an estimated total (several conditions, or a search), a set of candidates also counts the
  // matches exactly, so it is listed even where it costs somewhat more than the read; an exact
  // total needs no counting, and the candidates are listed only where they cost less.
  const driver = driverOf(
    plan,
    plan.estimated ? Math.max(userFilterTuning.smallSet, walked / 2) : walked / userFilterTuning.candidateCost,
  );
  if (driver) {
    const others = plan.conditions.filter((c) => c !== driver);
    // The candidates are read up to one past smallSet where their number is not known beforehand
    // (a narrow search); past it, they are too many to sort, and the users are read in list order.
    const cap = driver.size === undefined ? sql`LIMIT ${userFilterTuning.smallSet + 1}` : sql``;
    const rows = await tx.execute<UserListRow & { total: number; candidates: number }>(sql`
      WITH d AS MATERIALIZED (SELECT u.*, ${allTests(others)} AS passes FROM (${driver.rows!} ${cap}) u)
      SELECT c.candidates, c.total, ${shown(customerId)}
      FROM (SELECT count(*)::int AS candidates, (count(*) FILTER (WHERE passes))::int AS total FROM d) c
      LEFT JOIN LATERAL (SELECT * FROM d WHERE passes ORDER BY ${listOrder('d')} LIMIT ${page.limit} OFFSET ${page.offset}) p ON true
      ORDER BY ${listOrder('p')}`);
    const first = rows[0]!;
    if (driver.size !== undefined || first.candidates <= userFilterTuning.smallSet)
      return { rows: pageRows(rows), total: first.total, estimated: false };
    driver.rows = undefined;
  }
  // The page's keys first (from the sort index alone where the conditions need no other column),
  // then their rows, each looked up by its key.
  const limit = fromEnd ? Math.min(page.limit, plan.total - page.offset) : page.limit;
  const offset = fromEnd ? plan.total - page.offset - limit : page.offset;
  const order = fromEnd ? sql`u.display_name DESC, u.user_principal_name DESC, u.id DESC` : listOrder('u');
  const rows = await tx.execute<UserListRow>(sql`
    SELECT ${shown(customerId)} FROM (
      SELECT u.id FROM users u WHERE u.customer_id = ${customerId} AND ${allTests(plan.conditions, walked)}
      ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) k
    CROSS JOIN LATERAL (SELECT * FROM users u WHERE u.customer_id = ${customerId} AND u.id = k.id OFFSET 0) p
    ORDER BY ${listOrder('p')}`);
  return { rows: [...rows], total: plan.total, estimated: plan.estimated };
}

/** The rows of a page read with a one-row total beside it (no rows: one row of nulls). */
function pageRows(rows: (UserListRow & { total: number; candidates?: number })[]): UserListRow[] {
  return rows.filter((r) => r.id !== null).map(({ total: _, candidates: __, ...row }) => row);
}

/**
 * A page of all the customer's users: the page's keys from the sort index alone (an index-only scan
 * where the visibility map is fresh), read from whichever end of the list is nearer, then their rows.
 */
async function unfilteredPage(tx: DbOrTx, plan: FilterPlan, page: { offset: number; limit: number }) {
  const { customerId } = plan;
  if (page.offset >= plan.users) return [];
  const fromEnd = page.offset > plan.users / 2;
  const limit = Math.min(page.limit, plan.users - page.offset);
  const offset = fromEnd ? plan.users - page.offset - limit : page.offset;
  const order = fromEnd ? sql`k.display_name DESC, k.user_principal_name DESC, k.id DESC` : listOrder('k');
  const rows = await tx.execute<UserListRow>(sql`
    SELECT ${shown(customerId)} FROM (
      SELECT k.id FROM users k WHERE k.customer_id = ${customerId} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) k
    CROSS JOIN LATERAL (SELECT * FROM users u WHERE u.customer_id = ${customerId} AND u.id = k.id OFFSET 0) p
    ORDER BY ${listOrder('p')}`);
  return [...rows];
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
 * Runs `fn` in a subtransaction of `db` (a savepoint inside the caller's transaction) with
 * `enable_sort` off and at least 16 MB of `work_mem` (so that a list of 50,000 ids is always tested
 * through a hash table, see `inIds`), and restores both before that ends, so that the caller's
 * later statements plan as usual.
 */
export async function withSortsOff<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const [before] = (await tx.execute(sql`
      SELECT current_setting('enable_sort') AS sort, current_setting('work_mem') AS mem,
             set_config('enable_sort', 'off', true),
             set_config('work_mem', greatest(pg_size_bytes(current_setting('work_mem')) / 1024, 16384)::text || 'kB', true)`)) as unknown as [
      { sort: string; mem: string },
    ];
    try {
      return await fn(tx);
    } finally {
      await tx.execute(
        sql`SELECT set_config('enable_sort', ${before.sort}, true), set_config('work_mem', ${before.mem}, true)`,
      );
    }
  });
}

/**
 * Whether `column` is one of `ids`, as a test of each row through a hash table built once (the
 * sublink under IS TRUE stays a hashed subplan instead of becoming a join): a join would lose the
 * order of a list-order read, and with sorting off the planner would then compare every row with
 * every id. Use it with `withSortsOff`.
 */
export function inIds(column: SQL, ids: string[]): SQL {
  return sql`(${column} IN (SELECT unnest(${sql.param(ids)}::uuid[]))) IS TRUE`;
}

/**
 * The selected users of the customer (ids that are not its users' are left out) in user-list order,
 * each with the products it holds and, with `groupOnly`, those it holds only through groups (no
 * direct source: a revoke by a job fails with LicenseInheritedFromGroup). A large selection is read
 * from the sort index in list order (an index-only scan of the customer's users, each tested against
 * the ids or the filter's set, hashed once), which costs less than sorting it by name; a small one is
 * looked up by key and sorted. A filter matching too many users is 422 `too_many_users`.
 */
export async function selectedUsersWithProducts(
  db: DbOrTx,
  customerId: string,
  selection: SelectionInDb,
  options: { groupOnly?: boolean } = {},
): Promise<SelectedUserProducts[]> {
  const groupOnly = options.groupOnly
    ? sql`(SELECT array_agg(l.product_id) FROM user_licenses l
           WHERE l.customer_id = ${customerId} AND l.user_id = u.id AND NOT l.direct)`
    : sql`NULL::text[]`;
  const columns = sql`u.id, u.display_name AS "displayName", u.user_principal_name AS "userPrincipalName",
    (SELECT array_agg(l.product_id) FROM user_licenses l WHERE l.customer_id = ${customerId} AND l.user_id = u.id) AS products,
    ${groupOnly} AS "groupOnly"`;
  const size = 'ids' in selection ? selection.ids.length : selection.size;
  const rows =
    size <= userFilterTuning.listOrderFrom
      ? await db.execute<SelectedUserProducts>(sql`
          SELECT ${columns} FROM users u WHERE u.customer_id = ${customerId} AND ${inSelection(sql`u.id`, selection)}
          ORDER BY u.display_name, u.user_principal_name, u.id ${selectionLimit(selection)}`)
      : await withSortsOff(db, (tx) =>
          tx.execute<SelectedUserProducts>(sql`
            SELECT ${columns} FROM users u WHERE u.customer_id = ${customerId} AND ${
              'ids' in selection
                ? inIds(sql`u.id`, selection.ids)
                : sql`(u.id IN (SELECT s.id FROM (${selection.filter}) s)) IS TRUE`
            }
            ORDER BY u.display_name, u.user_principal_name, u.id ${selectionLimit(selection)}`),
        );
  checkSelectedCount(selection, rows.length);
  return [...rows];
}

export type SelectedUserProducts = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  products: string[] | null;
  /** Products held through groups only (asked for with `groupOnly`; else null). */
  groupOnly: string[] | null;
};

/** The users of the customer matching the plan, as a set of `id` rows in no particular order. */
function matchingIdsSql(plan: FilterPlan): SQL {
  const { customerId } = plan;
  if (plan.conditions.length === 0) return sql`SELECT u.id FROM users u WHERE u.customer_id = ${customerId}`;
  const driver = driverOf(plan, Number.POSITIVE_INFINITY);
  const others = plan.conditions.filter((c) => c !== driver);
  // A product condition alone: its holders' ids (or the rest's) are the selection, without
  // looking up 50,000 users rows to read their ids again.
  if (driver?.ids && others.length === 0) return sql`SELECT s.id FROM (${driver.ids}) s`;
  return driver
    ? sql`SELECT u.id FROM (${driver.rows!}) u WHERE ${allTests(others)}`
    : sql`SELECT u.id FROM users u WHERE u.customer_id = ${customerId} AND ${allTests(plan.conditions)}`;
}

/** The ids of up to `limit` users of the customer matching the plan, in no particular order. */
async function matchingIds(tx: DbOrTx, plan: FilterPlan, limit: number): Promise<string[]> {
  const rows = await tx.execute<{ id: string }>(sql`SELECT m.id FROM (${matchingIdsSql(plan)}) m LIMIT ${limit}`);
  return rows.map((r) => r.id);
}

function tooManyUsers() {
  return unprocessable(
    'too_many_users',
    `The filter matches more than ${MAX_SELECTED_USERS} users; narrow it down, or split the work into several requests.`,
    { maxUsers: MAX_SELECTED_USERS },
  );
}

/**
 * The users a request selects, as the statements that read them take it: the ids given, or the
 * filter's users as an SQL set that each statement evaluates itself (`size`: how many it matches,
 * exactly or estimated). Reads of a large selection by filter (a preview, an overview) take it so,
 * instead of resolving it to ids: 50,000 ids read from Postgres and sent back to it, once per
 * statement, cost the API's event loop more than Postgres spends evaluating the filter again. Use
 * it within one snapshot (a repeatable-read transaction, or one statement), so that every statement
 * sees the same users; where the selection's exact ids matter for what is written (a job), resolve
 * it with `resolveUserSelection` instead.
 */
export type SelectionInDb = { ids: string[] } | { filter: SQL; size: number };

/**
 * The selection of a request, for `inSelection`: the ids as given (without duplicates, lower case,
 * not checked), or the filter as planned for the customer (an unknown product in it: 422
 * `unknown_product`; a filter known to match more than MAX_SELECTED_USERS: 422 `too_many_users`;
 * where the number is an estimate, the caller checks what it read with `checkSelectedCount`).
 */
export async function selectionInDb(db: DbOrTx, customerId: string, selection: UserSelection): Promise<SelectionInDb> {
  if (selection.userFilter === undefined) return { ids: [...new Set(selection.userIds.map((id) => id.toLowerCase()))] };
  const filter = selection.userFilter;
  await checkFilterProducts(db, filter);
  const plan = await withSortsOff(db, (tx) => planUserFilter(tx, customerId, filter));
  if (!plan.estimated && plan.total > MAX_SELECTED_USERS) throw tooManyUsers();
  return { filter: matchingIdsSql(plan), size: plan.total };
}

/** Whether `column` (a user id of the customer) is one of the selected users. */
export function inSelection(column: SQL, selection: SelectionInDb): SQL {
  return 'ids' in selection
    ? sql`${column} = any(${sql.param(selection.ids)}::uuid[])`
    : sql`${column} IN (SELECT s.id FROM (${selection.filter}) s)`;
}

/**
 * The users read of a selection by filter, at most MAX_SELECTED_USERS + 1 (the statement's LIMIT):
 * one more is 422 `too_many_users`, as resolving the filter would answer.
 */
export function checkSelectedCount(selection: SelectionInDb, read: number): void {
  if ('filter' in selection && read > MAX_SELECTED_USERS) throw tooManyUsers();
}

/** The LIMIT of a statement that reads the users of a selection by filter (see checkSelectedCount). */
export function selectionLimit(selection: SelectionInDb): SQL {
  return 'filter' in selection ? sql`LIMIT ${MAX_SELECTED_USERS + 1}` : sql``;
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
  const ids = await withSortsOff(db, async (tx) =>
    matchingIds(tx, await planUserFilter(tx, customerId, filter), MAX_SELECTED_USERS + 1),
  );
  if (ids.length > MAX_SELECTED_USERS) throw tooManyUsers();
  return ids;
}

/**
 * How many users a selection names, for sizing work before it is done (see SelectionBudget): the
 * distinct ids given, or the users the filter matches now, up to one past the limit (exactly where
 * cheap, else estimated). Not a resolution: the request still resolves its selection once, where
 * its answer is decided.
 */
export async function selectionSize(db: DbOrTx, customerId: string, selection: UserSelection): Promise<number> {
  if (selection.userIds !== undefined) return new Set(selection.userIds.map((id) => id.toLowerCase())).size;
  const filter = selection.userFilter;
  await checkFilterProducts(db, filter);
  const plan = await withSortsOff(db, (tx) => planUserFilter(tx, customerId, filter));
  return Math.min(plan.total, MAX_SELECTED_USERS + 1);
}
