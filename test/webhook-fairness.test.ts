// One partner's webhook cannot hurt another's: test pings are few per minute and attempted once, and
// a partner's backlog of failing deliveries to a dead endpoint (plus a flood of pings) leaves another
// partner's deliveries as fast as alone. Real API, Postgres, Redis, BullMQ and HTTP endpoints.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { recordWebhookEvent } from '@licensing/db';
import { createRedis } from '@licensing/redis';
import { createWebhookQueue, enqueueDeliveries, type WebhookQueue } from '@licensing/webhooks';
import { createWebhookWorker } from '@licensing/worker';
import { Receiver, until } from './support/webhook-receiver.ts';
import { buildTestApi, createTestEnv, silentLog, type TestEnv } from './support/test-env.ts';
import { PartnerClient } from './support/client.ts';

const LOCAL = { allowPrivateTargets: true, allowHttp: true };
const PINGS_PER_MINUTE = 3;

/** An endpoint that answers 204 after `delayMs`, counting the requests it holds at once. */
class SlowEndpoint {
  held = 0;
  mostHeld = 0;
  readonly ids: string[] = [];
  private readonly server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      this.ids.push(String(req.headers['webhook-id']));
      this.held++;
      this.mostHeld = Math.max(this.mostHeld, this.held);
      setTimeout(() => {
        this.held--;
        res.writeHead(204).end();
      }, this.delayMs);
    });
  });
  port = 0;
  constructor(private readonly delayMs: number) {}
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }
  url = (path: string) => `http://127.0.0.1:${this.port}${path}`;
  close = () =>
    new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
}

