import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@licensing/db';
import { notFound } from '@licensing/http';
import { pathId } from '../ids.ts';
import {
  type ApiKeyInfo,
  createPartner,
  getPartner,
  issueApiKey,
  listPartners,
  liveApiKeys,
  type PartnerRow,
  revokeApiKey,
} from '../repositories/partners.ts';
import { paged, pagedSchema, pageQuery } from '../schemas/common.ts';
import {
  apiKeyJson,
  apiKeyListSchema,
  createdApiKeySchema,
  createdPartnerSchema,
  createPartnerBody,
  partnerSchema,
} from '../schemas/partners.ts';
import {
  idParam,
  JSON_BODY_PROBLEMS,
  jsonResponse,
  noContent,
  OPERATOR_SECURITY,
  problemResponses,
} from '../schemas/openapi.ts';

const partnerParams = z.object({ partnerId: idParam('Partner') });
const keyParams = z.object({ partnerId: idParam('Partner'), keyId: idParam('API key') });

const keyJson = apiKeyJson;
const partnerJson = (p: PartnerRow, keys: ApiKeyInfo[]) => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt.toISOString(),
  keys: keys.map(keyJson),
});

export function adminPartnerRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
  const { db } = deps;
  const partnerInPath = async (param: string) => {
    const partner = await getPartner(db, pathId(param, 'partner'));
    if (!partner) throw notFound('partner');
    return partner;
  };

  return async (app) => {
    app.post(
      '/v1/admin/partners',
      {
        schema: {
          operationId: 'createPartner',
          tags: ['operators'],
          summary: 'Create a partner; its API key is shown once',
          description:
            'Creates a partner and answers its API key, the Bearer credential of its calls. The key is stored only ' +
            'as a hash: this answer is the only place it is ever shown.',
          security: OPERATOR_SECURITY,
          body: createPartnerBody,
          bodyExamples: { partner: { summary: 'A new partner', value: { name: 'Contoso Partner' } } },
          response: {
            201: jsonResponse(createdPartnerSchema, 'The partner was created; keep its API key.'),
            ...problemResponses(JSON_BODY_PROBLEMS),
          },
        },
      },
      async (request, reply) => reply.status(201).send(await createPartner(db, request.body.name)),
    );

    app.get(
      '/v1/admin/partners',
      {
        schema: {
          operationId: 'listPartners',
          tags: ['operators'],
          summary: 'List partners with their live API keys',
          description: 'Every partner, oldest first, with its live keys (prefix, created, last used).',
          security: OPERATOR_SECURITY,
          querystring: pageQuery,
          response: {
            200: jsonResponse(pagedSchema(partnerSchema, 'PartnerPage'), 'A page of partners.'),
            ...problemResponses(400),
          },
        },
      },
      async (request) => {
        const { items, total } = await listPartners(db, request.query);
        const keys = await liveApiKeys(
          db,
          items.map((p) => p.id),
        );
        return paged(
          items.map((p) => partnerJson(p, keys.get(p.id) ?? [])),
          request.query,
          total,
        );
      },
    );

    app.get(
      '/v1/admin/partners/:partnerId',
      {
        schema: {
          operationId: 'getPartner',
          tags: ['operators'],
          summary: 'Get a partner with its live API keys',
          description: 'The partner and its live keys (prefix, created, last used), oldest first.',
          security: OPERATOR_SECURITY,
          params: partnerParams,
          response: { 200: jsonResponse(partnerSchema, 'The partner.'), ...problemResponses(404) },
        },
      },
      async (request) => {
        const partner = await partnerInPath(request.params.partnerId);
        return partnerJson(partner, (await liveApiKeys(db, [partner.id])).get(partner.id) ?? []);
      },
    );

    app.get(
      '/v1/admin/partners/:partnerId/keys',
      {
        schema: {
          operationId: 'listPartnerApiKeys',
          tags: ['operators'],
          summary: "List a partner's live API keys",
          description:
            'The live keys, oldest first: id, name, prefix, scopes, customers, expiry, when created and when last ' +
            'used (to the minute); the keys the partner issued itself too.',
          security: OPERATOR_SECURITY,
          params: partnerParams,
          response: { 200: jsonResponse(apiKeyListSchema, 'The live keys.'), ...problemResponses(404) },
        },
      },
      async (request) => {
        const partner = await partnerInPath(request.params.partnerId);
        return ((await liveApiKeys(db, [partner.id])).get(partner.id) ?? []).map(keyJson);
      },
    );

    app.post(
      '/v1/admin/partners/:partnerId/keys',
      {
        schema: {
          operationId: 'createPartnerApiKey',
          tags: ['operators'],
          summary: 'Issue another API key to a partner (rotation); shown once',
          description:
            'Answers a new key that works at once, beside the existing one: hand it to the partner, let it switch, ' +
            'then revoke the old key. An operator-issued key has every scope and reaches every customer. A partner has ' +
            'at most 2 live operator-issued keys (those it issues itself do not count); a third is 409 ' +
            '`too_many_api_keys`.',
          security: OPERATOR_SECURITY,
          params: partnerParams,
          response: {
            201: jsonResponse(createdApiKeySchema, 'The key was issued; it is shown only here.'),
            ...problemResponses(404, { 409: ['too_many_api_keys'] }),
          },
        },
      },
      async (request, reply) => {
        const partnerId = pathId(request.params.partnerId, 'partner');
        const key = await db.transaction((tx) => issueApiKey(tx, partnerId));
        if (!key) throw notFound('partner');
        request.log.info({ partnerId, keyId: key.id }, 'API key issued');
        return reply.status(201).send({ id: key.id, apiKey: key.apiKey, createdAt: key.createdAt.toISOString() });
      },
    );

    app.delete(
      '/v1/admin/partners/:partnerId/keys/:keyId',
      {
        schema: {
          operationId: 'revokePartnerApiKey',
          tags: ['operators'],
          summary: 'Revoke an API key; it stops working at once',
          description:
            'The key is refused (401) by every API process from the next request on: keys are looked up on every ' +
            'request, never cached. Revoking the last live key locks the partner out until another is issued.',
          security: OPERATOR_SECURITY,
          params: keyParams,
          response: { 204: noContent('The key was revoked.'), ...problemResponses(404) },
        },
      },
      async (request, reply) => {
        const partnerId = pathId(request.params.partnerId, 'partner');
        const keyId = pathId(request.params.keyId, 'apiKey');
        if (!(await revokeApiKey(db, partnerId, keyId))) throw notFound('apiKey');
        request.log.info({ partnerId, keyId }, 'API key revoked');
        return reply.status(204).send();
      },
    );
  };
}
