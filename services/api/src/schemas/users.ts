import { z } from 'zod';
import { catalogIdSchema, countrySchema } from '@licensing/domain';
import { pageQuery, text, uuidSchema } from './common.ts';
import { userSearchSchema } from './user-selection.ts';

export const userPrincipalNameSchema = text(256).refine(
  (s) => /^[^\s@]+@[^\s@]+$/.test(s),
  'must look like name@domain',
);

export const createUserBody = z.strictObject({
  userPrincipalName: userPrincipalNameSchema,
  displayName: text(256),
  usageLocation: z.string().trim().toUpperCase().pipe(countrySchema).nullish(),
});
export type CreateUser = z.infer<typeof createUserBody>;

export const MAX_USER_BATCH = 10_000;
export const createUsersBatchBody = z.strictObject({
  users: z.array(createUserBody).min(1).max(MAX_USER_BATCH),
});

export const licenseSchema = z.object({
  productId: catalogIdSchema,
  disabledServicePlans: z.array(z.string()),
});

export const userSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  userPrincipalName: z.string(),
  displayName: z.string(),
  usageLocation: z.string().nullable(),
  licenses: z.array(licenseSchema),
});
export type User = z.infer<typeof userSchema>;

export const userParams = z.object({ customerId: z.string(), userId: z.string() });

export const listUsersQuery = pageQuery.extend({
  search: userSearchSchema.optional(),
});
