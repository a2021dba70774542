// `pnpm start`'s launcher: migrates, runs catalog, api, worker and the portal, and on SIGTERM stops
// all four and exits 0.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import postgres from 'postgres';
import { Redis } from 'ioredis';
import { freePort } from './support/processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dbName = `licensing_start_${randomUUID().replaceAll('-', '')}`;
const prefix = `start-${randomUUID()}`;

afterAll(async () => {
  const admin = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  const redis = new Redis(inject('redisUrl'));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

it('starts the four services on a database it creates, and exits 0 on SIGTERM', async () => {
  const url = new URL(inject('pgServerUrl'));
  url.pathname = `/${dbName}`;
  const [api, catalog, worker, portal] = [await freePort(), await freePort(), await freePort(), await freePort()];
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      REDIS_URL: inject('redisUrl'),
      BULLMQ_PREFIX: prefix,
      API_PORT: String(api),
      CATALOG_PORT: String(catalog),
      WORKER_PORT: String(worker),
      PORTAL_PORT: String(portal),
      LOG_LEVEL: 'warn',
      AUTH_FAILURES_PER_MINUTE: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = async (port: number, attempts = 300) => {
    for (let i = 0; i < attempts; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return true;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };
  expect(await ready(api), output).toBe(true);
  expect(await ready(catalog), output).toBe(true);
  expect(await ready(worker), output).toBe(true);
  expect(await ready(portal, 900), output).toBe(true); // may build the front end first
  const page = await fetch(`http://127.0.0.1:${portal}/`);
  expect(await page.text()).toContain('<div id="root">');
  const proxied = await fetch(`http://127.0.0.1:${portal}/v1/customers`);
  expect(proxied.status).toBe(401); // the API answered through the portal's proxy
  // The API tells the portal's browsers apart: one that keeps failing is throttled, another is not.
  // (Addresses of their own in 127/8: the processes count failures in Redis under a fixed name.)
  const loopback = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const [guesser, bystander] = [loopback(), loopback()];
  const viaPortal = (from: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port: portal,
        localAddress: from,
        path: '/v1/customers',
        agent: false,
      });
      req.on('response', (res) => res.resume().on('end', () => resolve(res.statusCode!)));
      req.on('error', reject);
      req.end();
    });
  const guesses = [];
  for (let i = 0; i < 3; i++) guesses.push(await viaPortal(guesser));
  expect(guesses).toEqual([401, 401, 429]);
  expect(await viaPortal(bystander)).toBe(401);
  const products = (await (await fetch(`http://127.0.0.1:${catalog}/v1/products`)).json()) as { items: unknown[] };
  expect(products.items.length).toBeGreaterThanOrEqual(12); // seeded on first start
  child.kill('SIGTERM');
  expect(await exited, output).toBe(0);
  expect(output).toMatch(/api exited \(0\)/);
  expect(output).toMatch(/worker exited \(0\)/);
  expect(output).toMatch(/catalog exited \(0\)/);
  expect(output).toMatch(/portal exited \(0\)/);
}, 150_000);
