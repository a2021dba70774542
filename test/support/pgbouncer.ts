// A pgbouncer of a test's own, from the machine's binary (Debian's pgbouncer 1.18), in transaction
// mode on a free port of 127.0.0.1, with its ini and auth file in a temporary directory, in front of
// the test's Postgres. Stopped by pid; its output is kept for failure messages.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort } from './processes.ts';

/** The pgbouncer binary, or undefined when it is not installed (`apt-get install pgbouncer`). */
export const pgbouncerBinary: string | undefined = (() => {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/usr/local/sbin')) {
    const candidate = path.join(dir, 'pgbouncer');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
})();

export interface Pgbouncer {
  port: number;
  pid: number;
  /** The URL of `database` through the pooler, as a service's DATABASE_URL. */
  url(database: string): string;
  /** What pgbouncer logged so far. */
  output(): string;
  /** Its counters for `database` since it started (the admin console's SHOW STATS). */
  stats(database: string): Promise<{ transactions: number; queries: number }>;
  stop(): Promise<void>;
}

export interface PgbouncerOptions {
  /** The Postgres server behind it (any database of it): its host, port, user and password are used. */
  server: string;
  /** The databases it serves; others are refused, as in a deployment that pools only the service's. */
  databases: string[];
  /** Server connections per database and user: fewer than the clients' pools, so that they share them. */
  poolSize?: number;
  /** Startup parameters accepted and ignored instead of refusing the connection. */
  ignoreStartupParameters?: string[];
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

export async function startPgbouncer(options: PgbouncerOptions): Promise<Pgbouncer> {
  if (!pgbouncerBinary) throw new Error('pgbouncer is not installed');
  const server = new URL(options.server);
  const user = decodeURIComponent(server.username || 'postgres');
  const password = decodeURIComponent(server.password);
  const dir = mkdtempSync(path.join(tmpdir(), 'pgbouncer-'));
  const port = await freePort();
  const target = [
    `host=${server.hostname}`,
    `port=${server.port || '5432'}`,
    `user=${quote(user)}`,
    ...(password ? [`password=${quote(password)}`] : []),
  ].join(' ');
  writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      ...options.databases.map((name) => `${name} = ${target} dbname=${name}`),
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      // Clients are not authenticated here: the test's Postgres trusts local connections too.
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 4}`,
      'max_client_conn = 200',
      `admin_users = ${user}`,
      ...(options.ignoreStartupParameters?.length
        ? [`ignore_startup_parameters = ${options.ignoreStartupParameters.join(',')}`]
        : []),
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'userlist.txt'), `"${user}" ""\n`);
  // pgbouncer refuses to run as root: as root, it runs as the postgres user (-u), which must read its files.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  const child: ChildProcess = spawn(
    pgbouncerBinary,
    [...(asRoot ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGTERM'); // immediate shutdown, clients disconnected
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  for (let i = 0; ; i++) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`pgbouncer exited at start: ${output}`);
    }
    if (await accepts(port)) break;
    if (i >= 100) {
      await stop();
      throw new Error(`pgbouncer did not listen on ${port}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    pid: child.pid!,
    url: (database) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`,
    output: () => output,
    stats: async (database) => {
      // The admin console speaks only the simple query protocol, and has no types to fetch.
      const admin = postgres(`postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/pgbouncer`, {
        max: 1,
        fetch_types: false,
        onnotice: () => {},
      });
      try {
        const rows = await admin
          .unsafe<{ database: string; total_xact_count: string; total_query_count: string }[]>('SHOW STATS')
          .simple();
        const row = rows.find((r) => r.database === database);
        return { transactions: Number(row?.total_xact_count ?? 0), queries: Number(row?.total_query_count ?? 0) };
      } finally {
        await admin.end();
      }
    },
    stop,
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
