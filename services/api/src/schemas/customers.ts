import { z } from 'zod';
import { countrySchema } from '@licensing/domain';
import { text, uuidSchema } from './common.ts';
import { idParam } from './openapi.ts';

export const createCustomerBody = z
  .strictObject({
    name: text(200),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .pipe(countrySchema)
      .meta({ description: 'ISO 3166-1 alpha-2; the usage location of users that have none.' }),
  })
  .meta({ id: 'CreateCustomerRequest' });

export const customerSchema = z
  .object({
    id: uuidSchema,
    name: z.string(),
    country: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Customer', description: "One of the partner's customers (a tenant)." });
export type Customer = z.infer<typeof customerSchema>;

export const customerParams = z.object({ customerId: idParam('Customer') });
