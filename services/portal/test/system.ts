// The whole system for the portal's end-to-end tests: real catalog, API, worker and portal server
// processes on free ports, against this file's own cloned database and queue prefix, and Debian's
// Chromium driven by playwright-core (the browser is never downloaded).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { createTestEnv, type TestEnv } from '../../../test/support/test-env.ts';
import { spawnService, type ServiceProcess } from '../../../test/support/processes.ts';
import { ensurePortalBuilt } from '../src/build.ts';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(chromiumPath);

const operatorToken = 'portal-test-operator-token';

export interface PortalSystem {
  env: TestEnv;
  apiUrl: string;
  portalUrl: string;
  /** A partner's API key, created through the operator route. */
  partnerKey: string;
  /** A partner call straight to the API (test setup and checks). */
  api: <T = any>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  /** The worker process (a test may pause it with SIGSTOP to hold a job still). */
  worker: ServiceProcess;
  close: () => Promise<void>;
}

export async function startPortalSystem(): Promise<PortalSystem> {
  await ensurePortalBuilt();
  const env = await createTestEnv();
  const services: ServiceProcess[] = [];
  const close = async () => {
    for (const service of services.reverse()) {
      service.child.kill('SIGCONT');
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await env.close();
  };
  try {
    const common = {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      BULLMQ_PREFIX: env.prefix,
      OPERATOR_TOKEN: operatorToken,
      RATE_LIMIT_PER_MINUTE: '0',
      RECONCILE_INTERVAL_MS: '2000',
    };
    const catalog = await spawnService('catalog', common);
    services.push(catalog);
    // Behind the portal, as `pnpm start` runs it: the portal's X-Forwarded-For is believed.
    const api = await spawnService('api', {
      ...common,
      CATALOG_URL: `http://127.0.0.1:${catalog.port}`,
      TRUST_PROXY: 'loopback',
    });
    services.push(api);
    const worker = await spawnService('worker', common);
    services.push(worker);
    const apiUrl = `http://127.0.0.1:${api.port}`;
    const portal = await spawnService('portal', { API_URL: apiUrl });
    services.push(portal);

    const created = await fetch(`${apiUrl}/v1/admin/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Contoso Reseller' }),
    });
    const { apiKey } = (await created.json()) as { apiKey: string };
    const call: PortalSystem['api'] = async (method, path, body) => {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    return {
      env,
      apiUrl,
      portalUrl: `http://127.0.0.1:${portal.port}`,
      partnerKey: apiKey,
      api: call,
      worker,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Waits until a job of the API has finished (test setup through the API). */
export async function waitForJob(system: PortalSystem, customerId: string, jobId: string) {
  for (let i = 0; i < 300; i++) {
    const { body } = await system.api('GET', `/v1/customers/${customerId}/license-jobs/${jobId}`);
    if (body.finishedAt) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}
