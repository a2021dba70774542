import { UnrecoverableError, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { finalizeJobsIfDone, type Db } from '@licensing/db';
import { withTimeout } from '@licensing/http';
import {
  countBacklogged,
  countWaitingTasks,
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
  /** Tasks held at once from each shard's express queue (default 1000). */
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
  /** Replaces a queue's BullMQ worker found stalled (see `LicenseWorker.checkStalls`); none without. */
  stallWatchdog?: StallWatchdogOptions;
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

/**
 * BullMQ workers consuming each express queue in a process. A BullMQ worker takes tasks one Redis
 * call after another, and starts none until it has taken all that wait (up to its slots): with one,
 * a partner's burst of two 100-user jobs in the express lane took 0.5 to 1.5 s to be taken on a busy
 * machine before another partner's 5-user job behind it was started. Four take a burst four at a time.
 */
const EXPRESS_FETCHERS = 4;

/** How often the worker's slots are shared out again between shards (with several shards). */
const SHARE_SLOTS_EVERY_MS = 1000;

/** The stall watchdog's look at a queue is skipped when Redis does not count its waiting tasks within this. */
const WAITING_COUNT_TIMEOUT_MS = 2000;

/** A stalled BullMQ worker's closing is waited for at most this long (its replacement runs meanwhile). */
const STALLED_CLOSE_TIMEOUT_MS = 10_000;

/** The stall watchdog looks at every queue this often, at most (a quarter of its threshold when shorter). */
const STALL_CHECK_EVERY_MS = 5000;

/** One BullMQ worker, and what it did: the stall watchdog's view of it. */
interface Consumer {
  worker: TaskWorker;
  /** Tasks its processor holds now. */
  held: number;
  /** Tasks it has started since it was created. */
  started: number;
}

/** A queue the process consumes (a shard's queue or its express queue) and the BullMQ worker consuming it now. */
interface Lane {
  queue: string;
  express: boolean;
  current: Consumer;
  /** Its slots: set for a bulk queue by the sharing between shards; a replacement starts with them. */
  concurrency: number;
  /** A new BullMQ worker for the queue (with its own blocking connection), not yet running. */
  create: (concurrency: number) => Consumer;
  /** How many tasks `current` had started at the watchdog's last look. */
  startedAtCheck: number;
  /** When the watchdog first saw, since `current` last started a task, tasks waiting and slots free. */
  idleSince: number | undefined;
  /** Seen stalled, and not yet seen taking a task again (or with nothing left to take). */
  stalled: boolean;
}

/** The stall watchdog (see `LicenseWorker.checkStalls`). */
export interface StallWatchdogOptions {
  /** A queue's worker with free slots that started no task for this long while tasks wait is stalled. */
  afterMs: number;
  /**
   * Counts the queues' waiting tasks: not one of the workers' own connections (the one stuck may be
   * among them); a failing count skips the look.
   */
  client: Redis | Cluster;
  /** Told each time a queue's worker is found stalled (and replaced). */
  onStall?: (queue: string) => void;
}

/**
 * One BullMQ worker per shard and one per shard's express queue, feeding one batcher. With several
 * shards, the bulk workers' slots (`concurrency` in all) are shared out between the shards every
 * second by how many customers have a backlog in each (see `shareSlots`).
 *
 * With a stall watchdog, a queue's BullMQ worker that has free slots and has started no task for
 * `afterMs` while tasks wait in the queue is closed (forcibly: what it holds is handed to the next
 * worker once its lock lapses, like a dead worker's) and replaced by a new one with a new blocking
 * connection. The process reports itself not ready from then until the new worker takes a task.
 */
export class LicenseWorker {
  private timer: NodeJS.Timeout | undefined;
  /** The re-share in flight, so that a slow one is never overlapped by the next. */
  private sharing: Promise<unknown> | undefined;
  private watchdogTimer: NodeJS.Timeout | undefined;
  /** The watchdog's look in flight, so that a slow one is never overlapped by the next. */
  private checking: Promise<unknown> | undefined;
  private running: Promise<void> | undefined;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private closing: Promise<void> | undefined;
  /** Replaced workers still closing. */
  private readonly retiring = new Set<Promise<void>>();

  constructor(
    private readonly lanes: Lane[],
    private readonly log: Logger,
    private readonly slots?: { total: number; client: Redis | Cluster },
    private readonly watchdog?: StallWatchdogOptions,
  ) {}

  /** The BullMQ workers consuming now: each shard's, then each shard's express queue's. */
  get workers(): TaskWorker[] {
    return this.lanes.map((lane) => lane.current.worker);
  }

  /** Runs until closed; rejects if a BullMQ worker's run fails. */
  run(): Promise<void> {
    if (this.running) return this.running;
    this.running = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    if (this.slots) {
      const reshare = () => {
        this.sharing ??= this.shareSlots().finally(() => (this.sharing = undefined));
      };
      reshare();
      this.timer = setInterval(reshare, SHARE_SLOTS_EVERY_MS);
      this.timer.unref();
    }
    if (this.watchdog) {
      const look = () => {
        this.checking ??= this.checkStalls()
          .catch((err: unknown) => this.log.error({ err }, 'stall watchdog failed'))
          .finally(() => (this.checking = undefined));
      };
      this.watchdogTimer = setInterval(look, Math.min(STALL_CHECK_EVERY_MS, this.watchdog.afterMs / 4));
      this.watchdogTimer.unref();
    }
    for (const lane of this.lanes) this.start(lane.current);
    return this.running;
  }

  private start(consumer: Consumer): void {
    consumer.worker.run().catch((error: unknown) => {
      if (!this.closing && this.lanes.some((lane) => lane.current === consumer)) this.settle?.reject(error);
    });
  }

  /** Sets each shard's bulk worker's concurrency from the backlogs now. Public for tests. */
  async shareSlots(): Promise<number[] | undefined> {
    const slots = this.slots;
    if (!slots) return undefined;
    const bulk = this.lanes.filter((lane) => !lane.express);
    try {
      const backlogged = await Promise.all(
        bulk.map((lane) => countBacklogged(slots.client, lane.current.worker.toKey)),
      );
      const shares = shareSlots(slots.total, backlogged);
      for (const [i, lane] of bulk.entries()) {
        lane.concurrency = shares[i]!;
        lane.current.worker.concurrency = shares[i]!;
      }
      return shares;
    } catch (err) {
      this.log.warn({ err }, 'worker slots not shared out between shards');
      return undefined;
    }
  }

  /**
   * One look of the stall watchdog at every queue (every few seconds while running; public for
   * tests): a queue's worker that started a task since the last look, or has no free slot, is fine;
   * otherwise Redis is asked whether tasks wait in its queue (the only Redis call, and only for an
   * idle worker). A worker found so for `afterMs` is stalled: logged, counted, and replaced.
   * Answers the queues whose workers it replaced.
   */
  async checkStalls(now = Date.now()): Promise<string[]> {
    const watchdog = this.watchdog;
    if (!watchdog || this.closing) return [];
    const replaced: string[] = [];
    await Promise.all(
      this.lanes.map(async (lane) => {
        const consumer = lane.current;
        const { worker, held, started } = consumer;
        const tookTasks = started !== lane.startedAtCheck;
        lane.startedAtCheck = started;
        if (tookTasks) lane.stalled = false;
        if (tookTasks || worker.isPaused() || held >= worker.concurrency) {
          lane.idleSince = undefined;
          return;
        }
        let waiting: number;
        try {
          waiting = await withTimeout(
            countWaitingTasks(watchdog.client, worker.toKey),
            WAITING_COUNT_TIMEOUT_MS,
            'waiting tasks not counted',
          );
        } catch {
          return; // Redis away: /readyz's own Redis check says so
        }
        if (this.closing || lane.current !== consumer) return;
        if (waiting === 0) {
          lane.idleSince = undefined;
          lane.stalled = false;
          return;
        }
        lane.idleSince ??= now;
        if (now - lane.idleSince < watchdog.afterMs) return;
        lane.stalled = true;
        this.log.warn(
          {
            queue: lane.queue,
            waiting,
            idleSeconds: Math.round((now - lane.idleSince) / 1000),
            held,
            concurrency: worker.concurrency,
          },
          'worker stalled: tasks wait in its queue, it has free slots and took none; replacing its BullMQ worker and blocking connection',
        );
        watchdog.onStall?.(lane.queue);
        this.replace(lane);
        replaced.push(lane.queue);
      }),
    );
    return replaced;
  }

  /** Starts a new BullMQ worker for the lane and closes the old one without waiting for its tasks. */
  private replace(lane: Lane): void {
    const old = lane.current;
    lane.current = lane.create(lane.concurrency);
    lane.startedAtCheck = 0;
    lane.idleSince = undefined;
    this.start(lane.current);
    const retired: Promise<void> = withTimeout(old.worker.close(true), STALLED_CLOSE_TIMEOUT_MS, 'not closed')
      .catch((err: unknown) => this.log.warn({ err, queue: lane.queue }, 'stalled BullMQ worker not closed'))
      .finally(() => this.retiring.delete(retired));
    this.retiring.add(retired);
  }

  /** The queues whose workers were found stalled and have not taken a task since. */
  stalledQueues(): string[] {
    // Once each: an express queue is taken by several BullMQ workers.
    return [...new Set(this.lanes.filter((lane) => lane.stalled).map((lane) => lane.queue))];
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

  close(force = false): Promise<void> {
    this.closing ??= (async () => {
      // A re-share or a watchdog's look still in flight is not waited for (with Redis away it would
      // not return); setting a closing worker's concurrency late changes nothing, and the watchdog
      // replaces nothing once closing.
      clearInterval(this.timer);
      clearInterval(this.watchdogTimer);
      try {
        await Promise.all([...this.workers.map((w) => w.close(force)), ...this.retiring]);
      } finally {
        this.settle?.resolve();
      }
    })();
    return this.closing;
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
      // As many express batches (one customer each) as one batch has parts: the same connections.
      expressSlots: PARTS_AT_ONCE,
      timeoutMs,
      isBusy: (error) => error instanceof UserBusyError,
    },
  );
  const shards = options.shards ?? [{ name: LICENSE_TASK_QUEUE, prefix: options.prefix }];
  const initial = shareSlots(
    options.concurrency,
    shards.map(() => 0),
  );
  const expressSlots = Math.ceil((options.expressConcurrency ?? 1000) / EXPRESS_FETCHERS);
  const lanes = [
    ...shards.map((shard, i) => createLane(options, shard, batcher, jobCustomers, false, initial[i]!)),
    ...shards.flatMap((shard) =>
      Array.from({ length: EXPRESS_FETCHERS }, () =>
        createLane(
          options,
          { ...shard, name: expressQueueName(shard.name) },
          batcher,
          jobCustomers,
          true,
          expressSlots,
        ),
      ),
    ),
  ];
  return new LicenseWorker(
    lanes,
    options.log,
    shards.length > 1 ? { total: options.concurrency, client: options.connection } : undefined,
    options.stallWatchdog,
  );
}

function createLane(
  options: LicenseWorkerOptions,
  shard: QueueShard,
  batcher: UserTaskBatcher,
  jobCustomers: JobCustomers,
  expressQueue: boolean,
  concurrency: number,
): Lane {
  // The bulk queue's fair-share clock, beside the queue's keys: kept when its worker is replaced.
  const fair: { clock?: FairClock } = {};
  const create = (slots: number) => createConsumer(options, shard, batcher, jobCustomers, expressQueue, fair, slots);
  const current = create(concurrency);
  if (!expressQueue)
    fair.clock = new FairClock(
      options.connection,
      fairClockKey(current.worker.toKey),
      (options.fairShare ?? DEFAULT_FAIR_SHARE).chunk,
      (err) => options.log.warn({ err }, 'fair-share clock not advanced'),
    );
  return {
    queue: shard.name,
    express: expressQueue,
    current,
    concurrency,
    create,
    startedAtCheck: 0,
    idleSince: undefined,
    stalled: false,
  };
}

function createConsumer(
  options: LicenseWorkerOptions,
  shard: QueueShard,
  batcher: UserTaskBatcher,
  jobCustomers: JobCustomers,
  expressQueue: boolean,
  fair: { clock?: FairClock },
  concurrency: number,
): Consumer {
  const consumer: Consumer = { worker: undefined as unknown as TaskWorker, held: 0, started: 0 };
  consumer.worker = new Worker<LicenseTaskData, void, typeof LICENSE_TASK_NAME>(
    shard.name,
    async (job) => {
      consumer.started += 1;
      consumer.held += 1;
      try {
        const task = decodeLicenseTask(job.data);
        if (!task) throw new UnrecoverableError(`malformed task payload: ${JSON.stringify(job.data).slice(0, 200)}`);
        fair.clock?.observe(job.priority);
        const started = performance.now();
        // No priority: the express lane of interactive jobs (see fair-share.ts).
        await batcher.submit(task, expressQueue || !job.priority, await jobCustomers.customerOf(task.jobId));
        options.onTaskDone?.((performance.now() - started) / 1000);
      } finally {
        consumer.held -= 1;
      }
    },
    {
      connection: expressQueue ? (options.expressConnection ?? options.connection) : options.connection,
      prefix: shard.prefix,
      concurrency,
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
  consumer.worker.on('error', (err) => options.log.error({ err }, 'worker error'));
  consumer.worker.on('failed', (job, err) =>
    options.log.warn({ err, ...decodeLicenseTask(job?.data), attempts: job?.attemptsMade }, 'task failed'),
  );
  return consumer;
}
