import { withTimeout } from '@licensing/http';
import type { LicenseTask } from '@licensing/queue';

interface Waiting {
  task: LicenseTask;
  /** Whose task it is (the customer): a batch holds the tasks of at most `maxKeys` of them. */
  key: string | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
  /** Times the task came back because another batch held its user. */
  deferrals: number;
}

/**
 * Times a task whose user another batch holds is put back for a later batch before it is handed to
 * BullMQ's retries (and their backoff) instead.
 */
const MAX_DEFERRALS = 50;
/** A deferred task waits for a batch in flight to finish, or this long when none is. */
const DEFERRAL_MS = 20;

/**
 * Group commit for per-user tasks: BullMQ hands over one task per user, and each call waits here
 * until its user has been applied. Whenever a batch slot is free, everything that queued up
 * meanwhile (up to maxBatch) goes to Postgres together (one transaction per customer in it). Under
 * load, batches grow by themselves; when idle, a task is applied alone with no added delay. A second
 * batch starts alongside one in flight only once at least minBatch tasks wait for it.
 *
 * Express tasks (interactive jobs: someone waits for them) go ahead of the others in the next batch,
 * and besides the slots they get `expressSlots` of their own: batches of express tasks only, each of
 * one customer's tasks, of a customer no other of them holds. So a 5-user job never waits for a bulk
 * batch to commit first, nor for another customer's express batch (a partner's own small jobs of a
 * hundred users each, within its express budget): it waits for at most its own customer's.
 *
 * A batch holds the tasks of at most `maxKeys` customers (those of its oldest tasks; the others wait
 * for the next batch), since each customer's part is a transaction of its own and only so many run at
 * once: a batch of twenty customers' few users each would hold its slot, and every task in it, for
 * five rounds of transactions, so a partner spreading small jobs over many customers would slow
 * down everybody's tasks that share its batches. Limited, a batch costs one round, whoever is in it.
 *
 * A task whose user another batch holds (`isBusy` of its error) is put back and joins a later batch,
 * once a batch in flight has finished; a batch that does not finish in time is given up: its signal
 * is aborted (which ends its transaction) and its tasks fail, to be retried by BullMQ.
 */
export class UserTaskBatcher {
  private readonly waiting: Waiting[] = [];
  private readonly express: Waiting[] = [];
  /** Tasks put back because another batch held their users, with whether they are express. */
  private readonly deferred: [Waiting, boolean][] = [];
  private deferralTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  /** The customers of the express batches in flight. */
  private readonly expressKeys = new Set<string>();
  private expressInFlight = 0;

  constructor(
    /** Applies a batch and answers, per task, its error or undefined; `signal` aborts when it is given up. */
    private readonly applyBatch: (tasks: LicenseTask[], signal: AbortSignal) => Promise<(unknown | undefined)[]>,
    private readonly options: {
      maxBatch: number;
      parallelism: number;
      timeoutMs?: number;
      minBatch?: number;
      /** Customers (task keys) one batch holds at most (default: any number). */
      maxKeys?: number;
      /** Batches of express tasks only, one customer each, in flight at once beside the others (default 1). */
      expressSlots?: number;
      /** Whether a task's error says its user was held by another batch (it is put back, not failed). */
      isBusy?: (error: unknown) => boolean;
    },
  ) {}

