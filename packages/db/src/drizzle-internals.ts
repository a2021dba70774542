import type { Sql, TransactionSql } from 'postgres';
import type { DbOrTx } from './client.ts';

/**
 * The postgres.js client under a drizzle database or transaction handle: the pool's `sql` for a
 * Db, the transaction's reserved connection for a tx. drizzle keeps it in the private `_.session`;
 * we need it because drizzle's postgres.js adapter runs `db.execute` through `client.unsafe(text,
 * params)` with no options, which postgres.js treats as `prepare: false`, and it offers no way to
 * ask for a prepared statement there (drizzle-team/drizzle-orm#6096; `.prepare(name)` exists only
 * for query-builder queries). `db.$client` is public but missing on transaction handles.
 * Checked by test/db-statements.test.ts: if a drizzle upgrade moves it, this throws and that fails.
 */
export function postgresClientOf(db: DbOrTx): Sql | TransactionSql {
  const client = (db as unknown as { _?: { session?: { client?: Sql | TransactionSql } } })._?.session?.client;
  if (typeof client?.unsafe !== 'function')
    throw new Error('drizzle no longer keeps its postgres.js client at db._.session.client; see drizzle-internals.ts');
  return client;
}
