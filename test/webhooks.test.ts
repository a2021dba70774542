// Webhooks: the partner's endpoint (its URL checks, secret, isolation), the outbox written with the
// job's finish, and the delivery worker against a real HTTP receiver on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { isPublicAddress } from '@licensing/webhooks';
import { buildTestApi, createTestEnv, type TestEnv } from './support/test-env.ts';
import { PartnerClient } from './support/client.ts';

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

  it('shows the secret on creation and rotation only, and keeps each partner to its own', async () => {
    const partner = await PartnerClient.create(api);
    const other = await PartnerClient.create(api, 'Other Partner');
    const created = await partner.call('PUT', '/v1/webhook', { url: 'http://127.0.0.1:9/hook' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ url: 'http://127.0.0.1:9/hook', events: ['license_job.finished'] });
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
