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
  /**
   * Named prepared statements (default on). Off for a transaction-mode pooler (pgbouncer before
   * 1.21 drops them between transactions): every statement is then parsed and planned each time,
   * and no startup parameter but application_name is sent (see `createDb`).
   */
  prepare?: boolean;
}

/** One pool per process; whoever calls this owns the pool and closes it on shutdown. */
export function createDb(url: string, options: CreateDbOptions = {}): DbHandle {
  const prepare = options.prepare ?? true;
  const sql = postgres(url, {
    max: options.max ?? 10,
    prepare,
    onnotice: () => {},
    // No JIT: every statement here touches a bounded number of rows by key, so compiling one costs
    // far more than it saves; yet the planner's estimates (inflated by a batch's arrays, or by
    // statistics that lag behind a burst of work) can cross jit_above_cost, and then every execution
    // pays for a compilation that takes far longer than the query itself.
    // No parallel workers either: each request or batch is one partner's, and a statement that
    // starts workers takes cores from every other partner's (with 2 cores, counting a 200,000-user
    // customer took 50-100 ms that way and 20-35 ms on one core).
    // Behind a transaction-mode pooler (prepare off) neither can be a startup parameter: pgbouncer
    // refuses the connection ("unsupported startup parameter: jit"), and a SET would stay on
    // whichever server connection ran it. There both are set on the database (docs/scaling.md).
    connection: {
      application_name: options.applicationName ?? 'licensing',
      ...(prepare ? { jit: 'off', max_parallel_workers_per_gather: '0' } : {}),
    },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * Runs a transaction again when Postgres aborted it for a deadlock (40P01) or a serialization
 * failure (40001): both mean "try again", and the transaction left nothing behind.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= attempts || (state !== '40P01' && state !== '40001')) throw error;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
    }
  }
}

/** The SQLSTATE of a Postgres error, however deeply it is wrapped (drizzle wraps in `cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
