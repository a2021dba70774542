import { z } from 'zod';
import {
  catalogIdSchema,
  JOB_RESULT_STATUSES,
  JOB_STATUSES,
  MAX_SCHEDULE_DAYS,
  VIOLATION_CODES,
} from '@licensing/domain';
import { pageQuery, uuidSchema } from './common.ts';
import { idParam } from './openapi.ts';
import { MAX_SELECTED_USERS, requireOneSelection, userSelectionFields } from './user-selection.ts';

export const MAX_JOB_USERS = MAX_SELECTED_USERS;
export const MAX_JOB_PRODUCTS = 50;
export const CLIENT_REFERENCE_MAX = 200;

/** The client's own reference for a job: any text up to 200 characters, without control characters. */
export const clientReferenceSchema = z
  .string()
  .min(1)
  .max(CLIENT_REFERENCE_MAX)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const assignChangeSchema = z
  .strictObject({
    productId: catalogIdSchema,
    disabledServicePlans: z
      .array(catalogIdSchema)
      .max(200)
      .optional()
      .meta({ description: 'Service plans of the product to turn off for these users.' }),
  })
  .meta({ id: 'AssignChange', description: 'A product to assign.' });

/** When a job may start: an RFC 3339 date-time with its offset (`Z` or `±hh:mm`). */
export const notBeforeSchema = z.iso.datetime({ offset: true }).meta({
  description:
    `Start the job no earlier than this (RFC 3339, at most ${MAX_SCHEDULE_DAYS} days ahead, else 422 ` +
    '`not_before_too_far`): until then it is `scheduled`, its seats reserved now. A time that has come runs at once.',
  example: '2026-07-01T06:00:00+02:00',
});

export const createLicenseJobBody = z
  .strictObject({
    ...userSelectionFields,
    assign: z.array(assignChangeSchema).max(MAX_JOB_PRODUCTS).optional(),
    revoke: z.array(catalogIdSchema).max(MAX_JOB_PRODUCTS).optional(),
    clientReference: clientReferenceSchema.optional(),
    notBefore: notBeforeSchema.optional(),
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
  })
  .meta({
    id: 'CreateLicenseJobRequest',
    description:
      'The users (`userIds`, 1 to 50,000, duplicates ignored; or `userFilter`) and the products to assign and/or ' +
      'revoke for each of them.',
  });
export type CreateLicenseJob = z.infer<typeof createLicenseJobBody>;

/** The optional body of a retry or a revert: when the new job may start. */
export const jobFollowUpBody = z
  .strictObject({ notBefore: notBeforeSchema.optional() })
  .meta({
    id: 'JobFollowUpRequest',
    description: 'Optional: `notBefore` schedules the new job; without a body (or without it) it runs at once.',
  })
  .optional();

export const jobStatusSchema = z.enum(JOB_STATUSES).meta({
  id: 'JobStatus',
  description:
    '`scheduled`: waiting for its `notBefore` (seats reserved); `queued`, `running`; then `completed`: every user ' +
    'succeeded; `completed_with_errors`: some did; `failed`: none did; `cancelled`: stopped by a cancel.',
});

export const jobSchema = z
  .object({
    id: uuidSchema,
    customerId: uuidSchema,
    status: jobStatusSchema,
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    request: z
      .object({
        assign: z.array(z.object({ productId: z.string(), disabledServicePlans: z.array(z.string()) })),
        revoke: z.array(z.string()),
        userCount: z.number().int(),
      })
      .meta({ id: 'JobRequest', description: 'What the job was asked to do.' }),
    progress: z
      .object({
        total: z.number().int(),
        pending: z.number().int(),
        succeeded: z.number().int(),
        failed: z.number().int(),
        cancelled: z.number().int().meta({ description: 'Users a cancel left unapplied.' }),
      })
      .meta({ id: 'JobProgress', description: 'Users of the job by result status.' }),
    errorsByCode: z
      .record(z.string(), z.number().int())
      .meta({ description: 'Failed changes per error code (see the worker rules in the API documentation).' }),
    clientReference: z.string().nullable().meta({ description: "The client's own reference, as given." }),
    retryOf: uuidSchema.nullable().meta({ description: 'The job whose failed and cancelled users this job retries.' }),
    revertOf: uuidSchema.nullable().meta({
      description:
        'The job whose succeeded users this job puts back as they were just before it. Each user gets its own ' +
        'changes (see its results); `request` then lists the products the revert assigns or revokes for some of them.',
    }),
    source: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('direct') }),
        z.object({ type: z.literal('group'), groupId: uuidSchema }),
      ])
      .meta({
        id: 'JobSource',
        description:
          '`direct`: a license job someone asked for. `group`: the processing of a change of that group for the ' +
          'affected users (`request.assign` lists what the group grants, `request.revoke` what it stopped granting); ' +
          'each user is brought in line with the group as it is when the user is applied.',
      }),
    notBefore: z.iso.datetime().nullable().meta({
      description: 'When the job may start, as asked (`scheduled` until then); null: at once.',
    }),
  })
  .meta({ id: 'Job', description: 'A bulk license job: its request, status and progress.' });
export type Job = z.infer<typeof jobSchema>;
// The serialisation lives in @licensing/db (the webhook event carries it too); the two types must agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const jobTypesAgree: Same<Job, import('@licensing/db').Job> = true;
void jobTypesAgree;

export const jobParams = z.object({ customerId: idParam('Customer'), jobId: idParam('License job') });

