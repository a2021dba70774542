import { UnrecoverableError, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { finalizeJobsIfDone, type Db } from '@licensing/db';
import {
  countBacklogged,
  DEFAULT_FAIR_SHARE,
  decodeLicenseTask,
  FairClock,
  type FairShareOptions,
  fairClockKey,
  licenseTaskBackoff,
  type LICENSE_TASK_NAME,
  LICENSE_TASK_QUEUE,
  expressQueueName,
  licenseTaskRetention,
  type QueueShard,
  shareSlots,
  taskTelemetry,
  type LicenseTask,
  type LicenseTaskData,
} from '@licensing/queue';
import { enqueueDeliveries, type WebhookQueue } from '@licensing/webhooks';
import { applyUserChanges, type AppliedItem, type BatchBounds } from './apply-user-changes.ts';
import { groupTasksByCustomer, JobCustomers } from './job-customers.ts';

import { UserTaskBatcher } from './user-task-batcher.ts';

export interface LicenseWorkerOptions {
  db: Db;
  /** The worker's own connection (BullMQ duplicates it for blocking reads); also moves the fair-share clock. */
  connection: Redis | Cluster;
  prefix: string;
  /** The queues to consume (QUEUE_SHARDS); default: the one queue under `prefix`. They share `concurrency`. */
  shards?: QueueShard[];
  concurrency: number;
  /**
   * The express queues' workers' own connection (BullMQ duplicates it for blocking reads). Shared
   * with the bulk workers on a Redis Cluster, their fetches waited behind the bulk traffic for
   * seconds at a time (see docs/benchmarks.md); default: `connection`.
   */
  expressConnection?: Redis | Cluster;
  /** Tasks held at once from each shard's express queue (default 50). */
  expressConcurrency?: number;
  batchSize: number;
  batchParallelism: number;
  /**
   * A batch still running after this is given up: its transaction is ended and its tasks are
   * retried (default 30 s). Its locks are waited for at most a sixth of it, its statements last at
   * most a third.
   */
  batchTimeoutMs?: number;
  stalledIntervalMs: number;
  log: Logger;
  onApplied?: (items: AppliedItem[], seconds: number) => void;
  onJobFinished?: (job: { id: string; status: string }) => void;
  onTaskDone?: (seconds: number) => void;
  /** A span per task, joined to the trace of the request that accepted the job. */
  tracing?: boolean;
  /** Must match the producers' (the API's and the reconciler's). */
  fairShare?: FairShareOptions;
  /** Where the webhook events recorded with a job's finish are handed to the delivery worker. */
  webhookQueue?: WebhookQueue;
  /** Told, once committed, that a batch freed seats of the customer (its waiting room may be drained). */
  onSeatsFreed?: (customerId: string) => void;
}

/** How many customers' parts of one batch are applied at once, each in its own transaction. */
export const PARTS_AT_ONCE = 4;

/**
 * Applies a batch, one transaction per customer whose users it holds (no transaction spans two
 * customers: on a Postgres sharded by customer each stays on one shard), up to PARTS_AT_ONCE of
 * them at once. If a customer's part fails as a whole (a deadlock, one poisoned user), each of
 * its tasks is retried alone so one bad user cannot hold back the others; the other customers' parts
 * are not affected. Returns an error per task or undefined.
 */
export async function applyTasks(
  options: Pick<
    LicenseWorkerOptions,
    'db' | 'log' | 'onApplied' | 'onJobFinished' | 'webhookQueue' | 'onSeatsFreed'
  > & {
    jobCustomers: JobCustomers;
    bounds?: BatchBounds;
  },
  tasks: LicenseTask[],
  signal?: AbortSignal,
): Promise<(unknown | undefined)[]> {
  const busyUsers = new Set<string>();
  const run = async (customerId: string, batch: LicenseTask[]) => {
    const started = performance.now();
    const {
      applied,
      busy,
      deliveries: seatsExhausted,
      freedSeats,
    } = await applyUserChanges(options.db, customerId, batch, { ...options.bounds, signal });
    if (freedSeats) options.onSeatsFreed?.(customerId);
    for (const userId of busy) busyUsers.add(userId);
    options.onApplied?.(applied, (performance.now() - started) / 1000);
    const finished = await finalizeJobsIfDone(
      options.db,
      applied.map((a) => ({ customerId, id: a.jobId })),
    );
    for (const job of finished) {
      options.log.info({ jobId: job.id, status: job.status }, 'license job finished');
      options.onJobFinished?.(job);
    }
    const deliveries = [
      ...seatsExhausted,
      ...finished.flatMap((job) => [job.delivery, job.groupDelivery].filter((d) => d !== undefined)),
    ];
    // Recorded with the finish: if Redis does not take them now, the reconciler queues them.
    if (deliveries.length && options.webhookQueue)
      await enqueueDeliveries(options.webhookQueue, deliveries).catch((err: unknown) =>
        options.log.warn({ err }, 'webhook deliveries not enqueued; the reconciler will'),
      );
  };
  let customers: Map<string, string>;
  try {
    customers = await options.jobCustomers.of(tasks.map((t) => t.jobId));
  } catch (error) {
    return tasks.map(() => error);
  }
  const errors: (unknown | undefined)[] = tasks.map(() => undefined);
  const applyGroup = async (group: { customerId: string; tasks: LicenseTask[]; places: number[] }) => {
    try {
      await run(group.customerId, group.tasks);
    } catch (error) {
      if (group.tasks.length === 1) {
        errors[group.places[0]!] = error;
        return;
      }
      options.log.warn(
        { err: error, customerId: group.customerId, tasks: group.tasks.length },
        "a customer's part of a batch failed; applying its users one by one",
      );
      for (const [k, task] of group.tasks.entries()) {
        try {
          await run(group.customerId, [task]);
        } catch (taskError) {
          errors[group.places[k]!] = taskError;
        }
      }
    }
  };
  // Customers' parts run side by side (PARTS_AT_ONCE at most): one customer's part that waits (a
  // lock its own job acceptance holds, a slow commit) must not hold up the other customers' users
  // in the same batch, which may be another partner's.
  const groups = groupTasksByCustomer(tasks, customers);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARTS_AT_ONCE, groups.length) }, async () => {
      while (next < groups.length) await applyGroup(groups[next++]!);
    }),
  );
  for (const [i, task] of tasks.entries())
    if (busyUsers.has(task.userId) && !errors[i]) errors[i] = new UserBusyError();
  return errors;
}

