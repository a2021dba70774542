// Real service processes for fault tests: spawned with tsx, killed for real.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS } from '../../scripts/service-flags.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A port for a service a test starts later. It is taken below the kernel's ephemeral range
 * (32768–60999 here), where the outgoing connections of every other test pick their local ports: a
 * port the kernel handed out as free may be bound by such a connection by the time the service
 * starts, seconds later. One process never hands out the same port twice.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 15_000 + Math.floor(Math.random() * 17_000);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
}

const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** A service as `pnpm start:<name>` runs it: the same node flags (heap limits included). */
export async function spawnService(
  name: 'api' | 'worker' | 'catalog' | 'portal',
  env: Record<string, string>,
  port?: number,
  /** The checkout to run the service from (another release's, for upgrade tests). */
  cwd = root,
): Promise<ServiceProcess> {
  port ??= await freePort();
  const portVar = { api: 'API_PORT', worker: 'WORKER_PORT', catalog: 'CATALOG_PORT', portal: 'PORTAL_PORT' }[name];
  let output = '';
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', [portVar]: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited early: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return { child, port, exited, output: () => output };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready: ${output}`);
}
