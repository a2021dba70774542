// `licenses users …`: a customer's users: list, import from CSV (streamed, in batches, errors per
// line), export to CSV with their licenses.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { isProblem, LicensingApiError, paginate, unwrap, type User } from '@licensing/client';
import {
  type Command,
  type CommandGroup,
  type Context,
  count,
  EXIT,
  type Parsed,
  str,
  UsageError,
} from '../command.ts';
import { csvRecord, n, printJson, printTable } from '../output.ts';
import { barDisplay, type Output } from '../progress.ts';
import { csvFields } from '../user-list.ts';

/** The columns of an export, which an import reads back (userId, licenses and disabledServicePlans ignored). */
export const EXPORT_COLUMNS = [
  'userPrincipalName',
  'displayName',
  'usageLocation',
  'department',
  'userId',
  'licenses',
  'disabledServicePlans',
] as const;
const IMPORTED = ['userPrincipalName', 'displayName', 'usageLocation', 'department'] as const;
const IGNORED = ['userId', 'licenses', 'disabledServicePlans'];

/** The lines of a stream of text chunks, as they arrive, with the bytes read so far. */
async function* lines(stream: AsyncIterable<string | Uint8Array>): AsyncGenerator<{ text: string; bytes: number }> {
  const decoder = new TextDecoder();
  let buffer = '';
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n');
    while (end !== -1) {
      yield { text: buffer.slice(0, end).replace(/\r$/, ''), bytes };
      buffer = buffer.slice(end + 1);
      end = buffer.indexOf('\n');
    }
  }
  buffer += decoder.decode();
  if (buffer !== '') yield { text: buffer.replace(/\r$/, ''), bytes };
}

interface Row {
  line: number;
  user: { userPrincipalName: string; displayName: string; usageLocation?: string; department?: string };
}

interface LineError {
  line: number;
  userPrincipalName: string;
  code: string;
  message: string;
}

