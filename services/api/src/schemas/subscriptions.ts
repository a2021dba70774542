import { z } from 'zod';
import { catalogIdSchema } from '@licensing/domain';

export const subscriptionParams = z.object({ customerId: z.string(), productId: catalogIdSchema });

export const MAX_QUANTITY = 1_000_000;
export const putSubscriptionBody = z.strictObject({
  quantity: z.number().int().min(0).max(MAX_QUANTITY),
});

export const subscriptionSchema = z.object({
  productId: z.string(),
  productName: z.string(),
  quantity: z.number().int(),
  assigned: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;
