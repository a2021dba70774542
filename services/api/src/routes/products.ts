import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { catalogIdSchema } from '@licensing/domain';
import { getProduct, listProducts, type Db } from '@licensing/db';
import { notFound } from '@licensing/http';
import { jsonResponse, problemResponses } from '../schemas/openapi.ts';
import { productListSchema, productSchema } from '../schemas/products.ts';

/** The catalog's reads, served to partners (read from the catalog's tables, never cached). */
export function productRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/products',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listProducts',
          tags: ['catalog'],
          summary: 'List products',
          description: 'Every product of the catalog with its service plans and assignment rules.',
          response: {
            200: jsonResponse(productListSchema, 'The products of the catalog.'),
            ...problemResponses(400),
          },
        },
      },
      async () => ({ items: await listProducts(deps.db) }),
    );

    app.get(
      '/v1/products/:productId',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getProduct',
          tags: ['catalog'],
          summary: 'Get a product',
          description: 'One product of the catalog.',
          params: z.object({ productId: catalogIdSchema.meta({ description: 'The product id, e.g. SPE_E3.' }) }),
          response: {
            200: jsonResponse(productSchema, 'The product.'),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request) => {
        const product = await getProduct(deps.db, request.params.productId);
        if (!product) throw notFound('product', request.params.productId);
        return product;
      },
    );
  };
}
