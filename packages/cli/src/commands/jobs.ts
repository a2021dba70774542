// `licenses jobs …`: bulk license jobs: create (from a file of users), preview, watch, list, results,
// retry, revert, cancel.
import { readFile } from 'node:fs/promises';
import {
  allPages,
  type CreateLicenseJobRequest,
  type Job,
  type JobPreview,
  paginate,
  unwrap,
  waitForJob,
} from '@licensing/client';
import {
  type Command,
  type CommandGroup,
  type Context,
  count,
  EXIT,
  list,
  type Parsed,
  str,
  UsageError,
} from '../command.ts';
import { n, printJson, printTable } from '../output.ts';
import { progressDisplay, progressText, summary } from '../progress.ts';
import { parseUserList, type UserReferences } from '../user-list.ts';

const CHANGE_OPTIONS = {
  customer: { type: 'string' },
  users: { type: 'string' },
  assign: { type: 'string', multiple: true },
  disable: { type: 'string', multiple: true },
  revoke: { type: 'string', multiple: true },
} as const;

const customerOf = (parsed: Parsed) => str(parsed, 'customer')!;

const RFC3339_OFFSET = /(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * --not-before as the API takes it: an RFC 3339 time with its offset is sent as given; a date and
 * time without one (`2026-07-01T06:00`, `2026-07-01 06:00`) is read in this machine's time zone.
 */
export function notBeforeOption(parsed: Parsed): { notBefore?: string } {
  const value = str(parsed, 'not-before');
  if (value === undefined) return {};
  const text = value.trim().replace(' ', 'T');
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) || Number.isNaN(at.getTime()))
    throw new UsageError(
      `--not-before takes a date and time such as 2026-07-01T06:00 (local) or 2026-07-01T06:00:00+02:00, not "${value}"`,
    );
  return { notBefore: RFC3339_OFFSET.test(text) ? text : at.toISOString() };
}

const NOT_BEFORE_HELP = `  --not-before <time>     schedule it: start no earlier than this (RFC 3339, or a local date and time
                          such as 2026-07-01T06:00; at most 90 days ahead); seats are reserved now`;

/** The job's body: the users of --users (names resolved to ids) and the changes in flag order. */
async function jobBody(ctx: Context, parsed: Parsed): Promise<CreateLicenseJobRequest> {
  const customerId = customerOf(parsed);
  const assign: { productId: string; disabledServicePlans: string[] }[] = [];
  const revoke: string[] = [];
  for (const token of parsed.tokens) {
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
  const source = str(parsed, 'users');
  if (!source) throw new UsageError('--users <file|-> is required (user principal names or ids)');
  const text = source === '-' ? await readAll(ctx.io.stdin) : await readFile(source, 'utf8');
  let references: UserReferences;
  try {
    references = parseUserList(text);
  } catch (error) {
    throw new UsageError(`${source}: ${(error as Error).message}`);
  }
  const userIds = await resolveUsers(ctx, customerId, references);
  if (userIds.length === 0) throw new UsageError(`${source} names no users`);
  const reference = str(parsed, 'reference');
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
    ...(reference ? { clientReference: reference } : {}),
    ...notBeforeOption(parsed),
  };
}

export async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Past this many names, the customer's whole user list is read once instead of one search per name. */
const SEARCH_LIMIT = 20;

