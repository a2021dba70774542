/**
 * `licenses`: the command-line client of the bulk license API, on top of @licensing/client.
 * The API key comes only from LICENSES_API_KEY (a flag would show in `ps`), the address from
 * LICENSES_API_URL. Exit status: 0 done, 1 users failed (or a preview predicts failures), 2 a usage
 * or API error.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  allPages,
  type CreateLicenseJobRequest,
  createLicensingClient,
  type Job,
  LicensingApiError,
  type LicensingClient,
  unwrap,
  waitForJob,
} from '@licensing/client';
import { followJobEvents } from './events.ts';
import { type Output, progressDisplay, summary } from './progress.ts';
import { parseUserList, type UserReferences } from './user-list.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdin: AsyncIterable<string | Uint8Array>;
  stdout: Output;
  stderr: Output;
  fetch?: typeof fetch;
}

export const EXIT = { ok: 0, usersFailed: 1, error: 2 } as const;

class UsageError extends Error {}

const HELP = {
  main: `Usage: licenses jobs <command> [options]

Bulk license jobs from the command line. The API key is read from LICENSES_API_KEY (never a flag),
the API's address from LICENSES_API_URL (default http://127.0.0.1:3000).

Commands:
  jobs create    assign and/or revoke products for users read from a file or stdin
  jobs preview   the same, as a dry run: seats, outcomes and failures, nothing changed
  jobs watch     follow a job until it finishes
  jobs results   a job's per-user results (--csv for the API's CSV export)
  jobs retry     retry a finished job's failed and cancelled users as a new job
  jobs cancel    cancel an unfinished job

Exit status: 0 done, 1 some users failed (or are predicted to fail), 2 usage or API error.
Run "licenses jobs <command> --help" for a command's options.`,
  create: `Usage: licenses jobs create --customer <id> --users <file|-> [--assign <product> [--disable <plan>...]]...
                            [--revoke <product>]... [--reference <text>] [--idempotency-key <key>] [--watch]

Accepts a job and prints its id on stdout. Seats are reserved before the API answers.
  --customer <id>         the customer (required)
  --users <file|->        user principal names or user ids, one per line or in a CSV column
                          (userPrincipalName, upn, userId or id); "-" reads stdin
  --assign <product>      a product to assign (repeatable; "A,B" assigns both)
  --disable <plan>        a service plan to turn off in the --assign before it (repeatable; "X,Y")
  --revoke <product>      a product to revoke (repeatable; "A,B")
  --reference <text>      your own reference, kept on the job (clientReference)
  --idempotency-key <key> makes re-running the command safe: the same key answers the same job
  --watch                 follow the job until it finishes; exit 1 if any user failed`,
  preview: `Usage: licenses jobs preview --customer <id> --users <file|-> [--assign <product> [--disable <plan>...]]...
                             [--revoke <product>]... [--json]

A dry run of the same job: the seats it needs, the predicted outcomes and the users that would
fail, by the worker's own rules. Nothing is reserved or changed. Exit 1 if users would fail or a
product lacks seats. Options as for "jobs create"; --json prints the API's answer as it is.`,
  watch: `Usage: licenses jobs watch <jobId> --customer <id>

Follows the job until it finishes: a progress bar on a terminal, a line per change otherwise
(from the job's event stream where the API has one, else polling as Retry-After says).
Exit 0 when every user succeeded, 1 otherwise.`,
  results: `Usage: licenses jobs results <jobId> --customer <id> [--status succeeded|failed|cancelled|pending] [--csv]

Prints one line per user and change: user, status, product, action, outcome and error.
  --status <status>  only the users with this result status
  --csv              the API's CSV export (RFC 4180), streamed to stdout`,
  retry: `Usage: licenses jobs retry <jobId> --customer <id> [--idempotency-key <key>] [--watch]

Retries the failed and cancelled users of a finished job as a new job (same changes, same seat
rules) and prints the new job's id on stdout. --watch follows it; exit 1 if any user failed.`,
  cancel: `Usage: licenses jobs cancel <jobId> --customer <id>

Cancels an unfinished job: users not applied yet are cancelled and their reserved seats released.`,
} as const;

type Command = keyof typeof HELP;

const OPTIONS = {
  customer: { type: 'string' },
  users: { type: 'string' },
  assign: { type: 'string', multiple: true },
  disable: { type: 'string', multiple: true },
  revoke: { type: 'string', multiple: true },
  reference: { type: 'string' },
  'idempotency-key': { type: 'string' },
  status: { type: 'string' },
  watch: { type: 'boolean' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each command takes (besides --help). */
