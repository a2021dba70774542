// Alert rules: promtool checks them and runs their unit tests (Debian's `prometheus` package, which
// CI installs); every metric they use is one the services export; every alert has a unit test and a
// runbook; the gauges behind the queue and job alerts read the real Redis and Postgres.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createMetricsRegistry } from '@licensing/telemetry';
import { LICENSE_TASK_NAME, registerQueueDepthGauge } from '@licensing/queue';
import { createWebhookMetrics, createWorkerMetrics, registerJobGauges } from '@licensing/worker';
import { buildTestApi, buildTestCatalog, createTestEnv, type TestEnv } from './support/test-env.ts';
import { call, PartnerClient, putProduct } from './support/client.ts';
import { SUITE } from './fixtures.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const rulesFile = `${root}deploy/prometheus/alerts.yml`;
const rulesTests = `${root}deploy/prometheus/alerts.test.yml`;
const rules = readFileSync(rulesFile, 'utf8');
const alertNames = [...rules.matchAll(/^\s*- alert: (\w+)/gm)].map((m) => m[1]!);
const promtool = spawnSync('promtool', ['--version']).status === 0;

describe('alert rules', () => {
  it.skipIf(!promtool)('pass `promtool check rules` and `promtool test rules`', () => {
    // execFileSync throws (with promtool's output) on a non-zero exit.
    expect(execFileSync('promtool', ['check', 'rules', rulesFile], { encoding: 'utf8' })).toMatch(/SUCCESS/);
    expect(execFileSync('promtool', ['test', 'rules', rulesTests], { encoding: 'utf8' })).toMatch(/SUCCESS/);
  });

  it('has a unit test and a runbook section for every alert', () => {
    expect(alertNames.length).toBeGreaterThanOrEqual(8);
    const tests = readFileSync(rulesTests, 'utf8');
    const runbook = readFileSync(`${root}docs/operations.md`, 'utf8');
    for (const name of alertNames) {
      expect(tests, name).toMatch(new RegExp(`alertname: ${name}\\n\\s*exp_alerts:\\n\\s*- exp_labels`));
      expect(runbook, name).toContain(`### ${name}\n`);
      expect(rules, name).toContain(`runbook: docs/operations.md#${name.toLowerCase()}`);
    }
  });
});

describe('metrics behind the alerts', () => {
  let env: TestEnv;
  let api: FastifyInstance;
  let catalog: FastifyInstance;
  const workerRegistry = createMetricsRegistry('worker');

  beforeAll(async () => {
    env = await createTestEnv();
    api = await buildTestApi(env);
    catalog = await buildTestCatalog(env);
    await putProduct(catalog, SUITE);
    createWorkerMetrics(workerRegistry);
    createWebhookMetrics(workerRegistry, env.db);
    registerJobGauges(workerRegistry, env.db);
    registerQueueDepthGauge(workerRegistry, { [env.queue.name]: env.queue });
  });

  afterAll(async () => {
    await api?.close();
    await catalog?.close();
    await env?.close();
  });

  const sample = (text: string, pattern: RegExp) => {
    const m = text.match(pattern);
    return m ? Number(m[1]) : undefined;
  };

  it('exports every metric the rules use, from the API or the worker', async () => {
    const exported = `${(await call(api, 'GET', '/metrics')).body}\n${await workerRegistry.metrics()}`;
    const used = new Set(
      [...rules.matchAll(/\b([a-z_]+(?:_total|_seconds|_unfinished))\b/g)].map((m) => m[1]!).filter((n) => n !== 'up'),
    );
    expect(used.size).toBeGreaterThanOrEqual(6);
    for (const name of used) expect(exported, name).toContain(`# TYPE ${name} `);
  });

  it('reports the age of the oldest waiting task and the unfinished jobs', async () => {
    const empty = await workerRegistry.metrics();
    expect(sample(empty, /bullmq_queue_oldest_waiting_age_seconds\{queue="license-tasks"[^}]*\} (\S+)/)).toBe(0);
    expect(sample(empty, /^license_jobs_unfinished\{[^}]*\} (\S+)/m)).toBe(0);

    // No worker runs: a task enqueued ten minutes ago (its timestamp set so) and then a job's tasks
    // wait; the job's row is dated back ten minutes.
    await env.queue.add(LICENSE_TASK_NAME, {} as never, { timestamp: Date.now() - 600_000 });
    const partner = await PartnerClient.create(api);
    const customer = await partner.customer();
    const users = await partner.users(customer, 3);
    await partner.subscribe(customer, SUITE.id, 3);
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    await env.sql`UPDATE license_jobs SET created_at = now() - interval '10 minutes' WHERE id = ${job.body.id}`;

    const busy = await workerRegistry.metrics();
    const age = sample(busy, /bullmq_queue_oldest_waiting_age_seconds\{queue="license-tasks"[^}]*\} (\S+)/);
    expect(age).toBeGreaterThanOrEqual(600);
    expect(sample(busy, /^license_jobs_unfinished\{[^}]*\} (\S+)/m)).toBe(1);
    expect(sample(busy, /^license_jobs_oldest_unfinished_age_seconds\{[^}]*\} (\S+)/m)).toBeGreaterThanOrEqual(600);
  });
});
