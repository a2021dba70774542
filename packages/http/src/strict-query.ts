import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { badRequest } from './problem.ts';

/**
 * The query parameters a route's declared querystring schema names (zod or JSON schema), or null
 * when the schema accepts any name. A route without a querystring schema takes no parameters.
 */
export function declaredQueryParameters(schema: unknown): Set<string> | null {
  if (schema === undefined || schema === null) return new Set();
  const json = (
    schema instanceof z.ZodType ? z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) : schema
  ) as { properties?: Record<string, unknown>; additionalProperties?: unknown };
  if (json.additionalProperties !== undefined && json.additionalProperties !== false) return null;
  if (!json.properties) throw new Error('a querystring schema must be an object schema with named properties');
  return new Set(Object.keys(json.properties));
}

/** Routes of the documented API: those with a schema the OpenAPI document shows, and everything under /v1/. */
function isApiRoute(route: RouteOptions): boolean {
  const schema = route.schema as { hide?: boolean } | undefined;
  return route.url.startsWith('/v1/') || (schema !== undefined && schema.hide !== true);
}

/**
 * A query parameter a route does not declare is answered 400 `invalid_request` (as an unknown body
 * field is), on every route of the API: `users?productId=X` must not quietly list everyone. One
 * check for all routes, derived from each route's own querystring schema, so a parameter declared
 * in the schema (and so in the OpenAPI document) is exactly what is accepted. Must be registered
 * before the routes.
 */
export function rejectUnknownQueryParameters(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!isApiRoute(route)) return;
    const allowed = declaredQueryParameters(route.schema?.querystring);
    if (allowed === null) return;
    const check = async (request: { query: unknown }) => {
      const query = request.query as Record<string, unknown> | undefined;
      if (!query) return;
      const unknown = Object.keys(query).filter((name) => !allowed.has(name));
      if (unknown.length === 0) return;
      const names = unknown.slice(0, 20);
      throw badRequest(
        'invalid_request',
        `Unknown query parameter${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n.slice(0, 100)}"`).join(', ')}; ${
          allowed.size ? `this route takes ${[...allowed].join(', ')}` : 'this route takes none'
        }.`,
        { parameters: names.map((n) => n.slice(0, 100)) },
        { allowed: [...allowed] },
      );
    };
    const existing = route.preValidation;
    route.preValidation =
      existing === undefined ? [check] : [check, ...(Array.isArray(existing) ? existing : [existing])];
  });
}
