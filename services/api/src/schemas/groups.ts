import { z } from 'zod';
import { countrySchema } from '@licensing/domain';
import { pageQuery, text, uuidSchema } from './common.ts';
import { idParam } from './openapi.ts';
import { assignChangeSchema, changeResultSchema, MAX_JOB_PRODUCTS } from './license-jobs.ts';
import { departmentSchema, requireOneSelection, userSelectionFields } from './user-selection.ts';
import { userSchema } from './users.ts';

export const GROUP_NAME_MAX = 256;
export const GROUP_DESCRIPTION_MAX = 1024;
/** Values one condition of a rule may list. */
export const RULE_VALUES_MAX = 100;

const suffixSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((s) => !/[\u0000-\u001f\u007f\s]/.test(s), 'must not contain spaces or control characters');

export const membershipRuleSchema = z
  .strictObject({
    departments: z
      .array(departmentSchema)
      .min(1)
      .max(RULE_VALUES_MAX)
      .optional()
      .meta({ description: "The user's department is one of these (exact match, case included)." }),
    usageLocations: z
      .array(z.string().trim().toUpperCase().pipe(countrySchema))
      .min(1)
      .max(RULE_VALUES_MAX)
      .optional()
      .meta({ description: "The user's usage location, or else its customer's country, is one of these." }),
    userPrincipalNameSuffixes: z
      .array(suffixSchema)
      .min(1)
      .max(RULE_VALUES_MAX)
      .optional()
      .meta({ description: 'The user principal name ends with one of these, case aside (`@contoso.com`).' }),
  })
  .refine(
    (rule) =>
      rule.departments !== undefined ||
      rule.usageLocations !== undefined ||
      rule.userPrincipalNameSuffixes !== undefined,
    'a membership rule needs at least one condition',
  )
  .meta({
    id: 'MembershipRule',
    description:
      "A dynamic group's rule: its members are exactly the customer's users for whom every condition given holds " +
      '(a list matches any of its values). Re-evaluated whenever a user is created, updated or deleted, or the rule changes.',
  });

/** Above this many users losing a license, a change needs `confirmRemovals`. */
export const REMOVALS_WITHOUT_CONFIRMATION = 100;
export const confirmRemovalsSchema = z
  .number()
  .int()
  .min(0)
  .optional()
  .meta({
    description:
      'Needed when the change would remove licenses from more than 100 users: at least the number of users who ' +
      'would lose one (else 409 `confirmation_required` with the Impact).',
  });

export const groupLicensesSchema = z.array(assignChangeSchema).max(MAX_JOB_PRODUCTS);

export const createGroupBody = z
  .strictObject({
    name: text(GROUP_NAME_MAX).meta({ description: 'Unique within the customer (case aside).' }),
    description: text(GROUP_DESCRIPTION_MAX).optional(),
    membershipRule: membershipRuleSchema.optional().meta({ description: 'With a rule the group is dynamic.' }),
  })
  .meta({ id: 'CreateGroupRequest' });
export type CreateGroup = z.infer<typeof createGroupBody>;

export const updateGroupBody = z
  .strictObject({
    name: text(GROUP_NAME_MAX).optional(),
    description: text(GROUP_DESCRIPTION_MAX).nullable().optional().meta({ description: '`null` clears it.' }),
    membershipRule: membershipRuleSchema
      .optional()
      .meta({ description: "A dynamic group's new rule (a static group cannot take one: 422 `group_type_fixed`)." }),
    confirmRemovals: confirmRemovalsSchema,
  })
  .meta({ id: 'UpdateGroupRequest' });
export type UpdateGroup = z.infer<typeof updateGroupBody>;

export const groupMembersBody = z
  .strictObject({ ...userSelectionFields, confirmRemovals: confirmRemovalsSchema })
  .superRefine((body, ctx) => requireOneSelection(body, ctx))
  .meta({
    id: 'GroupMembersRequest',
    description: 'The users to add or remove: `userIds` (1 to 50,000) or `userFilter` (at most 50,000 matching users).',
  });

