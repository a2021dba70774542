import { RecentlyBusyUsers } from '../recently-busy-users.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import {
  type DeliveryRef,
  getProducts,
  jobsWithProgress,
  retryOnConflict,
  revertHistory,
  type Db,
  type DbOrTx,
  postgresClientOf,
  type TableMaintenance,
} from '@licensing/db';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { z } from 'zod';
import {
  badRequest,
  conflict,
  notFound,
  parsingSerializerCompiler,
  ProblemError,
  requestLanguage,
  unprocessable,
} from '@licensing/http';
import type { Language, Names } from '@licensing/i18n';
import { catalogNames, errorMessage, wordChanges } from '../change-messages.ts';
import {
  jobStart,
  MAX_SCHEDULE_DAYS,
  normalizePlans,
  previewJobSteps,
  requiredDisabledPlans,
  revertChanges,
  servicePlanConflicts,
  type RequestedChanges,
} from '@licensing/domain';
import { inSteps } from '../in-steps.ts';
import { partnerOf } from '../auth.ts';
import { auditChange } from '../audit.ts';
import { pathId } from '../ids.ts';
import { customerInScope } from './customers.ts';
import {
  claimIdempotencyKey,
  canonicalJobRequest,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  requestFingerprint,
} from '../repositories/idempotency.ts';
import {
  cancelJob,
  createJobWithReservations,
  getJobRow,
  listJobResults,
  listJobRows,
  jobResultRowsCursor,
  retryableUsers,
  revertableUsers,
  type JobResultCsvRow,
  type RevertableUser,
  type NewLicenseJob,
} from '../repositories/license-jobs.ts';
import { readPreviewState } from '../repositories/job-preview.ts';
import { liveKeyIds } from '../repositories/partners.ts';
import { paged, pagedSchema } from '../schemas/common.ts';
import {
  CSV_CHUNK_CHARACTERS,
  CSV_EXPORT_MAX_WAIT_MS,
  CSV_EXPORT_IDLE_MS,
  csvRecord,
  cutOffSlowReaders,
  DEFAULT_CSV_EXPORT_MIN_BYTES_PER_SECOND,
  DEFAULT_CSV_EXPORTS,
  DEFAULT_CSV_EXPORTS_PER_PARTNER,
  type SlowReaderLimits,
} from '../csv.ts';
import { type PartnerShares, withJobAcceptance } from '../partner-shares.ts';
import type { PartnerQueue } from '../partner-queue.ts';
import { EVENT_INTERVAL_MS, type JobEventStreams } from '../job-events.ts';
import {
  declaredResponse,
  HEADERS,
  IDEMPOTENCY_KEY,
  IF_NONE_MATCH,
  noContent,
  JSON_BODY_PROBLEMS,
  jsonResponse,
  problemResponses,
  requestHeaders,
} from '../schemas/openapi.ts';
import { customerParams } from '../schemas/customers.ts';
import {
  createLicenseJobBody,
  IDEMPOTENCY_KEY_MAX,
  jobFollowUpBody,
  jobParams,
  jobPreviewSchema,
  jobResultSchema,
  jobSchema,
  listJobsQuery,
  resultsQuery,
  type Job,
  type CreateLicenseJob,
} from '../schemas/license-jobs.ts';
import { selectionOf, type UserSelection } from '../schemas/user-selection.ts';
import {
  checkSelectedCount,
  resolveUserSelection,
  selectionInDb,
  selectionSize,
} from '../repositories/user-selection.ts';
import type { SelectionBudget } from '../selection-budget.ts';
import type { TaskEnqueuer } from '../enqueue.ts';
import type { ApiMetrics } from '../metrics.ts';

/** Seconds a client should wait before polling an unfinished job again. */
const POLL_AFTER_SECONDS = 1;
/** A scheduled job is polled again at its time, but at least this often (it may be cancelled meanwhile). */
const SCHEDULED_POLL_MAX_SECONDS = 300;

/** Retry-After for an unfinished job: a second, or until a scheduled job's time (at most 5 minutes). */
function pollAfterSeconds(row: { status: string; notBefore: Date | null }): number {
  if (row.status !== 'scheduled' || !row.notBefore) return POLL_AFTER_SECONDS;
  const seconds = Math.ceil((row.notBefore.getTime() - Date.now()) / 1000);
  return Math.min(Math.max(seconds, POLL_AFTER_SECONDS), SCHEDULED_POLL_MAX_SECONDS);
}

/** What a job acceptance is asked for (a new job, a retry or a revert). */
interface JobSpec {
  fingerprint: unknown;
  changes: () => Promise<Pick<NewLicenseJob, 'assign' | 'revoke'>>;
  /** The users, or each user with its own changes (a revert: the job's changes are then their union). */
  users: (tx: DbOrTx) => Promise<string[] | ReadonlyMap<string, RequestedChanges>>;
  clientReference?: string;
  retryOf?: string;
  revertOf?: string;
  /** RFC 3339, as the client gave it: the job is `scheduled` until then. */
  notBefore?: string;
}

export interface LicenseJobDeps {
  db: Db;
  /** May be a streaming replica: job lists and results read from it (they may lag a little). */
  readDb?: Db;
  /** The process's job-event streams (one watcher for all of them). */
  events: JobEventStreams;
  /** Each partner's share of the process's open event streams. */
  eventShares: PartnerShares;
  /** Each partner's share of the process's job acceptances in progress (shared with the group routes). */
  acceptanceShares: PartnerShares;
  enqueuer: TaskEnqueuer;
  metrics: ApiMetrics;
  /** Hands webhook events recorded by a cancel to the delivery worker. */
  onDeliveriesRecorded?: (refs: DeliveryRef[], log: FastifyBaseLogger) => Promise<void>;
  /** Bounds the users that previews (which read every selected user's licenses) hold at once. */
  budget: SelectionBudget;
  /** Unfinished jobs a user may have before another job for it is refused (429 too_many_pending_jobs). */
  pendingJobsPerUser: number;
  /** The partner's share of the queue: past it, a job that would start now is refused (429 partner_queue_full). */
  partnerQueue: PartnerQueue;
  /** Told how many job items each accepted job wrote (they are analysed after bulk loads). */
  maintenance?: TableMaintenance;
  /**
   * Results downloads as CSV: one unit of the partner's share and one slot of the process each while
   * it is served, and the slowest pace its client may read at.
   */
  csvExports: { shares: PartnerShares; slots: SelectionBudget; slowReaders: SlowReaderLimits };
}

