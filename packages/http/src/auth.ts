import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
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

/** onRequest hook for operator routes: the operator token as Bearer, or 401 (partner keys too). */
export function requireOperator(operatorToken: string, detail = 'The operator token is required.') {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    if (!token || !secretsEqual(token, operatorToken)) throw unauthorized(detail);
  };
}
