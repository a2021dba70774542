import { z } from 'zod';
import { catalogIdSchema } from '@licensing/domain';
import { idParam } from './openapi.ts';

export const subscriptionParams = z.object({ customerId: idParam('Customer'), productId: catalogIdSchema });

export const MAX_QUANTITY = 1_000_000;
export const putSubscriptionBody = z
  .strictObject({
    quantity: z
      .number()
      .int()
      .min(0)
      .max(MAX_QUANTITY)
      .meta({ description: 'Seats bought; "buy more" is a higher one.' }),
  })
  .meta({ id: 'PutSubscriptionRequest' });

export const subscriptionSchema = z
  .object({
    productId: z.string(),
    productName: z.string(),
    quantity: z.number().int(),
    assigned: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int().meta({ description: 'quantity − assigned − reserved' }),
    waiting: z.number().int().meta({
      description:
        'Group members waiting for a seat of this product; licensed automatically, oldest first, as seats free up.',
    }),
  })
  .meta({ id: 'Subscription', description: "A customer's seats of one product." });
export type Subscription = z.infer<typeof subscriptionSchema>;

export const subscriptionListSchema = z
  .object({ items: z.array(subscriptionSchema) })
  .meta({ id: 'SubscriptionList', description: "The customer's subscriptions." });
