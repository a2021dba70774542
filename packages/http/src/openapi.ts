import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { rejectUnknownQueryParameters } from './strict-query.ts';

/**
 * zod schemas drive validation, serialisation and the OpenAPI document (served at /docs/json), and
 * a route's querystring schema names every query parameter it accepts. Call before adding routes.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  info: { title: string; description: string; version?: string },
  servers?: { url: string; description?: string }[],
) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  rejectUnknownQueryParameters(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: info.title, description: info.description, version: info.version ?? '1.0.0' },
      ...(servers ? { servers } : {}),
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
