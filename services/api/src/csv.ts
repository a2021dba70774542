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
 * file, as slowly as it likes: unbounded, a few slow downloads would take every connection and
 * starve all other requests. More wait for a slot (up to CSV_EXPORT_MAX_WAIT_MS), then are answered
 * 503 `overloaded` with Retry-After; test/csv-exports.test.ts holds downloads open beyond the bound.
 */
export const DEFAULT_CSV_EXPORTS = 3;
export const CSV_EXPORT_MAX_WAIT_MS = 5_000;
/** A download whose client reads nothing for this long is ended, giving back its slot and connection. */
export const CSV_EXPORT_IDLE_MS = 60_000;