/** The task's user was held by another batch: nothing was applied for it; it comes back later. */
export class UserBusyError extends Error {
  constructor() {
    super("the user's changes are being applied by another batch");
    this.name = 'UserBusyError';
  }
}

type TaskWorker = Worker<LicenseTaskData, void, typeof LICENSE_TASK_NAME>;

/** A batch still running after this is given up (its transaction ended) and its tasks retried. */
const DEFAULT_BATCH_TIMEOUT_MS = 30_000;

/** How often the worker's slots are shared out again between shards (with several shards). */
const SHARE_SLOTS_EVERY_MS = 1000;

/**
 * One BullMQ worker per shard and one per shard's express queue, feeding one batcher. With several
 * shards, the bulk workers' slots (`concurrency` in all) are shared out between the shards every
 * second by how many customers have a backlog in each (see `shareSlots`).
 */
export class LicenseWorker {
  private timer: NodeJS.Timeout | undefined;
  /** The re-share in flight, so that a slow one is never overlapped by the next. */
  private sharing: Promise<unknown> | undefined;

  constructor(
    readonly workers: TaskWorker[],
    private readonly slots?: { total: number; bulk: TaskWorker[]; client: Redis | Cluster; log: Logger },
  ) {}

  async run(): Promise<void> {
    if (this.slots && !this.timer) {
      const reshare = () => {
        this.sharing ??= this.shareSlots().finally(() => (this.sharing = undefined));
      };
      reshare();
      this.timer = setInterval(reshare, SHARE_SLOTS_EVERY_MS);
      this.timer.unref();
    }
    await Promise.all(this.workers.map((w) => w.run()));
  }

