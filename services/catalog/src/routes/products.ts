import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { catalogIdSchema, productProblems, productSchema } from '@licensing/domain';
import { getProduct, listProducts, type Db } from '@licensing/db';
import { badRequest, type FailedAuthThrottle, notFound, requireOperator } from '@licensing/http';
import { upsertProduct } from '../product-writes.ts';

const productParams = z.object({ productId: catalogIdSchema });
/** The body may omit `id`; when present it must equal the path's. */
const productBody = productSchema.extend({ id: catalogIdSchema.optional() });

export function productRoutes(deps: {
  db: Db;
  operatorToken: string;
  throttle?: FailedAuthThrottle;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/products',
      {
        schema: {
          tags: ['catalog'],
          summary: 'List products',
          security: [],
          response: { 200: z.object({ items: z.array(productSchema) }) },
        },
      },
      async () => ({ items: await listProducts(deps.db) }),
    );

    app.get(
      '/v1/products/:productId',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Get a product',
          security: [],
          params: productParams,
          response: { 200: productSchema },
        },
      },
      async (request) => {
        const product = await getProduct(deps.db, request.params.productId);
        if (!product) throw notFound('product', request.params.productId);
        return product;
      },
    );

    app.put(
      '/v1/products/:productId',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Create or replace a product (operator)',
          params: productParams,
          body: productBody,
          response: { 200: productSchema, 201: productSchema },
        },
        onRequest: requireOperator(deps.operatorToken, { throttle: deps.throttle }),
      },
      async (request, reply) => {
        const { productId } = request.params;
        if (request.body.id !== undefined && request.body.id !== productId) {
          throw badRequest(
            'product_id_mismatch',
            `The body's id "${request.body.id}" differs from the path's "${productId}".`,
          );
        }
        const product = { ...request.body, id: productId };
        const problems = productProblems(product);
        if (problems.length > 0) throw badRequest('invalid_product', problems.join('; '), { errors: problems });
        const { created } = await upsertProduct(deps.db, product);
        return reply.status(created ? 201 : 200).send(product);
      },
    );
  };
}
