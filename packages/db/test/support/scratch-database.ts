import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';

/**
 * A database of the test file's own on the test server: created before its tests (empty, or a copy
 * of the migrated template), connected with `max` connections and handed to `connected`, dropped
 * after them. Returns its URL.
 */
export function scratchDatabase(
  prefix: string,
  options: { template?: boolean; max?: number },
  connected: (sql: postgres.Sql) => void,
): { url: string } {
  const name = `licensing_${prefix}_${randomUUID().replaceAll('-', '')}`;
  const server = inject('pgServerUrl');
  const url = new URL(server);
  url.pathname = `/${name}`;
  let sql: postgres.Sql | undefined;
  const admin = async (statement: string) => {
    const connection = postgres(server, { max: 1, onnotice: () => {} });
    try {
      await connection.unsafe(statement);
    } finally {
      await connection.end();
    }
  };
  beforeAll(async () => {
    await admin(
      options.template ? `CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}` : `CREATE DATABASE ${name}`,
    );
    sql = postgres(url.toString(), { max: options.max ?? 1, onnotice: () => {} });
    connected(sql);
  });
  afterAll(async () => {
    await sql?.end();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return { url: url.toString() };
}
