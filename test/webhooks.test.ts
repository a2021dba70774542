// Webhooks: the partner's endpoint (its URL checks, secret, isolation), the outbox written with the
// job's finish, and the delivery worker against a real HTTP receiver on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { licenseTaskQueues } from '@licensing/queue';
import { createRedis } from '@licensing/redis';
import { createJobWithReservations } from '@licensing/api';
import { createWebhookQueue, isPublicAddress, type WebhookQueue, WebhookSender } from '@licensing/webhooks';
import { createWebhookMetrics, createWebhookWorker, Reconciler } from '@licensing/worker';
import { createMetricsRegistry } from '@licensing/telemetry';
import { Receiver, until } from './support/webhook-receiver.ts';
import {
  buildTestApi,
  buildTestCatalog,
  createTestEnv,
  silentLog,
  startTestWorker,
  type TestEnv,
  type TestWorker,
} from './support/test-env.ts';
import { PartnerClient, putProduct } from './support/client.ts';
import { SUITE } from './fixtures.ts';

const LOCAL = { allowPrivateTargets: true, allowHttp: true };

describe('which addresses are public', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast, unspecified and mapped forms of them', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      'not an address',
    ])
      expect(isPublicAddress(address), address).toBe(false);
  });

  it('refuses every IPv6 form that carries an IPv4 address or lies outside global unicast', () => {
    for (const address of [
      '::127.0.0.1', // IPv4-compatible (::/96)
      '::7f00:1',
      '::10.0.0.1',
      '::8.8.8.8',
      '::ffff:0:127.0.0.1', // IPv4-translated (RFC 6145)
      '64:ff9b::127.0.0.1', // NAT64, well-known and local-use prefixes
      '64:ff9b:1::a00:1',
      '2002:7f00:1::1', // 6to4
      '2001::1', // Teredo, and the rest of the IETF protocol block 2001::/23
      '2001:2::1',
      '2001:20::1',
      '100::1', // discard
      'fec0::1', // site-local
      '2001:db8::1', // documentation
      '3fff::1',
      '4000::1', // unassigned, outside 2000::/3
    ])
      expect(isPublicAddress(address), address).toBe(false);
    expect(isPublicAddress('2a00:1450:4001:800::200e')).toBe(true);
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isPublicAddress(address), address).toBe(true);
  });
});

