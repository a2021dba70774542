import { z } from 'zod';
import { countrySchema } from '@licensing/domain';
import { text, uuidSchema } from './common.ts';

export const createCustomerBody = z.strictObject({
  name: text(200),
  country: z.string().trim().toUpperCase().pipe(countrySchema),
});

export const customerSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  country: z.string(),
  createdAt: z.iso.datetime(),
});
export type Customer = z.infer<typeof customerSchema>;

export const customerParams = z.object({ customerId: z.string() });
