import { Queue, type JobsOptions, type QueueOptions } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import type { Cluster, Redis } from 'ioredis';
import { z } from 'zod';
import { DEFAULT_FAIR_SHARE, EXPRESS, type FairShareOptions, priorityOfTask, tagTasks } from './fair-share.ts';

/**
 * The one task kind of this system: apply one bulk job's changes to one user.
 * Everything the worker needs beyond these ids is read from Postgres, the source of truth,
 * so a task can be re-created from a job item at any time (see the reconciler).
 */
export const LICENSE_TASK_QUEUE = 'license-tasks';
export const LICENSE_TASK_NAME = 'apply-user-changes';

const UUID_HEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID's 16 bytes in base64url: 22 characters instead of 36. */
export function compactUuid(uuid: string): string {
  if (!UUID_HEX.test(uuid)) throw new TypeError(`not a UUID: ${uuid}`);
  return Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url');
}

export function expandUuid(compact: string): string {
  const hex = Buffer.from(compact, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const compactUuidSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a UUID in base64url');

/**
 * A task as it is stored in Redis: the job's and the user's ids, each in base64url. Redis keeps a
 * hash whose every field is at most 64 bytes as a compact listpack; BullMQ stores a task as such a
 * hash (name, data, opts, ...), and one field over 64 bytes (three UUIDs as JSON, or a custom task
 * id inside opts) turns every task into a hash table that costs Redis more to write, read and
 * delete.
 */
export const licenseTaskDataSchema = z.strictObject({ j: compactUuidSchema, u: compactUuidSchema });
export type LicenseTaskData = z.infer<typeof licenseTaskDataSchema>;

/** What a task asks for: apply job `jobId`'s changes to user `userId`. */
export interface LicenseTask {
  jobId: string;
  userId: string;
}

export const encodeLicenseTask = (task: LicenseTask): LicenseTaskData => ({
  j: compactUuid(task.jobId),
  u: compactUuid(task.userId),
});

/**
 * Tasks enqueued before the compact form (full UUIDs, and the customer's id): still in Redis when
 * workers of this version start, so still applied rather than failed.
 */
const legacyTaskDataSchema = z.object({ jobId: z.uuid(), userId: z.uuid(), customerId: z.uuid().optional() });

/** Decodes a task's data; undefined if it is not a task of this kind. */
export function decodeLicenseTask(data: unknown): LicenseTask | undefined {
  const parsed = licenseTaskDataSchema.safeParse(data);
  if (parsed.success) return { jobId: expandUuid(parsed.data.j), userId: expandUuid(parsed.data.u) };
  const legacy = legacyTaskDataSchema.safeParse(data);
  return legacy.success
    ? { jobId: legacy.data.jobId.toLowerCase(), userId: legacy.data.userId.toLowerCase() }
    : undefined;
}

/**
 * Stored with every task, so kept under 64 bytes (see above) together with the task's priority.
 * Only infrastructure errors (database away, deadlock) reach BullMQ's retries; rule violations are
 * outcomes recorded in Postgres, not failures. Tasks get BullMQ's own ids: a task re-enqueued while
 * its twin is still queued (the reconciler after a partial loss) is applied once and found done the
 * second time. The backoff is exponential from 0.5 s, named by a short custom type because
 * BullMQ's own `{type: 'exponential', delay: 500}` would push the stored options past 64 bytes.
 */
export const licenseTaskOptions: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exp' },
};

/** The worker's backoff strategy for the `exp` type: 0.5 s, 1 s, 2 s, ... */
export const licenseTaskBackoff = (attemptsMade: number): number => 500 * 2 ** Math.max(attemptsMade - 1, 0);

/**
 * Finished tasks are removed so Redis memory stays bounded (the report lives in Postgres); the
 * last ones stay for the dashboard. Set on the worker, not stored with every task. (Objects, not
 * `true`: BullMQ 6.7's finishing script cannot read a worker-level boolean.)
 */
export const licenseTaskRetention = {
  removeOnComplete: { count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

export type LicenseTaskQueue = Queue<LicenseTaskData, void, typeof LICENSE_TASK_NAME>;

/**
 * BullMQ's OpenTelemetry integration: adding tasks opens a span under the active one (the API
 * request) and carries its context in each task, so the worker's span for every user joins the
 * request's trace. Only on when tracing is.
 */
export const taskTelemetry = (enabled: boolean) => (enabled ? new BullMQOtel({ tracerName: 'licensing' }) : undefined);

export function createLicenseTaskQueue(
  connection: QueueOptions['connection'],
  prefix?: string,
  options: { tracing?: boolean; name?: string } = {},
): LicenseTaskQueue {
  return new Queue<LicenseTaskData, void, typeof LICENSE_TASK_NAME>(options.name ?? LICENSE_TASK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: licenseTaskOptions,
    telemetry: taskTelemetry(options.tracing ?? false),
  });
}

/**
 * Tasks per Redis command: big enough that a 50,000-user job is a hundred commands, small enough
 * that building one (the API's CPU) and running it (Redis's) holds up other work for milliseconds.
 */
const ENQUEUE_CHUNK = 500;

/** The job whose tasks are enqueued: its partner and customer decide the tasks' fair share. */
export interface EnqueuedJob {
  id: string;
  partnerId: string;
  customerId: string;
  /** All users of the job (not only those enqueued now): small jobs are interactive. */
  userCount: number;
}

/** How a job's tasks are enqueued beyond the job itself. */
export interface EnqueueOptions {
  fairShare?: FairShareOptions;
  /** Awaited before each chunk, to take turns with other enqueues; returns its release. */
  turn?: () => Promise<() => void>;
  /**
   * The express queue of the job's shard (see shards.ts). Without one, express tasks go to the wait
   * list of `queue` itself (served before its prioritised tasks, but behind the worker's held slots).
   */
  express?: LicenseTaskQueue;
}

/**
 * Adds one task per user in chunks, so a 50,000-user job never builds one giant Redis command.
 * Each task's priority is its place in the partner's and customer's fair share (see fair-share.ts); an
 * interactive job in the express lane gets none, on the express queue.
 */
export async function enqueueLicenseTasks(
  queue: LicenseTaskQueue,
  redis: Redis | Cluster,
  job: EnqueuedJob,
  userIds: readonly string[],
  { fairShare = DEFAULT_FAIR_SHARE, turn, express }: EnqueueOptions = {},
): Promise<void> {
  if (userIds.length === 0) return;
  const j = compactUuid(job.id);
  const interactive = job.userCount <= fairShare.interactiveMaxUsers;
  const tagging = await tagTasks(redis, queue.toKey, job, userIds.length, interactive, fairShare);
  const isExpress = tagging.start === EXPRESS;
  const target = isExpress ? (express ?? queue) : queue;
  const priorityOf = (i: number) => (isExpress ? {} : { priority: priorityOfTask(tagging, i, fairShare.chunk) });
  for (let start = 0; start < userIds.length; start += ENQUEUE_CHUNK) {
    const release = isExpress ? undefined : await turn?.();
    try {
      const chunk = userIds.slice(start, start + ENQUEUE_CHUNK);
      await target.addBulk(
        chunk.map((userId, i) => ({
          name: LICENSE_TASK_NAME,
          data: { j, u: compactUuid(userId) },
          opts: priorityOf(start + i),
        })),
      );
    } finally {
      release?.();
    }
  }
}
