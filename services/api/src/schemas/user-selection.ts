import { z } from 'zod';
import { catalogIdSchema } from '@licensing/domain';
import { text, uuidSchema } from './common.ts';

/** The most users one request may select, by ids or by filter (a job's, an overview's, a preview's). */
export const MAX_SELECTED_USERS = 50_000;

/** Text searched for in display names and user principal names, regardless of case and accents. */
export const userSearchSchema = z
  .string()
  .max(256)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** A user's department: free text, trimmed, at most 64 characters; compared exactly (case included). */
export const DEPARTMENT_MAX = 64;
export const departmentSchema = text(DEPARTMENT_MAX);

/** Every condition given must hold; `{}` selects every user of the customer. */
export const userFilterSchema = z
  .strictObject({
    search: userSearchSchema
      .optional()
      .describe('Part of the display name or user principal name, regardless of case and accents'),
    hasProduct: catalogIdSchema.optional().describe('Users who hold this product'),
    lacksProduct: catalogIdSchema.optional().describe('Users who do not hold this product'),
    licensed: z.boolean().optional().describe('true: users who hold any product; false: users who hold none'),
    department: departmentSchema.optional().describe('Users of this department (exact match, case included)'),
  })
  .meta({
    id: 'UserFilter',
    description: 'Selects the users of the customer that match every condition given; {} selects all of them',
  });
export type UserFilter = z.infer<typeof userFilterSchema>;

/** The two ways a body selects users; exactly one of them is given (see `requireOneSelection`). */
export const userSelectionFields = {
  userIds: z
    .array(uuidSchema)
    .min(1)
    .max(MAX_SELECTED_USERS)
    .optional()
    .describe(`Ids of users of the customer (1 to ${MAX_SELECTED_USERS}; duplicates are ignored)`),
  userFilter: userFilterSchema.optional(),
};

export type UserSelection =
  | { userIds: string[]; userFilter?: undefined }
  | { userFilter: UserFilter; userIds?: undefined };

/** For a body's superRefine: exactly one of `userIds` and `userFilter`. */
export function requireOneSelection(body: { userIds?: unknown; userFilter?: unknown }, ctx: z.RefinementCtx): void {
  const given = (body.userIds !== undefined ? 1 : 0) + (body.userFilter !== undefined ? 1 : 0);
  if (given !== 1)
    ctx.addIssue({
      code: 'custom',
      message: given === 0 ? 'either userIds or userFilter is required' : 'give userIds or userFilter, not both',
      path: ['userIds'],
    });
}

/** The selection a validated body made (it has exactly one of the two). */
export function selectionOf(body: { userIds?: string[]; userFilter?: UserFilter }): UserSelection {
  return body.userFilter !== undefined ? { userFilter: body.userFilter } : { userIds: body.userIds ?? [] };
}
