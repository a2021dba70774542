// The planner's statistics and the visibility map of the tables the product bulk-loads, kept up to
// date by the product itself right after it loads them.
//
// Postgres plans a query from statistics that ANALYZE gathers, and an index-only scan (a count of
// a customer's users, a deep page of the user list) skips the table only where VACUUM has marked
// pages all-visible. Autovacuum does both, some time after the writes, if it is on at all: a
// 200,000-user import followed at once by a filtered list was planned for 843 users and took 98 s.
// So after a bulk load (a user import, a large job accepted or applied) the process that wrote the
// rows looks at the table once the writes pause, and when as many rows changed since the last
// analysis as autovacuum would wait for (10 % of the table, and at least 1,000) it analyses the table,
// and vacuums it where index-only scans rely on the visibility map (users, user_licenses) or where
// dead rows reach autovacuum's share (20 %). The queries are shaped not to need fresh statistics
// either; this keeps their index-only scans index-only, and every other statement's plans sound.
//
// What it costs is paid by every job: job items are written twice per user (accepted, applied),
// and analysing all of their columns (the names, collated with ICU, and the changes as JSON) took
// 0.5–1 s of Postgres time per 10,000-user job, five times what applying the job costs. Only the
// columns the product's statements look items up by are analysed.
import type { Sql } from './client.ts';

/** The tables the product loads in bulk. */
export type MaintainedTable = 'users' | 'user_licenses' | 'license_job_items' | 'group_license_states';

export interface TableMaintenanceOptions {
  /** A table is looked at once no rows were noted for it for this long (default 1 s)... */
  quietMs?: number;
  /** ...or this long after the first rows noted, under a steady stream of writes (default 30 s). */
  maxDelayMs?: number;
  log: {
    info: (obj: object, msg: string) => void;
    warn: (obj: object, msg: string) => void;
  };
}

interface TableState {
  /** Rows this process wrote since its last look at the table. */
  rows: number;
  firstNotedAt: number;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  /** The merge of the table's pending list in progress, and whether writes came after it began. */
  merging?: Promise<void>;
  mergeAgain?: boolean;
}

/** Fewer changed rows than this are not a bulk load: autovacuum, when on, sees to them. */
const BULK_ROWS = 1000;

/**
 * The GIN indexes whose pending list (new entries kept unsorted until merged into the index) the
 * product merges itself, by table. Migration 0021 lets the users' search index keep up to 32 MB
 * there, so that an insert of 10,000 users appends its trigrams instead of merging them into the
 * index within the request; this process merges them right after the writes are committed (a
 * search reads the pending list in full, and autovacuum, which would merge it too, may be off).
 */
const PENDING_LISTS: Partial<Record<MaintainedTable, string>> = { users: 'users_search' };
/**
 * The kept counts of each table's rows (migrations 0022 and 0023), by table: every statement that
 * writes the table adds a delta row and now and then folds them, so their dead rows grow with the
 * table's writes. Without autovacuum nothing else would vacuum them; they are vacuumed (a small
 * table: milliseconds) whenever the table is looked at and their dead rows are due.
 */
const KEPT_COUNTS: Partial<Record<MaintainedTable, string>> = {
  users: 'customer_user_deltas',
  user_licenses: 'license_holder_deltas',
};
/** Writes of at least this many rows have their pending list merged at once; fewer, once the writes pause. */
const PENDING_ROWS = 100;

/**
 * Due once 10 % of the table's rows changed since its last analysis (as autovacuum's defaults
 * have it), and at least BULK_ROWS; `tableRows` is -1 for a table never analysed.
 */
export function analysisDue(changedRows: number, tableRows: number): boolean {
  return changedRows >= Math.max(BULK_ROWS, 50 + 0.1 * Math.max(tableRows, 0));
}

/** Due once dead rows reach 20 % of the table (autovacuum's default), and at least BULK_ROWS. */
export function vacuumDue(deadRows: number, tableRows: number): boolean {
  return deadRows >= Math.max(BULK_ROWS, 50 + 0.2 * Math.max(tableRows, 0));
}

/**
 * How each table is kept: the columns analysed (all when unset), and whether every analysis comes
 * with a vacuum (for the visibility map that index-only scans need: a count of a customer's users,
 * a deep page, the license filters' totals).
 */
