// What a command of `licenses` is: its help, its options (node:util parseArgs), its positional
// arguments and what it does. A group (`jobs`, `users`, …) is a set of commands; commands/index.ts
// lists the groups.
import type { parseArgs } from 'node:util';
import type { LicensingClient } from '@licensing/client';
import type { Output } from './progress.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdin: AsyncIterable<string | Uint8Array>;
  stdout: Output;
  stderr: Output;
  fetch?: typeof fetch;
}

/** Exit statuses: documented in docs/cli.md and every `--help`. */
export const EXIT = { ok: 0, itemsFailed: 1, error: 2 } as const;

/** A mistake in the command line or its input: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];
export type Options = NonNullable<OptionSpec>;

export interface Context {
  io: CliIo;
  api: LicensingClient;
  baseUrl: string;
  apiKey: string;
  /** `--json`: machine-readable output on stdout. */
  json: boolean;
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  /** The positional arguments, by the names in `args`. */
  args: string[];
  tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>;
}

export interface Command {
  /** One line for the group's list. */
  summary: string;
  /** The full help, starting with `Usage: licenses <group> <command> …`. */
  usage: string;
  /** Its options besides --help and --json (which every command takes). */
  options: Options;
  /** Names of its positional arguments, all required. */
  args?: string[];
  /** Options it cannot do without. */
  required?: string[];
  run(ctx: Context, parsed: Parsed): Promise<number>;
}

export interface CommandGroup {
  summary: string;
  commands: Record<string, Command>;
}

/** A string option's value (parseArgs types them loosely). */
export const str = (parsed: Parsed, name: string) => parsed.values[name] as string | undefined;
export const strs = (parsed: Parsed, name: string) => (parsed.values[name] as string[] | undefined) ?? [];
export const flag = (parsed: Parsed, name: string) => parsed.values[name] === true;

/** A positive whole number option, or the default. */
export function count(parsed: Parsed, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = str(parsed, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max.toLocaleString('en-US')}`);
  return Number(value);
}

export const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
