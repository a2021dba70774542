// Migration 0010 runs at start on databases that hold data: a database at the previous level (0009)
// with jobs, items, progress, idempotency keys and rows left by a deleted customer is migrated, and
// every row it keeps has its customer, every key is led by it, and the seat record still reads.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { migrate } from '../src/migrate.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
const MIGRATION = '0010_keys_led_by_customer.sql';

const name = `licensing_migration_${randomUUID().replaceAll('-', '')}`;
const server = inject('pgServerUrl');
const url = new URL(server);
url.pathname = `/${name}`;
let sql: postgres.Sql;

// Fixed ids, so the expectations below can name the rows.
const partner = '00000000-0000-4000-8000-000000000001';
const [alpha, beta, gone] = ['a', 'b', 'c'].map((c) => `0000000${c}-0000-4000-8000-000000000000`) as [
  string,
  string,
  string,
];
const [ann, bob, cat, dan] = ['1', '2', '3', '4'].map((u) => `00000000-0000-4000-8000-00000000010${u}`) as [
  string,
  string,
  string,
  string,
];
const [finished, running, betaJob, goneJob] = ['1', '2', '3', '4'].map(
  (j) => `00000000-0000-4000-8000-00000000020${j}`,
) as [string, string, string, string];

beforeAll(async () => {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  // The database as the previous version left it: every migration before this one, as migrate() applies them.
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
    INSERT INTO customers (id, partner_id, name, country) VALUES
      ('${alpha}', '${partner}', 'Alpha', 'US'), ('${beta}', '${partner}', 'Beta', 'US'), ('${gone}', '${partner}', 'Gone', 'US');
    INSERT INTO users (id, customer_id, user_principal_name, display_name) VALUES
      ('${ann}', '${alpha}', 'ann@alpha.example', 'Ann'), ('${bob}', '${alpha}', 'bob@alpha.example', 'Bob'),
      ('${cat}', '${beta}', 'cat@beta.example', 'Cat'), ('${dan}', '${gone}', 'dan@gone.example', 'Dan');
    INSERT INTO subscriptions (customer_id, product_id, quantity) VALUES ('${alpha}', 'SUITE', 5), ('${beta}', 'SUITE', 5);
    INSERT INTO reserved_seats (customer_id, product_id, reserved) VALUES ('${alpha}', 'SUITE', 0), ('${beta}', 'SUITE', 1);
    INSERT INTO user_licenses (user_id, product_id, customer_id) VALUES ('${ann}', 'SUITE', '${alpha}'), ('${bob}', 'SUITE', '${alpha}');
    INSERT INTO license_jobs (id, partner_id, customer_id, status, assign, revoke, user_count, finished_at, idempotency_key) VALUES
      ('${finished}', '${partner}', '${alpha}', 'completed', '[{"productId":"SUITE"}]', '[]', 2, now(), 'done-key'),
      ('${running}', '${partner}', '${alpha}', 'running', '[]', '["SUITE"]', 1, NULL, NULL),
      ('${betaJob}', '${partner}', '${beta}', 'queued', '[{"productId":"SUITE"}]', '[]', 1, NULL, NULL),
      ('${goneJob}', '${partner}', '${gone}', 'queued', '[]', '["SUITE"]', 1, NULL, 'gone-key');
    INSERT INTO license_job_items (job_id, user_id, job_seq, position, user_principal_name, display_name, status, reserved_products)
      SELECT j.id, x.user_id::uuid, j.seq, x.position, x.upn, x.upn, x.status, x.reserved::text[]
      FROM (VALUES ('${finished}', '${ann}', 1, 'ann', 'succeeded', '{}'), ('${finished}', '${bob}', 2, 'bob', 'succeeded', '{}'),
                   ('${running}', '${ann}', 1, 'ann', 'pending', '{}'),
                   ('${betaJob}', '${cat}', 1, 'cat', 'pending', '{SUITE}'),
                   ('${goneJob}', '${dan}', 1, 'dan', 'pending', '{}')) AS x(job_id, user_id, position, upn, status, reserved)
      JOIN license_jobs j ON j.id = x.job_id::uuid;
    INSERT INTO license_job_progress (job_id, succeeded, failed) VALUES ('${finished}', 2, 0), ('${goneJob}', 0, 0);
    INSERT INTO idempotency_keys (partner_id, key, request_hash, job_id) VALUES
      ('${partner}', 'done-key', 'h1', '${finished}'), ('${partner}', 'in-flight', 'h2', NULL), ('${partner}', 'gone-key', 'h3', '${goneJob}');
    INSERT INTO audit_events (partner_id, customer_id, type, data) VALUES ('${partner}', '${alpha}', 'customer.created', '{}');
    -- A customer deleted under the previous version: its jobs went with it, its items and progress did not.
    DELETE FROM customers WHERE id = '${gone}';
  `);
  // This migration first, then any later ones.
  expect((await migrate(url.toString()))[0]).toBe(MIGRATION);
});

afterAll(async () => {
  await sql?.end();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

it("backfills every item, progress row and idempotency key with its job's customer, and drops what has none", async () => {
  expect(await sql`SELECT job_id, user_id, customer_id FROM license_job_items ORDER BY job_id, user_id`).toEqual([
    { job_id: finished, user_id: ann, customer_id: alpha },
    { job_id: finished, user_id: bob, customer_id: alpha },
    { job_id: running, user_id: ann, customer_id: alpha },
    { job_id: betaJob, user_id: cat, customer_id: beta },
  ]);
  expect(await sql`SELECT job_id, customer_id FROM license_job_progress`).toEqual([
    { job_id: finished, customer_id: alpha },
  ]);
  // The claim without a job has no known customer; the deleted customer's key has no job any more.
  expect(await sql`SELECT key, customer_id, job_id FROM idempotency_keys`).toEqual([
    { key: 'done-key', customer_id: alpha, job_id: finished },
  ]);
});

it('leads every key with the customer, and the seat record joins items to jobs by it', async () => {
  const keys = await sql<{ table: string; definition: string }[]>`
    SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS definition FROM pg_constraint
    WHERE contype = 'p' AND conrelid::regclass::text IN
      ('users', 'user_licenses', 'license_jobs', 'license_job_items', 'idempotency_keys', 'audit_events')
    ORDER BY 1`;
  expect(keys).toEqual([
    { table: 'audit_events', definition: 'PRIMARY KEY (customer_id, id)' },
    { table: 'idempotency_keys', definition: 'PRIMARY KEY (customer_id, partner_id, key)' },
    { table: 'license_job_items', definition: 'PRIMARY KEY (customer_id, user_id, job_seq)' },
    { table: 'license_jobs', definition: 'PRIMARY KEY (customer_id, id)' },
    { table: 'user_licenses', definition: 'PRIMARY KEY (customer_id, user_id, product_id)' },
    { table: 'users', definition: 'PRIMARY KEY (customer_id, id)' },
  ]);
  expect(await sql`SELECT job_id, user_id, product_id, customer_id FROM seat_reservations`).toEqual([
    { job_id: betaJob, user_id: cat, product_id: 'SUITE', customer_id: beta },
  ]);
});

it("keeps an Idempotency-Key unique per partner, whichever customer's request claims it", async () => {
  await expect(
    sql`INSERT INTO idempotency_keys (customer_id, partner_id, key, request_hash) VALUES (${beta}, ${partner}, 'done-key', 'h4')`,
  ).rejects.toMatchObject({ code: '23505' });
});