const PLANS: Record<MaintainedTable, { columns?: readonly string[]; vacuumWithAnalysis: boolean }> = {
  users: { vacuumWithAnalysis: true },
  user_licenses: { vacuumWithAnalysis: true },
  // Looked up by key (customer, user, job_seq), by job and position, and by status: never by name or
  // by what changed, and never counted by an index-only scan.
  // Rewritten for every member a group's change reaches; found by key and by group and state. Without
  // statistics, an index led by the group looked as good as the key for one member's rows.
  group_license_states: {
    columns: ['customer_id', 'user_id', 'group_id', 'product_id', 'state', 'waiting_for'],
    vacuumWithAnalysis: false,
  },
  license_job_items: {
    columns: ['customer_id', 'user_id', 'job_seq', 'job_id', 'position', 'status'],
    vacuumWithAnalysis: false,
  },
};

/** The maintenance statement due for a table, if any. */
export function maintenanceStatement(
  table: MaintainedTable,
  stats: { changedRows: number; deadRows: number; tableRows: number },
): string | undefined {
  const plan = PLANS[table];
  const analyse = analysisDue(stats.changedRows, stats.tableRows);
  const vacuum = (analyse && plan.vacuumWithAnalysis) || vacuumDue(stats.deadRows, stats.tableRows);
  if (!analyse && !vacuum) return undefined;
  // SKIP_LOCKED: another process maintaining the table at the moment is as good. TRUNCATE false:
  // giving back the empty pages at the table's end takes a lock that stops every reader and writer of
  // the table (a revoke of every license leaves it empty); autovacuum, where it runs, gives them back.
  const columns = analyse && plan.columns ? ` (${plan.columns.join(', ')})` : '';
  if (!vacuum) return `ANALYZE (SKIP_LOCKED) ${table}${columns}`;
  return `VACUUM (${analyse ? 'ANALYZE, ' : ''}SKIP_LOCKED, TRUNCATE false) ${table}${columns}`;
}

