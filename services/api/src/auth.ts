import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Db } from '@licensing/db';
import { bearerToken, type FailedAuthThrottle, ProblemError, unauthorized } from '@licensing/http';
import { grants, isScope, reachesCustomer, type Scope, SCOPES } from '@licensing/domain';
import { API_KEY_PREFIX, apiKeyPrefix, findApiKey, type PartnerCaller } from './repositories/partners.ts';
import { PARTNER_SECURITY_SCHEME, partnerRouteProblems } from './schemas/openapi.ts';

/** A partner route as declared: what its key needs. */
export interface PartnerRoute {
  method: string;
  url: string;
  scope: Scope;
  allCustomers: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    partner?: PartnerCaller;
  }
  interface FastifyInstance {
    /** Every partner route with the scope it declares, in the order registered (buildApiApp). */
    partnerRoutes: readonly PartnerRoute[];
  }
  interface FastifyContextConfig {
    /**
     * The scope a partner key needs for this route. Every partner route declares one: the partner
     * scope refuses to register a route without it (see declarePartnerScopes).
     */
    scope?: Scope;
    /**
     * The route acts for every customer of the partner (creating a customer, the partner's webhook):
     * a key limited to some customers is refused with 403 `insufficient_scope`.
     */
    allCustomers?: boolean;
  }
}

/** Why a key may not: its scopes, or its customers (the catalog words each, see packages/i18n). */
export type ScopeRefusal = 'scope' | 'allCustomers' | 'grantScopes' | 'grantCustomers' | 'grantAllCustomers';

/** 403 `insufficient_scope`: the key lacks `requiredScope` (or is limited to some customers). */
export function insufficientScope(
  requiredScope: Scope | undefined,
  reason: ScopeRefusal = 'scope',
  extensions: Record<string, unknown> = {},
  params: Record<string, unknown> = {},
): ProblemError {
  return new ProblemError(
    403,
    'insufficient_scope',
    reason === 'allCustomers'
      ? 'This API key is limited to some customers; this request needs a key for every customer.'
      : `This API key lacks the scope "${requiredScope}" this request needs.`,
    { ...(requiredScope ? { requiredScope } : {}), ...extensions },
    {},
    { reason, ...params },
  );
}

/**
 * onRoute hook of the partner routes, registered before them: every route must declare the scope it
 * needs as `config: { scope }` (one of SCOPES), or the app does not start (and so no test, no
 * OpenAPI dump and no lint passes). The declaration is also what the OpenAPI document shows: the
 * operation's `security` names the scope, and its 401 and 403 responses list `key_expired` and
 * `insufficient_scope`. requirePartner enforces the same declaration on every request. Each route
 * is added to `routes` (tests check every one of them).
 */
export function declarePartnerScopes(app: FastifyInstance, routes: PartnerRoute[]): void {
  const declared = new WeakSet<object>();
  app.addHook('onRoute', (route: RouteOptions) => {
    const scope = route.config?.scope;
    if (!isScope(scope))
      throw new Error(
        `${route.method} ${route.url}: a partner route must declare the scope it needs as config: { scope } ` +
          `(one of ${SCOPES.join(', ')}); got ${JSON.stringify(scope)}`,
      );
    for (const method of [route.method].flat())
      routes.push({ method, url: route.url, scope, allCustomers: route.config?.allCustomers === true });
    const schema = route.schema as
      | { security?: unknown; response?: Record<string, unknown>; description?: string }
      | undefined;
    // A GET's HEAD route shares its schema: declared once.
    if (!schema || declared.has(schema)) return;
    declared.add(schema);
    schema.security = [{ [PARTNER_SECURITY_SCHEME]: [scope] }];
    schema.response = { ...schema.response, ...partnerRouteProblems(schema.response?.[403] !== undefined) };
    const needs = route.config?.allCustomers
      ? `Needs scope \`${scope}\` and a key for every customer (a key limited to some customers: 403).`
      : `Needs scope \`${scope}\`.`;
    schema.description = schema.description ? `${schema.description}\n\n${needs}` : needs;
  });
}

/** The route's declared scope and customer rule (declarePartnerScopes made sure every route has one). */
function declaredScope(request: FastifyRequest): { scope: Scope; allCustomers: boolean } {
  const config = request.routeOptions.config;
  if (!isScope(config.scope)) throw new Error(`${request.method} ${request.routeOptions.url} declares no scope`);
  return { scope: config.scope, allCustomers: config.allCustomers === true };
}

/**
 * onRequest hook for partner routes: a live API key or 401, then the route's declared scope or 403.
 * Sets request.partner. Failures to authenticate count towards the throttle by the caller's address; a
 * throttled caller is answered 429 before its key is looked up. A revoked or expired key is answered as
 * such, and counted against that key at that address only: it is a key the partner once held, not a
 * guess, and a process still sending it after a rotation must not throttle the address the partner's
 * new key is used from. Keys are looked up on every request (nothing is cached), so a revoked or
 * expired key is refused at once by every process.
 */
export function requirePartner(db: Db, throttle?: FailedAuthThrottle) {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    const prefix = token?.startsWith(API_KEY_PREFIX) ? apiKeyPrefix(token) : undefined;
    throttle?.assertAllowed(request, prefix);
    const match = token ? await findApiKey(db, token, request.log) : undefined;
    if (match?.state !== 'live') {
      const denied =
        match?.state === 'revoked'
          ? unauthorized('revoked')
          : match?.state === 'expired'
            ? new ProblemError(
                401,
                'key_expired',
                'This API key has expired; use another key of the partner.',
                {},
                { 'www-authenticate': 'Bearer error="invalid_token"' },
              )
            : unauthorized('partner');
      throw throttle ? await throttle.failure(request, prefix, denied, { byAddress: !match }) : denied;
    }
    request.partner = match.partner;
    request.log = request.log.child({ partnerId: match.partner.id, keyId: match.partner.keyId });
    const { scope, allCustomers } = declaredScope(request);
    if (!grants(match.partner.scopes, scope)) throw insufficientScope(scope);
    if (allCustomers && match.partner.customerIds !== null) throw insufficientScope(scope, 'allCustomers');
  };
}

/** The caller's partner and key; only called on routes behind requirePartner. */
export function partnerOf(request: FastifyRequest): PartnerCaller {
  if (!request.partner) throw unauthorized();
  return request.partner;
}

/** Whether the caller's key may reach this customer (a key limited to others answers as if it did not exist). */
export function callerReaches(request: FastifyRequest, customerId: string): boolean {
  return reachesCustomer(partnerOf(request).customerIds, customerId);
}