/** A port nothing listens on: every attempt is refused at once. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("one partner's webhook cannot delay another's", () => {
  let env: TestEnv;
  let api: FastifyInstance;
  let queue: WebhookQueue;
  let receiver: Receiver;
  const closers: (() => Promise<void>)[] = [];

  async function startWorker(options: { concurrency?: number; partnerConcurrency?: number; timeoutMs?: number } = {}) {
    const connection = createRedis(env.redisUrl, 'worker');
    const worker = createWebhookWorker({
      db: env.db,
      connection,
      prefix: env.prefix,
      queue,
      concurrency: options.concurrency ?? 8,
      partnerConcurrency: options.partnerConcurrency ?? 2,
      policy: LOCAL,
      secretKey: undefined,
      retryDelaysMs: [200, 300, 400],
      timeoutMs: options.timeoutMs ?? 2000,
      log: silentLog,
    });
    void worker.run();
    await worker.waitUntilReady();
    const close = async () => {
      await worker.close();
      await worker.closeSender();
      await connection.quit();
    };
    closers.push(close);
    return close;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    receiver = new Receiver();
    await receiver.start();
    api = await buildTestApi(env, { webhookPolicy: LOCAL, webhookTestsPerMinute: PINGS_PER_MINUTE });
    queue = createWebhookQueue(env.redis, env.prefix);
  });
  afterAll(async () => {
    for (const close of closers.splice(0)) await close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await api?.close();
    await receiver?.close();
    await env?.close();
  });

  async function deliveries(partner: PartnerClient) {
    const list = await partner.call('GET', '/v1/webhook/deliveries?pageSize=500');
    expect(list.status).toBe(200);
    return list.body.items as { id: string; type: string; status: string; attempts: number; nextAttemptAt: null }[];
  }

  it('takes a few test pings per partner per minute (429 with Retry-After, in English and Russian), each attempted once', async () => {
    const closeWorker = await startWorker();
    const dead = await PartnerClient.create(api, 'Dead endpoint');
    expect((await dead.call('PUT', '/v1/webhook', { url: `http://127.0.0.1:${await deadPort()}/hook` })).status).toBe(
      200,
    );
    const other = await PartnerClient.create(api, 'Other');
    expect((await other.call('PUT', '/v1/webhook', { url: receiver.url('/other-ping') })).status).toBe(200);

    const answers = await Promise.all(Array.from({ length: 20 }, () => dead.call('POST', '/v1/webhook/test')));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(PINGS_PER_MINUTE);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(20 - PINGS_PER_MINUTE);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({ code: 'webhook_test_rate_limited', limit: PINGS_PER_MINUTE });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    expect(refused[0]!.body.detail).toMatch(/3 test pings per minute/);
    const russian = await dead.call('POST', '/v1/webhook/test', undefined, { 'accept-language': 'ru' });
    expect(russian.status).toBe(429);
    expect(russian.body.detail).toMatch(/не более 3 тестовых уведомлений/);
    // Redelivering a ping is a test too.
    const pinged = answers.find((a) => a.status === 202)!.body.id;
    const again = await dead.call('POST', `/v1/webhook/deliveries/${pinged}/redeliver`);
    expect(again.status).toBe(429);
    expect(again.body.code).toBe('webhook_test_rate_limited');

    // Nothing was stored for the refused ones; the other partner's share is its own.
    expect((await deliveries(dead)).filter((d) => d.type === 'ping')).toHaveLength(PINGS_PER_MINUTE);
    const theirs = await other.call('POST', '/v1/webhook/test');
    expect(theirs.status).toBe(202);
    await until("the other partner's ping", () => receiver.at('/other-ping')[0]);

    // Each ping to the dead endpoint is attempted once and fails: no retry schedule.
    await until('the pings failed', async () => (await deliveries(dead)).every((d) => d.status === 'failed'));
    await new Promise((r) => setTimeout(r, 1500)); // well past the test's retry delays (200-400 ms)
    for (const d of await deliveries(dead))
      expect(d).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    const ids = (await deliveries(dead)).map((d) => d.id);
    const attempts = await env.sql`
      SELECT count(*)::int AS n FROM webhook_delivery_attempts WHERE delivery_id = ANY(${ids}::uuid[])`;
    expect(attempts[0]!.n).toBe(PINGS_PER_MINUTE);
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    await closeWorker();
    closers.splice(closers.indexOf(closeWorker), 1);
  });

  it("keeps only a partner's newest finished pings", async () => {
    const partner = await PartnerClient.create(api, 'Many pings');
    expect((await partner.call('PUT', '/v1/webhook', { url: receiver.url('/many') })).status).toBe(200);
    await env.sql`
      INSERT INTO webhook_deliveries (partner_id, type, payload, status, attempts, created_at)
      SELECT ${partner.id}::uuid, 'ping', '{}'::json, 'failed', 1, now() - make_interval(mins => i)
      FROM generate_series(1, 40) i`;
    expect((await partner.call('POST', '/v1/webhook/test')).status).toBe(202);
    const pings = (await deliveries(partner)).filter((d) => d.type === 'ping');
    expect(pings.filter((d) => d.status !== 'pending')).toHaveLength(20);
    expect(pings.filter((d) => d.status === 'pending')).toHaveLength(1);
  });

  it("another partner's deliveries stay under a second while one partner's dead endpoint has thousands of failing deliveries and it floods pings", async () => {
    await startWorker({ concurrency: 8, partnerConcurrency: 2, timeoutMs: 2000 });
    // The flooder's endpoint accepts connections and never answers (each attempt holds its slot 2 s).
    const flooder = await PartnerClient.create(api, 'Flooder');
    expect((await flooder.call('PUT', '/v1/webhook', { url: receiver.url('/blackhole') })).status).toBe(200);
    receiver.hang.add('/blackhole');
    const victim = await PartnerClient.create(api, 'Victim');
    expect((await victim.call('PUT', '/v1/webhook', { url: receiver.url('/victim') })).status).toBe(200);

    // A backlog of 4,000 events due now, queued as the worker would queue them.
    const backlog = await env.sql<{ id: string; attempts: number; partnerId: string }[]>`
      INSERT INTO webhook_deliveries (partner_id, type, payload)
      SELECT ${flooder.id}::uuid, 'license_job.finished', json_build_object('i', i) FROM generate_series(1, 4000) i
      RETURNING id, attempts, partner_id AS "partnerId"`;
    await enqueueDeliveries(queue, backlog);
    let flooding = true;
    const flood = (async () => {
      let sent = 0;
      // 200 a second, twice what the default rate limit (6,000 a minute) lets one key send.
      while (flooding) {
        await Promise.all(Array.from({ length: 10 }, () => flooder.call('POST', '/v1/webhook/test')));
        sent += 10;
        await new Promise((r) => setTimeout(r, 50));
      }
      return sent;
    })();

    try {
      const latencies: number[] = [];
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const started = Date.now();
        const [ref] = await env.db.transaction(async (tx) => [
          await recordWebhookEvent(tx, { partnerId: victim.id, type: 'license_job.finished', data: { i } }),
        ]);
        await enqueueDeliveries(queue, [ref!]);
        await until(`the victim's event ${i}`, () => receiver.at('/victim')[i], 5_000);
        latencies.push(Date.now() - started);
      }
      latencies.sort((a, b) => a - b);
      expect(latencies.at(-1), `the victim's latencies (ms): ${latencies.join(', ')}`).toBeLessThan(1000);
      // The flooder's endpoint got a few attempts (2 at a time, then 1 once it kept failing), not thousands,
      // and 3 of its pings were taken in the minute.
      expect(receiver.at('/blackhole').length).toBeLessThan(20);
      const pings = await env.sql`
        SELECT count(*)::int AS n FROM webhook_deliveries WHERE partner_id = ${flooder.id} AND type = 'ping'`;
      expect(pings[0]!.n).toBeLessThanOrEqual(PINGS_PER_MINUTE);
    } finally {
      flooding = false;
      expect(await flood).toBeGreaterThan(PINGS_PER_MINUTE);
      await flooder.call('DELETE', '/v1/webhook');
      receiver.hang.delete('/blackhole');
    }
  });

  it("a partner's parked attempts are all sent once its slots free, never more than its share at once", async () => {
    const endpoint = new SlowEndpoint(100);
    await endpoint.start();
    try {
      const partner = await PartnerClient.create(api, 'Busy');
      expect((await partner.call('PUT', '/v1/webhook', { url: endpoint.url('/busy') })).status).toBe(200);
      const refs = await env.db.transaction(async (tx) => {
        const out = [];
        for (let i = 0; i < 40; i++)
          out.push(await recordWebhookEvent(tx, { partnerId: partner.id, type: 'license_job.finished', data: { i } }));
        return out;
      });
      await enqueueDeliveries(queue, refs);
      await until('every delivery sent', async () => {
        const rows = await env.sql`
          SELECT count(*)::int AS n FROM webhook_deliveries WHERE partner_id = ${partner.id} AND status = 'delivered'`;
        return rows[0]!.n === 40;
      });
      expect(endpoint.mostHeld).toBeLessThanOrEqual(2);
      expect(new Set(endpoint.ids).size).toBe(40);
      expect(endpoint.ids).toHaveLength(40);
    } finally {
      await endpoint.close();
    }
  });
});
