import { ProblemError } from '@licensing/http';

/**
 * Job acceptances one partner may have in progress at once on one API process: new jobs, retries,
 * reverts, and the changes of groups that accept a group job, all in one share. Accepting a job holds
 * a pool connection through several statements (users, pending jobs, seats, items, audit); a script
 * posting small jobs from many clients at once would otherwise hold most of the pool and keep every
 * other partner's job waiting for a connection. Two keep a partner's own pipeline busy (one request
 * is read while the other commits); more wait, without a connection, up to `JOB_ACCEPTANCE_WAIT_MS`
 * for one of them, so that a burst is served in turn; past the wait, or with too many waiting, 429.
 */
export const DEFAULT_JOB_ACCEPTANCES_PER_PARTNER = 2;
export const JOB_ACCEPTANCE_WAIT_MS = 5_000;
/** Requests of one partner that may wait for its acceptance share at once (each holds its parsed body). */
export const JOB_ACCEPTANCE_MAX_WAITING = 8;

/**
 * Runs `accept` (everything a request does to accept a job: a new job, a retry, a revert, a group's
 * change) within one unit of the partner's acceptance share, waiting for its turn as described
 * above; 429 `partner_concurrency_limit` before `accept` runs when there is none.
 */
export async function withJobAcceptance<T>(
  shares: PartnerShares,
  partnerId: string,
  accept: () => Promise<T>,
): Promise<T> {
  const release = await shares.takeWaiting(partnerId, JOB_ACCEPTANCE_WAIT_MS, JOB_ACCEPTANCE_MAX_WAITING);
  try {
    return await accept();
  } finally {
    release();
  }
}

export interface PartnerSharesOptions {
  /** How many of the resource one partner may hold at once in this process. */
  perPartner: number;
  /** What is held, as the problem texts name it (packages/i18n: csv, selections, events). */
  resource: 'csv' | 'selections' | 'events' | 'jobs';
  /** The same in English, in the plural, for the fallback detail ("results downloads as CSV"). */
  what: string;
  /** The setting that sizes the share, named in the problem's detail. */
  setting: string;
  /** The Retry-After of the 429 answer. */
  retryAfterSeconds: number;
  /**
   * At most this fraction of the process's time may be spent holding the partner's units, averaged
   * over `busyWindowMs` (a leaky bucket of held milliseconds that drains at this rate): for what
   * costs the event loop, one at a time back to back would still take it all. 1 (all of the time)
   * or unset: no bound of time.
   */
  busyShare?: number;
  /** The window of `busyShare` (10 s): the longest a partner may hold the resource in one burst is its share of it. */
  busyWindowMs?: number;
}

/**
 * One partner's share of a scarce resource of an API process (results downloads, large previews,
 * event streams): a partner holds at most `perPartner` of it at once, and one more is answered at
 * once with 429 `partner_concurrency_limit` and Retry-After, so a partner that asks for too much
 * waits for its own requests to end instead of taking what the others need. Process-wide bounds
 * (SelectionBudget) stay in front of the pool, the heap or the event loop as a whole; a share is
 * taken first, so that a partner over it never queues for the process-wide room.
 */
export class PartnerShares {
  private readonly held = new Map<string, number>();
  /** Per partner: milliseconds held not yet drained by `busyShare`, as of `at`. */
  private readonly busy = new Map<string, { ms: number; at: number }>();
  /** Per partner: the requests waiting for its share (see takeWaiting), first come first served. */
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(
    private readonly options: PartnerSharesOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one unit of the partner's share: the function that gives it back (idempotent), or 429. */
  take(partnerId: string): () => void {
    const held = this.held.get(partnerId) ?? 0;
    if (held >= this.options.perPartner) throw this.overShare(this.options.retryAfterSeconds);
    const over = this.busyOver(partnerId);
    if (over > 0) throw this.overBusyShare(Math.max(1, Math.ceil(over / this.options.busyShare! / 1000)));
    this.held.set(partnerId, held + 1);
    const takenAt = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(partnerId) ?? 1) - 1;
      if (left > 0) this.held.set(partnerId, left);
      else this.held.delete(partnerId);
      const waiting = this.waiters.get(partnerId);
      const next = waiting?.shift();
      if (waiting && waiting.length === 0) this.waiters.delete(partnerId);
      if (this.options.busyShare !== undefined && this.options.busyShare < 1) {
        this.busyOver(partnerId);
        const bucket = this.busy.get(partnerId) ?? { ms: 0, at: this.now() };
        bucket.ms += this.now() - takenAt;
        this.busy.set(partnerId, bucket);
      }
      next?.();
    };
  }

  /**
   * As `take`, but a request that finds the partner's share held in full waits (first come, first
   * served) for one of the partner's own requests to end, up to `maxWaitMs`, with at most
   * `maxWaiting` of the partner's requests waiting: a page that asks for two large answers at once is
   * served one after the other instead of refused. Past the wait, or over the time share, 429.
   */
  async takeWaiting(partnerId: string, maxWaitMs = 5_000, maxWaiting = 4): Promise<() => void> {
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      try {
        return this.take(partnerId);
      } catch (refusal) {
        const full = (this.held.get(partnerId) ?? 0) >= this.options.perPartner;
        const queue = this.waiters.get(partnerId) ?? [];
        const left = deadline - this.now();
        if (!full || queue.length >= maxWaiting || left <= 0) throw refusal;
        const woken = await new Promise<boolean>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            resolve(true);
          };
          const timer = setTimeout(() => {
            const waiting = this.waiters.get(partnerId) ?? [];
            waiting.splice(waiting.indexOf(wake), 1);
            if (waiting.length === 0) this.waiters.delete(partnerId);
            resolve(false);
          }, left);
          queue.push(wake);
          this.waiters.set(partnerId, queue);
        });
        if (!woken) throw refusal;
      }
    }
  }

  /** Milliseconds the partner's held time is over its allowance now (drained first), or 0. */
  private busyOver(partnerId: string): number {
    const share = this.options.busyShare;
    const bucket = this.busy.get(partnerId);
    if (share === undefined || share >= 1 || !bucket) return 0;
    const now = this.now();
    bucket.ms = Math.max(0, bucket.ms - (now - bucket.at) * share);
    bucket.at = now;
    if (bucket.ms === 0) this.busy.delete(partnerId);
    return Math.max(0, bucket.ms - share * (this.options.busyWindowMs ?? 10_000));
  }

  /** What the partner holds now. */
  heldBy(partnerId: string): number {
    return this.held.get(partnerId) ?? 0;
  }

  private overBusyShare(retryAfterSeconds: number): ProblemError {
    const { resource, what, setting } = this.options;
    const busyPercent = Math.round(this.options.busyShare! * 100);
    return new ProblemError(
      429,
      'partner_concurrency_limit',
      `Your partner's share of this server's time for ${what} (${busyPercent} %, ${setting}) is used up; ` +
        `retry in ${retryAfterSeconds} s.`,
      { limit: this.options.perPartner },
      { 'retry-after': String(retryAfterSeconds) },
      { resource, retryAfter: retryAfterSeconds, busy: true, busyPercent },
    );
  }

  private overShare(retryAfterSeconds: number): ProblemError {
    const { perPartner, resource, what, setting } = this.options;
    return new ProblemError(
      429,
      'partner_concurrency_limit',
      `Your partner already has ${perPartner} ${what} in progress on this server, its share (${setting}); ` +
        `retry in ${retryAfterSeconds} s, once one of them has ended.`,
      { limit: perPartner },
      { 'retry-after': String(retryAfterSeconds) },
      { resource, retryAfter: retryAfterSeconds },
    );
  }
}
