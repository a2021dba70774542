// What the product does for the statistics of what it bulk-loads (issue 27), against the real
// Postgres: a bulk load noted is vacuumed and analysed once the writes pause (statistics gathered,
// visibility map set), a trickle is left to autovacuum, and the start-up check says when autovacuum
// is off for the server or for a table.
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import {
  analysisDue,
  checkAutovacuum,
  maintenanceStatement,
  TableMaintenance,
  vacuumDue,
} from '../src/table-maintenance.ts';
import { scratchDatabase } from './support/scratch-database.ts';

let sql: postgres.Sql;
scratchDatabase('maintenance', { template: true, max: 3 }, (connected) => (sql = connected));

const logged = () => {
  const lines: { level: 'info' | 'warn'; obj: object; msg: string }[] = [];
  return {
    lines,
    log: {
      info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
      warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
    },
  };
};

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('analysisDue', () => {
  it('wants 10 % of the table changed, and at least 1,000 rows', () => {
    expect(analysisDue(999, -1)).toBe(false);
    expect(analysisDue(1000, -1)).toBe(true);
    expect(analysisDue(1000, 5000)).toBe(true);
    expect(analysisDue(19_999, 200_000)).toBe(false);
    expect(analysisDue(20_050, 200_000)).toBe(true);
  });
});

describe('maintenanceStatement', () => {
  it('vacuums users and licenses with every analysis, and job items only for their dead rows', () => {
    expect(vacuumDue(19_999, 100_000)).toBe(false);
    expect(vacuumDue(20_050, 100_000)).toBe(true);
    expect(maintenanceStatement('users', { changedRows: 3000, deadRows: 0, tableRows: 3000 })).toBe(
      'VACUUM (ANALYZE, SKIP_LOCKED, TRUNCATE false) users',
    );
    expect(maintenanceStatement('user_licenses', { changedRows: 500, deadRows: 500, tableRows: 3000 })).toBeUndefined();
    expect(
      maintenanceStatement('license_job_items', { changedRows: 20_000, deadRows: 10_000, tableRows: 100_000 }),
    ).toBe('ANALYZE (SKIP_LOCKED) license_job_items (customer_id, user_id, job_seq, job_id, position, status)');
    expect(
      maintenanceStatement('license_job_items', { changedRows: 20_000, deadRows: 30_000, tableRows: 100_000 }),
    ).toBe(
      'VACUUM (ANALYZE, SKIP_LOCKED, TRUNCATE false) license_job_items (customer_id, user_id, job_seq, job_id, position, status)',
    );
    expect(maintenanceStatement('group_license_states', { changedRows: 5000, deadRows: 0, tableRows: 0 })).toBe(
      'ANALYZE (SKIP_LOCKED) group_license_states (customer_id, user_id, group_id, product_id, state, waiting_for)',
    );
    expect(maintenanceStatement('license_job_items', { changedRows: 500, deadRows: 30_000, tableRows: 100_000 })).toBe(
      'VACUUM (SKIP_LOCKED, TRUNCATE false) license_job_items',
    );
  });
});

