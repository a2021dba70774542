// A Postgres server of a test's or benchmark's own, from the machine's binaries (initdb + pg_ctl on
// a free port in a temporary directory), optionally with a streaming replica made by pg_basebackup -R.
// Stopped with pg_ctl (fast) and its directory removed by `stop()`.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './processes.ts';

const binDir = (() => {
  try {
    return path.dirname(
      execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1']).toString().trim(),
    );
  } catch {
    return '';
  }
})();

/** Postgres refuses to run as root: as root, its tools run as the postgres user. */
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(binDir, cmd), ...args], { stdio: 'pipe' })
    : execFileSync(path.join(binDir, cmd), args, { stdio: 'pipe' });

export interface PostgresServer {
  port: number;
  dataDir: string;
  /** A URL of a database on this server. */
  url(database: string): string;
  pgCtl(action: 'start' | 'stop' | 'restart'): void;
}

function server(dataDir: string, port: number): PostgresServer {
  return {
    port,
    dataDir,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    pgCtl: (action) =>
      asPostgres('pg_ctl', [
        '-D',
        dataDir,
        '-w',
        '-m',
        'fast',
        '-l',
        path.join(dataDir, 'log'),
        '-o',
        `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        action,
      ]),
  };
}

function ownedDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  return dir;
}

export interface ThrowawayPostgres {
  primary: PostgresServer;
  replica?: PostgresServer;
  stop(): void;
}

export async function startThrowawayPostgres(options: { replica?: boolean } = {}): Promise<ThrowawayPostgres> {
  if (!binDir) throw new Error('no Postgres binaries under /usr/lib/postgresql');
  const started: PostgresServer[] = [];
  const stop = () => {
    for (const s of started.reverse()) {
      try {
        s.pgCtl('stop');
      } catch {
        // already stopped
      }
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  };
  try {
    const primary = server(ownedDir('licensing-pg-'), await freePort());
    asPostgres('initdb', ['-D', primary.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    primary.pgCtl('start');
    started.push(primary);
    if (!options.replica) return { primary, stop };
    const replica = server(ownedDir('licensing-pg-replica-'), await freePort());
    // A base backup of the primary that starts as a hot standby streaming from it (-R).
    asPostgres('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      replica.dataDir,
      '-R',
      '-X',
      'stream',
    ]);
    replica.pgCtl('start');
    started.push(replica);
    return { primary, replica, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
