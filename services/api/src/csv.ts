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
