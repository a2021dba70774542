import { z } from 'zod';

/** Variables every service reads. Each service extends this with its own and parses once at boot. */
export const commonEnv = {
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/licensing'),
  /** `false` behind a transaction-mode pooler that cannot keep named prepared statements. */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** A streaming replica for reads that may lag (lists, results); unset: everything on DATABASE_URL. */
  DATABASE_READ_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** `host:port,…` of a Redis Cluster; when set it is used instead of REDIS_URL. */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, 'host:port,host:port,…')
    .optional(),
  /** License-task queues; a customer's tasks always go to the same one. */
  QUEUE_SHARDS: z.coerce.number().int().min(1).max(64).default(1),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Where spans are exported (OTLP); tracing is off when unset. The SDK reads the other OTEL_* itself. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().min(1).optional(),
};

/**
 * What every service derives from the common variables. This is the one place NODE_ENV is looked
 * at: in production an operator token is required and a Redis that may evict keys is refused.
 */
export function commonSettings(parsed: { NODE_ENV: string; OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined }) {
  return { production: parsed.NODE_ENV === 'production', tracing: Boolean(parsed.OTEL_EXPORTER_OTLP_ENDPOINT) };
}

/**
 * Which peers' X-Forwarded-For to believe for the client address (throttling, logs): `true`, `false`,
 * a hop count, or addresses/CIDRs/`loopback`/`linklocal`/`uniquelocal`, comma-separated.
 */
export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

export function parseTrustProxy(value: string): TrustProxy {
  const v = value.trim();
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_address, hop) => hop < hops;
  }
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Variables of the HTTP services (API and catalog). */
export const httpEnv = {
  /**
   * Default: no proxy is believed, the client is the TCP peer. Name only proxies that overwrite the
   * header (the portal does; `pnpm start` sets `loopback` for the API behind it).
   */
  TRUST_PROXY: z.string().default('false').transform(parseTrustProxy),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(30),
};

export function parseEnv<T extends z.ZodRawShape>(
  shape: T,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  return result.data;
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** How the license-task queues are laid out (see @licensing/queue's shards). */
export function queueLayout(parsed: {
  BULLMQ_PREFIX: string;
  QUEUE_SHARDS: number;
  REDIS_CLUSTER_NODES?: string | undefined;
}) {
  return { prefix: parsed.BULLMQ_PREFIX, shards: parsed.QUEUE_SHARDS, cluster: Boolean(parsed.REDIS_CLUSTER_NODES) };
}

/** The operator credential: required in production, a well-known default elsewhere. */
export function operatorToken(value: string | undefined, production: boolean): string {
  if (value) return value;
  if (production) throw new Error('Invalid configuration:\n  OPERATOR_TOKEN: required when NODE_ENV=production');
  return 'dev-operator-token';
}

/** `true` or `false` (anything else is refused, so `WEBHOOK_ALLOW_PRIVATE_TARGETS=1` is not silently false). */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

/** What the API (saving a webhook) and the worker (delivering) both read. */
export const webhookEnv = {
  /** Accept webhook URLs that resolve to loopback, private or other non-public addresses (development, tests). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: flag(false),
  /**
   * 32 bytes in base64: webhook signing secrets are stored sealed with it (AES-256-GCM). Unset, they
   * are stored as they are. The API and the worker must share it.
   */
  WEBHOOK_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64 (for example from `openssl rand -base64 32`)')
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes in base64')
    .optional(),
};
