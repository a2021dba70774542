import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import httpProxy from '@fastify/http-proxy';
import type { TrustProxy } from '@licensing/config';
import { loggerOptions, registerHealthRoutes } from '@licensing/http';

export interface PortalAppDeps {
  /** Base URL of the API; `/v1` is proxied there so the browser talks to one origin only. */
  apiUrl: string;
  /** The built front end (see build.ts). */
  distDir: string;
  logLevel?: string;
  /** Lines for people (a terminal) instead of JSON. */
  prettyLogs?: boolean;
  isShuttingDown?: () => boolean;
  /**
   * PORTAL_TRUST_PROXY: whose X-Forwarded-For the portal believes. Default: nobody, the client's
   * address is the portal's TCP peer.
   */
  trustProxy?: TrustProxy;
}

/**
 * Request headers that name a client address (or the protocol and host it used). A client's own are
 * never passed on: the API would believe them from the portal, its trusted proxy.
 */
const CLIENT_ADDRESS_HEADER = /^(?:forwarded|x-forwarded-.*|x-real-ip|x-client-ip|true-client-ip|cf-connecting-ip)$/;

/**
 * The headers the API receives for a proxied request: the client's, less every client-address
 * header, plus `X-Forwarded-For` set to the one address the portal determined (its TCP peer, or what
 * a proxy it trusts saw), so the API throttles and logs each browser by its own address.
 */
export function proxiedRequestHeaders(clientAddress: string | undefined, headers: IncomingHttpHeaders) {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!CLIENT_ADDRESS_HEADER.test(name)) kept[name] = value;
  // No address only once the client's socket is gone (the answer will not reach it anyway).
  if (clientAddress) kept['x-forwarded-for'] = clientAddress;
  return kept;
}

const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * The Content-Security-Policy of every page: scripts only from this origin, styles from this origin
 * or carrying the page's nonce (Fluent UI's style engine inserts its rules into nonce-bearing
 * style elements), requests only to this origin, never framed.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

function securityHeaders(reply: FastifyReply, nonce = randomBytes(16).toString('base64')) {
  reply.header('content-security-policy', contentSecurityPolicy(nonce));
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
}

/**
 * The portal's server: the built single-page app (hashed assets cached for a year, served
 * precompressed; index.html never cached, with a fresh CSP nonce per response) and a proxy of
 * `/v1` to the API. It keeps no state and holds no credentials: the partner's key travels from
 * the browser's tab to the API in the Authorization header of each request.
 */
export async function buildPortalApp(deps: PortalAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions('portal', { level: deps.logLevel ?? 'info', pretty: deps.prettyLogs }),
    trustProxy: deps.trustProxy ?? false,
  });
  const indexTemplate = await readFile(join(deps.distDir, 'index.html'), 'utf8');
  if (!indexTemplate.includes(NONCE_PLACEHOLDER)) throw new Error('index.html lacks the CSP nonce placeholder');

  registerHealthRoutes(app, {}, deps.isShuttingDown ?? (() => false));

  await app.register(httpProxy, {
    upstream: deps.apiUrl,
    prefix: '/v1',
    rewritePrefix: '/v1',
    // Job event streams stay open while a job runs; the browser reconnects if one is cut.
    undici: { bodyTimeout: 0, headersTimeout: 30_000 },
    replyOptions: {
      rewriteRequestHeaders: (request, headers) => proxiedRequestHeaders(request.ip, headers),
      rewriteHeaders: (headers) => ({ ...headers, 'x-content-type-options': 'nosniff' }),
    },
  });

  await app.register(fastifyStatic, {
    root: join(deps.distDir, 'assets'),
    prefix: '/assets/',
    preCompressed: true,
    index: false,
    wildcard: true,
    cacheControl: false,
    setHeaders: (reply) => {
      // Names carry a content hash: a changed file is a new URL.
      reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/assets/')) securityHeaders(reply);
  });

  const sendIndex = (reply: FastifyReply) => {
    const nonce = randomBytes(16).toString('base64');
    securityHeaders(reply, nonce);
    return reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(indexTemplate.replaceAll(NONCE_PLACEHOLDER, nonce));
  };
  app.get('/', (_request, reply) => sendIndex(reply));
  // The app's own routes (/customers/…) are client-side: a reload or a shared link gets the page.
  app.setNotFoundHandler((request, reply) => {
    if (
      request.method === 'GET' &&
      !request.url.startsWith('/assets/') &&
      request.headers.accept?.includes('text/html')
    )
      return sendIndex(reply);
    securityHeaders(reply);
    return reply
      .status(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `${request.method} ${request.url.split('?')[0]} does not exist`,
        code: 'not_found',
      });
  });
  return app;
}