describe('the webhook resource', () => {
  let env: TestEnv;
  let api: FastifyInstance;
  let strictApi: FastifyInstance;

  beforeAll(async () => {
    env = await createTestEnv();
    api = await buildTestApi(env, { webhookPolicy: LOCAL });
    strictApi = await buildTestApi(env, { webhookPolicy: { allowPrivateTargets: false, allowHttp: false } });
  });
  afterAll(async () => {
    await api?.close();
    await strictApi?.close();
    await env?.close();
  });

  it('refuses private targets, credentials and plain http unless allowed, with 422 invalid_webhook_url', async () => {
    const partner = await PartnerClient.create(strictApi);
    for (const url of [
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::127.0.0.1]/hook',
      'https://[64:ff9b::a9fe:a9fe]/latest/meta-data',
      'https://[2002:a00:1::1]/hook',
      'https://localhost/hook',
      'https://10.0.0.8/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://user:pass@example.com/hook',
      'http://example.com/hook',
      'ftp://example.com/hook',
      'not a url',
    ]) {
      const res = await partner.call('PUT', '/v1/webhook', { url });
      expect(res.status, url).toBe(422);
      expect(res.body.code, url).toBe('invalid_webhook_url');
    }
    expect((await partner.call('GET', '/v1/webhook')).status).toBe(404);
  });

  it('does not tell what a host name resolves to, nor whether it resolves at all', async () => {
    const partner = await PartnerClient.create(strictApi);
    const internal = await partner.call('PUT', '/v1/webhook', { url: 'https://localhost/hook' });
    const unknown = await partner.call('PUT', '/v1/webhook', { url: 'https://nothing-here.invalid/hook' });
    for (const res of [internal, unknown]) {
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid_webhook_url');
    }
    expect(internal.body.detail).not.toMatch(/127\.0\.0\.1|::1/);
    expect(internal.body.detail.replace('localhost', 'HOST')).toBe(
      unknown.body.detail.replace('nothing-here.invalid', 'HOST'),
    );
  });

  it('shows the secret on creation and rotation only, and keeps each partner to its own', async () => {
    const partner = await PartnerClient.create(api);
    const other = await PartnerClient.create(api, 'Other Partner');
    const created = await partner.call('PUT', '/v1/webhook', { url: 'http://127.0.0.1:9/hook' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      events: ['license_job.finished', 'group.processed', 'subscription.seats_exhausted'],
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const read = await partner.call('GET', '/v1/webhook');
    expect(read.status).toBe(200);
    expect(read.body.secret).toBeUndefined();
    const updated = await partner.call('PUT', '/v1/webhook', {
      url: 'http://127.0.0.1:9/other',
      events: ['license_job.finished'],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.secret).toBeUndefined();
    expect(updated.body.url).toBe('http://127.0.0.1:9/other');

    const rotated = await partner.call('POST', '/v1/webhook/rotate-secret');
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);

    const ping = await partner.call('POST', '/v1/webhook/test');
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ type: 'ping', status: 'pending', attempts: 0, jobId: null });
    const list = await partner.call('GET', '/v1/webhook/deliveries');
    expect(list.status).toBe(200);
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([ping.body.id]);

    // The other partner sees none of it.
    expect((await other.call('GET', '/v1/webhook')).status).toBe(404);
    expect((await other.call('GET', '/v1/webhook/deliveries')).body.total).toBe(0);
    await other.call('PUT', '/v1/webhook', { url: 'http://127.0.0.1:9/theirs' });
    const foreign = await other.call('POST', `/v1/webhook/deliveries/${ping.body.id}/redeliver`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    expect((await other.call('POST', '/v1/webhook/deliveries/nope/redeliver')).status).toBe(404);
    expect((await partner.call('POST', `/v1/webhook/deliveries/${ping.body.id}/redeliver`)).status).toBe(202);

    expect((await partner.call('DELETE', '/v1/webhook')).status).toBe(204);
    expect((await partner.call('GET', '/v1/webhook')).status).toBe(404);
    expect((await partner.call('DELETE', '/v1/webhook')).status).toBe(404);
    const after = await partner.call('GET', '/v1/webhook/deliveries');
    expect(after.body.items[0]).toMatchObject({ id: ping.body.id, status: 'failed' });
    expect((await other.call('GET', '/v1/webhook')).body.url).toBe('http://127.0.0.1:9/theirs');
  });
});

