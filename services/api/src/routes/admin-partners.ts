import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '@licensing/db';
import { createPartner } from '../repositories/partners.ts';
import { createPartnerBody, createdPartnerSchema } from '../schemas/partners.ts';
import { JSON_BODY_PROBLEMS, jsonResponse, OPERATOR_SECURITY, problemResponses } from '../schemas/openapi.ts';

export function adminPartnerRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
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
      async (request, reply) => reply.status(201).send(await createPartner(deps.db, request.body.name)),
    );
  };
}