/** `status=queued,running`: one or more job statuses, comma-separated; an unknown one is refused. */
const jobStatusList = z
  .string()
  .transform((value) => value.split(','))
  .pipe(z.array(jobStatusSchema).min(1).max(JOB_STATUSES.length));

export const listJobsQuery = pageQuery.extend({
  status: jobStatusList.optional(),
  clientReference: clientReferenceSchema.optional(),
  groupId: uuidSchema
    .optional()
    .meta({ description: 'Only the jobs that process changes of this group (`source: {type: "group", groupId}`).' }),
});
export type ListJobsQuery = z.infer<typeof listJobsQuery>;

export const resultStatusSchema = z.enum(JOB_RESULT_STATUSES);

export const resultsQuery = pageQuery.extend({
  status: resultStatusSchema.optional().meta({ description: 'Only the users with this result status.' }),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .meta({ description: '`csv`: every result as one CSV file (as `Accept: text/csv` asks); paging is ignored.' }),
});

export const changeErrorSchema = z
  .object({
    code: z.enum(VIOLATION_CODES),
    message: z.string(),
    /** What to act on: the missing required products, the products in conflict, or the product itself. */
    productIds: z.array(z.string()).optional(),
    /** For a plan dependency: the required plans that would be disabled. */
    servicePlanIds: z.array(z.string()).optional(),
    /** For LicenseInheritedFromGroup: the groups the user holds the product through. */
    groupIds: z.array(z.string()).optional(),
    usageLocation: z.string().optional().meta({
      description: 'ProhibitedInUsageLocationViolation: the usage location the product is not sold in.',
    }),
    requiredBy: z.array(z.string()).optional().meta({
      description: 'DependencyViolation of a revoke: the held products that need this one; remove them first.',
    }),
    jobIds: z.array(uuidSchema).optional().meta({
      description: 'For `ChangedSinceJob`: the later jobs that changed the license since the job being reverted.',
    }),
  })
  .meta({ id: 'ChangeError', description: 'Why a change failed, and what to act on.' });

export const changeResultSchema = z
  .object({
    productId: z.string(),
    action: z.enum(['assign', 'revoke']),
    outcome: z
      .enum(['assigned', 'updated', 'unchanged', 'revoked', 'not_assigned', 'inherited', 'skipped', 'failed'])
      .meta({
        description:
          '`inherited`: a revoke removed the direct source of a license the user also holds through a group; ' +
          'the license stays and no seat changes.',
      }),
    error: changeErrorSchema.optional(),
  })
  .meta({ id: 'ChangeResult', description: 'The outcome of one product change for one user.' });

export const jobResultSchema = z
  .object({
    userId: uuidSchema,
    userPrincipalName: z.string(),
    displayName: z.string(),
    status: resultStatusSchema,
    changes: z.array(changeResultSchema),
  })
  .meta({ id: 'JobResult', description: "One user's result in a job." });

export const IDEMPOTENCY_KEY_MAX = 255;

const outcomeCount = (description: string) => z.number().int().min(0).meta({ description });

export const jobPreviewSchema = z
  .object({
    evaluatedAt: z.iso.datetime().meta({
      description:
        'The preview is made on the state at this time (seats, licenses, users); a scheduled job is applied on ' +
        'the state at its `notBefore`, which may differ.',
    }),
    notBefore: z.iso.datetime().nullable().meta({
      description: 'The `notBefore` given, as a UTC time; the prediction is still made on the state now.',
    }),
    userCount: z.number().int().meta({ description: 'The users selected (each once).' }),
    seats: z
      .array(
        z
          .object({
            productId: z.string(),
            required: z
              .number()
              .int()
              .meta({ description: 'Seats the job would reserve now: selected users who do not hold the product.' }),
            available: z.number().int().meta({ description: 'Seats free now: quantity − assigned − reserved.' }),
            shortfall: z.number().int().meta({
              description:
                'Seats missing (required − available, at least 0); above 0 the job would be refused with 409.',
            }),
          })
          .meta({ id: 'PreviewSeats', description: 'Whether the seats a job would reserve are there.' }),
      )
      .meta({ description: 'One entry per assigned product, in request order.' }),
    outcomes: z
      .object({
        assigned: outcomeCount('Products newly assigned.'),
        updated: outcomeCount('Held products whose disabled plans would change.'),
        unchanged: outcomeCount('Held products assigned again as they are.'),
        revoked: outcomeCount('Held products revoked.'),
        not_assigned: outcomeCount('Revokes of products the user does not hold.'),
        inherited: outcomeCount(
          'Revokes of products the user also holds through a group: the direct source goes, the license stays.',
        ),
      })
      .meta({ id: 'PreviewOutcomes', description: 'Predicted changes of the users who would succeed, by outcome.' }),
    failures: z
      .object({
        total: z.number().int().meta({ description: 'Users who would fail.' }),
        byCode: z
          .record(z.string(), z.number().int())
          .meta({ description: 'Failing users per error code, as a job counts them in errorsByCode.' }),
        users: z
          .array(
            z
              .object({
                userId: uuidSchema,
                userPrincipalName: z.string(),
                displayName: z.string(),
                changes: z.array(changeResultSchema),
              })
              .meta({ id: 'PreviewFailure', description: 'A user who would fail, with the outcome of each change.' }),
          )
          .meta({ description: 'The first 100 users who would fail, in user-list order.' }),
      })
      .meta({ id: 'PreviewFailures', description: 'The users who would fail.' }),
  })
  .meta({
    id: 'JobPreview',
    description: 'What a job with this body would do now, by the rules the worker applies; nothing is reserved.',
  });
