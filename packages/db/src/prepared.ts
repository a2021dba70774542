import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from './client.ts';
import { postgresClientOf } from './drizzle-internals.ts';

const dialect = new PgDialect();

/**
 * Runs a statement as a named prepared statement of its connection (postgres.js keeps one per
 * distinct text and connection): Postgres parses it once per connection, and plans it once when a
 * generic plan is as good, instead of every time as drizzle's `execute` does, which saves CPU in
 * Postgres and in the worker. For the statements run for every batch of users, whose text never
 * varies. Not for text built from a variable number of parts, which would pile up prepared
 * statements on every connection.
 */
export function executePrepared<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const client = postgresClientOf(db);
  // Unnamed when the pool was created without prepared statements (a transaction-mode pooler).
  const prepare = (client as { options?: { prepare?: boolean } }).options?.prepare !== false;
  return client.unsafe(text, params as never[], { prepare }) as unknown as Promise<T[]>;
}

/**
 * A drizzle query built once per pool and prepared (`.prepare(name)`): for the lookups every request
 * makes (the caller's API key, the customer in scope, a polled job), so that a poll does not rebuild
 * its SQL each time (drizzle's query building is a large share of a cheap request's CPU) and
 * Postgres parses it once per connection. Bound to the pool: never for use inside a transaction,
 * which is why it takes a Db, not a DbOrTx.
 */
export function preparedQuery<T>(build: (db: Db) => T): (db: Db) => T {
  const byDb = new WeakMap<Db, T>();
  return (db) => {
    let query = byDb.get(db);
    if (query === undefined) {
      query = build(db);
      byDb.set(db, query);
    }
    return query;
  };
}