  /** Sets each shard's bulk worker's concurrency from the backlogs now. Public for tests. */
  async shareSlots(): Promise<number[] | undefined> {
    const slots = this.slots;
    if (!slots) return undefined;
    try {
      const backlogged = await Promise.all(slots.bulk.map((w) => countBacklogged(slots.client, w.toKey)));
      const shares = shareSlots(slots.total, backlogged);
      for (const [i, w] of slots.bulk.entries()) w.concurrency = shares[i]!;
      return shares;
    } catch (err) {
      slots.log.warn({ err }, 'worker slots not shared out between shards');
      return undefined;
    }
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  isRunning(): boolean {
    return this.workers.every((w) => w.isRunning());
  }

  isPaused(): boolean {
    return this.workers.some((w) => w.isPaused());
  }

  async close(force = false): Promise<void> {
    // A re-share still in flight is not waited for (with Redis away it would not return); setting a
    // closing worker's concurrency late changes nothing.
    clearInterval(this.timer);
    await Promise.all(this.workers.map((w) => w.close(force)));
  }
}

export function createLicenseWorker(options: LicenseWorkerOptions): LicenseWorker {
  const jobCustomers = new JobCustomers(options.db);
  const timeoutMs = options.batchTimeoutMs ?? DEFAULT_BATCH_TIMEOUT_MS;
  // The transaction gives up on a lock, or a statement, well before the batch gives up on it.
  const bounds = { lockTimeoutMs: Math.round(timeoutMs / 6), statementTimeoutMs: Math.round(timeoutMs / 3) };
  const batcher = new UserTaskBatcher(
    (tasks, signal) => applyTasks({ ...options, jobCustomers, bounds }, tasks, signal),
    {
      maxBatch: options.batchSize,
      parallelism: options.batchParallelism,
      // A batch is one round of customers' transactions (see applyTasks), whoever's tasks are in it.
      maxKeys: PARTS_AT_ONCE,
      timeoutMs,
      isBusy: (error) => error instanceof UserBusyError,
    },
  );
  const shards = options.shards ?? [{ name: LICENSE_TASK_QUEUE, prefix: options.prefix }];
  const initial = shareSlots(
    options.concurrency,
    shards.map(() => 0),
  );
  const bulk = shards.map((shard, i) => createShardWorker(options, shard, batcher, jobCustomers, false, initial[i]!));
  const express = shards.map((shard) =>
    createShardWorker(options, { ...shard, name: expressQueueName(shard.name) }, batcher, jobCustomers, true),
  );
  return new LicenseWorker(
    [...bulk, ...express],
    shards.length > 1 ? { total: options.concurrency, bulk, client: options.connection, log: options.log } : undefined,
  );
}

function createShardWorker(
  options: LicenseWorkerOptions,
  shard: QueueShard,
  batcher: UserTaskBatcher,
  jobCustomers: JobCustomers,
  expressQueue: boolean,
  concurrency = options.concurrency,
) {
  let clock: FairClock | undefined;
  const worker = new Worker<LicenseTaskData, void, typeof LICENSE_TASK_NAME>(
    shard.name,
    async (job) => {
      const task = decodeLicenseTask(job.data);
      if (!task) throw new UnrecoverableError(`malformed task payload: ${JSON.stringify(job.data).slice(0, 200)}`);
      clock?.observe(job.priority);
      const started = performance.now();
      // No priority: the express lane of interactive jobs (see fair-share.ts).
      await batcher.submit(task, expressQueue || !job.priority, await jobCustomers.customerOf(task.jobId));
      options.onTaskDone?.((performance.now() - started) / 1000);
    },
    {
      connection: expressQueue ? (options.expressConnection ?? options.connection) : options.connection,
      prefix: shard.prefix,
      concurrency: expressQueue ? (options.expressConcurrency ?? 200) : concurrency,
      // A task held by a worker that died is handed to another within seconds, not minutes.
      stalledInterval: options.stalledIntervalMs,
      lockDuration: Math.max(options.stalledIntervalMs * 2, 10_000),
      maxStalledCount: 10,
      autorun: false,
      ...licenseTaskRetention,
      telemetry: taskTelemetry(options.tracing ?? false),
      settings: { backoffStrategy: licenseTaskBackoff },
    },
  );
  if (!expressQueue)
    clock = new FairClock(
      options.connection,
      fairClockKey(worker.toKey),
      (options.fairShare ?? DEFAULT_FAIR_SHARE).chunk,
      (err) => options.log.warn({ err }, 'fair-share clock not advanced'),
    );
  worker.on('error', (err) => options.log.error({ err }, 'worker error'));
  worker.on('failed', (job, err) =>
    options.log.warn({ err, ...decodeLicenseTask(job?.data), attempts: job?.attemptsMade }, 'task failed'),
  );
  return worker;
}
