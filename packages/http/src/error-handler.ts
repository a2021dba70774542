import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { requestLanguage, setLanguageHeaders } from './language.ts';
import { ProblemError, problemDocument, rootCause } from './problem.ts';
import { parseWellFormedJson } from './well-formed-json.ts';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** Postgres and network errors that mean "the database is away for now", answered 503, not 500. */
export function isDependencyUnavailable(wrapped: unknown): boolean {
  const error = rootCause(wrapped);
  const e = error as { code?: string; errno?: string };
  const code = e?.code ?? '';
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
      'CONNECTION_DESTROYED',
      'CONNECT_TIMEOUT',
    ].includes(code) ||
    code.startsWith('08') || // connection exceptions
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' || // admin shutdown, crash shutdown, cannot connect now
    (error instanceof Error && /Connection is closed|Stream isn't writeable|ECONNREFUSED/.test(error.message))
  );
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: PropertyKey[]; message?: string } };
}

function validationErrors(error: FastifyError): { path: string; message: string }[] {
  return ((error.validation ?? []) as ValidationIssue[]).map((v) => ({
    path:
      (v.params?.issue?.path?.length
        ? v.params.issue.path.map(String).join('.')
        : v.instancePath?.replace(/^\//, '').replaceAll('/', '.')) || '(root)',
    message: v.params?.issue?.message ?? v.message ?? 'is invalid',
  }));
}

/**
 * The one error handler: problem documents for every error, worded in the request's language
 * (Accept-Language), the full error logged with the request's context for 5xx, and a generic
 * message to the client. Every answer carries Content-Language and `Vary: Accept-Language`.
 */
export const problemErrorHandler = fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', async (request, reply) => {
      setLanguageHeaders(request, reply);
    });
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const language = requestLanguage(request);
      if (error instanceof ProblemError) {
        if (error.status >= 500) request.log.error({ err: error }, 'request failed');
        return reply.status(error.status).headers(error.headers).type(PROBLEM_JSON).send(error.toDocument(language));
      }
      if (error.validation) {
        const errors = validationErrors(error);
        const where = error.validationContext ?? 'request';
        const issues = errors
          .map((e) => `${e.path} ${e.message}`)
          .join('; ')
          .slice(0, 2000);
        return reply
          .status(400)
          .type(PROBLEM_JSON)
          .send(
            problemDocument(400, 'validation_error', `Invalid ${where}: ${issues}`, { errors }, language, {
              where,
              issues,
            }),
          );
      }
      if (isDependencyUnavailable(error)) {
        request.log.warn({ err: error }, 'dependency unavailable');
        return reply
          .status(503)
          .header('retry-after', '5')
          .type(PROBLEM_JSON)
          .send(
            problemDocument(
              503,
              'service_unavailable',
              'A backing service is temporarily unavailable; retry shortly.',
              {},
              language,
            ),
          );
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code =
          status === 413
            ? 'payload_too_large'
            : status === 415
              ? 'unsupported_media_type'
              : status === 429
                ? 'rate_limited'
                : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
                  ? 'malformed_json'
                  : (error.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, '');
        return reply
          .status(status)
          .type(PROBLEM_JSON)
          .send(problemDocument(status, code, error.message, {}, language));
      }
      request.log.error({ err: error }, 'unhandled error');
      return reply
        .status(500)
        .type(PROBLEM_JSON)
        .send(problemDocument(500, 'internal_error', 'An unexpected error occurred.', {}, language));
    });
    // A JSON API: bodies in any other media type are answered 415, not parsed as text; JSON bodies
    // must be well-formed text.
    app.removeContentTypeParser(['text/plain']);
    parseWellFormedJson(app);
    app.setNotFoundHandler((request, reply) => {
      reply
        .status(404)
        .type(PROBLEM_JSON)
        .send(
          problemDocument(
            404,
            'not_found',
            `No route for ${request.method} ${request.url.split('?')[0]}.`,
            {},
            requestLanguage(request),
            { resource: 'route', method: request.method, path: request.url.split('?')[0] },
          ),
        );
    });
  },
  { name: 'problem-error-handler' },
);
