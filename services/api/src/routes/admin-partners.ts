import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '@licensing/db';
import { createPartner } from '../repositories/partners.ts';
import { createPartnerBody, createdPartnerSchema } from '../schemas/partners.ts';
import { problemSchema } from '../schemas/common.ts';

export function adminPartnerRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/admin/partners',
      {
        schema: {
          tags: ['operators'],
          summary: 'Create a partner; its API key is shown once',
          body: createPartnerBody,
          response: { 201: createdPartnerSchema, 401: problemSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await createPartner(deps.db, request.body.name)),
    );
  };
}
