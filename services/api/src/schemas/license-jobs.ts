import { z } from 'zod';
import { catalogIdSchema, JOB_STATUSES, VIOLATION_CODES } from '@licensing/domain';
import { pageQuery, uuidSchema } from './common.ts';
import { MAX_SELECTED_USERS, requireOneSelection, userSelectionFields } from './user-selection.ts';

export const MAX_JOB_USERS = MAX_SELECTED_USERS;
export const MAX_JOB_PRODUCTS = 50;

export const assignChangeSchema = z.strictObject({
  productId: catalogIdSchema,
  disabledServicePlans: z.array(catalogIdSchema).max(200).optional(),
});

export const createLicenseJobBody = z
  .strictObject({
    ...userSelectionFields,
    assign: z.array(assignChangeSchema).max(MAX_JOB_PRODUCTS).optional(),
    revoke: z.array(catalogIdSchema).max(MAX_JOB_PRODUCTS).optional(),
  })
  .superRefine((body, ctx) => {
    requireOneSelection(body, ctx);
    const assigned = (body.assign ?? []).map((a) => a.productId);
    const revoked = body.revoke ?? [];
    if (assigned.length + revoked.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: 'at least one product to assign or revoke is required',
        path: ['assign'],
      });
    const dupAssign = assigned.filter((p, i) => assigned.indexOf(p) !== i);
    if (dupAssign.length)
      ctx.addIssue({
        code: 'custom',
        message: `products assigned twice: ${[...new Set(dupAssign)].join(', ')}`,
        path: ['assign'],
      });
    const both = assigned.filter((p) => revoked.includes(p));
    if (both.length)
      ctx.addIssue({
        code: 'custom',
        message: `products both assigned and revoked: ${both.join(', ')}`,
        path: ['revoke'],
      });
  });
export type CreateLicenseJob = z.infer<typeof createLicenseJobBody>;

export const jobStatusSchema = z.enum(JOB_STATUSES);

export const jobSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  status: jobStatusSchema,
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  request: z.object({
    assign: z.array(z.object({ productId: z.string(), disabledServicePlans: z.array(z.string()) })),
    revoke: z.array(z.string()),
    userCount: z.number().int(),
  }),
  progress: z.object({
    total: z.number().int(),
    pending: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
  }),
  errorsByCode: z.record(z.string(), z.number().int()),
});
export type Job = z.infer<typeof jobSchema>;

export const jobParams = z.object({ customerId: z.string(), jobId: z.string() });

export const resultsQuery = pageQuery.extend({
  status: z.enum(['succeeded', 'failed', 'pending']).optional(),
});

export const changeResultSchema = z.object({
  productId: z.string(),
  action: z.enum(['assign', 'revoke']),
  outcome: z.enum(['assigned', 'updated', 'unchanged', 'revoked', 'not_assigned', 'skipped', 'failed']),
  error: z.object({ code: z.enum(VIOLATION_CODES), message: z.string() }).optional(),
});

export const jobResultSchema = z.object({
  userId: uuidSchema,
  userPrincipalName: z.string(),
  displayName: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  changes: z.array(changeResultSchema),
});

export const IDEMPOTENCY_KEY_MAX = 255;
