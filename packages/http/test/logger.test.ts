// Every log line names its service; the requests of probes and scrapes (/livez, /readyz, /metrics)
// are not logged at info, other requests are.
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { loggerOptions } from '../src/logger.ts';
import { registerHealthRoutes } from '../src/health.ts';
import { registerHttpMetrics } from '../src/metrics.ts';

it('logs JSON lines with the service, and leaves health checks and scrapes out at info', async () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = Fastify({ logger: { ...loggerOptions('api', { level: 'info' }), stream } });
  registerHealthRoutes(app, { postgres: async () => 1 }, () => false);
  registerHttpMetrics(app, new Registry());
  app.get('/v1/things', async () => ({ things: [] }));
  try {
    for (const url of ['/livez', '/readyz', '/metrics']) expect((await app.inject({ url })).statusCode).toBe(200);
    expect(lines.filter((l) => 'req' in l || 'res' in l)).toEqual([]);
    await app.inject({ url: '/v1/things', headers: { authorization: 'Bearer secret' } });
    const logged = lines.filter((l) => 'req' in l || 'res' in l);
    expect(logged.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(logged.every((l) => l.service === 'api')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('secret');
  } finally {
    await app.close();
  }
});
