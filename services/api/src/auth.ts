import type { FastifyRequest } from 'fastify';
import type { Db } from '@licensing/db';
import { bearerToken, unauthorized } from '@licensing/http';
import { findPartnerByApiKey } from './repositories/partners.ts';

declare module 'fastify' {
  interface FastifyRequest {
    partner?: { id: string; name: string };
  }
}

/** onRequest hook for partner routes: a valid API key or 401. Sets request.partner. */
export function requirePartner(db: Db) {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    const partner = token ? await findPartnerByApiKey(db, token) : undefined;
    if (!partner) throw unauthorized('A valid partner API key is required as a Bearer token.');
    request.partner = partner;
    request.log = request.log.child({ partnerId: partner.id });
  };
}

/** The caller's partner; only called on routes behind requirePartner. */
export function partnerOf(request: FastifyRequest): { id: string; name: string } {
  if (!request.partner) throw unauthorized();
  return request.partner;
}
