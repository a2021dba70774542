import type { FastifyRequest } from 'fastify';
import type { Db } from '@licensing/db';
import { bearerToken, type FailedAuthThrottle, unauthorized } from '@licensing/http';
import { API_KEY_PREFIX, apiKeyPrefix, findApiKey } from './repositories/partners.ts';

declare module 'fastify' {
  interface FastifyRequest {
    partner?: { id: string; name: string; keyId: string };
  }
}

/**
 * onRequest hook for partner routes: a live API key or 401. Sets request.partner. Failures count
 * towards the throttle by the caller's address; a throttled caller is answered 429 before its key is
 * looked up. A revoked key is answered as such, and counted against that key at that address only:
 * it is a key the partner once held, not a guess, and a process still sending it after a rotation
 * must not throttle the address the partner's new key is used from.
 */
export function requirePartner(db: Db, throttle?: FailedAuthThrottle) {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    const prefix = token?.startsWith(API_KEY_PREFIX) ? apiKeyPrefix(token) : undefined;
    throttle?.assertAllowed(request, prefix);
    const match = token ? await findApiKey(db, token, request.log) : undefined;
    if (!match?.live) {
      const denied = match ? unauthorized('revoked') : unauthorized('partner');
      throw throttle ? await throttle.failure(request, prefix, denied, { byAddress: !match }) : denied;
    }
    request.partner = match.partner;
    request.log = request.log.child({ partnerId: match.partner.id });
  };
}

/** The caller's partner; only called on routes behind requirePartner. */
export function partnerOf(request: FastifyRequest): { id: string; name: string; keyId: string } {
  if (!request.partner) throw unauthorized();
  return request.partner;
}
