// `pnpm start`: migrate once, then run catalog, api, worker and the partner portal as child
// processes in the foreground. SIGINT/SIGTERM is forwarded to all of them; exits 0 once all have
// exited 0. The portal builds its front end first when the build is missing or stale. The API
// believes the X-Forwarded-For of its loopback peers (the portal, which sets it from its own
// socket) unless TRUST_PROXY says otherwise, so each browser is throttled by its own address.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { commonEnv, parseEnv } from '@licensing/config';
import { prepareDatabase } from '@licensing/db';
import { SERVICE_NODE_FLAGS } from './service-flags.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { DATABASE_URL } = parseEnv({ DATABASE_URL: commonEnv.DATABASE_URL });
const applied = await prepareDatabase(DATABASE_URL);
console.log(`[start] database ready (${applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations'})`);

const services = ['catalog', 'api', 'worker', 'portal'] as const;
const children = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;

for (const name of services) {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: root,
    stdio: 'inherit',
    env: name === 'api' ? { ...process.env, TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback' } : process.env,
    // Own process group: a terminal's Ctrl-C reaches only this launcher, which forwards one SIGTERM
    // (a second signal would make a service exit at once, non-zero).
    detached: true,
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (code !== 0) exitCode = code ?? 1;
    console.log(`[start] ${name} exited (${signal ?? code})`);
    if (!stopping) stop('SIGTERM'); // one service died: stop the others rather than run half a system
    if (children.size === 0) process.exit(exitCode);
  });
}

function stop(signal: NodeJS.Signals) {
  stopping = true;
  for (const child of children.values()) child.kill(signal);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.log(`[start] ${signal}: stopping catalog, api, worker and portal`);
    stop(signal === 'SIGINT' ? 'SIGTERM' : signal);
  });
}
