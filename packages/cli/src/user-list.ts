/**
 * Reading the users of a job from a file or stdin: one user principal name or id per line, or a
 * CSV whose header names the column (`userPrincipalName`, `upn`, `userId` or `id`; otherwise the
 * first column). Blank lines and lines starting with `#` are skipped.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMN_NAMES = ['userprincipalname', 'upn', 'userid', 'id', 'user'];

export interface UserReferences {
  ids: string[];
  principalNames: string[];
}

/** The fields of one CSV line (RFC 4180 quoting; a line never spans several here). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/** The ids and user principal names a list names, each once, in the order given. */
export function parseUserList(text: string): UserReferences {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) return { ids: [], principalNames: [] };
  let column = 0;
  const header = csvFields(lines[0]!).map((h) => h.toLowerCase());
  const named = header.findIndex((h) => COLUMN_NAMES.includes(h));
  const looksLikeHeader = header.every((h) => !UUID.test(h) && !h.includes('@'));
  if (looksLikeHeader) {
    if (named === -1 && header.length > 1)
      throw new Error(`no user column in the CSV header (${header.join(', ')}): name one userPrincipalName or userId`);
    column = Math.max(named, 0);
    lines.shift();
  }
  const ids = new Set<string>();
  const principalNames = new Map<string, string>();
  for (const [n, line] of lines.entries()) {
    const value = csvFields(line)[column] ?? '';
    if (UUID.test(value)) ids.add(value.toLowerCase());
    else if (/^[^\s@]+@[^\s@]+$/.test(value)) {
      if (!principalNames.has(value.toLowerCase())) principalNames.set(value.toLowerCase(), value);
    } else throw new Error(`entry ${n + 1}: "${value.slice(0, 80)}" is neither a user id nor a user principal name`);
  }
  return { ids: [...ids], principalNames: [...principalNames.values()] };
}
