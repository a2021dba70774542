// Operators' surface: queue dashboard auth, health, metrics after a job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createMetricsRegistry } from '@licensing/telemetry';
import { buildWorkerApp, createWorkerMetrics } from '@licensing/worker';
import {
  buildTestApi,
  buildTestCatalog,
  createTestEnv,
  OPERATOR_TOKEN,
  startTestWorker,
  type TestEnv,
  type TestWorker,
} from './support/test-env.ts';
import { call, PartnerClient, putProduct } from './support/client.ts';
import { SUITE } from './fixtures.ts';

let env: TestEnv;
let api: FastifyInstance;
let catalog: FastifyInstance;
let workerApp: FastifyInstance;
let worker: TestWorker;
let shuttingDown = false;
const workerRegistry = createMetricsRegistry('worker');

beforeAll(async () => {
  env = await createTestEnv();
  api = await buildTestApi(env, { isShuttingDown: () => shuttingDown });
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  worker = await startTestWorker(env, { metrics: createWorkerMetrics(workerRegistry) });
  workerApp = await buildWorkerApp({
    sql: env.sql,
    redis: env.redis,
    registry: workerRegistry,
    isConsuming: () => worker.worker.isRunning(),
    isShuttingDown: () => shuttingDown,
  });
});

afterAll(async () => {
  await worker?.close();
  await Promise.all([api?.close(), catalog?.close(), workerApp?.close()]);
  await env?.close();
});

describe('queue dashboard', () => {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('opens only with the operator token, as Bearer or as the basic-auth password', async () => {
    const partner = await PartnerClient.create(api);
    for (const authorization of [
      undefined,
      `Bearer ${partner.apiKey}`,
      'Bearer nope',
      basic('admin', 'wrong'),
      basic('admin', partner.apiKey),
    ]) {
      const res = await api.inject({
        method: 'GET',
        url: '/admin/queues',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic/);
      expect(res.body).not.toContain('<html');
    }
    const bearer = await api.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    expect(bearer.statusCode).toBe(200);
    expect(bearer.body).toContain('<html');
    const browser = await api.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: basic('ops', OPERATOR_TOKEN) },
    });
    expect(browser.statusCode).toBe(200);
    // Its API (what the page's retry/clean/promote buttons call) is guarded the same way.
    expect((await api.inject({ method: 'GET', url: '/admin/queues/api/queues' })).statusCode).toBe(401);
    expect(
      (await api.inject({ method: 'PUT', url: '/admin/queues/api/queues/license-tasks/retry/failed' })).statusCode,
    ).toBe(401);
    const queues = await api.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    expect(queues.statusCode).toBe(200);
    expect(queues.json().queues.map((q: { name: string }) => q.name)).toContain('license-tasks');
  });
});

describe('health and metrics', () => {
  it('answers livez and readyz on every service, 503 while shutting down', async () => {
    for (const app of [api, catalog, workerApp]) {
      expect((await call(app, 'GET', '/livez')).status).toBe(200);
      const ready = await call(app, 'GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toMatchObject({ postgres: 'ok', redis: 'ok' });
    }
    expect((await call(workerApp, 'GET', '/readyz')).body.checks.consuming).toBe('ok');
    shuttingDown = true;
    expect((await call(workerApp, 'GET', '/readyz')).status).toBe(503);
    expect((await call(workerApp, 'GET', '/livez')).status).toBe(200);
    expect((await call(api, 'GET', '/readyz')).body.status).toBe('shutting_down');
    shuttingDown = false;
  });

  it('answers a request that arrives while the API shuts down with a 503 problem, Retry-After and Connection: close', async () => {
    const partner = await PartnerClient.create(api);
    const customer = await partner.customer();
    shuttingDown = true;
    try {
      const res = await api.inject({
        method: 'GET',
        url: `/v1/customers/${customer}/users`,
        headers: { authorization: `Bearer ${partner.apiKey}`, 'accept-language': 'ru' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers.connection).toBe('close');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 503, code: 'shutting_down' });
      expect(res.json().detail).toMatch(/завершает работу/);
    } finally {
      shuttingDown = false;
    }
    expect((await call(api, 'GET', `/v1/customers/${customer}/users`, partner.apiKey)).status).toBe(200);
  });

  it('exposes request, job, seat, task and queue metrics after a job', async () => {
    const partner = await PartnerClient.create(api);
    const customer = await partner.customer();
    const users = await partner.users(customer, 5);
    await partner.subscribe(customer, SUITE.id, 4);
    const ok = await partner.startJob(customer, { userIds: users.slice(0, 4), assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, ok.body.id);
    expect((await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] })).status).toBe(409);

    const apiMetrics = (await call(api, 'GET', '/metrics')).body as string;
    expect(apiMetrics).toMatch(
      /http_requests_total\{[^}]*route="\/v1\/customers\/:customerId\/license-jobs"[^}]*status="202"[^}]*\} 1/,
    );
    expect(apiMetrics).toMatch(/http_request_duration_seconds_bucket\{/);
    expect(apiMetrics).toMatch(/license_jobs_accepted_total\{[^}]*\} 1/);
    expect(apiMetrics).toMatch(/license_jobs_refused_total\{code="insufficient_licenses"[^}]*\} 1/);
    expect(apiMetrics).toMatch(/license_seats_reserved_total\{product="SUITE_E3"[^}]*\} 4/);
    expect(apiMetrics).toMatch(/bullmq_queue_jobs\{queue="license-tasks",state="waiting"/);

    const workerMetrics = (await call(workerApp, 'GET', '/metrics')).body as string;
    expect(workerMetrics).toMatch(/license_tasks_processed_total\{status="succeeded"[^}]*\} 4/);
    expect(workerMetrics).toMatch(/license_jobs_finished_total\{status="completed"[^}]*\} 1/);
    expect(workerMetrics).toMatch(/license_task_batch_duration_seconds_count/);
  });
});
