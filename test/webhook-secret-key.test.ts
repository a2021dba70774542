// WEBHOOK_SECRET_KEY: webhook secrets are stored sealed, deliveries are signed with the secret the
// partner was shown, and a worker whose key does not open a secret sends nothing and says why.
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { createRedis } from '@licensing/redis';
import { createWebhookQueue, sealSecret, type WebhookQueue } from '@licensing/webhooks';
import { checkWebhookSecretKey, createWebhookWorker, UNREADABLE_SECRET_ERROR } from '@licensing/worker';
import { buildTestApi, createTestEnv, type TestEnv } from './support/test-env.ts';
import { PartnerClient } from './support/client.ts';
import { Receiver, until } from './support/webhook-receiver.ts';

const LOCAL = { allowPrivateTargets: true, allowHttp: true };
const KEY = randomBytes(32).toString('base64');
const OTHER_KEY = randomBytes(32).toString('base64');

/** A logger whose lines the test reads. */
function capturingLog() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

let env: TestEnv;
let api: FastifyInstance;
let receiver: Receiver;
let queue: WebhookQueue;

/** A delivery worker with the given WEBHOOK_SECRET_KEY (base64, or unset). */
async function startDeliveries(key: string | undefined) {
  const connection = createRedis(env.redisUrl, 'worker');
  const { log, lines } = capturingLog();
  const worker = createWebhookWorker({
    db: env.db,
    connection,
    prefix: env.prefix,
    queue,
    concurrency: 4,
    partnerConcurrency: 2,
    policy: LOCAL,
    secretKey: key ? Buffer.from(key, 'base64') : undefined,
    // The next attempt after a failed one is far away: each test sees only the attempts it asks for.
    retryDelaysMs: [600_000],
    log,
  });
  void worker.run();
  await worker.waitUntilReady();
  return {
    lines,
    close: async () => {
      await worker.close();
      await worker.closeSender();
      await connection.quit();
    },
  };
}

beforeAll(async () => {
  env = await createTestEnv();
  receiver = new Receiver();
  await receiver.start();
  api = await buildTestApi(env, { webhookPolicy: LOCAL, webhookSecretKey: KEY });
  queue = createWebhookQueue(env.redis, env.prefix);
});

afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await api?.close();
  await receiver?.close();
  await env?.close();
});

async function deliveryOf(partner: PartnerClient, id: string) {
  const list = await partner.call('GET', '/v1/webhook/deliveries?pageSize=500');
  return list.body.items.find((d: { id: string }) => d.id === id);
}