/**
 * Products must exist, disabled plans must be plans of their product, and must not break the
 * product's own plan dependencies (that would fail every user, so it is refused up front).
 */
export async function validateProducts(db: Db, body: Pick<CreateLicenseJob, 'assign' | 'revoke'>) {
  const assign = body.assign ?? [];
  const revoke = body.revoke ?? [];
  const products = await getProducts(db, [...assign.map((a) => a.productId), ...revoke]);
  const unknown = [...assign.map((a) => a.productId), ...revoke].filter((p) => !products.has(p));
  if (unknown.length)
    throw unprocessable('unknown_product', `Unknown product ${unknown.map((p) => `"${p}"`).join(', ')}.`, {
      productIds: unknown,
    });
  for (const a of assign) {
    const plans = new Set(products.get(a.productId)!.servicePlans.map((p) => p.id));
    const unknownPlans = (a.disabledServicePlans ?? []).filter((p) => !plans.has(p));
    if (unknownPlans.length) {
      throw unprocessable(
        'unknown_service_plan',
        `"${a.productId}" has no service plan ${unknownPlans.map((p) => `"${p}"`).join(', ')}.`,
        { productId: a.productId, servicePlanIds: unknownPlans },
      );
    }
    const conflicts = servicePlanConflicts(products.get(a.productId)!, a.disabledServicePlans ?? []);
    if (conflicts.length) {
      const required = requiredDisabledPlans(conflicts);
      throw unprocessable(
        'invalid_service_plans',
        `"${a.productId}": ${conflicts.map((c) => `plan "${c.servicePlanId}" requires ${c.disabledRequirements.map((p) => `"${p}"`).join(', ')}`).join('; ')}; enable ${required.map((p) => `"${p}"`).join(', ')} or disable the plans that require them.`,
        { productId: a.productId, servicePlanIds: required },
        { conflicts: conflicts.map((c) => ({ plan: c.servicePlanId, requires: c.disabledRequirements })) },
      );
    }
  }
  return {
    assign: assign.map((a) => ({
      productId: a.productId,
      disabledServicePlans: normalizePlans(a.disabledServicePlans),
    })),
    revoke,
  };
}

export const RESULTS_CSV_HEADER = [
  'userPrincipalName',
  'displayName',
  'userId',
  'status',
  'productId',
  'action',
  'outcome',
  'errorCode',
  'errorMessage',
] as const;