describe('TableMaintenance', () => {
  it('vacuums and analyses a table once a bulk load noted on it pauses', async () => {
    const [partner] = await sql`INSERT INTO partners (name) VALUES ('Bulk') RETURNING id`;
    const [customer] =
      await sql`INSERT INTO customers (partner_id, name, country) VALUES (${partner!.id}, 'Bulk', 'US') RETURNING id`;
    await sql`INSERT INTO users (customer_id, user_principal_name, display_name)
      SELECT ${customer!.id}, 'u' || g || '@bulk.example', 'User ' || g FROM generate_series(1, 3000) g`;
    const { lines, log } = logged();
    const maintenance = new TableMaintenance(sql, { log, quietMs: 50 });
    try {
      maintenance.noteWrites('users', 3000);
      const stats = await until(
        async () =>
          (
            await sql<{ analysed: boolean; vacuumed: boolean; reltuples: number; allVisible: number }[]>`
            SELECT s.last_analyze IS NOT NULL AS analysed, s.last_vacuum IS NOT NULL AS vacuumed,
                   c.reltuples::int AS reltuples, c.relallvisible AS "allVisible"
            FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = 'users'`
          )[0]!,
        (s) => s.analysed && s.vacuumed,
      );
      expect(stats).toMatchObject({ analysed: true, vacuumed: true, reltuples: 3000 });
      // The visibility map is set: index-only scans need not visit the table.
      expect(stats.allVisible).toBeGreaterThan(0);
      await until(
        async () => lines.length,
        (n) => n > 0,
      );
      expect(lines).toEqual([expect.objectContaining({ level: 'info', msg: 'table maintained after a bulk load' })]);
      expect(lines[0]!.obj).toMatchObject({ table: 'users', changedRows: 3000 });
    } finally {
      await maintenance.close();
    }
  });

  it('analyses job items by the columns they are looked up by, without vacuuming them', async () => {
    const customerId = randomUUID();
    await sql`INSERT INTO license_job_items (customer_id, job_id, user_id, job_seq, position, user_principal_name, display_name)
      SELECT ${customerId}, ${randomUUID()}, gen_random_uuid(), g, g, 'u' || g || '@items.example', 'User ' || g
      FROM generate_series(1, 3000) g`;
    const { lines, log } = logged();
    const maintenance = new TableMaintenance(sql, { log, quietMs: 50 });
    try {
      maintenance.noteWrites('license_job_items', 3000);
      const stats = await until(
        async () =>
          (
            await sql<{ analysed: boolean; vacuumed: boolean }[]>`
            SELECT s.last_analyze IS NOT NULL AS analysed, s.last_vacuum IS NOT NULL AS vacuumed
            FROM pg_stat_user_tables s WHERE s.relname = 'license_job_items'`
          )[0]!,
        (s) => s.analysed,
      );
      expect(stats).toEqual({ analysed: true, vacuumed: false });
      const columns = await sql<{ attname: string }[]>`
        SELECT attname FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'license_job_items' ORDER BY attname`;
      expect(columns.map((c) => c.attname)).toEqual([
        'customer_id',
        'job_id',
        'job_seq',
        'position',
        'status',
        'user_id',
      ]);
      await until(
        async () => lines.length,
        (n) => n > 0,
      );
      expect(lines[0]!.obj).toMatchObject({ table: 'license_job_items', changedRows: 3000 });
      // Postgres still counts the 3,000 rows as modified since an analysis of every column; the next
      // few rows are not a bulk load, and nothing is analysed again.
      const writer = await sql.reserve();
      try {
        await writer`INSERT INTO license_job_items (customer_id, job_id, user_id, job_seq, position, user_principal_name, display_name)
          SELECT ${customerId}, ${randomUUID()}, gen_random_uuid(), g, g, 'v' || g || '@items.example', 'User ' || g
          FROM generate_series(3001, 3100) g`;
        await writer`SELECT pg_stat_force_next_flush()`;
        await writer`SELECT 1`;
      } finally {
        writer.release();
      }
      const counted = await until(
        async () =>
          (
            await sql<{ modified: number }[]>`
            SELECT n_mod_since_analyze::int AS modified FROM pg_stat_user_tables WHERE relname = 'license_job_items'`
          )[0]!.modified,
        (n) => n >= 3100,
      );
      expect(counted).toBeGreaterThanOrEqual(3100);
      maintenance.noteWrites('license_job_items', 100);
      await new Promise((r) => setTimeout(r, 1000));
      const [after] = await sql<{ analyses: number }[]>`
        SELECT analyze_count::int AS analyses FROM pg_stat_user_tables WHERE relname = 'license_job_items'`;
      expect(after!.analyses).toBe(1);
      expect(lines).toHaveLength(1);
    } finally {
      await maintenance.close();
    }
  });

  it("merges the users' search index's pending list right after a bulk write, and after a trickle once it pauses", async () => {
    // pgstattuple reads how many rows' entries wait in a GIN index's pending list.
    await sql`CREATE EXTENSION IF NOT EXISTS pgstattuple`;
    const pending = async () =>
      (await sql<{ tuples: number }[]>`SELECT pending_tuples::int AS tuples FROM pgstatginindex('users_search')`)[0]!
        .tuples;
    const [limit] = await sql<{ options: string[] }[]>`
      SELECT reloptions AS options FROM pg_class WHERE oid = 'users_search'::regclass`;
    expect(limit!.options).toContain('gin_pending_list_limit=32768');
    const [partner] = await sql`INSERT INTO partners (name) VALUES ('Pending') RETURNING id`;
    const [customer] =
      await sql`INSERT INTO customers (partner_id, name, country) VALUES (${partner!.id}, 'Pending', 'US') RETURNING id`;
    await sql`SELECT gin_clean_pending_list('users_search'::regclass)`;
    const { lines, log } = logged();
    // Not looked at for a minute: what merges the list is not the vacuum that follows a bulk load.
    const slow = new TableMaintenance(sql, { log, quietMs: 60_000, maxDelayMs: 60_000 });
    try {
      await sql`INSERT INTO users (customer_id, user_principal_name, display_name)
        SELECT ${customer!.id}, 'p' || g || '@pending.example', 'Pending ' || g FROM generate_series(1, 2000) g`;
      // 2,000 users' entries stay pending (a 4 MB list would have been merged by the insert itself).
      expect(await pending()).toBe(2000);
      slow.noteWrites('users', 2000);
      expect(await until(pending, (n) => n === 0)).toBe(0);
    } finally {
      await slow.close();
    }
    const quick = new TableMaintenance(sql, { log, quietMs: 50 });
    try {
      await sql`INSERT INTO users (customer_id, user_principal_name, display_name)
        SELECT ${customer!.id}, 'q' || g || '@pending.example', 'Pending ' || g FROM generate_series(1, 10) g`;
      expect(await pending()).toBe(10);
      quick.noteWrites('users', 10);
      expect(await until(pending, (n) => n === 0)).toBe(0);
    } finally {
      await quick.close();
    }
    // Searches find the users whose entries were merged.
    const [found] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM users WHERE search_text LIKE '%@pending.example%'`;
    expect(found!.n).toBe(2010);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it("vacuums a table's kept counts once the folds left enough dead rows", async () => {
    const [partner] = await sql`INSERT INTO partners (name) VALUES ('Folds') RETURNING id`;
    const [customer] =
      await sql`INSERT INTO customers (partner_id, name, country) VALUES (${partner!.id}, 'Folds', 'US') RETURNING id`;
    const users = await sql`INSERT INTO users (customer_id, user_principal_name, display_name)
      SELECT ${customer!.id}, 'f' || g || '@folds.example', 'User ' || g FROM generate_series(1, 1300) g RETURNING id`;
    // One license a statement, as a trickle of small batches writes them: a delta row each, folded
    // every 64, each fold leaving its rows dead.
    for (const u of users)
      await sql`INSERT INTO user_licenses (customer_id, user_id, product_id) VALUES (${customer!.id}, ${u.id}, 'FOLD')`;
    const deltas = () =>
      sql<{ dead: number; vacuumed: boolean; rows: number }[]>`
        SELECT s.n_dead_tup::int AS dead, s.last_vacuum IS NOT NULL AS vacuumed,
               (SELECT count(*)::int FROM license_holder_deltas) AS rows
        FROM pg_stat_user_tables s WHERE s.relname = 'license_holder_deltas'`.then((r) => r[0]!);
    // Postgres's count of dead rows arrives within its statistics' flush interval.
    expect((await until(deltas, (d) => d.dead >= 1000)).dead).toBeGreaterThanOrEqual(1000);
    const { lines, log } = logged();
    const maintenance = new TableMaintenance(sql, { log, quietMs: 50 });
    try {
      maintenance.noteWrites('user_licenses', 1300);
      const after = await until(deltas, (d) => d.vacuumed);
      expect(after.vacuumed).toBe(true);
      expect(after.rows).toBeLessThanOrEqual(65);
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'info',
          msg: 'kept counts vacuumed',
          obj: expect.objectContaining({ table: 'license_holder_deltas' }),
        }),
      );
    } finally {
      await maintenance.close();
    }
    const [kept] = await sql`
      SELECT sum(holders)::int AS n FROM license_holder_deltas WHERE customer_id = ${customer!.id} AND product_id = 'FOLD'`;
    expect(kept!.n).toBe(1300);
  });

  it('stops on close, and notes nothing after it', async () => {
    const { lines, log } = logged();
    const maintenance = new TableMaintenance(sql, { log, quietMs: 60_000 });
    maintenance.noteWrites('license_job_items', 50_000);
    await maintenance.close();
    maintenance.noteWrites('license_job_items', 50_000);
    await maintenance.close();
    expect(lines).toEqual([]);
  });
});

describe('checkAutovacuum', () => {
  it('warns when autovacuum is off for the server or for a table', async () => {
    const [setting] = await sql<{ autovacuum: string }[]>`SELECT current_setting('autovacuum') AS autovacuum`;
    await sql`ALTER TABLE webhooks SET (autovacuum_enabled = false)`;
    try {
      const { lines, log } = logged();
      await checkAutovacuum(sql, log);
      const serverWide = lines.filter((l) => l.msg.includes('autovacuum is off'));
      expect(serverWide.length).toBe(setting!.autovacuum === 'off' ? 1 : 0);
      expect(lines.filter((l) => l.msg.includes('disabled for some tables'))).toEqual([
        expect.objectContaining({ level: 'warn', obj: { tables: ['webhooks'] } }),
      ]);
    } finally {
      await sql`ALTER TABLE webhooks RESET (autovacuum_enabled)`;
    }
    const { lines, log } = logged();
    await checkAutovacuum(sql, log);
    expect(lines.filter((l) => l.msg.includes('disabled for some tables'))).toEqual([]);
  });
});