const ACCEPTS: Record<Exclude<Command, 'main'>, (keyof typeof OPTIONS)[]> = {
  create: ['customer', 'users', 'assign', 'disable', 'revoke', 'reference', 'idempotency-key', 'watch'],
  preview: ['customer', 'users', 'assign', 'disable', 'revoke', 'json'],
  watch: ['customer'],
  results: ['customer', 'status', 'csv'],
  retry: ['customer', 'idempotency-key', 'watch'],
  cancel: ['customer'],
};

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

interface Context {
  io: CliIo;
  api: LicensingClient;
  baseUrl: string;
  apiKey: string;
}

/** Runs the command line `argv` (without node and the script) and answers the exit status. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`licenses: ${error.message}\n`);
      return EXIT.error;
    }
    if (error instanceof LicensingApiError) {
      io.stderr.write(`licenses: the API answered ${error.status} ${error.code}: ${error.problem.detail}\n`);
      return EXIT.error;
    }
    io.stderr.write(`licenses: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.error;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
    io.stdout.write(`${HELP.main}\n`);
    return group === undefined ? EXIT.error : EXIT.ok;
  }
  if (group !== 'jobs') throw new UsageError(`unknown command "${group}"; see licenses --help`);
  if (command === undefined || command === '--help' || command === '-h') {
    io.stdout.write(`${HELP.main}\n`);
    return command === undefined ? EXIT.error : EXIT.ok;
  }
  if (!(command in ACCEPTS)) throw new UsageError(`unknown command "jobs ${command}"; see licenses --help`);
  const name = command as Exclude<Command, 'main'>;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rest);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${HELP[name]}`);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) {
    io.stdout.write(`${HELP[name]}\n`);
    return EXIT.ok;
  }
  const unexpected = Object.keys(values).filter((key) => !ACCEPTS[name].includes(key as keyof typeof OPTIONS));
  if (unexpected.length) throw new UsageError(`jobs ${name} takes no --${unexpected.join(', --')}\n${HELP[name]}`);
  const wantsJobId = ['watch', 'results', 'retry', 'cancel'].includes(name);
  if (positionals.length !== (wantsJobId ? 1 : 0))
    throw new UsageError(`${wantsJobId ? 'one job id expected' : 'unexpected arguments'}\n${HELP[name]}`);
  const customerId = values.customer;
  if (!customerId) throw new UsageError(`--customer is required\n${HELP[name]}`);

  const apiKey = io.env.LICENSES_API_KEY;
  if (!apiKey) throw new UsageError('set LICENSES_API_KEY to your partner API key (it is never taken as a flag)');
  const baseUrl = (io.env.LICENSES_API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const ctx: Context = {
    io,
    apiKey,
    baseUrl,
    api: createLicensingClient({ baseUrl, apiKey, ...(io.fetch ? { fetch: io.fetch } : {}) }),
  };
  const jobId = positionals[0]!;
  switch (name) {
    case 'create':
    case 'preview': {
      const body = await jobBody(ctx, customerId, values, tokens);
      return name === 'create'
        ? createJob(ctx, customerId, body, values['idempotency-key'], values.watch ?? false)
        : previewJob(ctx, customerId, body, values.json ?? false);
    }
    case 'watch':
      return exitFor(await watchJob(ctx, customerId, jobId));
    case 'results':
      return results(ctx, customerId, jobId, values.status, values.csv ?? false);
    case 'retry':
      return retryJob(ctx, customerId, jobId, values['idempotency-key'], values.watch ?? false);
    case 'cancel': {
      const job = unwrap(
        await ctx.api.POST('/v1/customers/{customerId}/license-jobs/{jobId}/cancel', {
          params: { path: { customerId, jobId } },
        }),
      );
      io.stderr.write(`${summary(job)}\n`);
      return EXIT.ok;
    }
  }
}

function parse(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
}

type Parsed = ReturnType<typeof parse>;

/** The job's body: the users of --users (names resolved to ids) and the changes in flag order. */
async function jobBody(
  ctx: Context,
  customerId: string,
  values: Parsed['values'],
  tokens: NonNullable<Parsed['tokens']>,
): Promise<CreateLicenseJobRequest> {
  const assign: { productId: string; disabledServicePlans: string[] }[] = [];
  const revoke: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (token.name === 'assign')
      for (const productId of list(token.value)) assign.push({ productId, disabledServicePlans: [] });
    else if (token.name === 'revoke') revoke.push(...list(token.value));
    else if (token.name === 'disable') {
      const last = assign.at(-1);
      if (!last) throw new UsageError('--disable names plans of the --assign before it; give an --assign first');
      last.disabledServicePlans.push(...list(token.value));
    }
  }
  if (assign.length + revoke.length === 0) throw new UsageError('give at least one --assign or --revoke');
  if (!values.users) throw new UsageError('--users <file|-> is required (user principal names or ids)');
  const text = values.users === '-' ? await readAll(ctx.io.stdin) : await readFile(values.users, 'utf8');
  let references: UserReferences;
  try {
    references = parseUserList(text);
  } catch (error) {
    throw new UsageError(`${values.users}: ${(error as Error).message}`);
  }
  const userIds = await resolveUsers(ctx, customerId, references);
  if (userIds.length === 0) throw new UsageError(`${values.users} names no users`);
  return {
    userIds,
    ...(assign.length
      ? {
          assign: assign.map((a) => ({
            productId: a.productId,
            ...(a.disabledServicePlans.length ? { disabledServicePlans: a.disabledServicePlans } : {}),
          })),
        }
      : {}),
    ...(revoke.length ? { revoke } : {}),
    ...(values.reference ? { clientReference: values.reference } : {}),
  };
}

