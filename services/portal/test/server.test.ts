// The portal's server on its own: the page with its Content-Security-Policy and nonce, hashed
// assets served precompressed and cached, client-side routes, and the /v1 proxy (headers, large
// bodies, event streams passed through as they are written) to an upstream standing in for the API.
import { readdir } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPortalApp } from '../src/app.ts';
import { distRoot, ensurePortalBuilt } from '../src/build.ts';

let upstream: FastifyInstance;
let portal: FastifyInstance;
let base: string;
const seen: { authorization?: string; bodyLength?: number } = {};
/** The headers naming a client address that the stand-in API received on its last /v1/whoami. */
let forwarded: Record<string, string | string[] | undefined> = {};

beforeAll(async () => {
  await ensurePortalBuilt();
  upstream = Fastify({ bodyLimit: 32 * 1024 * 1024 });
  upstream.get('/v1/customers', async (request) => {
    seen.authorization = request.headers.authorization;
    return { items: [], page: 1, pageSize: 50, total: 0, totalPages: 0 };
  });
  upstream.get('/v1/whoami', async (request) => {
    const { headers } = request;
    forwarded = Object.fromEntries(
      Object.keys(headers)
        .filter((name) => /^(x-forwarded-|forwarded$|x-real-ip$|x-client-ip$|true-client-ip$)/.test(name))
        .map((name) => [name, headers[name]]),
    );
    return { peer: request.socket.remoteAddress };
  });
  upstream.post('/v1/big', async (request) => {
    seen.bodyLength = JSON.stringify(request.body).length;
    return { ok: true };
  });
  upstream.get('/v1/events', (_request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    reply.raw.write('event: progress\ndata: {"n":1}\n\n');
    setTimeout(() => {
      reply.raw.write('event: finished\ndata: {"n":2}\n\n');
      reply.raw.end();
    }, 1500);
  });
  await upstream.listen({ host: '127.0.0.1', port: 0 });
  const { port } = upstream.server.address() as { port: number };
  portal = await buildPortalApp({ apiUrl: `http://127.0.0.1:${port}`, distDir: distRoot, logLevel: 'silent' });
  await portal.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(portal.server.address() as { port: number }).port}`;
}, 120_000);

afterAll(async () => {
  // Ends keep-alive connections too (the test's fetch client and the proxy's own), which a plain
  // close() may wait on until the hook times out.
  for (const app of [portal, upstream]) {
    if (!app) continue;
    const closing = app.close();
    app.server.closeAllConnections();
    await closing;
  }
});

describe('portal server', () => {
  it('serves the page with a strict Content-Security-Policy and a fresh nonce on every response', async () => {
    const first = await fetch(`${base}/`);
    const second = await fetch(`${base}/customers/4d1c/users`, { headers: { accept: 'text/html' } });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const csp = first.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(await first.text()).toContain(`content="${nonce}"`);
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves hashed assets precompressed and cached for a year; unknown paths are 404', async () => {
    const script = (await readdir(`${distRoot}/assets`)).find((f) => f.endsWith('.js'))!;
    const res = await fetch(`${base}/assets/${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/assets/missing-123.js`)).status).toBe(404);
    const api404 = await fetch(`${base}/nothing`, { headers: { accept: 'application/json' } });
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toContain('application/problem+json');
  });

  it('proxies /v1 with the Authorization header and large bodies', async () => {
    const res = await fetch(`${base}/v1/customers`, { headers: { authorization: 'Bearer lsk_test' } });
    expect(res.status).toBe(200);
    expect(seen.authorization).toBe('Bearer lsk_test');
    const userIds = Array.from({ length: 50_000 }, () => crypto.randomUUID());
    const big = await fetch(`${base}/v1/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userIds }),
    });
    expect(big.status).toBe(200);
    expect(seen.bodyLength).toBe(JSON.stringify({ userIds }).length);
  });

  it("forwards the client's address as its own peer saw it, never the X-Forwarded-For or Forwarded the client sent", async () => {
    const res = await fetch(`${base}/v1/whoami`, {
      headers: {
        'x-forwarded-for': '203.0.113.9, 198.51.100.1',
        forwarded: 'for=203.0.113.9;proto=https',
        'x-real-ip': '203.0.113.9',
        'x-client-ip': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      },
    });
    expect(res.status).toBe(200);
    // The test's fetch connects from 127.0.0.1: that, and only that, reaches the API.
    expect(forwarded).toEqual({ 'x-forwarded-for': '127.0.0.1' });
    await fetch(`${base}/v1/whoami`);
    expect(forwarded).toEqual({ 'x-forwarded-for': '127.0.0.1' });
  });

  it('passes an event stream through as it is written', async () => {
    const started = Date.now();
    const res = await fetch(`${base}/v1/events`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: progress');
    expect(Date.now() - started).toBeLessThan(1200); // not held back until the stream ends
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('event: finished');
  });
});
