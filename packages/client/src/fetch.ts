import { retryAfterSeconds } from './errors.ts';
import { IDEMPOTENT_ROUTES } from './idempotent-routes.gen.ts';

export type FetchLike = (request: Request) => Promise<Response>;

export interface RetryOptions {
  /** Attempts in all, the first included (default 4; 1 turns retrying off). */
  maxAttempts?: number;
  /** The longest wait before a retry, in ms (default 60,000): a longer Retry-After is not waited for. */
  maxDelayMs?: number;
  /** The wait when a 503 has no Retry-After, doubled at every attempt (default 1,000 ms). */
  baseDelayMs?: number;
  /** Called before each retry, e.g. to tell a person why nothing happens. */
  onRetry?: (info: { attempt: number; delayMs: number; status: number; url: string }) => void;
}

/** The POST routes that take an Idempotency-Key, as patterns of a URL's path. */
const KEYED = IDEMPOTENT_ROUTES.map(
  (route) => new RegExp(`${route.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
);

/**
 * Whether a request is a POST to a route that takes an Idempotency-Key: the ones that create a job
 * (…/license-jobs, …/retry, …/revert, as the OpenAPI document declares them).
 */
export function createsJob(method: string, url: string): boolean {
  if (method !== 'POST') return false;
  const { pathname } = new URL(url);
  return KEYED.some((pattern) => pattern.test(pathname));
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A fetch that (1) gives every job creation (a POST to a route that takes one) an `Idempotency-Key`
 * unless the request has one, so that a retried creation answers the same job instead of a second
 * one; and (2) retries answers 429 and 503 after their `Retry-After` (or a growing wait when a 503
 * has none). A 429 was refused before anything was done, so any request is retried; a 503 only for
 * a request that is safe to repeat: GET, PUT, DELETE, or one with an Idempotency-Key.
 */
export function licensingFetch(
  inner: FetchLike,
  options: { retry?: RetryOptions | false; idempotencyKeys?: boolean } = {},
): FetchLike {
  const retry = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
  const maxAttempts = Math.max(1, retry.maxAttempts ?? 4);
  const maxDelayMs = retry.maxDelayMs ?? 60_000;
  const baseDelayMs = retry.baseDelayMs ?? 1000;
  return async (request) => {
    if (options.idempotencyKeys !== false && createsJob(request.method, request.url)) {
      if (!request.headers.has('idempotency-key')) request.headers.set('idempotency-key', crypto.randomUUID());
    }
    for (let attempt = 1; ; attempt++) {
      const response = await inner(attempt < maxAttempts ? request.clone() : request);
      const status = response.status;
      if (attempt >= maxAttempts || (status !== 429 && status !== 503)) return response;
      const repeatable =
        status === 429 || IDEMPOTENT_METHODS.has(request.method) || request.headers.has('idempotency-key');
      if (!repeatable) return response;
      const retryAfter = retryAfterSeconds(response);
      const delayMs = retryAfter !== undefined ? retryAfter * 1000 : baseDelayMs * 2 ** (attempt - 1);
      if (delayMs > maxDelayMs) return response;
      await response.body?.cancel().catch(() => {});
      retry.onRetry?.({ attempt, delayMs, status, url: request.url });
      await sleep(delayMs, request.signal);
    }
  };
}