async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Past this many names, the customer's whole user list is read once instead of one search per name. */
const SEARCH_LIMIT = 20;

/** User ids for the references: ids as given, user principal names looked up in the customer. */
async function resolveUsers(ctx: Context, customerId: string, refs: UserReferences): Promise<string[]> {
  if (refs.principalNames.length === 0) return refs.ids;
  const idByName = new Map<string, string>();
  const usersPath = '/v1/customers/{customerId}/users' as const;
  if (refs.principalNames.length <= SEARCH_LIMIT) {
    for (const name of refs.principalNames) {
      const found = unwrap(
        await ctx.api.GET(usersPath, { params: { path: { customerId }, query: { search: name, pageSize: 500 } } }),
      );
      for (const user of found.items) idByName.set(user.userPrincipalName.toLowerCase(), user.id);
    }
  } else {
    const users = await allPages((page) =>
      ctx.api.GET(usersPath, { params: { path: { customerId }, query: { page, pageSize: 500 } } }),
    );
    for (const user of users) idByName.set(user.userPrincipalName.toLowerCase(), user.id);
  }
  const unknown = refs.principalNames.filter((name) => !idByName.has(name.toLowerCase()));
  if (unknown.length)
    throw new UsageError(
      `${unknown.length} user principal name${unknown.length > 1 ? 's are' : ' is'} not a user of the customer: ` +
        `${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''}`,
    );
  return [...new Set([...refs.ids, ...refs.principalNames.map((name) => idByName.get(name.toLowerCase())!)])];
}

async function createJob(
  ctx: Context,
  customerId: string,
  body: CreateLicenseJobRequest,
  idempotencyKey: string | undefined,
  watch: boolean,
): Promise<number> {
  const job = unwrap(
    await ctx.api.POST('/v1/customers/{customerId}/license-jobs', {
      params: { path: { customerId }, ...(idempotencyKey ? { header: { 'idempotency-key': idempotencyKey } } : {}) },
      body,
    }),
  );
  ctx.io.stdout.write(`${job.id}\n`);
  ctx.io.stderr.write(`Job ${job.id} accepted for ${job.request.userCount.toLocaleString('en-US')} users.\n`);
  return watch ? exitFor(await watchJob(ctx, customerId, job.id)) : EXIT.ok;
}

async function retryJob(
  ctx: Context,
  customerId: string,
  jobId: string,
  idempotencyKey: string | undefined,
  watch: boolean,
): Promise<number> {
  const job = unwrap(
    await ctx.api.POST('/v1/customers/{customerId}/license-jobs/{jobId}/retry', {
      params: {
        path: { customerId, jobId },
        ...(idempotencyKey ? { header: { 'idempotency-key': idempotencyKey } } : {}),
      },
    }),
  );
  ctx.io.stdout.write(`${job.id}\n`);
  ctx.io.stderr.write(
    `Job ${job.id} retries ${job.request.userCount.toLocaleString('en-US')} users of job ${jobId}.\n`,
  );
  return watch ? exitFor(await watchJob(ctx, customerId, job.id)) : EXIT.ok;
}

const exitFor = (job: Job) => (job.status === 'completed' ? EXIT.ok : EXIT.usersFailed);