describe('delivery', () => {
  let env: TestEnv;
  let api: FastifyInstance;
  let catalog: FastifyInstance;
  let licenseWorker: TestWorker;
  let webhookQueue: WebhookQueue;
  let receiver: Receiver;
  let reconciler: Reconciler;
  const webhookWorkers: { close: () => Promise<void> }[] = [];
  const registry = createMetricsRegistry('worker');
  let metrics: ReturnType<typeof createWebhookMetrics>;

  async function startWebhookWorker(policy = LOCAL, timeoutMs?: number) {
    const connection = createRedis(env.redisUrl, 'worker');
    const worker = createWebhookWorker({
      db: env.db,
      connection,
      prefix: env.prefix,
      queue: webhookQueue,
      concurrency: 8,
      partnerConcurrency: 2,
      policy,
      secretKey: undefined,
      retryDelaysMs: [200, 300, 400],
      timeoutMs,
      log: silentLog,
      metrics,
    });
    void worker.run();
    await worker.waitUntilReady();
    const handle = {
      close: async () => {
        await worker.close();
        await worker.closeSender();
        await connection.quit();
      },
    };
    webhookWorkers.push(handle);
    return handle;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    receiver = new Receiver();
    await receiver.start();
    api = await buildTestApi(env, { webhookPolicy: LOCAL });
    catalog = await buildTestCatalog(env);
    await putProduct(catalog, SUITE);
    webhookQueue = createWebhookQueue(env.redis, env.prefix);
    metrics = createWebhookMetrics(registry, env.db);
    licenseWorker = await startTestWorker(env, { webhookQueue });
    reconciler = new Reconciler({
      db: env.db,
      queues: licenseTaskQueues([env.queue]),
      redis: env.redis,
      log: silentLog,
      intervalMs: 500,
      lockKey: `${env.prefix}:reconciler-lock`,
      webhookQueue,
    });
  });
  afterAll(async () => {
    for (const worker of webhookWorkers) await worker.close();
    await licenseWorker?.close();
    await webhookQueue?.obliterate({ force: true }).catch(() => undefined);
    await webhookQueue?.close();
    await api?.close();
    await catalog?.close();
    await receiver?.close();
    await env?.close();
  });

  /** A partner with a webhook at `path`, and a customer with users and seats. */
  async function partnerWithWebhook(path: string) {
    const partner = await PartnerClient.create(api, `Partner ${path}`);
    const saved = await partner.call('PUT', '/v1/webhook', { url: receiver.url(path) });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const customer = await partner.customer();
    const users = await partner.users(customer, 3);
    await partner.subscribe(customer, SUITE.id, 3);
    return { partner, secret: saved.body.secret as string, customer, users };
  }

  async function deliveryOf(partner: PartnerClient, jobId: string) {
    const list = await partner.call('GET', '/v1/webhook/deliveries');
    return list.body.items.find((d: { jobId: string }) => d.jobId === jobId);
  }

  it('sends a finished job, signed, as GET answers it', async () => {
    await startWebhookWorker();
    const { partner, secret, customer, users } = await partnerWithWebhook('/signed');
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    expect(job.status).toBe(202);
    const finished = await partner.waitForJob(customer, job.body.id);
    const [request] = await until('the delivery', () =>
      receiver.at('/signed').length ? receiver.at('/signed') : undefined,
    );
    const event = new Webhook(secret).verify(request!.body, {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    }) as { type: string; timestamp: string; data: unknown };
    expect(event.type).toBe('license_job.finished');
    expect(event.data).toEqual(finished);
    expect(new Date(event.timestamp).getTime()).not.toBeNaN();
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        request!.body,
        request!.headers as Record<string, string>,
      ),
    ).toThrow();
    const delivery = await until('delivered', async () => {
      const d = await deliveryOf(partner, job.body.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(delivery).toMatchObject({ type: 'license_job.finished', attempts: 1, lastStatusCode: 204, lastError: null });
    expect(request!.headers['webhook-id']).toBe(delivery.id);
  });

  it('retries a failing endpoint with the same webhook-id until it answers 2xx', async () => {
    receiver.answer = (path, count) => ({ status: path === '/flaky' && count <= 2 ? 503 : 200 });
    const { partner, customer, users } = await partnerWithWebhook('/flaky');
    const job = await partner.startJob(customer, { userIds: users, revoke: [SUITE.id] });
    await partner.waitForJob(customer, job.body.id);
    const delivery = await until('delivered after retries', async () => {
      const d = await deliveryOf(partner, job.body.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    const requests = receiver.at('/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200 });
    const attempts = await env.sql`
      SELECT attempt, status_code, error FROM webhook_delivery_attempts WHERE delivery_id = ${delivery.id} ORDER BY attempt`;
    expect(attempts.map((a) => [a.attempt, a.status_code])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    expect(attempts[0]!.error).toMatch(/HTTP 503/);
  });

  it('delivers an event whose queued task Redis lost: the reconciler queues it again from Postgres', async () => {
    for (const worker of webhookWorkers.splice(0)) await worker.close();
    const { partner, secret, customer, users } = await partnerWithWebhook('/lost');
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, job.body.id);
    // Queued with its partner's priority (see packages/webhooks' lanes.ts).
    await until('the event queued', async () => (await webhookQueue.getJobCounts('prioritized')).prioritized > 0);
    // Redis loses this queue's keys (only this test's prefix: the Redis is shared).
    const keys = await env.redis.keys(`${env.prefix}:webhook-deliveries:*`);
    expect(keys.length).toBeGreaterThan(0);
    await env.redis.del(...keys);
    expect(await webhookQueue.getJobCounts('waiting', 'prioritized')).toEqual({ waiting: 0, prioritized: 0 });
    await startWebhookWorker();
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.at('/lost')).toHaveLength(0);
    expect(await reconciler.reconcileWebhooks()).toBeGreaterThanOrEqual(1);
    const [request] = await until('the recovered delivery', () =>
      receiver.at('/lost').length ? receiver.at('/lost') : undefined,
    );
    expect(new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).toMatchObject({
      type: 'license_job.finished',
    });
  });

  it("records a cancelled job's event in the cancel, and a ping on request", async () => {
    const { partner, customer, users } = await partnerWithWebhook('/cancel');
    // A job accepted but never enqueued (as if the API had died before enqueueing): the cancel finishes it.
    const partnerId = (await env.sql`SELECT partner_id FROM customers WHERE id = ${customer}`)[0]!.partner_id;
    const { job } = await env.db.transaction((tx) =>
      createJobWithReservations(tx, {
        partnerId,
        customerId: customer,
        userIds: users,
        assign: [{ productId: SUITE.id, disabledServicePlans: [] }],
        revoke: [],
      }),
    );
    const cancelled = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const request = await until('the cancel event', () => receiver.at('/cancel')[0]);
    expect(JSON.parse(request.body)).toEqual({
      type: 'license_job.finished',
      timestamp: expect.any(String),
      data: cancelled.body,
    });
    const ping = await partner.call('POST', '/v1/webhook/test');
    expect(ping.status).toBe(202);
    const pinged = await until('the ping', () => receiver.at('/cancel')[1]);
    expect(JSON.parse(pinged.body)).toMatchObject({ type: 'ping' });
    expect(pinged.headers['webhook-id']).toBe(ping.body.id);
  });

  it('follows no redirect: a 3xx is a failed attempt, and a ping is attempted once (never retried)', async () => {
    receiver.answer = (path) =>
      path === '/moved' ? { status: 302, headers: { location: receiver.url('/elsewhere') } } : { status: 200 };
    const { partner } = await partnerWithWebhook('/moved');
    const ping = await partner.call('POST', '/v1/webhook/test');
    const failed = await until('failed', async () => {
      const list = await partner.call('GET', '/v1/webhook/deliveries');
      const d = list.body.items.find((x: { id: string }) => x.id === ping.body.id);
      return d?.status === 'failed' ? d : undefined;
    });
    expect(failed).toMatchObject({ attempts: 1, lastStatusCode: 302, nextAttemptAt: null });
    expect(failed.lastError).toMatch(/redirect/);
    await new Promise((r) => setTimeout(r, 1000)); // past every retry delay of this suite
    expect(receiver.at('/moved')).toHaveLength(1);
    expect(receiver.at('/elsewhere')).toHaveLength(0);

    // Redelivered: pending again, same id, attempted again.
    receiver.answer = () => ({ status: 200 });
    const again = await partner.call('POST', `/v1/webhook/deliveries/${ping.body.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('pending');
    await until('redelivered', async () => {
      const list = await partner.call('GET', '/v1/webhook/deliveries');
      return list.body.items.find((x: { id: string }) => x.id === ping.body.id)?.status === 'delivered';
    });
    expect(receiver.at('/moved').at(-1)!.headers['webhook-id']).toBe(ping.body.id);
  });

  it('checks the target again at delivery: a private address is refused without the flag', async () => {
    for (const worker of webhookWorkers.splice(0)) await worker.close();
    await startWebhookWorker({ allowPrivateTargets: false, allowHttp: true });
    const { partner } = await partnerWithWebhook('/private');
    const ping = await partner.call('POST', '/v1/webhook/test');
    const d = await until('an attempt', async () => {
      const list = await partner.call('GET', '/v1/webhook/deliveries');
      const x = list.body.items.find((y: { id: string }) => y.id === ping.body.id);
      return x?.lastError ? x : undefined; // attempts counts an attempt from its start; lastError is written at its end
    });
    expect(d.lastError).toMatch(/^refused/);
    expect(d.lastStatusCode).toBeNull();
    expect(receiver.at('/private')).toHaveLength(0);
  });

  it('checks a host name on connection: localhost is refused without the flag, reached with it', async () => {
    const message = { id: 'msg_lookup', body: '{}', secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` };
    const url = `http://localhost:${receiver.port}/lookup`;
    const strict = new WebhookSender({ allowPrivateTargets: false, allowHttp: true }, 2000);
    const open = new WebhookSender(LOCAL, 2000);
    try {
      const refused = await strict.send(url, message);
      expect(refused).toMatchObject({ delivered: false, statusCode: null });
      expect(refused.error).toMatch(/^refused: "localhost" resolves to an address that is not public/);
      expect(receiver.at('/lookup')).toHaveLength(0);
      expect(await open.send(url, message)).toMatchObject({ delivered: true });
      expect(receiver.at('/lookup')).toHaveLength(1);
    } finally {
      await strict.close();
      await open.close();
    }
  });

  it('can queue an attempt again after a task for it ended without sending (finished tasks free their ids)', async () => {
    for (const worker of webhookWorkers.splice(0)) await worker.close();
    const { partner } = await partnerWithWebhook('/freed');
    const ping = await partner.call('POST', '/v1/webhook/test');
    // Deleted before any worker took the ping: the delivery fails, and its queued task later finds nothing to send.
    expect((await partner.call('DELETE', '/v1/webhook')).status).toBe(204);
    await startWebhookWorker();
    await until('the task to end', async () => {
      const counts = await webhookQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    });
    expect(receiver.at('/freed')).toHaveLength(0);
    await partner.call('PUT', '/v1/webhook', { url: receiver.url('/freed') });
    expect((await partner.call('POST', `/v1/webhook/deliveries/${ping.body.id}/redeliver`)).status).toBe(202);
    const request = await until('the redelivery', () => receiver.at('/freed')[0]);
    expect(request.headers['webhook-id']).toBe(ping.body.id);
  });

  it("a hanging endpoint holds at most its partner's share of attempts; another partner is served meanwhile", async () => {
    for (const worker of webhookWorkers.splice(0)) await worker.close();
    await startWebhookWorker(LOCAL, 5000);
    const slow = await partnerWithWebhook('/hanging');
    const fast = await partnerWithWebhook('/fast');
    receiver.hang.add('/hanging');
    try {
      for (let i = 0; i < 6; i++) expect((await slow.partner.call('POST', '/v1/webhook/test')).status).toBe(202);
      await until('the first hanging attempts', () => receiver.at('/hanging').length >= 2);
      const started = Date.now();
      expect((await fast.partner.call('POST', '/v1/webhook/test')).status).toBe(202);
      await until("the other partner's ping", () => receiver.at('/fast')[0]);
      // Served while the hanging attempts wait for their 5 s timeout; only 2 (partnerConcurrency) of 6 were sent.
      expect(Date.now() - started).toBeLessThan(4000);
      expect(receiver.at('/hanging')).toHaveLength(2);
    } finally {
      await slow.partner.call('DELETE', '/v1/webhook');
      receiver.hang.delete('/hanging');
    }
  });

  it('counts deliveries by outcome and attempts, and exposes the age of the oldest pending one', async () => {
    const text = await registry.metrics();
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(line))
          ?.split(' ')
          .at(-1),
      );
    expect(value('webhook_deliveries_total{outcome="delivered"')).toBeGreaterThanOrEqual(4);
    expect(value('webhook_deliveries_total{outcome="failed"')).toBeGreaterThanOrEqual(1);
    expect(value('webhook_delivery_attempts_total{result="failed"')).toBeGreaterThanOrEqual(4);
    const [{ oldest }] = await env.sql`
      SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest FROM webhook_deliveries WHERE status = 'pending'`;
    const age = value('webhook_oldest_pending_delivery_age_seconds');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThanOrEqual(oldest + 5);
  });
});
