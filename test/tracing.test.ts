// One trace links the API request to every user's task: the request span (fastify), the enqueue
// (BullMQ producer span) and each worker task, collected by an in-memory exporter.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import {
  buildTestApi,
  buildTestCatalog,
  createTestEnv,
  startTestWorker,
  type TestEnv,
  type TestWorker,
} from './support/test-env.ts';
import { PartnerClient, putProduct } from './support/client.ts';
import { SUITE } from './fixtures.ts';

const exporter = new InMemorySpanExporter();
let env: TestEnv;
let api: FastifyInstance;
let catalog: FastifyInstance;
let worker: TestWorker;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  env = await createTestEnv({ tracing: true });
  api = await buildTestApi(env);
  catalog = await buildTestCatalog(env);
  await putProduct(catalog, SUITE);
  worker = await startTestWorker(env, { tracing: true });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await catalog?.close();
  await env?.close();
  trace.disable();
  context.disable();
  propagation.disable();
});

it("puts every user's worker span under the request's trace", async () => {
  const partner = await PartnerClient.create(api);
  const customer = await partner.customer();
  const users = await partner.users(customer, 3);
  await partner.subscribe(customer, SUITE.id, 3);
  exporter.reset();
  const res = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
  expect(res.status).toBe(202);
  await partner.waitForJob(customer, res.body.id);

  // A task's consumer span ends once its processor has returned, which may be just after the job
  // is seen finished: wait for all of them.
  const consumersInRequestTrace = () => {
    const finished = exporter.getFinishedSpans();
    const post = finished.find((s) => s.attributes['http.route'] === '/v1/customers/:customerId/license-jobs');
    if (!post) return 0;
    const traceId = post.spanContext().traceId;
    return finished.filter((s) => s.spanContext().traceId === traceId && s.kind === 4 /* CONSUMER */).length;
  };
  await expect.poll(consumersInRequestTrace, { timeout: 5000 }).toBe(users.length);
  const spans = exporter.getFinishedSpans();
  const request = spans.find(
    (s) =>
      s.attributes['http.route'] === '/v1/customers/:customerId/license-jobs' &&
      String(s.attributes['http.request.method'] ?? s.attributes['http.method']) === 'POST',
  );
  expect(request, spans.map((s) => s.name).join(', ')).toBeDefined();
  const traceId = request!.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
  const consumerSpans = inTrace.filter((s) => s.kind === 4 /* CONSUMER */);
  const producerSpans = inTrace.filter((s) => s.kind === 3 /* PRODUCER */);
  expect(producerSpans.length, inTrace.map((s) => `${s.name}/${s.kind}`).join(', ')).toBeGreaterThan(0);
  expect(consumerSpans.length, inTrace.map((s) => `${s.name}/${s.kind}`).join(', ')).toBe(users.length);
});