/** Follows a job to its end on stderr; the event stream where there is one, polling otherwise. */
async function watchJob(ctx: Context, customerId: string, jobId: string): Promise<Job> {
  const display = progressDisplay(ctx.io.stderr);
  const eventsUrl = `${ctx.baseUrl}/v1/customers/${encodeURIComponent(customerId)}/license-jobs/${encodeURIComponent(jobId)}/events`;
  const job =
    (await followJobEvents(eventsUrl, ctx.apiKey, display.update, ctx.io.fetch)) ??
    (await waitForJob(ctx.api, customerId, jobId, { onProgress: display.update, intervalMs: 1000 }));
  display.finish(job);
  ctx.io.stderr.write(`${summary(job)}\n`);
  if (job.status !== 'completed' && job.progress.total > job.progress.succeeded)
    ctx.io.stderr.write(
      `See the users that did not succeed: licenses jobs results ${job.id} --customer ${customerId} --status failed\n`,
    );
  return job;
}

async function previewJob(ctx: Context, customerId: string, body: CreateLicenseJobRequest, json: boolean) {
  const preview = unwrap(
    await ctx.api.POST('/v1/customers/{customerId}/license-jobs/preview', { params: { path: { customerId } }, body }),
  );
  const out = ctx.io.stdout;
  const n = (value: number) => value.toLocaleString('en-US');
  const short = preview.seats.some((s) => s.shortfall > 0);
  if (json) out.write(`${JSON.stringify(preview, null, 2)}\n`);
  else {
    out.write(`Preview for ${n(preview.userCount)} users (nothing was changed):\n`);
    for (const s of preview.seats)
      out.write(
        `  seats ${s.productId}: ${n(s.required)} needed, ${n(s.available)} available` +
          `${s.shortfall > 0 ? `, SHORT by ${n(s.shortfall)}` : ''}\n`,
      );
    const o = preview.outcomes;
    out.write(
      `  outcomes: ${n(o.assigned)} assigned, ${n(o.updated)} updated, ${n(o.unchanged)} unchanged, ` +
        `${n(o.revoked)} revoked, ${n(o.not_assigned)} not assigned\n`,
    );
    const codes = Object.entries(preview.failures.byCode)
      .map(([code, count]) => `${code} ${n(count)}`)
      .join(', ');
    out.write(`  failures: ${n(preview.failures.total)} users${codes ? ` (${codes})` : ''}\n`);
    for (const user of preview.failures.users) {
      const reasons = user.changes
        .filter((c) => c.error)
        .map((c) => `${c.action} ${c.productId}: ${c.error!.code} ${c.error!.message}`)
        .join('; ');
      out.write(`    ${user.userPrincipalName}: ${reasons}\n`);
    }
  }
  return preview.failures.total > 0 || short ? EXIT.usersFailed : EXIT.ok;
}

async function results(ctx: Context, customerId: string, jobId: string, status: string | undefined, csv: boolean) {
  const statuses = ['succeeded', 'failed', 'cancelled', 'pending'] as const;
  if (status !== undefined && !(statuses as readonly string[]).includes(status))
    throw new UsageError(`--status must be one of ${statuses.join(', ')}`);
  const resultStatus = status as (typeof statuses)[number] | undefined;
  if (csv) {
    const url = new URL(
      `${ctx.baseUrl}/v1/customers/${encodeURIComponent(customerId)}/license-jobs/${encodeURIComponent(jobId)}/results`,
    );
    url.searchParams.set('format', 'csv');
    if (resultStatus) url.searchParams.set('status', resultStatus);
    const response = await (ctx.io.fetch ?? fetch)(url, {
      headers: { accept: 'text/csv', authorization: `Bearer ${ctx.apiKey}` },
    });
    if (!response.ok) {
      const text = await response.text();
      let problem: unknown = text;
      try {
        problem = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      unwrap({ error: problem, response });
    }
    if (!(response.headers.get('content-type') ?? '').startsWith('text/csv'))
      throw new Error('the API did not answer CSV (is it older than contract 1.1?)');
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
      ctx.io.stdout.write(decoder.decode(chunk, { stream: true }));
    ctx.io.stdout.write(decoder.decode());
    return EXIT.ok;
  }
  const items = await allPages((page) =>
    ctx.api.GET('/v1/customers/{customerId}/license-jobs/{jobId}/results', {
      params: {
        path: { customerId, jobId },
        query: { page, pageSize: 500, ...(resultStatus ? { status: resultStatus } : {}) },
      },
    }),
  );
  for (const item of items) {
    const changes = item.changes.length
      ? item.changes.map(
          (c) => `${c.productId} ${c.action} ${c.outcome}${c.error ? ` ${c.error.code}: ${c.error.message}` : ''}`,
        )
      : ['-'];
    for (const change of changes) ctx.io.stdout.write(`${item.userPrincipalName}\t${item.status}\t${change}\n`);
  }
  return EXIT.ok;
}
