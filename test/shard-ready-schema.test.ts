// The schema stays ready for a Postgres sharded by customer (docs/scaling.md). Every table is
// classified here, so a new table must be too: customer-level tables are keyed by their customer
// (the distribution column) first, every unique index of theirs leads with it, and foreign keys
// between them join on it; partner-level tables and the catalog never point into a customer's rows.
// Checked on the migrated database itself (pg_catalog), not on the drizzle mirror.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './support/test-env.ts';

/** Customer-level tables and their distribution column (the customer's id). */
const CUSTOMER_LEVEL: Record<string, string> = {
  'public.customers': 'id',
  'public.users': 'customer_id',
  'public.user_licenses': 'customer_id',
  'public.subscriptions': 'customer_id',
  'public.reserved_seats': 'customer_id',
  'public.customer_user_deltas': 'customer_id',
  'public.license_holder_deltas': 'customer_id',
  'public.license_jobs': 'customer_id',
  'public.license_job_items': 'customer_id',
  'public.license_job_progress': 'customer_id',
  'public.idempotency_keys': 'customer_id',
  'public.audit_events': 'customer_id',
  'public.groups': 'customer_id',
  'public.group_members': 'customer_id',
  'public.group_license_states': 'customer_id',
};

/** Tables of a partner, or of the whole service (the catalog, migrations): kept whole on every shard or by partner. */
const PARTNER_LEVEL = new Set([
  'public.partners',
  'public.partner_api_keys',
  'public.webhooks',
  'public.webhook_deliveries',
  'public.webhook_delivery_attempts',
  'catalog.products',
  'catalog.seed_marker',
  'public.schema_migrations',
]);

/** Unique indexes without the customer that only one primary keeps, each with what replaces it when sharded. */
const ONE_PRIMARY_ONLY: Record<string, string> = {
  idempotency_keys_partner_key:
    'an Idempotency-Key is unique per partner (the contract); sharded, a partner-level key table does it',
};

/** Customer-level tables without a primary key: insert-only rows nothing addresses one by one. */
const WITHOUT_PRIMARY_KEY = new Set(['public.license_job_progress']);

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

it('every table is classified as customer-level or partner-level', async () => {
  const tables = await env.sql<{ name: string }[]>`
    SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    ORDER BY 1`;
  const names = tables.map((t) => t.name);
  expect(
    names.filter((t) => !(t in CUSTOMER_LEVEL) && !PARTNER_LEVEL.has(t)),
    'tables to classify here',
  ).toEqual([]);
  expect(
    [...Object.keys(CUSTOMER_LEVEL), ...PARTNER_LEVEL].filter((t) => !names.includes(t)),
    'classified tables that do not exist',
  ).toEqual([]);
});

it("customer-level tables: the primary key and every unique index lead with the customer's column", async () => {
  const indexes = await env.sql<{ table: string; index: string; primary: boolean; columns: string[] }[]>`
    SELECT n.nspname || '.' || t.relname AS table, ic.relname AS index, i.indisprimary AS primary,
           array(SELECT coalesce(a.attname, '(expression)') FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS columns
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE i.indisunique`;
  const problems: string[] = [];
  for (const [table, column] of Object.entries(CUSTOMER_LEVEL)) {
    const mine = indexes.filter((i) => i.table === table);
    const primary = mine.find((i) => i.primary);
    if (!primary && !WITHOUT_PRIMARY_KEY.has(table)) problems.push(`${table} has no primary key`);
    for (const index of mine) {
      if (index.index in ONE_PRIMARY_ONLY) continue;
      if (index.columns[0] !== column)
        problems.push(`${table}: ${index.index} (${index.columns.join(', ')}) does not lead with ${column}`);
    }
  }
  expect(problems).toEqual([]);
  // The exceptions still exist (a stale entry would hide nothing, but would mislead).
  expect(indexes.map((i) => i.index)).toEqual(expect.arrayContaining(Object.keys(ONE_PRIMARY_ONLY)));
});

it("foreign keys between customer-level tables join on the customer; nothing of a partner's points into a customer's rows", async () => {
  const keys = await env.sql<{ name: string; from: string; to: string; pairs: string[] }[]>`
    SELECT con.conname AS name, fn.nspname || '.' || f.relname AS from, tn.nspname || '.' || t.relname AS to,
           array(SELECT fa.attname || ' = ' || ta.attname
                 FROM unnest(con.conkey, con.confkey) AS k(fk, tk)
                 JOIN pg_attribute fa ON fa.attrelid = con.conrelid AND fa.attnum = k.fk
                 JOIN pg_attribute ta ON ta.attrelid = con.confrelid AND ta.attnum = k.tk) AS pairs
    FROM pg_constraint con
    JOIN pg_class f ON f.oid = con.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
    JOIN pg_class t ON t.oid = con.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
    WHERE con.contype = 'f'`;
  expect(keys.length).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const key of keys) {
    const from = CUSTOMER_LEVEL[key.from];
    const to = CUSTOMER_LEVEL[key.to];
    if (to === undefined) continue; // to a partner-level table: kept whole beside every customer's rows
    if (from === undefined) {
      problems.push(`${key.name}: partner-level ${key.from} points into customer-level ${key.to}`);
      continue;
    }
    if (!key.pairs.includes(`${from} = ${to}`))
      problems.push(`${key.name}: ${key.from} → ${key.to} does not join ${from} to ${to}`);
  }
  expect(problems).toEqual([]);
});
