import { z } from 'zod';
import { MAX_JOB_USERS } from './license-jobs.ts';
import { uuidSchema } from './common.ts';

export const licenseOverviewBody = z.strictObject({
  userIds: z.array(uuidSchema).min(1).max(MAX_JOB_USERS),
});

export const licenseOverviewSchema = z.object({
  users: z.array(z.object({ id: uuidSchema, displayName: z.string(), userPrincipalName: z.string() })),
  products: z.array(
    z.object({
      productId: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      assigned: z.number().int(),
      available: z.number().int(),
      selection: z.enum(['all', 'some', 'none']),
      assignedUserIds: z.array(uuidSchema),
      buyMore: z.boolean(),
      servicePlans: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
});
