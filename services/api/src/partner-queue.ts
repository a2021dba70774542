import { sql } from 'drizzle-orm';
import type { Db } from '@licensing/db';
import { ProblemError } from '@licensing/http';

/**
 * A partner's share of the task queue, bounded at acceptance: a new job (or a retry, or a revert)
 * that would start now is refused with 429 `partner_queue_full` while the partner already has
 * `jobs` unfinished jobs waiting for the workers, or `users` users in them (a partner with no
 * unfinished job is never refused, whatever the size of its job). Scheduled jobs do not count until
 * they start.
 *
 * The queue's fair share (packages/queue's fair-share.ts) keeps a flooding partner's tasks behind
 * everybody else's, but accepting its jobs is work too: a script posting forty 100-user jobs a second
 * kept Postgres and the API busy with their seats, items and tasks (more than a core of the two) while
 * its tasks piled up behind another partner's job, which then took three to four times as long as
 * alone. Bounded, the flooder's jobs are accepted as fast as its share of the workers finishes them,
 * and the rest of its requests cost a count, or nothing (a refusal is remembered for `rememberMs`).
 */
export interface PartnerQueueLimits {
  jobs: number;
  users: number;
}

export const DEFAULT_PARTNER_QUEUE_LIMITS: PartnerQueueLimits = { jobs: 50, users: 200_000 };
const RETRY_AFTER_SECONDS = 1;

export class PartnerQueue {
  /** Partners refused lately, until when (ms), with what was counted. */
  private readonly full = new Map<string, { until: number; jobs: number; users: number }>();

  constructor(
    private readonly db: Db,
    private readonly limits: PartnerQueueLimits,
    private readonly rememberMs = 500,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Throws 429 `partner_queue_full` when the partner's unfinished jobs are at a limit. */
  async refuseIfFull(partnerId: string): Promise<void> {
    const known = this.full.get(partnerId);
    if (known && known.until > this.now()) throw this.problem(known);
    this.full.delete(partnerId);
    const [row] = await this.db.execute<{ jobs: number; users: number }>(sql`
      SELECT count(*)::int AS jobs, coalesce(sum(user_count), 0)::int AS users FROM license_jobs
      WHERE partner_id = ${partnerId} AND finished_at IS NULL AND status <> 'scheduled'`);
    const counted = { jobs: row?.jobs ?? 0, users: row?.users ?? 0 };
    if (counted.jobs < this.limits.jobs && (counted.jobs === 0 || counted.users < this.limits.users)) return;
    if (this.full.size >= 10_000) this.full.clear();
    this.full.set(partnerId, { until: this.now() + this.rememberMs, ...counted });
    throw this.problem(counted);
  }

  private problem(counted: { jobs: number; users: number }): ProblemError {
    return new ProblemError(
      429,
      'partner_queue_full',
      `Your partner has ${counted.jobs} unfinished jobs for ${counted.users} users waiting for the workers, its ` +
        `share of the queue (at most ${this.limits.jobs} jobs or ${this.limits.users} users); retry in ` +
        `${RETRY_AFTER_SECONDS} s, once some of them have finished.`,
      { jobs: counted.jobs, users: counted.users, maxJobs: this.limits.jobs, maxUsers: this.limits.users },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
      { retryAfter: RETRY_AFTER_SECONDS },
    );
  }
}
