// Migration 0012 re-keys user principal names with their confusable skeleton. A database that
// already holds look-alikes (created before it) migrates without losing or renaming anyone: the
// older user keeps the name's key, later look-alikes keep a key of their own (flagged), and no new
// look-alike of any of them can be created.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { migrate } from '../src/migrate.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
const name = `licensing_upn_${randomUUID().replaceAll('-', '')}`;
const server = inject('pgServerUrl');
const url = new URL(server);
url.pathname = `/${name}`;
let sql: postgres.Sql;

beforeAll(async () => {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

it('keeps look-alikes created before it, each with a key of its own, and refuses new ones', async () => {
  // The schema as it was before 0012, applied the way migrate() does.
  await sql`CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  expect(files).toContain('0012_user_principal_name_look_alikes.sql');
  for (const file of files.filter((f) => f < '0012')) {
    await sql.unsafe(await readFile(path.join(MIGRATIONS_DIR, file), 'utf8'));
    await sql`INSERT INTO schema_migrations (name) VALUES (${file})`;
  }
  const [partner] = await sql`INSERT INTO partners (name) VALUES ('P') RETURNING id`;
  const customers = [];
  for (const c of ['A', 'B'])
    customers.push(
      (
        await sql`INSERT INTO customers (partner_id, name, country) VALUES (${partner!.id}, ${c}, 'US') RETURNING id`
      )[0]!.id as string,
    );
  const [a, b] = customers as [string, string];
  const insert = (customer: string, upn: string, at: string) =>
    sql`INSERT INTO users (customer_id, user_principal_name, display_name, created_at)
        VALUES (${customer}, ${upn}, ${upn}, ${at}) RETURNING id`;
  const adam = (await insert(a, 'adam@x.example', '2024-01-01'))[0]!.id;
  const cyrillic = (await insert(a, '\u0430dam@x.example', '2024-01-02'))[0]!.id; // Cyrillic а
  const greek = (await insert(a, '\u0430d\u03b1m@x.example', '2024-01-03'))[0]!.id; // and Greek α
  const elsewhere = (await insert(b, '\u0430dam@x.example', '2024-01-04'))[0]!.id; // another customer

  expect(await migrate(url.toString())).toContain('0012_user_principal_name_look_alikes.sql');

  const rows = await sql<{ id: string; upn_key: string; look_alike_kept: boolean }[]>`
    SELECT id, upn_key, look_alike_kept FROM users ORDER BY created_at`;
  expect(rows).toEqual([
    { id: adam, upn_key: 'adam@x.example', look_alike_kept: false },
    { id: cyrillic, upn_key: `adam@x.example ${cyrillic}`, look_alike_kept: true },
    { id: greek, upn_key: `adam@x.example ${greek}`, look_alike_kept: true },
    { id: elsewhere, upn_key: 'adam@x.example', look_alike_kept: false },
  ]);
  // No new look-alike of them, in either script or case; other names as before.
  for (const upn of ['ADAM@x.example', '\u0430d\u0430m@x.example', '\u0410DAM@X.EXAMPLE'])
    await expect(insert(a, upn, '2025-01-01')).rejects.toMatchObject({ code: '23505' });
  await insert(a, 'eve@x.example', '2025-01-01');
});
