import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FailedAuthThrottle } from './auth-throttle.ts';
import { unauthorized } from './problem.ts';

/** The Bearer credential of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison of two secrets of any length (their digests are compared). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/**
 * onRequest hook for operator routes: the operator token as Bearer, or 401 (partner keys too).
 * With a throttle, failures count towards it and a throttled caller is answered 429 unchecked.
 */
export function requireOperator(operatorToken: string, options: { throttle?: FailedAuthThrottle } = {}) {
  const { throttle } = options;
  return async (request: FastifyRequest) => {
    throttle?.assertAllowed(request);
    const token = bearerToken(request.headers.authorization);
    if (token && secretsEqual(token, operatorToken)) return;
    throw throttle ? await throttle.failure(request, undefined, unauthorized('operator')) : unauthorized('operator');
  };
}
