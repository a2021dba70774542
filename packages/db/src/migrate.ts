import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import postgres from 'postgres';
import { sqlState } from './client.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
/** Arbitrary but fixed: every process that migrates takes this advisory lock first. */
const MIGRATION_LOCK_KEY = 7_314_212_001;

/**
 * Creates the database named in `url` when it does not exist. Several services may start at
 * once: losing the race to create it is success, not an error. A database that answers is not
 * looked up in the maintenance database: a pooler may serve only the service's own database.
 */
export async function ensureDatabase(url: string): Promise<void> {
  if (await answers(url)) return;
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const sql = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
  try {
    const [existing] = await sql`SELECT 1 AS one FROM pg_database WHERE datname = ${name}`;
    if (existing) return;
    try {
      await sql.unsafe(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    } catch (error) {
      // 42P04 duplicate_database; 23505 when two CREATE DATABASE race on pg_database's unique index.
      const code = sqlState(error);
      if (code !== '42P04' && code !== '23505') throw error;
    }
  } finally {
    await sql.end();
  }
}

/**
 * Whether the database of `url` accepts a connection. Any failure (missing database, a pooler that
 * does not know it, a server that is down) sends the caller to the maintenance database, whose
 * own error then says what is wrong.
 */
async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, prepare: false, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end();
  }
}

/**
 * Applies pending migrations in file order, in one transaction under an advisory lock, so that
 * services starting together apply each migration exactly once (and a failed one leaves nothing).
 */
export async function migrate(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const applied: string[] = [];
  try {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
      await tx`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
      const done = new Set((await tx<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name));
      for (const file of files) {
        if (done.has(file)) continue;
        await tx.unsafe(await readFile(path.join(MIGRATIONS_DIR, file), 'utf8'));
        await tx`INSERT INTO schema_migrations (name) VALUES (${file})`;
        applied.push(file);
      }
    });
  } finally {
    await sql.end();
  }
  return applied;
}

/** What every service does before it serves: create the database if missing, then migrate. */
export async function prepareDatabase(url: string): Promise<string[]> {
  await ensureDatabase(url);
  return migrate(url);
}
