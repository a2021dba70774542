import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

// CSV as RFC 4180 describes it (CRLF line ends, fields quoted when they hold a comma, a quote or a
// line break, quotes doubled), with one addition for files that end up in a spreadsheet: a cell
// starting with =, +, -, @, tab or CR is prefixed with a single quote, so that no spreadsheet reads a
// display name such as `=HYPERLINK(…)` as a formula (OWASP "CSV injection").

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: empty for null/undefined, neutralised against formulas, quoted when needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/**
 * Results downloads as CSV served at once by one process. Each reads through a cursor that holds a
 * connection of its pool (the primary's 10, or the replica's 5) until the client has read the whole
 * file: unbounded, a few slow downloads would take every connection and starve all other requests.
 * More wait for a slot (up to CSV_EXPORT_MAX_WAIT_MS), then are answered 503 `overloaded` with
 * Retry-After; test/csv-exports.test.ts holds downloads open beyond the bound.
 */
export const DEFAULT_CSV_EXPORTS = 3;
/**
 * Of those, what one partner may hold at once: one more is answered 429 `partner_concurrency_limit`
 * at once, so one partner's downloads never take every slot of the process from the others.
 */
export const DEFAULT_CSV_EXPORTS_PER_PARTNER = 1;
export const CSV_EXPORT_MAX_WAIT_MS = 5_000;
/** The Retry-After of a partner over its share of downloads. */
export const CSV_EXPORT_RETRY_AFTER_SECONDS = 5;
/** A download whose client takes nothing for this long is ended, giving back its slot and connection. */
export const CSV_EXPORT_IDLE_MS = 60_000;
/** The slowest pace a client may read a download at, on average since it began. */
export const DEFAULT_CSV_EXPORT_MIN_BYTES_PER_SECOND = 16 * 1024;
/** The most text of one chunk of the file. */
export const CSV_CHUNK_CHARACTERS = 64 * 1024;

export interface SlowReaderLimits {
  idleMs: number;
  minBytesPerSecond: number;
}

/**
 * Cuts off a download whose client reads nothing, or reads too slowly, which gives its slot and its
 * connection back.
 *
 * A client that takes nothing for `idleMs` is cut off by its socket's idle timeout. That alone lets
 * a slow client hold a slot for as long as it likes: every write the kernel takes starts the
 * timeout over, and the kernel takes a write whenever the client has read part of its buffers, so
 * a client reading a few kilobytes a second (or one byte now and then) is never idle, and a file of
 * several megabytes takes it hours. So the pace counts too: the bytes the response has taken from
 * the file since it began must average `minBytesPerSecond`; checked every second (a tenth of
 * `idleMs` when shorter) while the response waits on its client (its socket's buffer full), and
 * never while it waits on the database. The average, not the last few seconds, is what is judged:
 * the kernel takes a slow client's data in bursts (as room in its buffers frees up), and the
 * buffers filled at the start count for the client. A download of N bytes thus ends, read or cut
 * off, within about N / `minBytesPerSecond` seconds.
 */
export function cutOffSlowReaders(
  res: ServerResponse,
  file: Readable,
  taken: () => number,
  limits: SlowReaderLimits,
): void {
  const began = Date.now();
  const timer = setInterval(
    () => {
      if (!res.writableNeedDrain) return;
      const seconds = (Date.now() - began) / 1000;
      if (taken() < limits.minBytesPerSecond * seconds) {
        clearInterval(timer);
        res.destroy();
      }
    },
    Math.min(1000, limits.idleMs / 10),
  );
  const stop = () => clearInterval(timer);
  file.once('end', stop);
  file.once('close', stop);
  res.once('close', stop);
  res.setTimeout(limits.idleMs, () => res.destroy());
}