/** User ids for the references: ids as given, user principal names looked up in the customer. */
export async function resolveUsers(ctx: Context, customerId: string, refs: UserReferences): Promise<string[]> {
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

const exitFor = (job: Job) => (job.status === 'completed' ? EXIT.ok : EXIT.itemsFailed);

/** Follows a job to its end on stderr: its event stream where there is one, polling otherwise. */
async function watchJob(ctx: Context, customerId: string, jobId: string): Promise<Job> {
  const display = progressDisplay(ctx.io.stderr);
  const job = await waitForJob(ctx.api, customerId, jobId, { onProgress: display.update, intervalMs: 1000 });
  display.finish(job);
  ctx.io.stderr.write(`${summary(job)}\n`);
  if (job.status !== 'completed' && job.progress.total > job.progress.succeeded)
    ctx.io.stderr.write(
      `See the users that did not succeed: licenses jobs results ${job.id} --customer ${customerId} --status failed\n`,
    );
  return job;
}

/** A job just accepted: its id on stdout (or the Job with --json), then followed with --watch. */
async function accepted(ctx: Context, customerId: string, job: Job, message: string, watch: boolean) {
  if (!ctx.json) ctx.io.stdout.write(`${job.id}\n`);
  ctx.io.stderr.write(`${message}\n`);
  if (job.status === 'scheduled' && job.notBefore)
    ctx.io.stderr.write(
      `Scheduled: it starts at ${new Date(job.notBefore).toString()}; cancel it until then with ` +
        `licenses jobs cancel ${job.id} --customer ${customerId}\n`,
    );
  const final = watch ? await watchJob(ctx, customerId, job.id) : job;
  if (ctx.json) printJson(ctx.io.stdout, final);
  return watch ? exitFor(final) : EXIT.ok;
}

/** A retry's or revert's body: only with --not-before (without it, no body at all). */
const followUpBody = (parsed: Parsed) => {
  const start = notBeforeOption(parsed);
  return start.notBefore ? { body: start } : {};
};

const idempotencyHeader = (parsed: Parsed) => {
  const key = str(parsed, 'idempotency-key');
  return key ? { header: { 'idempotency-key': key } } : {};
};

const create: Command = {
  summary: 'assign and/or revoke products for users read from a file or stdin',
  usage: `Usage: licenses jobs create --customer <id> --users <file|-> [--assign <product> [--disable <plan>...]]...
                            [--revoke <product>]... [--reference <text>] [--not-before <time>]
                            [--idempotency-key <key>] [--watch] [--json]

Accepts a job and prints its id on stdout (the Job with --json). Seats are reserved before the API answers.
  --customer <id>         the customer (required)
  --users <file|->        user principal names or user ids, one per line or in a CSV column
                          (userPrincipalName, upn, userId or id); "-" reads stdin
  --assign <product>      a product to assign (repeatable; "A,B" assigns both)
  --disable <plan>        a service plan to turn off in the --assign before it (repeatable; "X,Y")
  --revoke <product>      a product to revoke (repeatable; "A,B")
  --reference <text>      your own reference, kept on the job (clientReference)
${NOT_BEFORE_HELP}
  --idempotency-key <key> makes re-running the command safe: the same key answers the same job
                          (without one, the client's own retries still never create a second job)
  --watch                 follow the job until it finishes; exit 1 if any user failed`,
  options: {
    ...CHANGE_OPTIONS,
    reference: { type: 'string' },
    'not-before': { type: 'string' },
    'idempotency-key': { type: 'string' },
    watch: { type: 'boolean' },
  },
  required: ['customer'],
  async run(ctx, parsed) {
    const customerId = customerOf(parsed);
    const body = await jobBody(ctx, parsed);
    const job = unwrap(
      await ctx.api.POST('/v1/customers/{customerId}/license-jobs', {
        params: { path: { customerId }, ...idempotencyHeader(parsed) },
        body,
      }),
    );
    return accepted(
      ctx,
      customerId,
      job,
      `Job ${job.id} accepted for ${n(job.request.userCount)} users.`,
      parsed.values.watch === true,
    );
  },
};

const preview: Command = {
  summary: 'the same, as a dry run: seats, outcomes and failures, nothing changed',
  usage: `Usage: licenses jobs preview --customer <id> --users <file|-> [--assign <product> [--disable <plan>...]]...
                             [--revoke <product>]... [--json]

A dry run of the same job: the seats it needs, the predicted outcomes and the users that would
fail, by the worker's own rules. Nothing is reserved or changed. Exit 1 if users would fail or a
product lacks seats. Options as for "jobs create"; --json prints the API's answer as it is.`,
  options: CHANGE_OPTIONS,
  required: ['customer'],
  async run(ctx, parsed) {
    const customerId = customerOf(parsed);
    const body = await jobBody(ctx, parsed);
    const result = unwrap(
      await ctx.api.POST('/v1/customers/{customerId}/license-jobs/preview', { params: { path: { customerId } }, body }),
    );
    return printPreview(ctx, result, 'Preview');
  },
};

/** A preview (of a job or of a revert) on stdout; exit 1 when users would fail or seats lack. */
function printPreview(ctx: Context, result: JobPreview, title: string): number {
  const out = ctx.io.stdout;
  const short = result.seats.some((s) => s.shortfall > 0);
  if (ctx.json) printJson(out, result);
  else {
    out.write(`${title} for ${n(result.userCount)} users (nothing was changed):\n`);
    for (const s of result.seats)
      out.write(
        `  seats ${s.productId}: ${n(s.required)} needed, ${n(s.available)} available` +
          `${s.shortfall > 0 ? `, SHORT by ${n(s.shortfall)}` : ''}\n`,
      );
    const o = result.outcomes;
    out.write(
      `  outcomes: ${n(o.assigned)} assigned, ${n(o.updated)} updated, ${n(o.unchanged)} unchanged, ` +
        `${n(o.revoked)} revoked, ${n(o.not_assigned)} not assigned\n`,
    );
    const codes = Object.entries(result.failures.byCode)
      .map(([code, c]) => `${code} ${n(c)}`)
      .join(', ');
    out.write(`  failures: ${n(result.failures.total)} users${codes ? ` (${codes})` : ''}\n`);
    for (const user of result.failures.users) {
      const reasons = user.changes
        .filter((c) => c.error)
        .map((c) => `${c.action} ${c.productId}: ${c.error!.code} ${c.error!.message}`)
        .join('; ');
      out.write(`    ${user.userPrincipalName}: ${reasons}\n`);
    }
  }
  return result.failures.total > 0 || short ? EXIT.itemsFailed : EXIT.ok;
}

const watch: Command = {
  summary: 'follow a job until it finishes',
  usage: `Usage: licenses jobs watch <jobId> --customer <id> [--json]

Follows the job until it finishes: a progress bar on a terminal, a line per change otherwise
(from the job's event stream where the API has one, else polling as Retry-After says).
--json prints the finished Job. Exit 0 when every user succeeded, 1 otherwise.`,
  options: { customer: { type: 'string' } },
  args: ['jobId'],
  required: ['customer'],
  async run(ctx, parsed) {
    const job = await watchJob(ctx, customerOf(parsed), parsed.args[0]!);
    if (ctx.json) printJson(ctx.io.stdout, job);
    return exitFor(job);
  },
};

const jobsList: Command = {
  summary: "a customer's jobs, newest first",
  usage: `Usage: licenses jobs list --customer <id> [--status <status>[,<status>...]] [--reference <text>] [--limit <n>] [--json]

The customer's jobs, newest first (at most --limit, default 50): id, status, progress, created.`,
  options: {
    customer: { type: 'string' },
    status: { type: 'string' },
    reference: { type: 'string' },
    limit: { type: 'string' },
  },
  required: ['customer'],
  async run(ctx, parsed) {
    const customerId = customerOf(parsed);
    const limit = count(parsed, 'limit', 50);
    const status = str(parsed, 'status');
    const reference = str(parsed, 'reference');
    const jobs: Job[] = [];
    for await (const job of paginate((page) =>
      ctx.api.GET('/v1/customers/{customerId}/license-jobs', {
        params: {
          path: { customerId },
          query: {
            page,
            pageSize: Math.min(limit, 500),
            ...(status ? { status } : {}),
            ...(reference ? { clientReference: reference } : {}),
          },
        },
      }),
    )) {
      jobs.push(job);
      if (jobs.length >= limit) break;
    }
    if (ctx.json) printJson(ctx.io.stdout, jobs);
    else
      printTable(
        ctx.io.stdout,
        ['ID', 'STATUS', 'PROGRESS', 'CREATED', 'REFERENCE'],
        jobs.map((j) => [j.id, j.status, progressText(j), j.createdAt, j.clientReference ?? null]),
        'No jobs.',
      );
    return EXIT.ok;
  },
};

const results: Command = {
  summary: "a job's per-user results (--csv for the API's CSV export)",
  usage: `Usage: licenses jobs results <jobId> --customer <id> [--status succeeded|failed|cancelled|pending] [--csv | --json]

Prints one line per user and change: user, status, product, action, outcome and error (tab-separated).
  --status <status>  only the users with this result status
  --csv              the API's CSV export (RFC 4180), streamed to stdout
  --json             the results as a JSON array`,
  options: { customer: { type: 'string' }, status: { type: 'string' }, csv: { type: 'boolean' } },
  args: ['jobId'],
  required: ['customer'],
  async run(ctx, parsed) {
    const customerId = customerOf(parsed);
    const jobId = parsed.args[0]!;
    const statuses = ['succeeded', 'failed', 'cancelled', 'pending'] as const;
    const status = str(parsed, 'status');
    if (status !== undefined && !(statuses as readonly string[]).includes(status))
      throw new UsageError(`--status must be one of ${statuses.join(', ')}`);
    const resultStatus = status as (typeof statuses)[number] | undefined;
    if (parsed.values.csv === true) {
      const answer = await ctx.api.GET('/v1/customers/{customerId}/license-jobs/{jobId}/results', {
        params: {
          path: { customerId, jobId },
          query: { format: 'csv', ...(resultStatus ? { status: resultStatus } : {}) },
        },
        headers: { accept: 'text/csv' },
        parseAs: 'stream',
      });
      if (!answer.response.ok) unwrap(answer);
      if (!(answer.response.headers.get('content-type') ?? '').startsWith('text/csv'))
        throw new Error('the API did not answer CSV (is it older than contract 1.1?)');
      const body = answer.data as unknown as ReadableStream<Uint8Array>;
      const decoder = new TextDecoder();
      const reader = body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        ctx.io.stdout.write(decoder.decode(chunk.value, { stream: true }));
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
    if (ctx.json) {
      printJson(ctx.io.stdout, items);
      return EXIT.ok;
    }
    for (const item of items) {
      const changes = item.changes.length
        ? item.changes.map(
            (c) => `${c.productId} ${c.action} ${c.outcome}${c.error ? ` ${c.error.code}: ${c.error.message}` : ''}`,
          )
        : ['-'];
      for (const change of changes) ctx.io.stdout.write(`${item.userPrincipalName}\t${item.status}\t${change}\n`);
    }
    return EXIT.ok;
  },
};

const retry: Command = {
  summary: "retry a finished job's failed and cancelled users as a new job",
  usage: `Usage: licenses jobs retry <jobId> --customer <id> [--not-before <time>] [--idempotency-key <key>] [--watch] [--json]

Retries the failed and cancelled users of a finished job as a new job (same changes, same seat
rules) and prints the new job's id on stdout. --watch follows it; exit 1 if any user failed.
${NOT_BEFORE_HELP}`,
  options: {
    customer: { type: 'string' },
    'not-before': { type: 'string' },
    'idempotency-key': { type: 'string' },
    watch: { type: 'boolean' },
  },
  args: ['jobId'],
  required: ['customer'],
  async run(ctx, parsed) {
    const customerId = customerOf(parsed);
    const jobId = parsed.args[0]!;
    const job = unwrap(
      await ctx.api.POST('/v1/customers/{customerId}/license-jobs/{jobId}/retry', {
        params: { path: { customerId, jobId }, ...idempotencyHeader(parsed) },
        ...followUpBody(parsed),
      }),
    );
    return accepted(
      ctx,
      customerId,
      job,
      `Job ${job.id} retries ${n(job.request.userCount)} users of job ${jobId}.`,
      parsed.values.watch === true,
    );
  },
};

const revert: Command = {
  summary: 'undo a finished job: put the users it changed back as they were (--preview first)',
  usage: `Usage: licenses jobs revert <jobId> --customer <id> [--preview] [--not-before <time>] [--idempotency-key <key>]
                             [--watch] [--json]

Undoes a finished job as a new job: every user it changed is put back as it was just before it
(licenses it assigned revoked, licenses it revoked assigned again with the plans the user had, plan
changes reversed). Users whose license changed since are left alone (ChangedSinceJob). Prints the
new job's id on stdout; --watch follows it (exit 1 if any user failed).
  --preview               only show what the revert would do now and whom it would leave alone (exit
                          1 if users would fail or seats lack); nothing is changed
${NOT_BEFORE_HELP}
                          (which users changed since is then decided at that time)`,
  options: {
    customer: { type: 'string' },
    'not-before': { type: 'string' },
    'idempotency-key': { type: 'string' },
    watch: { type: 'boolean' },
    preview: { type: 'boolean' },
  },
  args: ['jobId'],
  required: ['customer'],
  async run(ctx, parsed) {
    const customerId = customerOf(parsed);
    const jobId = parsed.args[0]!;
    if (parsed.values.preview === true) {
      const result = unwrap(
        await ctx.api.POST('/v1/customers/{customerId}/license-jobs/{jobId}/revert/preview', {
          params: { path: { customerId, jobId } },
          ...followUpBody(parsed),
        }),
      );
      return printPreview(ctx, result, `Undoing job ${jobId}`);
    }
    const job = unwrap(
      await ctx.api.POST('/v1/customers/{customerId}/license-jobs/{jobId}/revert', {
        params: { path: { customerId, jobId }, ...idempotencyHeader(parsed) },
        ...followUpBody(parsed),
      }),
    );
    return accepted(
      ctx,
      customerId,
      job,
      `Job ${job.id} puts back ${n(job.request.userCount)} users changed by job ${jobId}.`,
      parsed.values.watch === true,
    );
  },
};

const cancel: Command = {
  summary: 'cancel an unfinished job',
  usage: `Usage: licenses jobs cancel <jobId> --customer <id> [--json]

Cancels an unfinished job: users not applied yet are cancelled and their reserved seats released.`,
  options: { customer: { type: 'string' } },
  args: ['jobId'],
  required: ['customer'],
  async run(ctx, parsed) {
    const customerId = customerOf(parsed);
    const job = unwrap(
      await ctx.api.POST('/v1/customers/{customerId}/license-jobs/{jobId}/cancel', {
        params: { path: { customerId, jobId: parsed.args[0]! } },
      }),
    );
    if (ctx.json) printJson(ctx.io.stdout, job);
    ctx.io.stderr.write(`${summary(job)}\n`);
    return EXIT.ok;
  },
};

export const jobs: CommandGroup = {
  summary: 'bulk license jobs: create, preview, watch, list, results, retry, revert, cancel',
  commands: { create, preview, watch, list: jobsList, results, retry, revert, cancel },
};
