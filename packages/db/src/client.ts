import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;
/** A transaction handle, accepted wherever a Db is. Callers open transactions; queries never do. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];
export type Sql = postgres.Sql;

export interface DbHandle {
  db: Db;
  sql: Sql;
  close: () => Promise<void>;
}

export interface CreateDbOptions {
  max?: number;
  applicationName?: string;
}

/** One pool per process; whoever calls this owns the pool and closes it on shutdown. */
export function createDb(url: string, options: CreateDbOptions = {}): DbHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'licensing' },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
