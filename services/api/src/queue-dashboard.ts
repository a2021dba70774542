import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import { bearerToken, type FailedAuthThrottle, ProblemError, requestLanguage, secretsEqual } from '@licensing/http';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * The operator token as a Bearer token, or as the basic-auth password (so a browser can log in).
 * Not @fastify/basic-auth: it accepts Basic only and answers with its own errors, not the Bearer
 * token and the failed-attempt throttle's problem documents.
 */
export function isOperatorRequest(request: FastifyRequest, operatorToken: string): boolean {
  const header = request.headers.authorization;
  const bearer = bearerToken(header);
  if (bearer) return secretsEqual(bearer, operatorToken);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!basic) return false;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return decoded.includes(':') && secretsEqual(password, operatorToken);
}

/**
 * Bull Board for every queue of the system, in its own encapsulated scope whose onRequest hook
 * guards the page, its assets and its API (retry, clean, promote) alike.
 */
export async function registerQueueDashboard(
  app: FastifyInstance,
  queues: Queue[],
  operatorToken: string,
  throttle?: FailedAuthThrottle,
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'License tasks' } },
  });
  await app.register(async (scope) => {
    // Answered from the hook itself: errors thrown here would reach Bull Board's own error handler.
    scope.addHook('onRequest', async (request, reply) => {
      let denied: ProblemError | undefined;
      try {
        throttle?.assertAllowed(request);
      } catch (error) {
        denied = error as ProblemError;
      }
      if (!denied) {
        if (isOperatorRequest(request, operatorToken)) return;
        const unauthorized = new ProblemError(
          401,
          'unauthorized',
          'The operator token is required (Bearer, or as the basic-auth password).',
          {},
          { 'www-authenticate': 'Basic realm="queues", charset="UTF-8"' },
          { reason: 'queues' },
        );
        denied = throttle ? await throttle.failure(request, undefined, unauthorized) : unauthorized;
      }
      return reply
        .status(denied.status)
        .headers(denied.headers)
        .type('application/problem+json; charset=utf-8')
        .send(denied.toDocument(requestLanguage(request)));
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });
}
