import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import type { FastifyServerOptions } from 'fastify';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/**
 * pino options shared by every service. Every line carries the service that wrote it (`service`),
 * and credentials never reach the logs, whatever logs them. `pretty` (the service's stdout is a
 * terminal, as under `pnpm start`) prints lines for people, prefixed with the service; otherwise
 * they are JSON, one per line, for machines.
 */
export function loggerOptions(service: string, options: { level: string; pretty?: boolean }): LoggerOptions {
  const stream = options.pretty ? prettyStream(service) : undefined;
  return {
    level: options.level,
    base: { service, pid: process.pid, hostname: hostname() },
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
    ...(stream ? { stream } : {}),
  };
}

/**
 * pino-pretty is a development dependency: where it is not installed (the production image) the
 * lines stay JSON. Synchronous, in the process: no transport thread for a developer's terminal.
 */
function prettyStream(service: string): NodeJS.WritableStream | undefined {
  let pretty: typeof import('pino-pretty').build;
  try {
    pretty = createRequire(import.meta.url)('pino-pretty');
  } catch {
    return undefined;
  }
  return pretty({
    sync: true,
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    messageFormat: `${service} | {msg}`,
  });
}
