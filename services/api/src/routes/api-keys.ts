import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@licensing/db';
import { notFound, ProblemError, unprocessable } from '@licensing/http';
import { missingCustomers, missingScopes, SCOPES, type Scope } from '@licensing/domain';
import { insufficientScope, partnerOf } from '../auth.ts';
import { pathId } from '../ids.ts';
import { existingCustomerIds } from '../repositories/customers.ts';
import {
  type ApiKeyInfo,
  getApiKey,
  issuePartnerApiKey,
  liveApiKeys,
  MAX_LIVE_PARTNER_KEYS,
  type PartnerCaller,
  revokeApiKey,
} from '../repositories/partners.ts';
import {
  apiKeyJson,
  apiKeyListSchema,
  apiKeySchema,
  createApiKeyBody,
  createdPartnerApiKeySchema,
} from '../schemas/partners.ts';
import { idParam, JSON_BODY_PROBLEMS, jsonResponse, noContent, problemResponses } from '../schemas/openapi.ts';

const keyParams = z.object({ keyId: idParam('API key') });

/**
 * What `caller` could not have granted of `key`: scopes it lacks, customers it may not reach. A key
 * only ever grants what its issuer holds, and only revokes keys it could have issued.
 */
function beyondCaller(
  caller: PartnerCaller,
  key: { scopes: readonly string[]; customerIds: readonly string[] | null },
) {
  return {
    scopes: missingScopes(caller.scopes, key.scopes),
    customers: missingCustomers(caller.customerIds, key.customerIds),
  };
}

function refuseBeyondCaller(caller: PartnerCaller, key: Parameters<typeof beyondCaller>[1], verb: 'issue' | 'revoke') {
  const { scopes, customers } = beyondCaller(caller, key);
  if (scopes.length > 0)
    throw insufficientScope(
      scopes.find((s): s is Scope => SCOPES.includes(s as Scope)),
      'grantScopes',
      { scopes },
      { verb },
    );
  if (customers.length > 0)
    throw insufficientScope(
      undefined,
      customers.includes('*') ? 'grantAllCustomers' : 'grantCustomers',
      { customerIds: customers },
      { verb },
    );
}

