import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../src/config.ts';

describe('worker configuration', () => {
  it('knows whether the operator chose the port', () => {
    expect(loadWorkerConfig({})).toMatchObject({ WORKER_PORT: 3002, workerPortIsDefault: true, tracing: false });
    expect(loadWorkerConfig({ WORKER_PORT: '3002' })).toMatchObject({ WORKER_PORT: 3002, workerPortIsDefault: false });
  });

  it('turns tracing on with an OTLP endpoint and refuses bad values', () => {
    expect(loadWorkerConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBe(true);
    expect(() => loadWorkerConfig({ WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY/);
  });

  it('takes WEBHOOK_SECRET_KEY as 32 bytes in base64 only, and names it otherwise', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadWorkerConfig({ WEBHOOK_SECRET_KEY: key }).WEBHOOK_SECRET_KEY).toBe(key);
    for (const wrong of [Buffer.alloc(16, 7).toString('base64'), Buffer.alloc(32, 7).toString('hex'), 'not a key!', ''])
      expect(() => loadWorkerConfig({ WEBHOOK_SECRET_KEY: wrong }), wrong).toThrow(/WEBHOOK_SECRET_KEY/);
  });
});