/** A cell as the export wrote it: a leading `'` that guards a formula character is taken off. */
const cell = (value: string | undefined) => (value ?? '').replace(/^'(?=[=+\-@\t\r])/, '').trim();
const nameKey = (name: string) => name.normalize('NFKC').toLowerCase();

/** The row of a CSV line, or the reason it cannot be imported. */
function parseRow(fields: string[], columns: Map<string, number>, line: number): Row | LineError {
  const get = (name: string) => {
    const index = columns.get(name);
    return index === undefined ? '' : cell(fields[index]);
  };
  const userPrincipalName = get('userPrincipalName');
  const fail = (message: string): LineError => ({ line, userPrincipalName, code: 'invalid_line', message });
  if (!/^[^\s@]+@[^\s@]+$/.test(userPrincipalName)) return fail('userPrincipalName is not name@domain');
  const displayName = get('displayName');
  if (!displayName) return fail('displayName is empty');
  const usageLocation = get('usageLocation').toUpperCase();
  if (usageLocation && !/^[A-Z]{2}$/.test(usageLocation))
    return fail(`usageLocation "${usageLocation}" is not a two-letter country code`);
  const department = get('department');
  return {
    line,
    user: {
      userPrincipalName,
      displayName,
      ...(usageLocation ? { usageLocation } : {}),
      ...(department ? { department } : {}),
    },
  };
}

/**
 * Creates one batch of users; the lines the API refuses (names taken, invisible characters, fields
 * out of the schema) become line errors, reported in line order, and the rest is sent again.
 * Answers the number of users created.
 */
async function createBatch(ctx: Context, customerId: string, batch: Row[], report: (e: LineError) => void) {
  const refusedLines: LineError[] = [];
  try {
    return await sendBatch(ctx, customerId, batch, (error) => refusedLines.push(error));
  } finally {
    for (const error of refusedLines.sort((a, b) => a.line - b.line)) report(error);
  }
}

async function sendBatch(ctx: Context, customerId: string, batch: Row[], report: (e: LineError) => void) {
  let rows = batch;
  while (rows.length) {
    // The import needs no ids back: the API skips reading 10,000 users back (204).
    const answer = await ctx.api.POST('/v1/customers/{customerId}/users/batch', {
      params: { path: { customerId }, header: { prefer: 'return=minimal' } },
      body: { users: rows.map((r) => r.user) },
    });
    if (answer.response.ok) return rows.length;
    let error: LicensingApiError;
    try {
      unwrap(answer);
      return 0;
    } catch (caught) {
      if (!(caught instanceof LicensingApiError)) throw caught;
      error = caught;
    }
    const refused = new Map<number, string>(); // index in rows → message
    if (isProblem(error, 'duplicate_user_principal_name') || isProblem(error, 'invisible_characters')) {
      // Names repeated within the file were refused before sending, so a listed name is taken.
      const names = new Set((error.problem.userPrincipalNames ?? []).map(nameKey));
      const message =
        error.code === 'invisible_characters' ? 'contains invisible characters' : 'is already a user of the customer';
      rows.forEach((row, i) => {
        if (names.has(nameKey(row.user.userPrincipalName))) refused.set(i, message);
      });
    } else if (isProblem(error, 'validation_error')) {
      for (const issue of error.problem.errors ?? []) {
        const match = /^users\.(\d+)(?:\.(\w+))?/.exec(issue.path);
        if (match && Number(match[1]) < rows.length)
          refused.set(Number(match[1]), `${match[2] ? `${match[2]}: ` : ''}${issue.message}`);
      }
    }
    if (refused.size === 0) throw error;
    for (const [i, message] of refused)
      report({ line: rows[i]!.line, userPrincipalName: rows[i]!.user.userPrincipalName, code: error.code, message });
    rows = rows.filter((_, i) => !refused.has(i));
  }
  return 0;
}

const importUsers: Command = {
  summary: 'create users from a CSV file, in batches, reporting errors per line',
  usage: `Usage: licenses users import --customer <id> --file <file|-> [--batch-size <n>] [--parallel <n>] [--json]

Creates the users of a CSV file (or stdin with "-"), read as a stream and sent in batches (default
1,000 users, at most 10,000), two batches at a time (--parallel, 1 to 4). The header names the
columns: userPrincipalName and displayName, and optionally usageLocation and department; an
export's userId, licenses and disabledServicePlans columns are ignored. A line that cannot be imported (a malformed field, a name repeated in the
file or already a user of the customer) is reported with its line number and the others go on.
A progress bar shows on a terminal. --json prints {created, lines, errors: [{line, …}]} at the end.
Exit 0 when every line was imported, 1 when some were not, 2 on a usage or API error.`,
  options: {
    customer: { type: 'string' },
    file: { type: 'string' },
    'batch-size': { type: 'string' },
    parallel: { type: 'string' },
  },
  required: ['customer', 'file'],
  async run(ctx, parsed) {
    const customerId = str(parsed, 'customer')!;
    const file = str(parsed, 'file')!;
    const batchSize = count(parsed, 'batch-size', 1000, 10_000);
    // Two batches in flight keep the API and Postgres busy at once: one is parsed and checked while
    // the other is written.
    const parallel = count(parsed, 'parallel', 2, 4);
    const size = file === '-' ? undefined : (await stat(file).catch(() => undefined))?.size;
    if (file !== '-' && size === undefined) throw new UsageError(`${file}: no such file`);
    const source = file === '-' ? ctx.io.stdin : createReadStream(file);
    const err = ctx.io.stderr;
    const bar = barDisplay(err);
    const errors: LineError[] = [];
    let created = 0;
    let read = 0;
    let bytes = 0;
    const status = () =>
      `${n(read)} lines read, ${n(created)} users created, ${n(errors.length)} line${errors.length === 1 ? '' : 's'} with errors`;
    const report = (error: LineError) => {
      errors.push(error);
      if (ctx.json) return;
      if (err.isTTY) err.write('\r\x1b[2K');
      err.write(`line ${error.line}: ${error.userPrincipalName || '-'}: ${error.code}: ${error.message}\n`);
    };
    const inFlight = new Set<Promise<void>>();
    // The first API error (not a refused line): the import stops once the batches in flight are done.
    let failed: { error: unknown } | undefined;
    const send = async (batch: Row[]) => {
      if (failed) throw failed.error;
      if (batch.length === 0) return;
      const sent: Promise<void> = createBatch(ctx, customerId, batch, report).then(
        (n) => {
          created += n;
          bar.update(size ? bytes / size : undefined, status());
          if (!err.isTTY && !ctx.json) err.write(`${status()}\n`);
        },
        (error: unknown) => {
          failed ??= { error };
        },
      );
      const settled = sent.finally(() => inFlight.delete(settled));
      inFlight.add(settled);
      if (inFlight.size >= parallel) await Promise.race(inFlight);
    };
    const drain = async () => {
      await Promise.all(inFlight);
      if (failed) throw failed.error;
    };

    let columns: Map<string, number> | undefined;
    const firstLine = new Map<string, number>();
    let batch: Row[] = [];
    let lineNumber = 0;
    for await (const { text, bytes: soFar } of lines(source)) {
      lineNumber++;
      bytes = soFar;
      if (text.trim() === '') continue;
      const fields = csvFields(lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text);
      if (!columns) {
        columns = new Map();
        for (const [i, name] of fields.entries()) {
          const known = [...IMPORTED, ...IGNORED].find((c) => c.toLowerCase() === name.toLowerCase());
          if (!known)
            throw new UsageError(
              `${file}: line ${lineNumber}: unknown column "${name}" (the columns are ${[...IMPORTED, ...IGNORED].join(', ')})`,
            );
          columns.set(known, i);
        }
        for (const needed of ['userPrincipalName', 'displayName'])
          if (!columns.has(needed)) throw new UsageError(`${file}: the header names no ${needed} column`);
        continue;
      }
      read++;
      const row = parseRow(fields, columns, lineNumber);
      if ('code' in row) {
        report(row);
        continue;
      }
      const key = nameKey(row.user.userPrincipalName);
      const earlier = firstLine.get(key);
      if (earlier !== undefined) {
        report({
          line: lineNumber,
          userPrincipalName: row.user.userPrincipalName,
          code: 'invalid_line',
          message: `repeats the user of line ${earlier}`,
        });
        continue;
      }
      firstLine.set(key, lineNumber);
      batch.push(row);
      if (batch.length >= batchSize) {
        await send(batch);
        batch = [];
      }
    }
    if (!columns) throw new UsageError(`${file} is empty: it needs a header (userPrincipalName,displayName,…)`);
    await send(batch);
    await drain();
    bar.update(1, status());
    bar.finish();
    errors.sort((a, b) => a.line - b.line);
    if (ctx.json) printJson(ctx.io.stdout, { created, lines: read, errors });
    else
      err.write(
        `Imported ${n(created)} of ${n(read)} users${errors.length ? `; ${n(errors.length)} line${errors.length === 1 ? '' : 's'} with errors (above)` : ''}.\n`,
      );
    return errors.length ? EXIT.itemsFailed : EXIT.ok;
  },
};

/** A user as an export row. */
const exportRow = (u: User) =>
  csvRecord([
    u.userPrincipalName,
    u.displayName,
    u.usageLocation,
    u.department,
    u.id,
    u.licenses.map((l) => l.productId).join(';'),
    u.licenses
      .filter((l) => l.disabledServicePlans.length)
      .map((l) => `${l.productId}:${l.disabledServicePlans.join('+')}`)
      .join(';'),
  ]);

const exportUsers: Command = {
  summary: 'every user with their licenses, as CSV',
  usage: `Usage: licenses users export --customer <id> [--file <file>]

Writes every user of the customer as CSV (RFC 4180) to stdout or --file, page after page as they
are read: ${EXPORT_COLUMNS.join(',')}.
licenses lists the products a user holds ("SPE_E3;MCOEV"); disabledServicePlans the plans turned off
per product ("SPE_E3:TEAMS1+FORMS"). The file imports back with "licenses users import".`,
  options: { customer: { type: 'string' }, file: { type: 'string' } },
  required: ['customer'],
  async run(ctx, parsed) {
    const customerId = str(parsed, 'customer')!;
    const file = str(parsed, 'file');
    const stream = file ? createWriteStream(file) : undefined;
    const out: Output = stream ?? ctx.io.stdout;
    const bar = barDisplay(ctx.io.stderr);
    let written = 0;
    let total = 0;
    out.write(csvRecord([...EXPORT_COLUMNS]));
    for await (const user of paginate(async (page) => {
      const answer = await ctx.api.GET('/v1/customers/{customerId}/users', {
        params: { path: { customerId }, query: { page, pageSize: 500 } },
      });
      total = answer.data?.total ?? total;
      return answer;
    })) {
      out.write(exportRow(user));
      written++;
      if (written % 500 === 0) bar.update(total ? written / total : undefined, `${n(written)} of ${n(total)} users`);
    }
    bar.update(1, `${n(written)} of ${n(total)} users`);
    bar.finish();
    if (stream) {
      stream.end();
      await finished(stream);
      ctx.io.stderr.write(`Exported ${n(written)} users to ${file}.\n`);
    }
    return EXIT.ok;
  },
};

const listUsers: Command = {
  summary: "a customer's users and their licenses",
  usage: `Usage: licenses users list --customer <id> [--search <text>] [--limit <n>] [--json]

The customer's users sorted by display name (at most --limit, default 500): user principal name,
display name, usage location and the products held. --search matches either name.`,
  options: { customer: { type: 'string' }, search: { type: 'string' }, limit: { type: 'string' } },
  required: ['customer'],
  async run(ctx, parsed: Parsed) {
    const customerId = str(parsed, 'customer')!;
    const search = str(parsed, 'search');
    const limit = count(parsed, 'limit', 500);
    const users: User[] = [];
    for await (const user of paginate((page) =>
      ctx.api.GET('/v1/customers/{customerId}/users', {
        params: {
          path: { customerId },
          query: { page, pageSize: Math.min(limit, 500), ...(search ? { search } : {}) },
        },
      }),
    )) {
      users.push(user);
      if (users.length >= limit) break;
    }
    if (ctx.json) printJson(ctx.io.stdout, users);
    else
      printTable(
        ctx.io.stdout,
        ['USER PRINCIPAL NAME', 'DISPLAY NAME', 'LOCATION', 'LICENSES'],
        users.map((u) => [
          u.userPrincipalName,
          u.displayName,
          u.usageLocation,
          u.licenses.map((l) => l.productId).join(', '),
        ]),
        'No users.',
      );
    return EXIT.ok;
  },
};

export const users: CommandGroup = {
  summary: "a customer's users: list, import (CSV), export (CSV with licenses)",
  commands: { list: listUsers, import: importUsers, export: exportUsers },
};