/** Self-service keys: a partner issues, lists and revokes keys with `keys:manage`. */
export function apiKeyRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
  const { db } = deps;

  /** The partner's live keys that the caller may see: all of them, or those within a limited caller's customers. */
  async function visibleKeys(caller: PartnerCaller): Promise<ApiKeyInfo[]> {
    const keys = (await liveApiKeys(db, [caller.id])).get(caller.id) ?? [];
    return keys.filter((key) => missingCustomers(caller.customerIds, key.customerIds).length === 0);
  }

  return async (app) => {
    app.post(
      '/v1/keys',
      {
        config: { scope: 'keys:manage' },
        schema: {
          operationId: 'createApiKey',
          tags: ['api keys'],
          summary: 'Issue an API key with chosen scopes, customers and expiry; shown once',
          description:
            'Issues a key of the partner that grants only `scopes`, optionally only for `customerIds` and until ' +
            '`expiresAt`. A key grants nothing it lacks itself: a scope the calling key does not hold, or a customer ' +
            'it may not reach, is 403 `insufficient_scope`; a key cannot outlive its issuer (403 ' +
            `\`key_outlives_issuer\`). At most ${MAX_LIVE_PARTNER_KEYS} live keys issued by the partner (409 ` +
            '`too_many_api_keys`). The key is stored only as a hash: this answer is the only place it is shown.',
          body: createApiKeyBody,
          bodyExamples: {
            helpdesk: {
              summary: 'A helpdesk key: reads and license changes, for one customer, for 90 days',
              value: {
                name: 'Helpdesk',
                scopes: ['read', 'licenses:write'],
                customerIds: ['7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11'],
                expiresAt: '2027-12-31T23:59:59Z',
              },
            },
            reporting: { summary: 'A read-only reporting key', value: { name: 'Nightly report', scopes: ['read'] } },
          },
          response: {
            201: jsonResponse(createdPartnerApiKeySchema, 'The key was issued; keep it, it is shown only here.'),
            ...problemResponses(JSON_BODY_PROBLEMS, {
              403: ['insufficient_scope', 'key_outlives_issuer'],
              409: ['too_many_api_keys'],
              422: ['unknown_customers', 'invalid_expiry'],
            }),
          },
        },
      },
      async (request, reply) => {
        const caller = partnerOf(request);
        const body = request.body;
        const scopes = SCOPES.filter((s) => body.scopes.includes(s));
        const customerIds = body.customerIds ? [...new Set(body.customerIds)] : null;
        refuseBeyondCaller(caller, { scopes, customerIds }, 'issue');
        if (customerIds) {
          const found = await existingCustomerIds(db, caller.id, customerIds);
          const unknown = customerIds.filter((id) => !found.has(id));
          if (unknown.length)
            throw unprocessable('unknown_customers', `No customer ${unknown.slice(0, 10).join(', ')}.`, {
              customerIds: unknown,
            });
        }
        let expiresAt = body.expiresAt ? new Date(body.expiresAt) : (caller.expiresAt ?? null);
        if (expiresAt && expiresAt.getTime() <= Date.now())
          throw unprocessable('invalid_expiry', '`expiresAt` must be in the future.');
        if (caller.expiresAt && expiresAt && expiresAt > caller.expiresAt)
          throw new ProblemError(
            403,
            'key_outlives_issuer',
            `This API key expires at ${caller.expiresAt.toISOString()}; a key it issues cannot expire later.`,
            { expiresAt: caller.expiresAt.toISOString() },
          );
        expiresAt ??= null;
        const key = await db.transaction((tx) =>
          issuePartnerApiKey(tx, caller.id, {
            name: body.name,
            scopes,
            customerIds,
            expiresAt,
            issuedByKeyId: caller.keyId,
          }),
        );
        request.log.info({ issuedKeyId: key.id, scopes, customers: customerIds?.length ?? 'all' }, 'API key issued');
        return reply.status(201).send({ ...apiKeyJson(key), apiKey: key.apiKey });
      },
    );

    app.get(
      '/v1/keys',
      {
        config: { scope: 'keys:manage' },
        schema: {
          operationId: 'listApiKeys',
          tags: ['api keys'],
          summary: "The partner's live API keys",
          description:
            'Every live key of the partner (issued by an operator or by the partner), oldest first, without the keys ' +
            'themselves. A key limited to some customers sees only the keys limited to customers it reaches.',
          response: { 200: jsonResponse(apiKeyListSchema, 'The live keys.'), ...problemResponses() },
        },
      },
      async (request) => (await visibleKeys(partnerOf(request))).map(apiKeyJson),
    );

    app.get(
      '/v1/keys/current',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getCurrentApiKey',
          tags: ['api keys'],
          summary: 'The API key of this request: its name, scopes, customers and expiry',
          description: 'Who is calling: what a client shows as signed in, and what it offers the key to do.',
          response: { 200: jsonResponse(apiKeySchema, 'The calling key.'), ...problemResponses() },
        },
      },
      async (request) => {
        const caller = partnerOf(request);
        const key = await getApiKey(db, caller.id, caller.keyId);
        if (!key) throw notFound('apiKey');
        return apiKeyJson(key);
      },
    );

    app.delete(
      '/v1/keys/:keyId',
      {
        config: { scope: 'keys:manage' },
        schema: {
          operationId: 'revokeApiKey',
          tags: ['api keys'],
          summary: 'Revoke an API key; it stops working at once on every API process',
          description:
            'Keys are looked up on every request, never cached: the key is refused (401) from the next request on, ' +
            'its open event streams and CSV downloads end. A key may revoke itself, and any key it could have ' +
            'issued (scopes and customers it holds itself); others are 403 `insufficient_scope`.',
          params: keyParams,
          response: { 204: noContent('The key was revoked.'), ...problemResponses(404) },
        },
      },
      async (request, reply) => {
        const caller = partnerOf(request);
        const keyId = pathId(request.params.keyId, 'apiKey');
        const key = await getApiKey(db, caller.id, keyId);
        if (!key || missingCustomers(caller.customerIds, key.customerIds).length > 0) throw notFound('apiKey');
        if (key.id !== caller.keyId) refuseBeyondCaller(caller, key, 'revoke');
        if (!(await revokeApiKey(db, caller.id, keyId))) throw notFound('apiKey');
        request.log.info({ revokedKeyId: keyId }, 'API key revoked');
        return reply.status(204).send();
      },
    );
  };
}
