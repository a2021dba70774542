// When a job may start (`notBefore`): at once, or scheduled up to MAX_SCHEDULE_DAYS ahead.

/** A job may be scheduled at most this many days ahead. */
export const MAX_SCHEDULE_DAYS = 90;
const DAY_MS = 86_400_000;

export type JobStart =
  /** No time, or a time that has come: the job runs at once. */
  | { kind: 'now'; notBefore: Date | null }
  /** A time ahead: the job is `scheduled` until then. */
  | { kind: 'scheduled'; notBefore: Date }
  /** Further ahead than allowed: the job is refused; `latest` is the last time that would be taken. */
  | { kind: 'too_far'; notBefore: Date; latest: Date };

/**
 * How a job asked to start at `notBefore` starts, seen at `now`. The service's clock only decides
 * the 90-day bound and what the caller is told; Postgres's clock decides when a scheduled job runs.
 */
export function jobStart(notBefore: Date | string | undefined | null, now: Date): JobStart {
  if (notBefore === undefined || notBefore === null) return { kind: 'now', notBefore: null };
  const at = typeof notBefore === 'string' ? new Date(notBefore) : notBefore;
  const latest = new Date(now.getTime() + MAX_SCHEDULE_DAYS * DAY_MS);
  if (at.getTime() > latest.getTime()) return { kind: 'too_far', notBefore: at, latest };
  if (at.getTime() <= now.getTime()) return { kind: 'now', notBefore: at };
  return { kind: 'scheduled', notBefore: at };
}
