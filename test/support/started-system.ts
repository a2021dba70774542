// A whole system as its users start it, for the tests that use it from outside (the documents'
// examples, the packed client): real processes on free ports, a database of their own that the
// services create and migrate (so the catalog seeds its demo products), a Redis prefix of their own.
// `stop()` sends SIGTERM, waits for the exits, drops the database and deletes the Redis keys.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import postgres from 'postgres';
import { Redis } from 'ioredis';
import { freePort, spawnService, type ServiceProcess } from './processes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface StartedSystem {
  apiUrl: string;
  catalogUrl: string;
  databaseUrl: string;
  /** What the processes printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

async function ready(url: string, attempts = 600): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return true;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts the system: `how: 'pnpm start'` runs scripts/start.ts (catalog, API, worker and portal, as
 * the README says); `how: 'services'` spawns catalog, API and worker one by one (no portal).
 */
export async function startSystem(
  options: { how?: 'pnpm start' | 'services'; env?: Record<string, string> } = {},
): Promise<StartedSystem> {
  const dbName = `licensing_sys_${randomUUID().replaceAll('-', '')}`;
  const prefix = `sys-${randomUUID()}`;
  const databaseUrl = Object.assign(new URL(inject('pgServerUrl')), { pathname: `/${dbName}` }).toString();
  const ports = {
    api: await freePort(),
    catalog: await freePort(),
    worker: await freePort(),
    portal: await freePort(),
  };
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    REDIS_URL: inject('redisUrl'),
    BULLMQ_PREFIX: prefix,
    OPERATOR_TOKEN: 'dev-operator-token',
    CATALOG_URL: `http://127.0.0.1:${ports.catalog}`,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const catalogUrl = `http://127.0.0.1:${ports.catalog}`;
  let output = '';
  let collect = () => output;
  const stops: (() => Promise<void>)[] = [];

  const cleanUp = async () => {
    for (const stop of stops.splice(0)) await stop();
    const admin = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(inject('redisUrl'));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  };

  try {
    if ((options.how ?? 'pnpm start') === 'pnpm start') {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        cwd: root,
        env: {
          ...process.env,
          ...env,
          API_PORT: String(ports.api),
          CATALOG_PORT: String(ports.catalog),
          WORKER_PORT: String(ports.worker),
          PORTAL_PORT: String(ports.portal),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      stops.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      });
      for (const url of [catalogUrl, apiUrl, `http://127.0.0.1:${ports.worker}`])
        if (!(await ready(url))) throw new Error(`${url} did not become ready:\n${output}`);
    } else {
      const started: ServiceProcess[] = [];
      collect = () => started.map((s) => s.output()).join('\n');
      stops.push(async () => {
        for (const service of started.reverse()) {
          if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGTERM');
          await service.exited;
        }
      });
      // The catalog first: it creates the database, migrates it and seeds the demo catalog.
      for (const name of ['catalog', 'api', 'worker'] as const)
        started.push(await spawnService(name, env, ports[name]));
    }
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return { apiUrl, catalogUrl, databaseUrl, output: () => collect(), stop: cleanUp };
}
