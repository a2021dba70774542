// The language a request is answered in: Accept-Language negotiated among the languages the
// service words its messages in (packages/i18n). Problem documents and per-user error messages
// follow it; every answer says which (Content-Language) and that it depends on the header (Vary).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLanguage, type Language } from '@licensing/i18n';

const chosen = new WeakMap<FastifyRequest, Language>();

export function requestLanguage(request: FastifyRequest): Language {
  let language = chosen.get(request);
  if (!language) {
    language = negotiateLanguage(request.headers['accept-language']);
    chosen.set(request, language);
  }
  return language;
}

/** Content-Language of the request's language, and Accept-Language added to Vary. */
export function setLanguageHeaders(request: FastifyRequest, reply: FastifyReply) {
  reply.header('content-language', requestLanguage(request));
  const vary = reply.getHeader('vary');
  const values = (Array.isArray(vary) ? vary.join(',') : String(vary ?? ''))
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (!values.some((v) => v.toLowerCase() === 'accept-language' || v === '*'))
    reply.header('vary', [...values, 'Accept-Language'].join(', '));
}
