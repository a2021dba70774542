// Output for people (aligned tables) and for scripts (JSON, CSV).
import type { Output } from './progress.ts';

export const n = (value: number) => value.toLocaleString('en-US');

/** An aligned table: a header row and one row per item; an empty list prints `empty`. */
export function printTable(
  out: Output,
  headers: string[],
  rows: (string | number | null | undefined)[][],
  empty = '(none)',
) {
  if (rows.length === 0) {
    out.write(`${empty}\n`);
    return;
  }
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  out.write(`${line(headers)}\n`);
  for (const row of cells) out.write(`${line(row)}\n`);
}

export function printJson(out: Output, value: unknown) {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One CSV record (RFC 4180), cells that a spreadsheet would run as a formula prefixed with `'`. */
export function csvRecord(cells: (string | null | undefined)[]): string {
  return `${cells
    .map((cell) => {
      let value = cell ?? '';
      if (/^[=+\-@\t\r]/.test(value)) value = `'${value}`;
      return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
    })
    .join(',')}\r\n`;
}
