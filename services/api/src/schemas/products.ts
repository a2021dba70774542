import { z } from 'zod';
import { productSchema, servicePlanSchema } from '@licensing/domain';

// The catalog's own schemas, named in the OpenAPI document (the instances are the domain's).
z.globalRegistry.add(servicePlanSchema, {
  id: 'ServicePlan',
  description: 'A part of a product that can be turned off per user; `requires` names plans that must stay on.',
});
z.globalRegistry.add(productSchema, { id: 'Product', description: 'A product of the catalog.' });

export { productSchema };
export const productListSchema = z
  .object({ items: z.array(productSchema) })
  .meta({ id: 'ProductList', description: 'Every product of the catalog.' });
