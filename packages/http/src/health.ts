import type { FastifyInstance } from 'fastify';
import { ProblemError } from './problem.ts';

export type HealthCheck = () => Promise<unknown>;

/** Probes and scrapes arrive every few seconds: their requests are logged only when they go wrong. */
export const PROBE_LOG_LEVEL = 'warn';

/**
 * /livez: the process is up (no dependency checks). /readyz: every check answers within a second,
 * and the service is not shutting down.
 * Not @fastify/under-pressure: without load thresholds it is a status route around one check, and
 * with them a busy but healthy service leaves rotation; this reports each dependency apart.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  checks: Record<string, HealthCheck>,
  isShuttingDown: () => boolean,
) {
  app.get('/livez', { schema: { hide: true }, logLevel: PROBE_LOG_LEVEL }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, logLevel: PROBE_LOG_LEVEL }, async (_request, reply) => {
    if (isShuttingDown()) return reply.status(503).send({ status: 'shutting_down' });
    const results: Record<string, string> = {};
    let ready = true;
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 1000);
          results[name] = 'ok';
        } catch (error) {
          ready = false;
          results[name] = error instanceof Error ? error.message : 'failed';
        }
      }),
    );
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: results });
  });
}

/** The promise's outcome, or a rejection once `ms` have passed (the promise itself is not cancelled). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what = 'no answer'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Seconds a client is asked to wait before it retries a request a shutting-down process refused. */
export const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 1;

/**
 * While the process shuts down (from the signal until its server has closed), a request that still
 * arrives (on a kept-alive connection, or one a load balancer still routes here) is answered
 * `503 shutting_down` with `Retry-After` and `Connection: close`, a problem document like every
 * other answer, instead of Fastify's bare 503 (which `return503OnClosing: false` turns off); the
 * probes keep their own answers. Requests already running finish.
 */
export function registerShutdownAnswer(app: FastifyInstance, isShuttingDown: () => boolean) {
  app.addHook('onRequest', async (request) => {
    if (!isShuttingDown() || request.url === '/livez' || request.url === '/readyz') return;
    throw new ProblemError(
      503,
      'shutting_down',
      `This server is shutting down; retry in ${SHUTTING_DOWN_RETRY_AFTER_SECONDS} s.`,
      {},
      { 'retry-after': String(SHUTTING_DOWN_RETRY_AFTER_SECONDS), connection: 'close' },
      { retryAfter: SHUTTING_DOWN_RETRY_AFTER_SECONDS },
    );
  });
}
