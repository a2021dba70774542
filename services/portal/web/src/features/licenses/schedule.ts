// "Schedule for…": the date and time a person picks in the browser's own time zone, as the API's
// `notBefore` (an instant), and whether the API would take it.

/** A change can be scheduled at most this many days ahead (the API refuses more). */
export const MAX_SCHEDULE_DAYS = 90;

export type Schedule =
  | { kind: 'empty' }
  | { kind: 'invalid' }
  | { kind: 'past' }
  | { kind: 'tooFar' }
  | { kind: 'ok'; notBefore: string };

/**
 * `local` is an `<input type="datetime-local">` value (`2026-07-01T06:00`): a wall-clock time read in
 * the browser's time zone (daylight saving included), turned into a UTC instant.
 */
export function scheduleFromLocal(local: string, now: Date): Schedule {
  if (!local) return { kind: 'empty' };
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(local)) return { kind: 'invalid' };
  const at = new Date(local);
  if (Number.isNaN(at.getTime())) return { kind: 'invalid' };
  if (at.getTime() <= now.getTime()) return { kind: 'past' };
  if (at.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * 86_400_000) return { kind: 'tooFar' };
  return { kind: 'ok', notBefore: at.toISOString() };
}

/** The browser's time zone, named as Intl names it (`Europe/Berlin`). */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
