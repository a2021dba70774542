// The SQL migrations are the database's source of truth and src/schema.ts mirrors them for drizzle.
// A fresh database is migrated and every table drizzle knows is compared with what Postgres holds:
// the same tables, columns, types, nullability, defaults and primary keys, so the two cannot drift.
import { randomUUID } from 'node:crypto';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { prepareDatabase } from '../src/migrate.ts';
import * as schema from '../src/schema.ts';

interface ColumnShape {
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}
interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
}

const name = `licensing_schema_${randomUUID().replaceAll('-', '')}`;
const server = inject('pgServerUrl');
const url = new URL(server);
url.pathname = `/${name}`;
let sql: postgres.Sql;

beforeAll(async () => {
  await prepareDatabase(url.toString());
  sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

function drizzleTables(): Record<string, TableShape> {
  const tables: Record<string, TableShape> = {};
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    const columns: Record<string, ColumnShape> = {};
    for (const column of config.columns) {
      columns[column.name] = {
        type: column.getSQLType(),
        notNull: column.notNull,
        // An identity column has no default expression in Postgres but is filled like one; a stored
        // generated column keeps its expression where defaults are kept.
        hasDefault: column.hasDefault || Boolean(column.generatedIdentity) || Boolean(column.generated),
      };
    }
    const primaryKey = [
      ...config.columns.filter((c) => c.primary).map((c) => c.name),
      ...config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)),
    ];
    tables[`${config.schema ?? 'public'}.${config.name}`] = { columns, primaryKey: primaryKey.sort() };
  }
  return tables;
}

async function databaseTables(): Promise<Record<string, TableShape>> {
  const columns = await sql<{ table: string; column: string; type: string; not_null: boolean; has_default: boolean }[]>`
    SELECT n.nspname || '.' || c.relname AS table, a.attname AS column,
           format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
           (a.atthasdef OR a.attidentity <> '') AS has_default
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
       AND n.nspname IN ('public', 'catalog') AND c.relname <> 'schema_migrations'`;
  const keys = await sql<{ table: string; column: string }[]>`
    SELECT n.nspname || '.' || c.relname AS table, a.attname AS column
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
     WHERE i.indisprimary AND n.nspname IN ('public', 'catalog')`;
  const tables: Record<string, TableShape> = {};
  for (const row of columns) {
    tables[row.table] ??= { columns: {}, primaryKey: [] };
    const table = tables[row.table];
    table.columns[row.column] = { type: row.type, notNull: row.not_null, hasDefault: row.has_default };
  }
  for (const row of keys) tables[row.table]?.primaryKey.push(row.column);
  for (const table of Object.values(tables)) table.primaryKey.sort();
  return tables;
}

it('drizzle schema matches the migrated database: tables, columns, types, nullability, defaults, keys', async () => {
  const expected = drizzleTables();
  expect(Object.keys(expected).length).toBeGreaterThan(5);
  expect(await databaseTables()).toEqual(expected);
});
