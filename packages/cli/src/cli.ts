/**
 * `licenses`: the command-line client of the bulk license API, on top of @licensing/client.
 * The API key comes only from LICENSES_API_KEY (a flag would show in `ps`), the address from
 * LICENSES_API_URL. The API's messages come in the language of --lang, else of the locale (LC_ALL,
 * LC_MESSAGES, LANG), sent as Accept-Language (English where the API has no such language). Exit status: 0 done, 1 some items failed (users of a job, lines of an import,
 * or a preview predicts failures), 2 a usage or API error.
 */
import { parseArgs } from 'node:util';
import { createLicensingClient, LicensingApiError } from '@licensing/client';
import { type CliIo, type Command, type Context, EXIT, type Parsed, UsageError } from './command.ts';
import { GROUPS } from './commands/index.ts';

export { type CliIo, EXIT } from './command.ts';

const EXIT_HELP = `Exit status: 0 done; 1 some items failed (users of a job, lines of an import) or a preview
predicts failures; 2 a usage error or an error answered by the API (its problem code is printed).`;

function mainHelp(): string {
  const width = Math.max(...Object.keys(GROUPS).map((g) => g.length));
  const groups = Object.entries(GROUPS)
    .map(([name, group]) => `  ${name.padEnd(width)}  ${group.summary}`)
    .join('\n');
  return `Usage: licenses <group> <command> [options]

The bulk license API from the command line. The API key is read from LICENSES_API_KEY (never a
flag), the API's address from LICENSES_API_URL (default http://127.0.0.1:3000). Every command
prints readable tables, or JSON for scripts with --json. The API's messages (problems, per-user
errors) come in the language of --lang <en|ru>, else of LC_ALL, LC_MESSAGES or LANG.

Groups:
${groups}

${EXIT_HELP}
Run "licenses <group> --help" for a group's commands, "licenses <group> <command> --help" for one's options.`;
}

function groupHelp(name: string): string {
  const group = GROUPS[name]!;
  const width = Math.max(...Object.keys(group.commands).map((c) => c.length));
  const commands = Object.entries(group.commands)
    .map(([command, spec]) => `  ${name} ${command.padEnd(width)}  ${spec.summary}`)
    .join('\n');
  return `Usage: licenses ${name} <command> [options]

${group.summary[0]!.toUpperCase()}${group.summary.slice(1)}.

Commands:
${commands}

${EXIT_HELP}`;
}

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

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
      for (const issue of error.problem.errors ?? []) io.stderr.write(`  ${issue.path}: ${issue.message}\n`);
      return EXIT.error;
    }
    io.stderr.write(`licenses: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.error;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [groupName, commandName, ...rest] = argv;
  if (groupName === undefined || isHelp(groupName)) {
    io.stdout.write(`${mainHelp()}\n`);
    return groupName === undefined ? EXIT.error : EXIT.ok;
  }
  const group = Object.hasOwn(GROUPS, groupName) ? GROUPS[groupName] : undefined;
  if (!group) throw new UsageError(`unknown command "${groupName}"; see licenses --help`);
  if (commandName === undefined || isHelp(commandName)) {
    io.stdout.write(`${groupHelp(groupName)}\n`);
    return commandName === undefined ? EXIT.error : EXIT.ok;
  }
  const command = Object.hasOwn(group.commands, commandName) ? group.commands[commandName] : undefined;
  if (!command) throw new UsageError(`unknown command "${groupName} ${commandName}"; see licenses ${groupName} --help`);

  let parsed: Parsed;
  try {
    parsed = parse(command, rest);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${command.usage}`);
  }
  if (parsed.values.help) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  const expected = command.args ?? [];
  if (parsed.args.length !== expected.length)
    throw new UsageError(
      `${expected.length ? `expected ${expected.map((a) => `<${a}>`).join(' ')}` : 'unexpected arguments'}\n${command.usage}`,
    );
  for (const option of command.required ?? [])
    if (parsed.values[option] === undefined) throw new UsageError(`--${option} is required\n${command.usage}`);

  const apiKey = io.env.LICENSES_API_KEY;
  if (!apiKey) throw new UsageError('set LICENSES_API_KEY to your partner API key (it is never taken as a flag)');
  const baseUrl = (io.env.LICENSES_API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const language = languageTag(parsed.values.lang as string | undefined, io.env);
  const ctx: Context = {
    io,
    apiKey,
    baseUrl,
    json: parsed.values.json === true,
    api: createLicensingClient({
      baseUrl,
      apiKey,
      ...(language ? { headers: { 'accept-language': language } } : {}),
      ...(io.fetch ? { fetch: io.fetch } : {}),
      retry: {
        onRetry: ({ status, delayMs }) =>
          io.stderr.write(`licenses: the API answered ${status}; trying again in ${Math.ceil(delayMs / 1000)} s\n`),
      },
    }),
  };
  return command.run(ctx, parsed);
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

/**
 * The language tag for Accept-Language: --lang, else the POSIX locale (LC_ALL, then LC_MESSAGES,
 * then LANG; "ru_RU.UTF-8" → "ru-RU"). The C and POSIX locales name no language: nothing is sent.
 */
export function languageTag(flag: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (flag !== undefined) {
    if (!LANGUAGE_TAG.test(flag)) throw new UsageError(`--lang takes a language tag such as en or ru, not "${flag}"`);
    return flag;
  }
  const tag = (env.LC_ALL || env.LC_MESSAGES || env.LANG)?.split(/[.@]/)[0]?.replaceAll('_', '-');
  return tag && tag !== 'C' && tag !== 'POSIX' && LANGUAGE_TAG.test(tag) ? tag : undefined;
}

function parse(command: Command, args: string[]): Parsed {
  const { values, positionals, tokens } = parseArgs({
    args,
    options: {
      ...command.options,
      json: { type: 'boolean' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  return { values, args: positionals, tokens: tokens ?? [] };
}
