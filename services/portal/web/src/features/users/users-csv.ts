// Users to and from CSV (RFC 4180: commas, quoted fields with "" for a quote, CRLF or LF lines).
// An import file's first line names its columns by the API's field names, in any order and case:
// userPrincipalName and displayName are required, usageLocation and department optional.
import type { CreateUser, User } from '../../api/types.ts';

/** The rows of a CSV text, each a list of fields; blank lines are left out. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a spreadsheet's byte order mark
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c === '\r') {
      if (text[i + 1] !== '\n') endRow();
    } else field += c;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Why a row cannot be imported, as a code the page words in its language. */
export type RowProblem =
  | { code: 'missingField'; field: 'userPrincipalName' | 'displayName' }
  | { code: 'badUserPrincipalName' }
  | { code: 'badUsageLocation'; value: string }
  | { code: 'tooLong'; field: keyof CreateUser; max: number }
  | { code: 'repeated'; firstLine: number }
  | { code: 'api'; field: string; message: string }
  | { code: 'taken' };

export interface ImportRow {
  /** The row's line in the file (the header is line 1). */
  line: number;
  user: CreateUser;
  problems: RowProblem[];
}

export type ImportFile =
  | { ok: true; rows: ImportRow[] }
  | { ok: false; problem: 'empty' | 'missingColumns'; missing?: string[] };

const columns = ['userPrincipalName', 'displayName', 'usageLocation', 'department'] as const;

/** Reads an import file and checks each row as the API would, so that every row's problems show at once. */
export function readImportFile(text: string): ImportFile {
  const [header, ...lines] = parseCsv(text);
  if (!header || lines.length === 0) return { ok: false, problem: 'empty' };
  const index = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const missing = columns.slice(0, 2).filter((name) => !index.has(name.toLowerCase()));
  if (missing.length) return { ok: false, problem: 'missingColumns', missing };
  const at = (fields: string[], name: (typeof columns)[number]) => {
    const i = index.get(name.toLowerCase());
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  const seen = new Map<string, number>();
  const rows = lines.map((fields, n): ImportRow => {
    const line = n + 2;
    const userPrincipalName = at(fields, 'userPrincipalName');
    const displayName = at(fields, 'displayName');
    const usageLocation = at(fields, 'usageLocation').toUpperCase();
    const department = at(fields, 'department');
    const problems: RowProblem[] = [];
    if (!userPrincipalName) problems.push({ code: 'missingField', field: 'userPrincipalName' });
    else if (!/^[^\s@]+@[^\s@]+$/.test(userPrincipalName)) problems.push({ code: 'badUserPrincipalName' });
    else if (userPrincipalName.length > 256) problems.push({ code: 'tooLong', field: 'userPrincipalName', max: 256 });
    if (!displayName) problems.push({ code: 'missingField', field: 'displayName' });
    else if (displayName.length > 256) problems.push({ code: 'tooLong', field: 'displayName', max: 256 });
    if (usageLocation && !/^[A-Z]{2}$/.test(usageLocation))
      problems.push({ code: 'badUsageLocation', value: usageLocation });
    if (department.length > 64) problems.push({ code: 'tooLong', field: 'department', max: 64 });
    const key = userPrincipalName.normalize('NFKC').toLowerCase();
    const first = seen.get(key);
    if (userPrincipalName && first !== undefined) problems.push({ code: 'repeated', firstLine: first });
    else if (userPrincipalName) seen.set(key, line);
    return {
      line,
      user: {
        userPrincipalName,
        displayName,
        ...(usageLocation ? { usageLocation } : {}),
        ...(department ? { department } : {}),
      },
      problems,
    };
  });
  return { ok: true, rows };
}

function csvField(value: string): string {
  // A leading =, +, - or @ would be a formula in a spreadsheet: quoted with a ' before it.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The users with their licenses, one line each; products and disabled plans by name. */
export function usersCsv(users: User[], names: ReadonlyMap<string, string>): string {
  const name = (id: string) => names.get(id) ?? id;
  const lines = [
    ['userPrincipalName', 'displayName', 'usageLocation', 'department', 'licenses', 'disabledServicePlans'],
  ];
  for (const user of users)
    lines.push([
      user.userPrincipalName,
      user.displayName,
      user.usageLocation ?? '',
      user.department ?? '',
      user.licenses.map((l) => name(l.productId)).join('; '),
      user.licenses
        .filter((l) => l.disabledServicePlans.length > 0)
        .map((l) => `${name(l.productId)}: ${l.disabledServicePlans.map(name).join(', ')}`)
        .join('; '),
    ]);
  return `${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}