export const setGroupLicensesBody = z
  .strictObject({
    licenses: groupLicensesSchema.superRefine((licenses, ctx) => {
      const ids = licenses.map((l) => l.productId);
      const twice = ids.filter((p, i) => ids.indexOf(p) !== i);
      if (twice.length)
        ctx.addIssue({ code: 'custom', message: `products given twice: ${[...new Set(twice)].join(', ')}` });
    }),
    confirmRemovals: confirmRemovalsSchema,
  })
  .meta({
    id: 'SetGroupLicensesRequest',
    description: 'The products (and disabled service plans) every member should hold; `[]` removes them all.',
  });

export const groupSchema = z
  .object({
    id: uuidSchema,
    customerId: uuidSchema,
    name: z.string(),
    description: z.string().nullable(),
    membershipRule: z
      .object({
        departments: z.array(z.string()).optional(),
        usageLocations: z.array(z.string()).optional(),
        userPrincipalNameSuffixes: z.array(z.string()).optional(),
      })
      .nullable()
      .meta({ description: 'null: a static group. Stored sorted, countries upper case, suffixes lower case.' }),
    memberCount: z.number().int(),
    licenses: z.array(z.object({ productId: z.string(), disabledServicePlans: z.array(z.string()) })),
    processing: z
      .object({
        state: z.enum(['idle', 'queued', 'processing']),
        pendingUsers: z.number().int().meta({ description: "Users of the group's unfinished jobs not applied yet." }),
      })
      .meta({ id: 'GroupProcessing', description: 'Whether changes of the group are still being applied to members.' }),
    membersWithErrors: z.number().int().meta({ description: 'Members with a license state `error`.' }),
    membersWaiting: z.number().int().meta({ description: 'Members waiting for a seat.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Group', description: 'A license group: members, and the products every member should hold.' });
export type Group = z.infer<typeof groupSchema>;

export const groupParams = z.object({ customerId: idParam('Customer'), groupId: idParam('Group') });

export const listMembersQuery = pageQuery.extend({
  state: z
    .enum(['active', 'waiting', 'error'])
    .optional()
    .meta({
      description:
        'Members with at least one license state of the group in this state. `waiting` lists the waiting room in ' +
        'the order seats are handed out: the longest waiting first (by the `since` of their waiting states).',
    }),
});

export const membersAddedSchema = z
  .object({ added: z.number().int().meta({ description: 'Users who were not members before.' }) })
  .meta({ id: 'GroupMembersAdded' });
export const membersRemovedSchema = z
  .object({ removed: z.number().int().meta({ description: 'Users who were members.' }) })
  .meta({ id: 'GroupMembersRemoved' });

export { userSchema };

export const dryRunQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional().meta({
    description: '`true`: answer 200 with the Impact of the change, computed over every member; change nothing.',
  }),
});

const impactUserSchema = z
  .object({
    userId: uuidSchema,
    userPrincipalName: z.string(),
    displayName: z.string(),
    changes: z.array(changeResultSchema),
  })
  .meta({ id: 'ImpactUser', description: 'A user the change would affect, with the changes predicted for it.' });

export const impactSchema = z
  .object({
    usersGaining: z.number().int().meta({ description: 'Users who would newly hold a product.' }),
    usersLosing: z.number().int().meta({ description: 'Users who would lose a product (its last source goes).' }),
    seats: z.array(
      z
        .object({
          productId: z.string(),
          required: z.number().int().meta({ description: 'Users who would need a new seat.' }),
          available: z.number().int().meta({ description: 'Seats free now.' }),
          shortfall: z.number().int().meta({ description: 'Users who would wait for a seat.' }),
        })
        .meta({ id: 'ImpactSeats' }),
    ),
    losing: z.object({
      total: z.number().int(),
      byProduct: z.record(z.string(), z.number().int()),
      users: z.array(impactUserSchema).meta({ description: 'The first 100, in user-list order.' }),
    }),
    failures: z.object({
      total: z.number().int().meta({ description: 'Users the rules would refuse (or leave waiting for a seat).' }),
      byCode: z.record(z.string(), z.number().int()),
      users: z.array(impactUserSchema).meta({ description: 'The first 100, in user-list order.' }),
    }),
  })
  .meta({
    id: 'GroupChangeImpact',
    description: 'What a group change would do, computed over every affected member by the rules the worker applies.',
  });
