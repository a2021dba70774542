import type { FastifyServerOptions } from 'fastify';

/**
 * pino options shared by every service: credentials never reach the logs, whatever logs them.
 */
export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'apiKey',
        '*.apiKey',
        'operatorToken',
        'token',
      ],
      censor: '[redacted]',
    },
  };
}
