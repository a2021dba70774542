import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { catalogIdSchema, productSchema } from '@licensing/domain';
import { getProduct, listProducts, type Db } from '@licensing/db';
import { notFound } from '@licensing/http';

/** The catalog's reads, served to partners (read from the catalog's tables, never cached). */
export function productRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/products',
      {
        schema: {
          tags: ['catalog'],
          summary: 'List products',
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
          params: z.object({ productId: catalogIdSchema }),
          response: { 200: productSchema },
        },
      },
      async (request) => {
        const product = await getProduct(deps.db, request.params.productId);
        if (!product) throw notFound(`Product "${request.params.productId}"`);
        return product;
      },
    );
  };
}