/** A strong entity tag of the Job as answered: it changes whenever any field of the Job does. */
function entityTag(job: Job): string {
  return `"${createHash('sha256').update(JSON.stringify(job)).digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of tags compared weakly (W/ ignored). */
function matchesIfNoneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim());
  return tags.some((t) => t === '*' || t.replace(/^W\//, '') === etag);
}

/** CSV when asked by `format=csv`, or by an Accept header that names text/csv before application/json. */
function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}

/**
 * The cursor's batches for as long as the API key that opened the download works: the key is looked
 * up again before each batch (on the primary, where keys are revoked), and once it is revoked or has
 * expired the download ends with an error, so the client sees it cut short, never a file that looks
 * complete.
 */
async function* whileKeyWorks<T>(db: Db, keyId: string, batches: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const batch of batches) {
    if (!(await liveKeyIds(db, [keyId])).has(keyId))
      throw new Error('the API key of this CSV download was revoked or has expired');
    yield batch;
  }
}

/** How often an open CSV download checks that the API key it was opened with still works. */
export const CSV_KEY_CHECK_MS = 500;

/**
 * Ends a download once its API key is revoked or has expired, whether or not its client is reading.
 * whileKeyWorks checks before each batch, but a download waiting on a client that takes nothing
 * reads no batch: left to that check, it would hold its cursor and connection, and hand over what
 * it had buffered, until the client came back. So the key is also checked every CSV_KEY_CHECK_MS
 * (one indexed lookup; a process serves a few downloads at most), and the response is destroyed,
 * which ends the file and returns its cursor.
 */
function endWhenKeyStops(db: Db, keyId: string, res: ServerResponse, file: Readable, log: FastifyBaseLogger): void {
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    liveKeyIds(db, [keyId])
      .then(
        (live) => {
          if (live.has(keyId)) return;
          clearInterval(timer);
          log.info({ keyId }, 'CSV download ended: its API key was revoked or has expired');
          res.destroy();
        },
        // Postgres away for a moment: the next check (or the next batch's) decides.
        (err: unknown) => log.warn({ err }, 'could not check the API key of a CSV download'),
      )
      .finally(() => {
        checking = false;
      });
  }, CSV_KEY_CHECK_MS);
  const stop = () => clearInterval(timer);
  file.once('close', stop);
  res.once('close', stop);
}

/**
 * The CSV file in chunks of about CSV_CHUNK_CHARACTERS, read from the cursor a batch of rows at a
 * time, error messages in the language; `onChunk` is told the bytes of each chunk as it is taken.
 */
async function* resultsCsv(
  batches: AsyncIterable<JobResultCsvRow[]>,
  language: Language,
  names: Names,
  onChunk: (bytes: number) => void,
): AsyncGenerator<string> {
  let chunk = csvRecord(RESULTS_CSV_HEADER);
  for await (const rows of batches) {
    for (const r of rows) {
      chunk += csvRecord([
        r.user_principal_name,
        r.display_name,
        r.user_id,
        r.status,
        r.product_id,
        r.action,
        r.outcome,
        r.error_code,
        r.error && r.product_id && r.action
          ? errorMessage(
              { productId: r.product_id, action: r.action as 'assign' | 'revoke', error: r.error },
              language,
              names,
            )
          : r.error_message,
      ]);
      if (chunk.length >= CSV_CHUNK_CHARACTERS) {
        onChunk(Buffer.byteLength(chunk));
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) {
    onChunk(Buffer.byteLength(chunk));
    yield chunk;
  }
}

/**
 * A job whose users each have their own changes lists every product some of them get assigned (with
 * no plans of its own: each user's are in its request) or revoked. Products must still be in the
 * catalog (422 `unknown_product`); plans are the user's own and checked by the worker's rules.
 */
async function unionOfRequests(
  requests: ReadonlyMap<string, RequestedChanges>,
): Promise<Pick<NewLicenseJob, 'assign' | 'revoke'>> {
  const assign = new Set<string>();
  const revoke = new Set<string>();
  for (const r of requests.values()) {
    for (const a of r.assign) assign.add(a.productId);
    for (const p of r.revoke) revoke.add(p);
  }
  return {
    assign: [...assign].sort().map((productId) => ({ productId, disabledServicePlans: [] })),
    revoke: [...revoke].sort(),
  };
}

/** What puts each succeeded user of a job back as it was before it; users with nothing to undo are left out. */
function revertRequests(users: readonly RevertableUser[]): Map<string, RequestedChanges> {
  const requests = new Map<string, RequestedChanges>();
  for (const u of users) {
    const changes = revertChanges(u.done);
    if (changes) requests.set(u.userId, changes);
  }
  return requests;
}

const nothingToRevert = () =>
  unprocessable(
    'nothing_to_revert',
    'The job changed no license of a user that still exists (no user succeeded, or every change left the license as it was).',
  );

/** A group's job follows the group: the group is the record of what its members hold. */
const groupJob = () =>
  unprocessable(
    'group_job',
    'This job processes a change of a group; it is not cancelled, retried or reverted: change the group, or reprocess it.',
  );
/**
 * When a job asked to start at `notBefore` may start: null (at once, also for a time that has come)
 * or the time; more than MAX_SCHEDULE_DAYS ahead is refused (422 `not_before_too_far`).
 */
function scheduledStart(notBefore: string | undefined): Date | null {
  const start = jobStart(notBefore, new Date());
  if (start.kind === 'too_far')
    throw unprocessable(
      'not_before_too_far',
      `A job can be scheduled at most ${MAX_SCHEDULE_DAYS} days ahead (until ${start.latest.toISOString()}).`,
      { maxDays: MAX_SCHEDULE_DAYS, latest: start.latest.toISOString() },
    );
  return start.notBefore;
}

/** What a preview says besides its prediction: it is made on the state now, whatever `notBefore` says. */
function previewBasis(notBefore: string | undefined) {
  const at = scheduledStart(notBefore);
  return { evaluatedAt: new Date().toISOString(), notBefore: at ? at.toISOString() : null };
}

/**
 * A retry or revert may be sent without a body: it is then read as `{}` (fastify hands a missing
 * body to validation as `null`, which the optional body schema would refuse).
 */
async function bodyMayBeLeftOut(request: FastifyRequest) {
  if (request.body === null || request.body === undefined) request.body = {};
}

/** A retry's or revert's fingerprint gains its `notBefore` only when given (the same instant, however written). */
const followUpFingerprint = (notBefore: string | undefined) =>
  notBefore === undefined ? {} : { notBefore: new Date(notBefore).toISOString() };

const jobNotFinished = (what: string) =>
  conflict('job_not_finished', `The job has not finished yet; wait for it or cancel it before ${what} it.`);

export function licenseJobRoutes(deps: LicenseJobDeps): FastifyPluginAsyncZod {
  const recentlyBusy = new RecentlyBusyUsers();
  const { db } = deps;

  /** Answers 202 with the job, as created or as found again under its Idempotency-Key. */
  async function respondAccepted(reply: FastifyReply, customerId: string, jobId: string) {
    const row = await getJobRow(db, customerId, jobId);
    if (!row) throw notFound('licenseJob');
    const [job] = await jobsWithProgress(db, [row]);
    return reply
      .status(202)
      .header('location', `/v1/customers/${customerId}/license-jobs/${jobId}`)
      .header('retry-after', pollAfterSeconds(row))
      .send(job!);
  }

  /** The job of the path, of a customer of the caller's partner; 404 problem otherwise. */
  async function jobInScope(request: FastifyRequest, params: { customerId: string; jobId: string }) {
    const customer = await customerInScope(db, request, params.customerId);
    const row = await getJobRow(db, customer.id, pathId(params.jobId, 'licenseJob'));
    if (!row) throw notFound('licenseJob');
    return row;
  }

  /**
   * Accepts a job (a new one or a retry): honours Idempotency-Key, validates the changes, then in one
   * transaction selects the users, creates the job and reserves its seats (all or nothing), and
   * enqueues its tasks once committed.
   */
  async function acceptJob(request: FastifyRequest, reply: FastifyReply, customerId: string, spec: JobSpec) {
    const partner = partnerOf(request);
    return withJobAcceptance(deps.acceptanceShares, partner.id, () =>
      acceptJobInShare(request, reply, customerId, partner, spec),
    );
  }

  async function acceptJobInShare(
    request: FastifyRequest,
    reply: FastifyReply,
    customerId: string,
    partner: ReturnType<typeof partnerOf>,
    spec: JobSpec,
  ) {
    const notBefore = scheduledStart(spec.notBefore);
    const rawKey = request.headers['idempotency-key'];
    const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    if (key !== undefined && (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX)) {
      throw badRequest(
        'invalid_idempotency_key',
        `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX} characters.`,
        {},
        { maxLength: IDEMPOTENCY_KEY_MAX },
      );
    }
    const keyRef = key === undefined ? undefined : { partnerId: partner.id, customerId, key };
    if (keyRef) {
      const claim = await claimIdempotencyKey(db, keyRef, requestFingerprint(spec.fingerprint));
      if (claim.state === 'completed') return respondAccepted(reply, customerId, claim.jobId);
    }
    try {
      // A job that starts now takes its place in the queue: not past the partner's share of it (after
      // the key's claim: a key whose job was accepted answers with that job however full the queue is).
      if (!notBefore) await deps.partnerQueue.refuseIfFull(partner.id);
      const jobChanges = await spec.changes();
      const { job, reserved, userIds } = await retryOnConflict(() =>
        db.transaction(async (tx) => {
          const selected = await spec.users(tx);
          const requests = Array.isArray(selected) ? undefined : (selected as ReadonlyMap<string, RequestedChanges>);
          const userIds = requests ? [...requests.keys()] : (selected as string[]);
          const changes = requests ? await unionOfRequests(requests) : jobChanges;
          const created = await createJobWithReservations(tx, {
            partnerId: partner.id,
            customerId,
            userIds,
            ...changes,
            idempotencyKey: key,
            clientReference: spec.clientReference,
            retryOf: spec.retryOf,
            pendingJobsPerUser: deps.pendingJobsPerUser,
            recentlyBusy,
            revertOf: spec.revertOf,
            requests,
            notBefore,
          });
          if (keyRef) await completeIdempotencyKey(tx, keyRef, created.job.id);
          const type = spec.retryOf
            ? 'license_job.retried'
            : spec.revertOf
              ? 'license_job.reverted'
              : 'license_job.accepted';
          await auditChange(tx, request, customerId, type, {
            jobId: created.job.id,
            ...(spec.retryOf ? { retryOf: spec.retryOf } : {}),
            ...(spec.revertOf ? { revertOf: spec.revertOf } : {}),
            request: { ...changes, userCount: userIds.length, clientReference: spec.clientReference ?? null },
            ...(notBefore ? { notBefore: notBefore.toISOString() } : {}),
          });
          if (created.job.status === 'scheduled')
            await auditChange(tx, request, customerId, 'license_job.scheduled', {
              jobId: created.job.id,
              notBefore: notBefore!.toISOString(),
            });
          return { ...created, userIds };
        }),
      );
      request.log.info(
        {
          jobId: job.id,
          users: userIds.length,
          retryOf: spec.retryOf,
          revertOf: spec.revertOf,
          notBefore: job.status === 'scheduled' ? job.notBefore : undefined,
        },
        'license job accepted',
      );
      deps.metrics.jobsAccepted.inc();
      deps.metrics.jobUsers.inc(userIds.length);
      for (const [product, seats] of reserved) deps.metrics.seatsReserved.inc({ product }, seats);
      // A scheduled job's tasks are added by the worker's scheduler once its time comes (the schedule
      // is kept in Postgres only, so losing Redis loses no scheduled job).
      if (job.status !== 'scheduled')
        deps.enqueuer.enqueue({ id: job.id, partnerId: partner.id, customerId, userCount: userIds.length }, userIds);
      deps.maintenance?.noteWrites('license_job_items', userIds.length);
      return respondAccepted(reply, customerId, job.id);
    } catch (error) {
      if (error instanceof ProblemError) deps.metrics.jobsRefused.inc({ code: error.code });
      if (keyRef) await releaseIdempotencyKey(db, keyRef);
      throw error;
    }
  }

  return async (app) => {
    app.post(
      '/v1/customers/:customerId/license-jobs',
      {
        config: { scope: 'licenses:write' },
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          operationId: 'createLicenseJob',
          tags: ['license jobs'],
          summary: 'Assign and/or revoke products for up to 50,000 users; seats are reserved before answering',
          description:
            'Accepts a job that applies the same changes to every selected user, in the background. Selects users by ' +
            '`userIds` or by `userFilter` (exactly one); a filter is resolved once, in the transaction that reserves ' +
            'the seats. Before answering, one seat per user who does not hold an assigned product yet is reserved, ' +
            'atomically for all products: if any lacks seats nothing is reserved and no job is created (409 ' +
            '`insufficient_licenses`). Poll the job at `Location`, honouring `Retry-After`. With `notBefore` the job ' +
            `is \`scheduled\` until that time (at most ${MAX_SCHEDULE_DAYS} days ahead), its seats reserved now; it ` +
            'starts within a couple of seconds of it, and can be cancelled until then. A partner has two job ' +
            'acceptances (new jobs, retries, reverts) in progress at a time on a server; more wait up to 5 s for ' +
            'their turn, past which they are answered 429 `partner_concurrency_limit` with `Retry-After`.',
          params: customerParams,
          headers: requestHeaders({ 'idempotency-key': IDEMPOTENCY_KEY }),
          body: createLicenseJobBody,
          bodyExamples: {
            assign: {
              summary: 'Assign a product with one service plan turned off',
              value: {
                userIds: ['7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11', '0b9e5f3e-54a2-4f0e-8f0e-2a1f3f7d9c22'],
                assign: [{ productId: 'SPE_E3', disabledServicePlans: ['TEAMS1'] }],
                clientReference: 'ticket-4711',
              },
            },
            swap: {
              summary: 'Swap products (revokes are applied first)',
              value: {
                userIds: ['7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11'],
                revoke: ['SPE_E3'],
                assign: [{ productId: 'SPE_E5' }],
              },
            },
            byFilter: {
              summary: 'Assign to every user who holds no product yet',
              value: { userFilter: { licensed: false }, assign: [{ productId: 'SPE_E3' }] },
            },
            scheduled: {
              summary: 'Revoke a product at the end of a contract',
              value: {
                userIds: ['7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11'],
                revoke: ['SPE_E3'],
                notBefore: '2026-07-01T00:00:00+02:00',
              },
            },
          },
          response: {
            202: jsonResponse(jobSchema, 'The job was accepted and its seats reserved.', {
              Location: HEADERS.location,
              'Retry-After': HEADERS.retryAfter,
            }),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              400: ['invalid_idempotency_key'],
              409: ['insufficient_licenses', 'idempotency_key_in_use'],
              429: ['too_many_pending_jobs', 'partner_queue_full', 'partner_concurrency_limit'],
              422: [
                'unknown_users',
                'unknown_product',
                'unknown_service_plan',
                'invalid_service_plans',
                'no_subscription',
                'too_many_users',
                'no_matching_users',
                'idempotency_key_reused',
                'not_before_too_far',
              ],
            }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const selection = selectionOf(request.body);
        return acceptJob(request, reply, customer.id, {
          fingerprint: { customerId: customer.id, path: 'license-jobs', body: canonicalJobRequest(request.body) },
          changes: () => validateProducts(db, request.body),
          users: async (tx) => {
            // A filter is resolved here, so the users it selects are those the seats are reserved for.
            const userIds = await resolveUserSelection(tx, customer.id, selection);
            if (userIds.length === 0)
              throw unprocessable('no_matching_users', 'No user of the customer matches the filter.');
            return userIds;
          },
          clientReference: request.body.clientReference,
          notBefore: request.body.notBefore,
        });
      },
    );

    app.post(
      '/v1/customers/:customerId/license-jobs/preview',
      {
        config: { scope: 'read' },
        bodyLimit: 4 * 1024 * 1024,
        // The answer may list thousands of failing users: see parsingSerializerCompiler.
        serializerCompiler: parsingSerializerCompiler,
        schema: {
          operationId: 'previewLicenseJob',
          tags: ['license jobs'],
          summary: 'Dry run of a job: predicted seats, outcomes and failures; reserves and changes nothing',
          description:
            'Takes the body of a job and answers what that job would do now, by the rules the worker applies, ' +
            'on the state at the time of the request. `seats` tells whether the job would get its seats ' +
            '(`shortfall` above 0: it would be refused with 409 `insufficient_licenses`); users are evaluated in ' +
            'user-list order against the seats free now. With `notBefore` the prediction is still made on the state ' +
            'now (`evaluatedAt`); a scheduled job is applied on the state at its time. Answers the same 4xx problems ' +
            'as creating the job. Previews ' +
            "share the license overview's budget of selected users: when it is full, 503 `overloaded` after up to 5 s; a partner " +
            'has one large selection (over 1,000 users) in progress at a time (up to four more wait 5 s for their turn), for at most a quarter of the time, ' +
            'past which it is answered 429 `partner_concurrency_limit` with `Retry-After`.',
          params: customerParams,
          body: createLicenseJobBody,
          response: {
            200: jsonResponse(jobPreviewSchema, 'The predicted effect of the job.'),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              422: [
                'unknown_users',
                'unknown_product',
                'unknown_service_plan',
                'invalid_service_plans',
                'no_subscription',
                'too_many_users',
                'no_matching_users',
                'not_before_too_far',
              ],
              429: ['partner_concurrency_limit'],
              503: ['overloaded'],
            }),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const selection = selectionOf(request.body);
        const basis = previewBasis(request.body.notBefore);
        const changes = await validateProducts(db, request.body);
        const assigned = changes.assign.map((a) => a.productId);
        // Room for the selection is taken before the transaction, so no connection waits for it.
        const release = await deps.budget.acquireFor(
          partnerOf(request).id,
          deps.budget.mayBeLarge(selection.userIds?.length),
          () => selectionSize(db, customer.id, selection),
        );
        try {
          const [preview, names] = await Promise.all([
            previewSelection(customer, selection, changes, assigned),
            catalogNames(db),
          ]);
          const language = requestLanguage(request);
          return {
            ...basis,
            ...preview,
            failures: {
              ...preview.failures,
              users: preview.failures.users.map((user) => ({
                ...user,
                changes: wordChanges(user.changes, language, names),
              })),
            },
          };
        } finally {
          release();
        }
      },
    );

    async function previewSelection(
      customer: { id: string; country: string },
      selection: UserSelection,
      changes: Awaited<ReturnType<typeof validateProducts>>,
      assigned: string[],
    ) {
      const { userIds, state } = await db.transaction(
        async (tx) => {
          // A filter is evaluated by each statement of this snapshot: see SelectionInDb.
          const selected = await selectionInDb(tx, customer.id, selection);
          const state = await readPreviewState(tx, customer.id, selected, assigned);
          checkSelectedCount(selected, state.users.length);
          const userIds = 'ids' in selected ? selected.ids : state.users.map((u) => u.id);
          if (userIds.length === 0)
            throw unprocessable('no_matching_users', 'No user of the customer matches the filter.');
          return { userIds, state };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
      // The same refusals, in the same order, as creating the job.
      const unsubscribed = assigned.filter((p) => !state.available.has(p));
      if (unsubscribed.length) {
        throw unprocessable(
          'no_subscription',
          `The customer has no subscription to ${unsubscribed.map((p) => `"${p}"`).join(', ')}.`,
          { productIds: unsubscribed },
        );
      }
      if (state.users.length !== userIds.length) {
        const found = new Set(state.users.map((u) => u.id));
        const unknown = userIds.filter((id) => !found.has(id));
        throw unprocessable('unknown_users', `${unknown.length} of the selected users do not exist in this customer.`, {
          userIds: unknown,
        });
      }
      return await inSteps(
        previewJobSteps({
          catalog: state.catalog,
          customerCountry: customer.country,
          users: state.users,
          changes,
          available: state.available,
        }),
      );
    }

    app.get(
      '/v1/customers/:customerId/license-jobs',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listLicenseJobs',
          tags: ['license jobs'],
          summary: 'List jobs, newest first, optionally by status, client reference or group',
          description:
            "The customer's license jobs with their progress; `status`, `clientReference` and `groupId` (the jobs " +
            'that process changes of that group) narrow the list.',
          params: customerParams,
          querystring: listJobsQuery,
          response: {
            200: jsonResponse(pagedSchema(jobSchema, 'JobPage'), 'A page of jobs.'),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const reads = deps.readDb ?? db;
        const { items, total } = await listJobRows(reads, customer.id, request.query);
        return paged(await jobsWithProgress(reads, items), request.query, total);
      },
    );

    app.get(
      '/v1/customers/:customerId/license-jobs/:jobId',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getLicenseJob',
          tags: ['license jobs'],
          summary: 'Get a job; Retry-After is set while it is not finished',
          description:
            'The job with its progress. While it is not finished, `Retry-After` says when to poll again. The ' +
            '`ETag` changes whenever the job does: send it back in `If-None-Match` to get 304 while nothing ' +
            'changed. To follow a job without polling, see `GET …/events`.',
          params: jobParams,
          headers: requestHeaders({ 'if-none-match': IF_NONE_MATCH }),
          response: {
            200: jsonResponse(jobSchema, 'The job.', { ETag: HEADERS.etag, 'Retry-After': HEADERS.retryAfter }),
            304: noContent('The job has not changed since the ETag given in If-None-Match (no body).'),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request, reply) => {
        const row = await jobInScope(request, request.params);
        const [job] = await jobsWithProgress(db, [row]);
        const etag = entityTag(job!);
        reply.header('etag', etag);
        if (!row.finishedAt) reply.header('retry-after', pollAfterSeconds(row));
        if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
        return job!;
      },
    );

    app.get(
      '/v1/customers/:customerId/license-jobs/:jobId/events',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'streamLicenseJobEvents',
          tags: ['license jobs'],
          summary: "A job's progress as server-sent events, until it finishes",
          description:
            'A `text/event-stream`: a `progress` event (data: the Job) at once and whenever the progress changes, ' +
            `at most every ${EVENT_INTERVAL_MS} ms, then one \`finished\` event (data: the final Job), then the ` +
            'stream ends; close the EventSource on `finished`, or it reconnects. Quiet streams get a comment line ' +
            'every 15 s. A server shutting down ends its streams (reconnect to continue); a stream whose API key is ' +
            'revoked or expires ends without another event. A partner has at most `EVENT_STREAMS_PER_PARTNER` ' +
            '(500) streams open on one server: one more is answered 429 `partner_concurrency_limit` with `Retry-After`.',
          params: jobParams,
          response: {
            200: declaredResponse('Server-sent events: `progress` ..., then `finished`.', {
              'text/event-stream': z.string().meta({
                description: 'Events `progress` and `finished`, each with the Job as JSON in `data`.',
                example:
                  'event: progress\ndata: {"id":"…","status":"running",…}\n\nevent: finished\ndata: {"id":"…","status":"completed",…}\n\n',
              }),
            }),
            ...problemResponses(400, 404, { 429: ['partner_concurrency_limit'] }),
          },
        },
      },
      async (request, reply) => {
        const row = await jobInScope(request, request.params);
        const release = deps.eventShares.take(partnerOf(request).id);
        reply.raw.once('close', release);
        const [job] = await jobsWithProgress(db, [row]).catch((error: unknown) => {
          release();
          throw error;
        });
        const out = new PassThrough();
        deps.events.open(job!, out, partnerOf(request).keyId);
        return reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('x-accel-buffering', 'no')
          .send(out as unknown as string);
      },
    );

    app.post(
      '/v1/customers/:customerId/license-jobs/:jobId/cancel',
      {
        config: { scope: 'licenses:write' },
        schema: {
          operationId: 'cancelLicenseJob',
          tags: ['license jobs'],
          summary: 'Cancel an unfinished job',
          description:
            'Stops an unfinished job: users not applied yet become `cancelled` and their reserved seats are ' +
            'released; users already applied keep their changes.',
          params: jobParams,
          response: {
            200: jsonResponse(jobSchema, 'The job, finished as cancelled.'),
            ...problemResponses(400, 404, { 409: ['job_finished'], 422: ['group_job'] }),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const jobId = pathId(request.params.jobId, 'licenseJob');
        if ((await getJobRow(db, customer.id, jobId))?.sourceGroupId) throw groupJob();
        const cancel = await retryOnConflict(() =>
          db.transaction((tx) =>
            cancelJob(tx, customer.id, jobId, () =>
              auditChange(tx, request, customer.id, 'license_job.cancelled', { jobId }),
            ),
          ),
        );
        if (cancel.outcome === 'not_found') throw notFound('licenseJob');
        if ('delivery' in cancel && cancel.delivery) await deps.onDeliveriesRecorded?.([cancel.delivery], request.log);
        if (cancel.outcome === 'finished')
          throw conflict('job_finished', 'The job has already finished; there is nothing left to cancel.');
        request.log.info({ jobId }, 'license job cancelled');
        const [job] = await jobsWithProgress(db, [(await getJobRow(db, customer.id, jobId))!]);
        return job!;
      },
    );

    app.post(
      '/v1/customers/:customerId/license-jobs/:jobId/retry',
      {
        config: { scope: 'licenses:write' },
        preValidation: bodyMayBeLeftOut,
        schema: {
          operationId: 'retryLicenseJob',
          tags: ['license jobs'],
          summary: "Retry a finished job's failed and cancelled users as a new job",
          description:
            'Creates a new job (`retryOf` names this one) with the same changes and client reference, for the ' +
            'users of this job whose result is `failed` or `cancelled` and who still exist, under the same seat ' +
            'rules as any job (409 `insufficient_licenses`, nothing reserved). Honours `Idempotency-Key`. An ' +
            'optional body `{notBefore}` schedules it, as for a new job.',
          params: jobParams,
          headers: requestHeaders({ 'idempotency-key': IDEMPOTENCY_KEY }),
          body: jobFollowUpBody,
          bodyOptional: true,
          response: {
            202: jsonResponse(jobSchema, 'The new job was accepted and its seats reserved.', {
              Location: HEADERS.location,
              'Retry-After': HEADERS.retryAfter,
            }),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              400: ['invalid_idempotency_key'],
              409: ['job_not_finished', 'insufficient_licenses', 'idempotency_key_in_use'],
              429: ['too_many_pending_jobs', 'partner_queue_full', 'partner_concurrency_limit'],
              422: [
                'group_job',
                'nothing_to_retry',
                'unknown_product',
                'unknown_service_plan',
                'invalid_service_plans',
                'no_subscription',
                'idempotency_key_reused',
                'not_before_too_far',
              ],
            }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const jobId = pathId(request.params.jobId, 'licenseJob');
        const original = await getJobRow(db, customer.id, jobId);
        if (!original) throw notFound('licenseJob');
        if (original.sourceGroupId) throw groupJob();
        const notBefore = request.body?.notBefore;
        return acceptJob(request, reply, customer.id, {
          fingerprint: {
            customerId: customer.id,
            path: `license-jobs/${jobId}/retry`,
            ...followUpFingerprint(notBefore),
          },
          changes: async () => {
            if (!original.finishedAt) throw jobNotFinished('retrying');
            return validateProducts(db, { assign: original.assign, revoke: original.revoke });
          },
          users: async (tx) => {
            const users = await retryableUsers(tx, customer.id, jobId);
            if (users.length === 0)
              throw unprocessable(
                'nothing_to_retry',
                'No user of this job failed or was cancelled (among the users that still exist).',
              );
            // A job whose users each had their own changes (a revert: its job-level changes are their
            // union, a product may be in both) is retried with each user's own, never the union.
            if (users.some((u) => u.request))
              return new Map(
                users.map((u) => [u.userId, u.request ?? { assign: original.assign, revoke: original.revoke }]),
              );
            return users.map((u) => u.userId);
          },
          clientReference: original.clientReference ?? undefined,
          retryOf: jobId,
          notBefore,
        });
      },
    );

    app.post(
      '/v1/customers/:customerId/license-jobs/:jobId/revert',
      {
        config: { scope: 'licenses:write' },
        preValidation: bodyMayBeLeftOut,
        schema: {
          operationId: 'revertLicenseJob',
          tags: ['license jobs'],
          summary: 'Undo a finished job: a new job that puts its succeeded users back as they were before it',
          description:
            'Creates a new job (`revertOf` names this one) that restores every user this job changed to its ' +
            'state just before the job, as the license history recorded it (not as the request asked): a ' +
            'license the job assigned is revoked, one it revoked is assigned again with the service plans the ' +
            'user had, one it updated gets its previous plans back. Users the job left as they were need no ' +
            'undoing. A user whose license of one of those products changed after the job (a later job, or by ' +
            'other means) is left alone: it fails with `ChangedSinceJob`, whose `jobIds` name the later jobs; ' +
            'this is decided when the revert is applied. Seats as for any job: a license assigned again needs ' +
            'a seat, reserved now (409 `insufficient_licenses`, nothing reserved). Reverting a revert redoes the ' +
            'job. Honours `Idempotency-Key`. An optional body `{notBefore}` schedules it, as for a new job (which ' +
            'users changed since is then decided at that time). Preview it with `POST …/revert/preview`.',
          params: jobParams,
          headers: requestHeaders({ 'idempotency-key': IDEMPOTENCY_KEY }),
          body: jobFollowUpBody,
          bodyOptional: true,
          response: {
            202: jsonResponse(jobSchema, 'The revert was accepted and its seats reserved.', {
              Location: HEADERS.location,
              'Retry-After': HEADERS.retryAfter,
            }),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              400: ['invalid_idempotency_key'],
              409: ['job_not_finished', 'insufficient_licenses', 'idempotency_key_in_use'],
              422: [
                'group_job',
                'nothing_to_revert',
                'unknown_product',
                'no_subscription',
                'idempotency_key_reused',
                'not_before_too_far',
              ],
              429: ['too_many_pending_jobs', 'partner_queue_full', 'partner_concurrency_limit'],
            }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const jobId = pathId(request.params.jobId, 'License job');
        const original = await getJobRow(db, customer.id, jobId);
        if (!original) throw notFound('License job');
        if (original.sourceGroupId) throw groupJob();
        const notBefore = request.body?.notBefore;
        return acceptJob(request, reply, customer.id, {
          fingerprint: {
            customerId: customer.id,
            path: `license-jobs/${jobId}/revert`,
            ...followUpFingerprint(notBefore),
          },
          changes: async () => {
            if (!original.finishedAt) throw jobNotFinished('reverting');
            return { assign: [], revoke: [] };
          },
          users: async (tx) => {
            const requests = revertRequests(await revertableUsers(tx, customer.id, original));
            if (requests.size === 0) throw nothingToRevert();
            await validateProducts(db, await unionOfRequests(requests));
            return requests;
          },
          clientReference: original.clientReference ?? undefined,
          revertOf: jobId,
          notBefore,
        });
      },
    );

    app.post(
      '/v1/customers/:customerId/license-jobs/:jobId/revert/preview',
      {
        config: { scope: 'read' },
        preValidation: bodyMayBeLeftOut,
        schema: {
          operationId: 'previewLicenseJobRevert',
          tags: ['license jobs'],
          summary: 'Dry run of a revert: what undoing the job would do now, and the users it would leave alone',
          description:
            'Answers what `POST …/revert` would do now, by the rules the worker applies, on the state at the ' +
            'time of the request; reserves and changes nothing. The users whose license changed since the job ' +
            'are among `failures` with `ChangedSinceJob` (and the later jobs in `jobIds`). With `notBefore` the ' +
            'prediction is still made on the state now (`evaluatedAt`). Previews share the ' +
            "license overview's budget of selected users: when it is full, 503 `overloaded` after up to 5 s; a partner " +
            'has one large selection (over 1,000 users) in progress at a time (up to four more wait 5 s for their turn), for at most a quarter of the time, ' +
            'past which it is answered 429 `partner_concurrency_limit` with `Retry-After`.',
          params: jobParams,
          body: jobFollowUpBody,
          bodyOptional: true,
          response: {
            200: jsonResponse(jobPreviewSchema, 'The predicted effect of the revert.'),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              409: ['job_not_finished'],
              422: ['nothing_to_revert', 'unknown_product', 'no_subscription', 'not_before_too_far'],
              429: ['partner_concurrency_limit'],
              503: ['overloaded'],
            }),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const jobId = pathId(request.params.jobId, 'License job');
        const original = await getJobRow(db, customer.id, jobId);
        if (!original) throw notFound('License job');
        if (!original.finishedAt) throw jobNotFinished('reverting');
        const basis = previewBasis(request.body?.notBefore);
        const release = await deps.budget.acquireFor(
          partnerOf(request).id,
          deps.budget.mayBeLarge(original.userCount),
          async () => original.userCount,
        );
        try {
          const read = await db.transaction(
            async (tx) => {
              const users = await revertableUsers(tx, customer.id, original);
              const requests = revertRequests(users);
              if (requests.size === 0) throw nothingToRevert();
              const changes = await unionOfRequests(requests);
              const history = await revertHistory(
                tx,
                customer.id,
                [...requests.keys()].map((userId) => ({ userId, jobId })),
              );
              const state = await readPreviewState(
                tx,
                customer.id,
                [...requests.keys()],
                changes.assign.map((a) => a.productId),
              );
              return { requests, changes, history, state };
            },
            { isolationLevel: 'repeatable read', accessMode: 'read only' },
          );
          await validateProducts(db, read.changes);
          const unsubscribed = read.changes.assign.map((a) => a.productId).filter((p) => !read.state.available.has(p));
          if (unsubscribed.length) {
            throw unprocessable(
              'no_subscription',
              `The customer has no subscription to ${unsubscribed.map((p) => `"${p}"`).join(', ')}.`,
              { productIds: unsubscribed },
            );
          }
          const preview = await inSteps(
            previewJobSteps({
              catalog: read.state.catalog,
              customerCountry: customer.country,
              users: read.state.users.map((u) => ({
                ...u,
                changes: read.requests.get(u.id),
                revert: read.history.get(u.id) ?? { done: [], later: [] },
              })),
              changes: { assign: [], revoke: [] },
              available: read.state.available,
            }),
          );
          const [names, language] = [await catalogNames(db), requestLanguage(request)];
          return {
            ...basis,
            ...preview,
            failures: {
              ...preview.failures,
              users: preview.failures.users.map((user) => ({
                ...user,
                changes: wordChanges(user.changes, language, names),
              })),
            },
          };
        } finally {
          release();
        }
      },
    );

    app.get(
      '/v1/customers/:customerId/license-jobs/:jobId/results',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listLicenseJobResults',
          tags: ['license jobs'],
          summary: 'Per-user results of a job, in user-list order; as JSON pages or one CSV file',
          description:
            'One item per user of the job: its status and the outcome of each change. With `Accept: text/csv` or ' +
            '`format=csv` the whole result (paging aside, `status` applied) is streamed as one CSV file: a header ' +
            'row, then one row per user and change (one row for a user without changes), RFC 4180 quoting, and ' +
            "cells that start with =, +, -, @, tab or CR prefixed with ' so spreadsheets do not run them. An API " +
            `process serves ${DEFAULT_CSV_EXPORTS} CSV downloads at once, at most ${DEFAULT_CSV_EXPORTS_PER_PARTNER} of ` +
            'one partner (by default): past its share a partner is answered 429 `partner_concurrency_limit` at once, ' +
            `with \`Retry-After\`; past the process's, a download waits up to ${CSV_EXPORT_MAX_WAIT_MS / 1000} s for ` +
            'one to end, then is answered 503 `overloaded` with `Retry-After`. A download whose client reads nothing ' +
            `for ${CSV_EXPORT_IDLE_MS / 1000} s, or reads slower than ${DEFAULT_CSV_EXPORT_MIN_BYTES_PER_SECOND / 1024} ` +
            'KiB/s on average, is cut off, as is one whose API key is revoked or expires while it is read.',
          params: jobParams,
          querystring: resultsQuery,
          response: {
            200: declaredResponse(
              'A page of results (JSON), or every result as CSV.',
              {
                'application/json': pagedSchema(jobResultSchema, 'JobResultPage'),
                'text/csv': z.string().meta({
                  description: `CSV with the header row \`${RESULTS_CSV_HEADER.join(',')}\`.`,
                  example: `${RESULTS_CSV_HEADER.join(',')}\r\nada@fabrikam.example,Ada,7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11,succeeded,SPE_E3,assign,assigned,,\r\n`,
                }),
              },
              { 'Content-Disposition': HEADERS.contentDisposition },
            ),
            ...problemResponses(400, 404, { 429: ['partner_concurrency_limit'], 503: ['overloaded'] }),
          },
        },
      },
      async (request, reply) => {
        const row = await jobInScope(request, request.params);
        if (wantsCsv(request.query.format, request.headers.accept)) {
          // The cursor holds a pool connection until the file is read: the partner's share first
          // (429 at once past it), then a slot of the process (503 once the wait for one is over).
          const names = await catalogNames(deps.readDb ?? db);
          const releaseShare = deps.csvExports.shares.take(partnerOf(request).id);
          let releaseSlot: () => void;
          try {
            releaseSlot = await deps.csvExports.slots.acquire(1);
          } catch (error) {
            releaseShare();
            throw error;
          }
          let taken = 0;
          // One chunk read ahead of the socket at most, so that what the file has given is close to
          // what the client has taken (see cutOffSlowReaders), a revoked key stops the file within a
          // batch, and a download holds little memory.
          const file = Readable.from(
            resultsCsv(
              whileKeyWorks(
                db,
                partnerOf(request).keyId,
                jobResultRowsCursor(postgresClientOf(deps.readDb ?? db), row, request.query.status),
              ),
              requestLanguage(request),
              names,
              (bytes) => (taken += bytes),
            ),
            { highWaterMark: 1 },
          );
          // 'close' comes once the cursor is returned, whether the file was read to its end or the
          // stream destroyed.
          file.once('close', () => {
            releaseSlot();
            releaseShare();
          });
          cutOffSlowReaders(reply.raw, file, () => taken, deps.csvExports.slowReaders);
          endWhenKeyStops(db, partnerOf(request).keyId, reply.raw, file, request.log);
          // A stream is piped to the client as it is read (no serializer, no buffering of the file); if
          // the client goes away, fastify destroys it, which returns the cursor and frees its connection.
          return reply
            .header('content-type', 'text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="license-job-${row.id}-results.csv"`)
            .send(file as unknown as string);
        }
        const reads = deps.readDb ?? db;
        const [{ items, total }, names] = await Promise.all([
          listJobResults(reads, row, request.query),
          catalogNames(reads),
        ]);
        const language = requestLanguage(request);
        return paged(
          items.map((item) => ({ ...item, changes: wordChanges(item.changes, language, names) })),
          request.query,
          total,
        );
      },
    );
  };
}
