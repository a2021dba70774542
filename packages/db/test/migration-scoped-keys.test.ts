// Migration 0014 (scoped API keys) on a database that holds keys and webhook deliveries: every key
// that exists keeps working as it did (operator-issued, every scope, every customer, no expiry), and
// every delivery of a job names the job's customer.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { migrate } from '../src/migrate.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
const MIGRATION = '0014_scoped_api_keys.sql';

const name = `licensing_migration_${randomUUID().replaceAll('-', '')}`;
const server = inject('pgServerUrl');
const url = new URL(server);
url.pathname = `/${name}`;
let sql: postgres.Sql;

const partner = '00000000-0000-4000-8000-000000000001';
const customer = '0000000a-0000-4000-8000-000000000000';
const [live, revoked] = ['1', '2'].map((k) => `00000000-0000-4000-8000-00000000030${k}`) as [string, string];
const job = '00000000-0000-4000-8000-000000000201';

beforeAll(async () => {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await sql`CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql') && f < MIGRATION).sort();
  for (const file of files) {
    await sql.begin(async (tx) => {
      await tx.unsafe(await readFile(path.join(MIGRATIONS_DIR, file), 'utf8'));
      await tx`INSERT INTO schema_migrations (name) VALUES (${file})`;
    });
  }
  await sql.unsafe(`
    INSERT INTO partners (id, name) VALUES ('${partner}', 'Contoso');
    INSERT INTO partner_api_keys (id, partner_id, prefix, hash, revoked_at) VALUES
      ('${live}', '${partner}', 'lsk_aaaaaa', '\\x01', NULL), ('${revoked}', '${partner}', 'lsk_bbbbbb', '\\x02', now());
    INSERT INTO customers (id, partner_id, name, country) VALUES ('${customer}', '${partner}', 'Alpha', 'US');
    INSERT INTO license_jobs (id, partner_id, customer_id, status, assign, revoke, user_count, finished_at) VALUES
      ('${job}', '${partner}', '${customer}', 'completed', '[]', '["SUITE"]', 1, now());
    INSERT INTO webhook_deliveries (partner_id, type, job_id, payload) VALUES
      ('${partner}', 'license_job.finished', '${job}', '{}'), ('${partner}', 'ping', NULL, '{}');
  `);
  expect((await migrate(url.toString()))[0]).toBe(MIGRATION);
});

afterAll(async () => {
  await sql?.end();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

it('keeps every existing key as it worked: operator-issued, every scope, every customer, no expiry', async () => {
  expect(
    await sql`SELECT id, name, issued_by, scopes, customer_ids, expires_at, revoked_at IS NOT NULL AS revoked
              FROM partner_api_keys ORDER BY id`,
  ).toEqual([
    {
      id: live,
      name: 'Operator-issued key',
      issued_by: 'operator',
      scopes: ['*'],
      customer_ids: null,
      expires_at: null,
      revoked: false,
    },
    {
      id: revoked,
      name: 'Operator-issued key',
      issued_by: 'operator',
      scopes: ['*'],
      customer_ids: null,
      expires_at: null,
      revoked: true,
    },
  ]);
});

it("names the job's customer on its deliveries, none on partner-wide ones", async () => {
  expect(await sql`SELECT type, customer_id FROM webhook_deliveries ORDER BY type`).toEqual([
    { type: 'license_job.finished', customer_id: customer },
    { type: 'ping', customer_id: null },
  ]);
});

it('knows only operator-issued and partner-issued keys', async () => {
  await expect(
    sql`INSERT INTO partner_api_keys (partner_id, prefix, hash, name, issued_by, scopes) VALUES (${partner}, 'lsk_c', '\\x03', 'x', 'someone', '{read}')`,
  ).rejects.toMatchObject({ code: '23514' });
});
