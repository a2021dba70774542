import { ProblemError } from '@licensing/http';

export interface PartnerSharesOptions {
  /** How many of the resource one partner may hold at once in this process. */
  perPartner: number;
  /** What is held, as the problem texts name it (packages/i18n: csv, selections, events). */
  resource: 'csv' | 'selections' | 'events';
  /** The same in English, in the plural, for the fallback detail ("results downloads as CSV"). */
  what: string;
  /** The setting that sizes the share, named in the problem's detail. */
  setting: string;
  /** The Retry-After of the 429 answer. */
  retryAfterSeconds: number;
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

  constructor(private readonly options: PartnerSharesOptions) {}

  /** Takes one unit of the partner's share: the function that gives it back (idempotent), or 429. */
  take(partnerId: string): () => void {
    const held = this.held.get(partnerId) ?? 0;
    if (held >= this.options.perPartner) throw this.overShare();
    this.held.set(partnerId, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(partnerId) ?? 1) - 1;
      if (left > 0) this.held.set(partnerId, left);
      else this.held.delete(partnerId);
    };
  }

  /** What the partner holds now. */
  heldBy(partnerId: string): number {
    return this.held.get(partnerId) ?? 0;
  }

  private overShare(): ProblemError {
    const { perPartner, resource, what, setting, retryAfterSeconds } = this.options;
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