describe('WEBHOOK_SECRET_KEY', () => {
  it('stores the secret sealed, and signs deliveries with the secret the partner was shown', async () => {
    const partner = await PartnerClient.create(api, 'Sealed');
    const created = await partner.call('PUT', '/v1/webhook', { url: receiver.url('/sealed') });
    expect(created.status).toBe(200);
    const secret = created.body.secret as string;
    const stored = async () =>
      (
        await env.sql`SELECT w.secret FROM webhooks w JOIN partners p ON p.id = w.partner_id WHERE p.name = 'Sealed'`
      )[0]!.secret as string;
    const sealed = await stored();
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain(secret.slice('whsec_'.length));
    expect(sealed).not.toContain(Buffer.from(secret.slice('whsec_'.length), 'base64').toString('hex'));

    // A rotation seals the new secret afresh; the old one no longer signs.
    const rotated = await partner.call('POST', '/v1/webhook/rotate-secret');
    expect(rotated.status).toBe(200);
    const current = rotated.body.secret as string;
    expect(current).not.toBe(secret);
    const resealed = await stored();
    expect(resealed).toMatch(/^sealed:v1:/);
    expect(resealed).not.toBe(sealed);
    expect(resealed).not.toContain(current.slice('whsec_'.length));

    const deliveries = await startDeliveries(KEY);
    try {
      const ping = await partner.call('POST', '/v1/webhook/test');
      expect(ping.status).toBe(202);
      const request = await until('the ping', () => receiver.at('/sealed')[0], 20_000);
      const headers = request.headers as Record<string, string>;
      // The contract's signature, computed here: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">
      // keyed with the bytes of the secret (the base64 after whsec_).
      const expected = createHmac('sha256', Buffer.from(current.slice('whsec_'.length), 'base64'))
        .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${request.body}`)
        .digest('base64');
      expect(headers['webhook-id']).toBe(ping.body.id);
      expect(headers['webhook-signature']).toBe(`v1,${expected}`);
      expect(new Webhook(current).verify(request.body, headers)).toMatchObject({ type: 'ping' });
      expect(() => new Webhook(secret).verify(request.body, headers)).toThrow();
      const delivery = await until(
        'delivered',
        async () => {
          const d = await deliveryOf(partner, ping.body.id);
          return d?.status === 'delivered' ? d : undefined;
        },
        20_000,
      );
      expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 204, lastError: null });
      expect(await checkWebhookSecretKey(env.db, Buffer.from(KEY, 'base64'), capturingLog().log)).toBe(0);
    } finally {
      await deliveries.close();
    }
  });

  it('sends nothing when the key does not open the secret, records why, and delivers once the key is right', async () => {
    const partner = await PartnerClient.create(api, 'Rekeyed');
    const created = await partner.call('PUT', '/v1/webhook', { url: receiver.url('/rekeyed') });
    const secret = created.body.secret as string;

    // The worker was started with another key than the one the API sealed with (changed, or not shared).
    const wrong = await startDeliveries(OTHER_KEY);
    let pingId: string;
    try {
      const ping = await partner.call('POST', '/v1/webhook/test');
      pingId = ping.body.id;
      const failed = await until(
        'the failed attempt',
        async () => {
          const d = await deliveryOf(partner, pingId);
          return d?.attempts === 1 && d.lastError ? d : undefined;
        },
        20_000,
      );
      // A ping is attempted once: it fails, unsent (a job's event would be retried on its schedule).
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
      expect(failed.lastError).toBe(UNREADABLE_SECRET_ERROR);
      const [attempt] = await env.sql`
        SELECT attempt, status_code, error FROM webhook_delivery_attempts WHERE delivery_id = ${pingId}`;
      expect(attempt).toEqual({ attempt: 1, status_code: null, error: UNREADABLE_SECRET_ERROR });
      // Nothing reached the endpoint: no request signed with anything else.
      expect(receiver.at('/rekeyed')).toHaveLength(0);
      const logged = wrong.lines.find((l) => l.level === 50 && l.deliveryId === pingId);
      expect(logged?.msg).toMatch(/WEBHOOK_SECRET_KEY does not open its signing secret/);
    } finally {
      await wrong.close();
    }

    // The check at a worker's start names what its key does not open (here: every sealed secret).
    const check = capturingLog();
    expect(await checkWebhookSecretKey(env.db, Buffer.from(OTHER_KEY, 'base64'), check.log)).toBeGreaterThanOrEqual(1);
    expect(check.lines[0]).toMatchObject({ level: 50, keyConfigured: true });
    expect(check.lines[0]!.msg).toMatch(/^WEBHOOK_SECRET_KEY does not open \d+ stored webhook secret/);
    const unset = capturingLog();
    expect(await checkWebhookSecretKey(env.db, undefined, unset.log)).toBeGreaterThanOrEqual(1);
    expect(unset.lines[0]).toMatchObject({ level: 50, keyConfigured: false });

    // With the right key, a redelivery goes out signed with the partner's secret.
    const right = await startDeliveries(KEY);
    try {
      expect((await partner.call('POST', `/v1/webhook/deliveries/${pingId!}/redeliver`)).status).toBe(202);
      const request = await until('the redelivered ping', () => receiver.at('/rekeyed')[0], 20_000);
      expect(new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toMatchObject({
        type: 'ping',
      });
      expect(request.headers['webhook-id']).toBe(pingId!);
    } finally {
      await right.close();
    }
  });

  it('lets the partner recover alone by rotating: the new secret is sealed under the current key', async () => {
    const partner = await PartnerClient.create(api, 'Recovering');
    await partner.call('PUT', '/v1/webhook', { url: receiver.url('/recovering') });
    // Its secret as if sealed under an earlier key the service no longer has.
    const earlier = sealSecret(`whsec_${randomBytes(32).toString('base64')}`, Buffer.from(OTHER_KEY, 'base64'));
    await env.sql`
      UPDATE webhooks SET secret = ${earlier} WHERE partner_id = (SELECT id FROM partners WHERE name = 'Recovering')`;
    expect(await checkWebhookSecretKey(env.db, Buffer.from(KEY, 'base64'), capturingLog().log)).toBeGreaterThanOrEqual(
      1,
    );
    const rotated = await partner.call('POST', '/v1/webhook/rotate-secret');
    const deliveries = await startDeliveries(KEY);
    try {
      const ping = await partner.call('POST', '/v1/webhook/test');
      const request = await until('the ping', () => receiver.at('/recovering')[0], 20_000);
      expect(request.headers['webhook-id']).toBe(ping.body.id);
      expect(
        new Webhook(rotated.body.secret).verify(request.body, request.headers as Record<string, string>),
      ).toMatchObject({ type: 'ping' });
    } finally {
      await deliveries.close();
    }
  });
});