export class TableMaintenance {
  private readonly tables = new Map<MaintainedTable, TableState>();
  /** Rows this process noted per table since it last analysed it. */
  private readonly notedSinceAnalysis = new Map<MaintainedTable, number>();
  private closed = false;
  private readonly quietMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly sql: Sql,
    private readonly options: TableMaintenanceOptions,
  ) {
    this.quietMs = options.quietMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
  }

  /** `rows` rows of `table` were inserted, updated or deleted (committed) by this process. */
  noteWrites(table: MaintainedTable, rows: number): void {
    if (this.closed || rows <= 0) return;
    let state = this.tables.get(table);
    if (!state) {
      state = { rows: 0, firstNotedAt: Date.now() };
      this.tables.set(table, state);
    }
    if (state.rows === 0) state.firstNotedAt = Date.now();
    state.rows += rows;
    this.schedule(table, state);
    if (rows >= PENDING_ROWS) this.mergePendingList(table, state);
  }

  /**
   * Merges the pending list of the table's search index (if it has one), after the answer and on a
   * connection of its own: one merge at a time per table, and one more if writes came meanwhile.
   */
  private mergePendingList(table: MaintainedTable, state: TableState): void {
    const index = PENDING_LISTS[table];
    if (!index || this.closed) return;
    if (state.merging) {
      state.mergeAgain = true;
      return;
    }
    state.mergeAgain = false;
    state.merging = (async () => {
      try {
        await this.sql`SELECT gin_clean_pending_list(to_regclass(${index}))`;
      } catch (err) {
        if (!this.closed) this.options.log.warn({ err, table, index }, "merging a search index's pending list failed");
      }
    })().finally(() => {
      state.merging = undefined;
      if (state.mergeAgain) this.mergePendingList(table, state);
    });
  }

  private schedule(table: MaintainedTable, state: TableState): void {
    if (state.timer) clearTimeout(state.timer);
    const delay = Math.max(0, Math.min(this.quietMs, state.firstNotedAt + this.maxDelayMs - Date.now()));
    state.timer = setTimeout(() => {
      state.timer = undefined;
      // One look at a time per table; writes noted meanwhile are looked at after it.
      if (state.running) return;
      const rows = state.rows;
      state.rows = 0;
      state.running = this.maintain(table, rows).finally(() => {
        state.running = undefined;
        if (state.rows > 0 && !this.closed) this.schedule(table, state);
      });
    }, delay);
    state.timer.unref();
  }

  /**
   * Analyses the table if enough of it changed (the rows this process noted, or what Postgres counted,
   * other processes' writes too, if more), and vacuums it as its plan says (see maintenanceStatement).
   */
  private async maintain(table: MaintainedTable, notedRows: number): Promise<void> {
    // What writes of fewer rows at a time left in the search index's pending list is merged now.
    this.mergePendingList(table, this.tables.get(table)!);
    await this.maintainTable(table, notedRows);
    const counts = KEPT_COUNTS[table];
    if (counts) await this.vacuumIfDue(counts);
  }

  private async maintainTable(table: MaintainedTable, notedRows: number): Promise<void> {
    try {
      const row = await this.statsOf(table);
      if (!row) return;
      // Postgres counts the rows modified since the last analysis of every column: an analysis of some
      // columns leaves its count growing. For such tables the rows this process noted since its own
      // last analysis are what changed.
      const columns = PLANS[table].columns;
      const noted = (this.notedSinceAnalysis.get(table) ?? 0) + notedRows;
      this.notedSinceAnalysis.set(table, noted);
      const changed = columns ? noted : Math.max(noted, row.modified ?? 0);
      const statement = maintenanceStatement(table, {
        changedRows: changed,
        deadRows: row.dead ?? 0,
        tableRows: row.reltuples,
      });
      if (!statement) return;
      const started = performance.now();
      await this.sql.unsafe(statement);
      if (statement.includes('ANALYZE')) this.notedSinceAnalysis.delete(table);
      this.options.log.info(
        { table, changedRows: changed, statement, ms: Math.round(performance.now() - started) },
        'table maintained after a bulk load',
      );
    } catch (err) {
      if (!this.closed) this.options.log.warn({ err, table }, 'vacuum and analyse after a bulk load failed');
    }
  }

  /** The table's size as last analysed, and Postgres's counts of its modified and dead rows. */
  private async statsOf(
    table: string,
  ): Promise<{ reltuples: number; modified: number | null; dead: number | null } | undefined> {
    const [row] = await this.sql<{ reltuples: number; modified: number | null; dead: number | null }[]>`
      SELECT c.reltuples::float8 AS reltuples, s.n_mod_since_analyze::float8 AS modified,
             s.n_dead_tup::float8 AS dead
      FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE c.oid = to_regclass(${table})`;
    return row;
  }

  /** Vacuums a table of kept counts once its dead rows are due (see KEPT_COUNTS). */
  private async vacuumIfDue(table: string): Promise<void> {
    try {
      const row = await this.statsOf(table);
      if (!row || !vacuumDue(row.dead ?? 0, row.reltuples)) return;
      const started = performance.now();
      await this.sql.unsafe(`VACUUM (SKIP_LOCKED) ${table}`);
      this.options.log.info(
        { table, deadRows: row.dead, ms: Math.round(performance.now() - started) },
        'kept counts vacuumed',
      );
    } catch (err) {
      if (!this.closed) this.options.log.warn({ err, table }, 'vacuuming kept counts failed');
    }
  }

  /** Stops looking at tables; waits for a VACUUM or a merge in progress. */
  async close(): Promise<void> {
    this.closed = true;
    const running: Promise<void>[] = [];
    for (const state of this.tables.values()) {
      if (state.timer) clearTimeout(state.timer);
      if (state.running) running.push(state.running);
      if (state.merging) running.push(state.merging);
    }
    await Promise.all(running);
  }
}

/**
 * Warns when autovacuum is off (server-wide, or for one of the tables): the tables the product
 * bulk-loads are kept by TableMaintenance, but the statistics of every other table then age and
 * their dead rows pile up.
 */
export async function checkAutovacuum(sql: Sql, log: { warn: (obj: object, msg: string) => void }): Promise<void> {
  try {
    const [row] = await sql<{ autovacuum: string; track_counts: string; tables: string[] }[]>`
      SELECT current_setting('autovacuum') AS autovacuum, current_setting('track_counts') AS track_counts,
             array(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = current_schema() AND c.relkind = 'r'
                     AND 'autovacuum_enabled=false' = ANY (coalesce(c.reloptions, '{}'))) AS tables`;
    if (!row) return;
    if (row.autovacuum !== 'on' || row.track_counts !== 'on')
      log.warn(
        { autovacuum: row.autovacuum, trackCounts: row.track_counts },
        'WARNING: Postgres autovacuum is off: tables keep stale planner statistics and dead rows; the product ' +
          'vacuums and analyses only what it bulk-loads (users, user_licenses, license_job_items)',
      );
    if (row.tables.length > 0)
      log.warn({ tables: row.tables }, 'WARNING: autovacuum is disabled for some tables (autovacuum_enabled=false)');
  } catch {
    // The settings cannot be read (a restricted role or a pooler): nothing to say.
  }
}
