import { z } from 'zod';
import { catalogIdSchema, countrySchema, invisibleCharacters } from '@licensing/domain';
import { pagedSchema, pageQuery, text, uuidSchema } from './common.ts';
import { idParam } from './openapi.ts';
import { departmentSchema, userSearchSchema } from './user-selection.ts';
import { changeErrorSchema, changeResultSchema } from './license-jobs.ts';

/**
 * Stored in Unicode normalisation form NFKC, case as given: "ｊｏｈｎ@x" is stored as "john@x".
 * Uniqueness goes by a key that also ignores case and cross-script look-alikes (see userPrincipalNameKey).
 */
export const userPrincipalNameSchema = text(256)
  .transform((s) => s.normalize('NFKC'))
  // Invisible characters (some of which count as spaces) are answered by the route: 422 invisible_characters.
  .refine((s) => /^[^\s@]+@[^\s@]+$/.test(s) || invisibleCharacters(s).length > 0, 'must look like name@domain')
  .refine((s) => s.length <= 256, 'must be at most 256 characters once normalised');

/** A user's usage location: a country code in any case, stored upper case. */
export const usageLocationSchema = z.string().trim().toUpperCase().pipe(countrySchema);

export const createUserBody = z
  .strictObject({
    userPrincipalName: userPrincipalNameSchema.meta({
      description:
        'name@domain, stored in Unicode NFKC. Unique within the customer regardless of case, Unicode form and ' +
        'look-alike letters of other scripts (full-width, decomposed, or Cyrillic "а" for Latin "a": the same name); ' +
        'invisible characters are refused.',
    }),
    displayName: text(256),
    usageLocation: usageLocationSchema
      .nullish()
      .meta({ description: "An assigned ISO 3166-1 alpha-2 code; without one, the customer's country applies." }),
    department: departmentSchema
      .nullish()
      .meta({ description: 'Free text of at most 64 characters (trimmed); dynamic group rules select by it.' }),
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUser = z.infer<typeof createUserBody>;

export const MAX_USER_BATCH = 10_000;
export const createUsersBatchBody = z
  .strictObject({
    users: z.array(createUserBody).min(1).max(MAX_USER_BATCH),
  })
  .meta({ id: 'CreateUsersBatchRequest' });

export const licenseSchema = z
  .object({
    productId: catalogIdSchema,
    disabledServicePlans: z.array(z.string()),
    assignedBy: z
      .object({
        direct: z.boolean().meta({ description: 'Assigned by a license job (revocable by one).' }),
        groupIds: z.array(uuidSchema).meta({ description: 'The groups the user holds the product through.' }),
      })
      .meta({
        id: 'LicenseAssignedBy',
        description:
          "The license's sources. However many, it takes one seat; its enabled plans are the union of theirs.",
      }),
  })
  .meta({ id: 'License', description: 'A product a user holds, with the service plans turned off for them.' });

export const licenseStateSchema = z
  .object({
    productId: catalogIdSchema,
    groupId: uuidSchema,
    state: z.enum(['active', 'waiting', 'error']).meta({
      description:
        '`active`: held through the group. `waiting`: no seat was free; licensed automatically, oldest first, ' +
        'as seats free up. `error`: a rule refused it (see `error`); re-evaluated when the user, the group or the ' +
        'catalog changes, and on reprocess.',
    }),
    since: z.string().meta({ format: 'date-time', description: 'When the state began.' }),
    error: changeErrorSchema.optional(),
  })
  .meta({ id: 'LicenseState', description: 'A product the user should hold through a group, and where that stands.' });

export const userSchema = z
  .object({
    id: uuidSchema,
    customerId: uuidSchema,
    userPrincipalName: z.string(),
    displayName: z.string(),
    usageLocation: z.string().nullable(),
    department: z.string().nullable(),
    licenses: z.array(licenseSchema),
    licenseStates: z
      .array(licenseStateSchema)
      .meta({ description: 'One row per (group, product) the user should hold through a group.' }),
  })
  .meta({ id: 'User', description: "A customer's user and the licenses it holds." });
export type User = z.infer<typeof userSchema>;

export const userParams = z.object({ customerId: idParam('Customer'), userId: idParam('User') });
export const createdUsersSchema = z
  .object({ items: z.array(userSchema) })
  .meta({ id: 'CreatedUsers', description: 'The users created, in request order.' });

/** The fields given change; `usageLocation: null` clears it (the customer's country applies again). */
export const updateUserBody = z
  .strictObject({
    displayName: text(256).optional(),
    usageLocation: usageLocationSchema
      .nullable()
      .optional()
      .meta({ description: "ISO 3166-1 alpha-2; null clears it, and the customer's country applies." }),
    department: departmentSchema.nullable().optional().meta({ description: 'At most 64 characters; null clears it.' }),
  })
  .meta({
    id: 'UpdateUserRequest',
    description: 'The fields to change; those left out stay as they are. The licenses are not touched.',
  });
export type UpdateUser = z.infer<typeof updateUserBody>;

export const listUsersQuery = pageQuery.extend({
  search: userSearchSchema.optional().meta({
    description:
      'Matches any part of displayName or userPrincipalName, case- and accent-insensitively ("muller" finds "Müller").',
  }),
  hasProduct: catalogIdSchema.optional().meta({ description: 'Only users who hold this product.' }),
  lacksProduct: catalogIdSchema.optional().meta({ description: 'Only users who do not hold this product.' }),
  licensed: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: only users who hold any product; false: only users who hold none.' }),
  department: departmentSchema
    .optional()
    .meta({ description: 'Only users of this department (exact match, case included).' }),
});

/** One change a job applied to (or refused for) a user, as the job's result for the user lists it. */
export const licenseHistoryEntrySchema = z
  .object({
    jobId: uuidSchema,
    at: z.iso.datetime().meta({ description: 'When the job applied (or refused) the change for this user.' }),
    productId: z.string(),
    action: changeResultSchema.shape.action,
    outcome: changeResultSchema.shape.outcome,
    disabledServicePlans: z
      .array(z.string())
      .optional()
      .meta({
        description:
          'The service plans disabled once the change applied: for an assign, and for a revoke that left the license ' +
          'to its other sources (`inherited`, or a group’s `updated`/`unchanged`). Older assigns: those the job asked to disable.',
      }),
    error: changeResultSchema.shape.error,
    groupId: uuidSchema.optional().meta({
      description:
        "Set when the change was made by this group of the user once the job's changes were applied (a waiting " +
        'or refused grant they settled: a seat or an excluded product freed); such changes are not in the job’s result.',
    }),
  })
  .meta({
    id: 'LicenseHistoryEntry',
    description:
      'One change a job applied to a user, or refused for it (`outcome: failed` with `error`), or one the user’s groups made once a job’s changes were applied (`groupId`).',
  });
export type LicenseHistoryEntry = z.infer<typeof licenseHistoryEntrySchema>;

/** The user list's page: the common page fields, and whether `total` is an estimate. */
export const userPageSchema = pagedSchema(userSchema, 'UserPage', {
  totalIsEstimate: z.boolean().meta({
    description:
      "true when `total` (and so `totalPages`) is an estimate: a filter matching many of a large customer's users " +
      'is counted from a sample of them rather than by reading every match. The pages themselves are exact.',
  }),
});
