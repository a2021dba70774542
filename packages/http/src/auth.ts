import { createHash, timingSafeEqual } from 'node:crypto';

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
