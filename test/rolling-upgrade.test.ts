// Rolling upgrade: the previous release's API and worker run against a database the current release
// has migrated, accept a job and work on it; the current release's worker and API then take over and
// finish it: every user applied once, seats consistent, nothing reserved at the end.
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, OPERATOR_TOKEN, type TestEnv } from './support/test-env.ts';
import { call, expectSeatInvariant, PartnerClient } from './support/client.ts';
import { type ServiceProcess, spawnService } from './support/processes.ts';
import { SUITE } from './fixtures.ts';

/** The release before the current one's schema changes (migrations 0012 to 0015). */
const PREVIOUS = 'a439c21';
const root = fileURLToPath(new URL('..', import.meta.url));

function checkoutPrevious(): { dir?: string; reason?: string } {
  if (spawnSync('git', ['cat-file', '-e', `${PREVIOUS}^{commit}`], { cwd: root }).status !== 0)
    return { reason: `commit ${PREVIOUS} is not in this clone's history (a shallow clone?)` };
  const dir = mkdtempSync(path.join(tmpdir(), 'licensing-previous-'));
  execSync(`git archive ${PREVIOUS} | tar -x -C ${JSON.stringify(dir)}`, { cwd: root, stdio: 'pipe' });
  const install = spawnSync('pnpm', ['install', '--frozen-lockfile', '--offline', '--prefer-offline'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: '1' },
  });
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { reason: `the previous release's dependencies are not in the pnpm store: ${install.stderr.slice(-300)}` };
  }
  return { dir };
}

const previous = checkoutPrevious();
if (previous.reason) console.warn(`rolling-upgrade test skipped: ${previous.reason}`);

describe.skipIf(!previous.dir)(`rolling upgrade from ${PREVIOUS}`, () => {
  let env: TestEnv;
  const processes: ServiceProcess[] = [];
  let serviceEnv: Record<string, string>;

  beforeAll(async () => {
    // The template database is migrated by the current release: the state after `migrate` of the new
    // release ran and before any older process was replaced.
    env = await createTestEnv();
    serviceEnv = {
      NODE_ENV: 'development',
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      BULLMQ_PREFIX: env.prefix,
      OPERATOR_TOKEN,
    };
  });

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await env?.close();
    if (previous.dir) rmSync(previous.dir, { recursive: true, force: true });
  });

  it('finishes a job the previous release accepted and started, with the current release', async () => {
    const catalog = await spawnService('catalog', serviceEnv, undefined, previous.dir);
    processes.push(catalog);
    const catalogUrl = `http://127.0.0.1:${catalog.port}`;
    const env2 = { ...serviceEnv, CATALOG_URL: catalogUrl };
    const oldApi = await spawnService('api', env2, undefined, previous.dir);
    processes.push(oldApi);
    const oldApiUrl = `http://127.0.0.1:${oldApi.port}`;

    expect((await call(catalogUrl, 'PUT', `/v1/products/${SUITE.id}`, OPERATOR_TOKEN, SUITE)).status).toBeLessThan(300);
    const partner = await PartnerClient.create(oldApiUrl);
    const customer = await partner.customer();
    const users = await partner.users(customer, 600);
    await partner.subscribe(customer, SUITE.id, 600);
    // Accepted by the previous API while no worker runs: the job is in flight in Postgres and Redis.
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);

    const oldWorker = await spawnService('worker', env2, undefined, previous.dir);
    processes.push(oldWorker);
    // The previous worker applies some users, then is replaced (SIGTERM: it finishes what it holds).
    for (;;) {
      const [row] = await env.sql<{ done: number }[]>`
        SELECT count(*)::int AS done FROM license_job_items WHERE job_id = ${job.body.id} AND status <> 'pending'`;
      if (row!.done > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    oldWorker.child.kill('SIGTERM');
    expect((await oldWorker.exited).code).toBe(0);

    const worker = await spawnService('worker', env2);
    processes.push(worker);
    const api = await spawnService('api', env2);
    processes.push(api);
    oldApi.child.kill('SIGTERM');
    expect((await oldApi.exited).code).toBe(0);

    const current = new PartnerClient(`http://127.0.0.1:${api.port}`, partner.apiKey, partner.id);
    const finished = await current.waitForJob(customer, job.body.id, 120_000);
    expect(finished.status).toBe('completed');
    expect(finished.progress).toMatchObject({ total: 600, pending: 0, succeeded: 600, failed: 0 });
    const subscription = (await current.subscriptions(customer))[SUITE.id]!;
    expect(subscription).toMatchObject({ quantity: 600, assigned: 600, reserved: 0 });
    const [holders] = await env.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM user_licenses WHERE customer_id = ${customer} AND product_id = ${SUITE.id}`;
    expect(holders!.n).toBe(600);
    await expectSeatInvariant(env.sql);
  }, 300_000);
});
