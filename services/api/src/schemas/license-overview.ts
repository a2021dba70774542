import { z } from 'zod';
import { uuidSchema } from './common.ts';
import { requireOneSelection, userSelectionFields } from './user-selection.ts';

/** The most holders an overview lists per product; `assignedCount` counts them all. */
export const MAX_LISTED_HOLDERS = 1_000;

export const licenseOverviewBody = z
  .strictObject(userSelectionFields)
  .superRefine(requireOneSelection)
  .meta({ id: 'LicenseOverviewRequest', description: 'The selection: `userIds` or `userFilter`, exactly one.' });

export const licenseOverviewSchema = z
  .object({
    users: z.array(z.object({ id: uuidSchema, displayName: z.string(), userPrincipalName: z.string() })),
    products: z.array(
      z
        .object({
          productId: z.string(),
          name: z.string(),
          quantity: z.number().int(),
          assigned: z.number().int(),
          available: z.number().int(),
          selection: z.enum(['all', 'some', 'none']).describe('How many of the selected users hold the product'),
          assignedCount: z.number().int().describe('How many of the selected users hold the product'),
          assignedUserIds: z
            .array(uuidSchema)
            .describe(`Selected users who hold the product, in user-list order; at most ${MAX_LISTED_HOLDERS}`),
          assignedUserIdsTruncated: z
            .boolean()
            .describe(`true when more than ${MAX_LISTED_HOLDERS} selected users hold it`),
          groupOnlyCount: z
            .number()
            .int()
            .describe(
              'How many of the holders hold it only through groups (no direct assignment): a job cannot revoke it ' +
                'from them (LicenseInheritedFromGroup); remove them from the group or the product from the group',
            ),
          buyMore: z.boolean(),
          servicePlans: z.array(z.object({ id: z.string(), name: z.string() })),
        })
        .meta({
          id: 'LicenseOverviewProduct',
          description: 'One subscription of the customer, seen from the selection.',
        }),
    ),
  })
  .meta({
    id: 'LicenseOverview',
    description: 'Seats and holders of every subscribed product for a selection of users.',
  });
export type LicenseOverview = z.infer<typeof licenseOverviewSchema>;
