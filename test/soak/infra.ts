// What a soak run starts and may break: its own Postgres and Redis (or Redis Cluster) on free
// ports, TCP proxies in front of them, and the services as separate processes. Everything is
// stopped by pid and its temporary directories removed by `stop()`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SERVICE_NODE_FLAGS } from '../../scripts/service-flags.ts';
import { freePort } from '../support/processes.ts';
import { type LocalRedisCluster, startRedisCluster } from '../support/redis-cluster.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres.ts';
import { TcpProxy } from './tcp-proxy.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
export const OPERATOR_TOKEN = 'soak-operator-token';
export const DATABASE = 'licensing_soak';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type ServiceName = 'catalog' | 'api' | 'worker';

/** One service process; `restart()` starts it again on the same port after it died. */
export class Service {
  child!: ChildProcess;
  /** Set when the soak itself killed or stopped it, so that its exit is expected. */
  expectedExit = false;
  stopped = false;
  /**
   * Seconds the process's clock is set off by (libfaketime, for every clock but the monotonic one)
   * from its next start; 0 for the true time.
   */
  clockOffsetSeconds = 0;
  readonly exits: { at: number; code: number | null; signal: NodeJS.Signals | null; expected: boolean }[] = [];
  private log: WriteStream;

  constructor(
    readonly label: string,
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
    logDir: string,
  ) {
    this.log = createWriteStream(path.join(logDir, `${label}.log`), { flags: 'a' });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const portVar = { api: 'API_PORT', worker: 'WORKER_PORT', catalog: 'CATALOG_PORT' }[this.name];
    this.expectedExit = false;
    this.stopped = false;
    const child = spawn(
      process.execPath,
      [...SERVICE_NODE_FLAGS, '--import', 'tsx', `services/${this.name}/src/main.ts`],
      {
        cwd: root,
        env: { ...process.env, ...this.env, [portVar]: String(this.port), ...skewedClock(this.clockOffsetSeconds) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    child.once('exit', (code, signal) =>
      this.exits.push({ at: Date.now(), code, signal, expected: this.expectedExit }),
    );
    this.child = child;
  }

  /** Sends a signal to the process (SIGKILL and SIGTERM mark its exit as expected). */
  signal(signal: NodeJS.Signals): void {
    if (!this.alive) return;
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.expectedExit = true;
    if (signal === 'SIGSTOP') this.stopped = true;
    if (signal === 'SIGCONT') this.stopped = false;
    process.kill(this.pid, signal);
  }

  async waitExit(): Promise<void> {
    if (!this.alive) return;
    await new Promise((r) => this.child.once('exit', r));
  }

  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/readyz`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    } catch {
      return false;
    }
  }

  async waitReady(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.ready())) {
      if (!this.alive && !this.expectedExit) throw new Error(`${this.label} exited while starting`);
      if (Date.now() > deadline) throw new Error(`${this.label} not ready after ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /** SIGTERM, and SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.alive) return;
    if (this.stopped) this.signal('SIGCONT');
    this.signal('SIGTERM');
    const exited = this.waitExit();
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  closeLog(): void {
    this.log.end();
  }
}

/** Debian's libfaketime (package `faketime`), when installed: what sets a process's clock off. */
export const FAKETIME_LIBRARY = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']
  .map((dir) => path.join(dir, 'faketime/libfaketimeMT.so.1'))
  .find((file) => existsSync(file));

/** The environment that starts a process with its wall clock `seconds` off (none for 0). */
function skewedClock(seconds: number): Record<string, string> {
  if (seconds === 0 || !FAKETIME_LIBRARY) return {};
  return {
    LD_PRELOAD: FAKETIME_LIBRARY,
    FAKETIME: `${seconds > 0 ? '+' : ''}${seconds}s`,
    // Timers and timeouts run on the monotonic clock, which stays true: only the wall clock is off.
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

/** A redis-server of the soak's own, with nothing on disk: restarting it starts it empty. */
export class OwnRedis {
  process?: ChildProcess;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      const pong = await run('redis-cli', ['-p', String(this.port), 'PING']).then(
        (r) => r.stdout.includes('PONG'),
        () => false,
      );
      if (pong) return;
      await sleep(50);
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

export interface Infra {
  postgres: ThrowawayPostgres;
  /** Direct to Postgres (not through the proxy), for the checker and the faults. */
  adminUrl: string;
  pgProxy: TcpProxy;
  redis?: OwnRedis;
  redisProxy?: TcpProxy;
  cluster?: LocalRedisCluster;
  catalog: Service;
  apis: Service[];
  workers: Service[];
  services: Service[];
  tempDir: string;
  logDir: string;
  /** Restarts Postgres (fast shutdown), without blocking the event loop. */
  restartPostgres(): Promise<void>;
  stop(): Promise<void>;
}

export async function startInfra(options: { cluster: boolean; logDir?: string }): Promise<Infra> {
  const tempDir = mkdtempSync(path.join(tmpdir(), 'licensing-soak-'));
  const logDir = options.logDir ?? path.join(tempDir, 'logs');
  await run('mkdir', ['-p', logDir]);
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(tempDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('soak: cleanup failed:', error);
      }
    }
  };
  try {
    const postgres = await startThrowawayPostgres();
    cleanups.push(() => postgres.stop());
    const pgProxy = new TcpProxy('postgres', postgres.primary.port);
    await pgProxy.start();
    cleanups.push(() => pgProxy.close());

    let redis: OwnRedis | undefined;
    let redisProxy: TcpProxy | undefined;
    let cluster: LocalRedisCluster | undefined;
    const redisEnv: Record<string, string> = {};
    if (options.cluster) {
      // Cluster clients follow the nodes' own addresses (MOVED, CLUSTER SLOTS), so no proxy here:
      // network faults on a cluster run hit Postgres only.
      cluster = await startRedisCluster();
      cleanups.push(() => cluster!.stop());
      Object.assign(redisEnv, { REDIS_CLUSTER_NODES: cluster.nodesSetting, QUEUE_SHARDS: '3' });
    } else {
      redis = new OwnRedis(await freePort());
      await redis.start();
      cleanups.push(() => redis!.kill());
      redisProxy = new TcpProxy('redis', redis.port);
      await redisProxy.start();
      cleanups.push(() => redisProxy!.close());
      redisEnv.REDIS_URL = `redis://127.0.0.1:${redisProxy.port}`;
    }

    const catalogPort = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgProxy.port}/${DATABASE}`,
      ...redisEnv,
      BULLMQ_PREFIX: 'soak',
      OPERATOR_TOKEN,
      CATALOG_PORT: String(catalogPort),
      CATALOG_URL: `http://127.0.0.1:${catalogPort}`,
      CATALOG_SEED: 'false',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    };
    const catalog = new Service('catalog', 'catalog', catalogPort, env, logDir);
    const apis = [
      new Service('api-1', 'api', await freePort(), env, logDir),
      new Service('api-2', 'api', await freePort(), env, logDir),
    ];
    const workers = [
      new Service('worker-1', 'worker', await freePort(), env, logDir),
      new Service('worker-2', 'worker', await freePort(), env, logDir),
    ];
    const services = [catalog, ...apis, ...workers];
    cleanups.push(async () => {
      await Promise.all(services.filter((s) => s.child).map((s) => s.stop()));
      for (const s of services) s.closeLog();
    });
    // The catalog first: it creates the database and migrates it; then the others at once.
    catalog.start();
    await catalog.waitReady();
    for (const s of [...apis, ...workers]) s.start();
    await Promise.all([...apis, ...workers].map((s) => s.waitReady()));

    const primary = postgres.primary;
    return {
      postgres,
      adminUrl: primary.url(DATABASE),
      pgProxy,
      redis,
      redisProxy,
      cluster,
      catalog,
      apis,
      workers,
      services,
      tempDir,
      logDir,
      restartPostgres: async () => {
        const args = [
          '-D',
          primary.dataDir,
          '-w',
          '-m',
          'fast',
          '-l',
          path.join(primary.dataDir, 'log'),
          '-o',
          `-p ${primary.port} -k ${primary.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off`,
          'restart',
        ];
        const pgCtl = path.join(
          path.dirname(
            (await run('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1'])).stdout.trim(),
          ),
          'pg_ctl',
        );
        if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', pgCtl, ...args]);
        else await run(pgCtl, args);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
