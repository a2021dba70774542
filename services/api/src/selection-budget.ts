import { ProblemError } from '@licensing/http';
import type { PartnerShares } from './partner-shares.ts';

interface Waiter {
  users: number;
  admit: () => void;
  timer: NodeJS.Timeout;
}

export interface SelectionBudgetOptions {
  /** Selected users that answers in progress may hold at once. */
  capacity: number;
  /** A request of at most this many users is never made to wait or shed (someone is waiting on a page). */
  alwaysAdmitted?: number;
  /** How long a request may wait for room before it is shed. */
  maxWaitMs?: number;
  /** How many requests may wait at once (each holds its parsed body while it waits). */
  maxWaiting?: number;
  retryAfterSeconds?: number;
  /** The `detail` of the 503 answer: what there is too much of. */
  overloadedDetail?: string;
  /**
   * Each partner's share of the requests larger than `alwaysAdmitted` (answers about them hold the
   * event loop for hundreds of milliseconds): past it, 429 at once, before waiting for room.
   */
  shares?: PartnerShares;
}

/**
 * One at a time: an answer about 50,000 users keeps the event loop busy for hundreds of
 * milliseconds, so a partner running several at once would take the process from everybody else.
 */
export const DEFAULT_LARGE_SELECTIONS_PER_PARTNER = 1;
/**
 * And one at a time back to back would still take it: a partner's large selections may be in
 * progress a quarter of the time (over 30 s: a burst of 7.5 s, then 250 ms a second), leaving the
 * process to the others the rest of it.
 */
export const LARGE_SELECTIONS_BUSY_SHARE = 0.25;
export const LARGE_SELECTIONS_BUSY_WINDOW_MS = 30_000;

/**
 * Bounds the memory that answers about large selections of users hold at once. What such an
 * answer holds grows with the users selected (their rows, the answer object, its serialisation),
 * so concurrent requests each take a share of a per-process budget counted in users. A request
 * that does not fit waits (first come, first served) for a few seconds; past that, or when too many
 * already wait, it is shed with 503 `overloaded` + Retry-After instead of letting the heap run out,
 * which would take every request in flight down with the process.
 *
 * A small request is admitted at once (it still counts, so large requests make room for small
 * ones); a request larger than the whole budget is admitted when nothing else is in flight.
 *
 * With `alwaysAdmitted: 0` and one unit per request it is a plain semaphore with a bounded wait,
 * which is how results downloads as CSV are bounded (see DEFAULT_CSV_EXPORTS).
 */
export class SelectionBudget {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];
  private readonly alwaysAdmitted: number;
  private readonly maxWaitMs: number;
  private readonly maxWaiting: number;
  private readonly retryAfterSeconds: number;

  constructor(private readonly options: SelectionBudgetOptions) {
    this.alwaysAdmitted = options.alwaysAdmitted ?? 1_000;
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
    this.maxWaiting = options.maxWaiting ?? 32;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 2;
  }

  /**
   * For a partner's request whose size is not known yet (a filter) or is large: its share is taken
   * first (429 at once past it, before anything is read), then `size` is worked out and room taken
   * for it. A request that is surely small (`mayBeLarge` false) only takes room.
   */
  async acquireFor(partnerId: string, mayBeLarge: boolean, size: () => Promise<number>): Promise<() => void> {
    const shares = this.options.shares;
    if (!shares || !mayBeLarge) return this.acquire(await size());
    const releaseShare = await shares.takeWaiting(partnerId);
    try {
      const release = await this.acquire(await size());
      return () => {
        release();
        releaseShare();
      };
    } catch (error) {
      releaseShare();
      throw error;
    }
  }

  /** Whether a selection of `users` (by filter, not known yet: undefined) may be larger than what is always admitted. */
  mayBeLarge(users: number | undefined): boolean {
    return users === undefined || users > this.alwaysAdmitted;
  }

  /**
   * Takes `users` from the budget, waiting for room if need be; resolves to the function that gives
   * them back (idempotent), or rejects with 503 `overloaded`.
   */
  async acquire(users: number): Promise<() => void> {
    if (users <= this.alwaysAdmitted || (this.waiting.length === 0 && this.fits(users))) return this.take(users);
    if (this.waiting.length >= this.maxWaiting) throw this.overloaded();
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        users,
        admit: resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(this.overloaded());
        }, this.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
    return this.take(users, true);
  }

  get usersInFlight(): number {
    return this.inFlight;
  }

  private fits(users: number): boolean {
    return this.inFlight === 0 || this.inFlight + users <= this.options.capacity;
  }

  /** `admitted`: the users were already counted when the waiter was admitted. */
  private take(users: number, admitted = false): () => void {
    if (!admitted) this.inFlight += users;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= users;
      this.admitWaiting();
    };
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.users)) {
      const next = this.waiting.shift()!;
      clearTimeout(next.timer);
      this.inFlight += next.users;
      next.admit();
    }
  }

  private overloaded(): ProblemError {
    return new ProblemError(
      503,
      'overloaded',
      `${this.options.overloadedDetail ?? 'Too many large selections are being answered at once'}; retry in ${this.retryAfterSeconds} s.`,
      {},
      { 'retry-after': String(this.retryAfterSeconds) },
      { what: this.options.overloadedDetail ? 'csv' : 'selections', retryAfter: this.retryAfterSeconds },
    );
  }
}