  /** `key`: the task's customer, when known (a task without one joins any batch). */
  submit(task: LicenseTask, express = false, key?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      (express ? this.express : this.waiting).push({ task, key, resolve, reject, deferrals: 0 });
      this.flush();
    });
  }

  /**
   * Takes up to `room` tasks from `list` (oldest first) into `batch`, of customers already in
   * `keys` or while fewer than `maxKeys` are; the tasks passed over keep their places.
   */
  private take(
    list: Waiting[],
    batch: Waiting[],
    room: number,
    keys: Set<string>,
    maxKeys = this.options.maxKeys ?? Number.POSITIVE_INFINITY,
    excluded?: ReadonlySet<string>,
  ): void {
    if (maxKeys === Number.POSITIVE_INFINITY && !excluded) {
      batch.push(...list.splice(0, room));
      return;
    }
    let kept = 0;
    let taken = 0;
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      const fits =
        taken < room && (w.key === undefined || keys.has(w.key) || (keys.size < maxKeys && !excluded?.has(w.key)));
      if (fits && w.key !== undefined) keys.add(w.key);
      if (fits) {
        batch.push(w);
        taken += 1;
      } else list[kept++] = w;
    }
    list.length = kept;
  }

  /** The next batch: express tasks first, then the others, of at most `maxKeys` customers. */
  private nextBatch(): { batch: Waiting[]; expressCount: number } {
    const batch: Waiting[] = [];
    const keys = new Set<string>();
    this.take(this.express, batch, this.options.maxBatch, keys);
    const expressCount = batch.length;
    this.take(this.waiting, batch, this.options.maxBatch - batch.length, keys);
    return { batch, expressCount };
  }

  /**
   * The next express-only batch: the express tasks of the oldest one's customer, unless another
   * express batch in flight holds it (then of the next customer's), and those without a customer.
   */
  private nextExpressBatch(): { batch: Waiting[]; key: string | undefined } | undefined {
    const batch: Waiting[] = [];
    const keys = new Set<string>();
    this.take(this.express, batch, this.options.maxBatch, keys, 1, this.expressKeys);
    if (batch.length === 0) return undefined;
    return { batch, key: [...keys][0] };
  }

  /** Puts the deferred tasks back in line (after a batch finished, or after a short wait). */
  private requeueDeferred(): void {
    clearTimeout(this.deferralTimer);
    this.deferralTimer = undefined;
    for (const [w, express] of this.deferred.splice(0)) (express ? this.express : this.waiting).push(w);
  }

  private flush(): void {
    const minBatch = this.options.minBatch ?? Math.ceil(this.options.maxBatch / 4);
    while (this.inFlight < this.options.parallelism && this.waiting.length + this.express.length > 0) {
      // With a batch already in flight, a small one would hold a slot (and a connection) for as long
      // as a full one while doing little: it waits until enough tasks have queued up or the batch in
      // flight is done. When nothing is in flight, whatever is waiting goes at once.
      if (this.inFlight > 0 && this.express.length === 0 && this.waiting.length < minBatch) break;
      const { batch, expressCount } = this.nextBatch();
      this.inFlight += 1;
      this.apply(batch, expressCount).finally(() => {
        this.inFlight -= 1;
        this.requeueDeferred();
        this.flush();
      });
    }
    while (this.express.length > 0 && this.expressInFlight < (this.options.expressSlots ?? 1)) {
      const next = this.nextExpressBatch();
      // Every waiting express task's customer has an express batch in flight: they wait for it.
      if (!next) break;
      this.expressInFlight += 1;
      if (next.key !== undefined) this.expressKeys.add(next.key);
      this.apply(next.batch, next.batch.length).finally(() => {
        this.expressInFlight -= 1;
        if (next.key !== undefined) this.expressKeys.delete(next.key);
        this.requeueDeferred();
        this.flush();
      });
    }
    if (this.deferred.length > 0 && !this.deferralTimer && this.inFlight === 0 && this.expressInFlight === 0) {
      this.deferralTimer = setTimeout(() => {
        this.requeueDeferred();
        this.flush();
      }, DEFERRAL_MS);
    }
  }

  /** `expressCount`: how many of the batch's first tasks are express (they keep their place if put back). */
  private apply(batch: Waiting[], expressCount: number): Promise<void> {
    // A batch that neither commits nor fails in time is given up: its signal ends its transaction
    // (so it holds no locks while its tasks are retried) and its tasks go back to BullMQ for a retry.
    const giveUp = new AbortController();
    return withTimeout(
      this.applyBatch(
        batch.map((w) => w.task),
        giveUp.signal,
      ),
      this.options.timeoutMs ?? 60_000,
      'batch did not finish',
    ).then(
      (errors) => {
        for (const [i, w] of batch.entries()) {
          const error = errors[i];
          if (error === undefined) w.resolve();
          else if (this.options.isBusy?.(error) && w.deferrals < MAX_DEFERRALS) {
            w.deferrals += 1;
            this.deferred.push([w, i < expressCount]);
          } else w.reject(error);
        }
      },
      (error: unknown) => {
        giveUp.abort(error);
        for (const w of batch) w.reject(error);
      },
    );
  }
}
