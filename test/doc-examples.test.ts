// The documents' examples, run as a reader would run them, so that they cannot drift: the system
// is started as the README says (`pnpm start`), then README.md's marked blocks and docs/cli.md's
// marked blocks run in order in one bash session (docs/cli.md continues from the README's
// walk-through: its key, its customer, the demo catalog's products). An `sh` block must succeed
// line by line (`set -e`); in a `console` block every `$ ` command must exit 0 unless the document
// shows `$ echo $?` after it with another status, and every output line the document shows must be
// printed (whitespace collapsed, `…` standing for anything, the progress bar of a terminal skipped).
// The address of the documents (http://localhost:3000, LICENSES_API_URL's default) is pointed at the
// started system. The client's README example runs in test/client-package.test.ts, from the packed
// package.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleCommand, consoleCommands, type DocExample, docExamples } from './support/doc-examples.ts';
import { type StartedSystem, startSystem } from './support/started-system.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the repository, so that `pnpm exec licenses` finds the workspace's command.
const workDir = join(root, `.doc-examples-${randomUUID()}`);

let system: StartedSystem;

beforeAll(async () => {
  await mkdir(workDir);
  system = await startSystem({ how: 'pnpm start', env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
}, 240_000);

afterAll(async () => {
  await system?.stop();
  await rm(workDir, { recursive: true, force: true });
});

/** A shown line as a pattern: whitespace collapsed, `…` (with a hex or word stem before it) for anything. */
function pattern(line: string): RegExp {
  const collapsed = line.trim().replace(/\s+/g, ' ');
  const parts = collapsed.split(/[\w.-]*…/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

interface Step {
  example: DocExample;
  command?: ConsoleCommand;
  expectedStatus: number;
}

it('runs the examples of README.md and docs/cli.md against a started system', async () => {
  const examples = [...docExamples('README.md'), ...docExamples('docs/cli.md')];
  expect(examples.filter((e) => e.document === 'README.md').length).toBeGreaterThanOrEqual(2);
  expect(examples.filter((e) => e.document === 'docs/cli.md').length).toBeGreaterThanOrEqual(2);

  const steps: Step[] = [];
  let script = 'set -o pipefail\n';
  for (const example of examples) {
    if (example.lang === 'sh') {
      const code = example.code.replaceAll('http://localhost:3000', system.apiUrl);
      const index = steps.push({ example, expectedStatus: 0 }) - 1;
      script += `( exit 0 ); set -e\n${code}\nset +e\necho 0 > step-${index}.status\n`;
    } else if (example.lang === 'console') {
      for (const command of consoleCommands(example)) {
        if (command.command.trim() === 'echo $?') {
          const previous = steps.at(-1)!;
          previous.expectedStatus = Number(command.shown[0]);
          continue;
        }
        const index = steps.push({ example, command, expectedStatus: 0 }) - 1;
        script += `{ ${command.command}\n} > step-${index}.out 2>&1\necho $? > step-${index}.status\n`;
      }
    } else throw new Error(`${example.document}:${example.line}: an example in "${example.lang}" cannot be run here`);
  }
  await writeFile(join(workDir, 'examples.sh'), script);

  const { LICENSES_API_KEY: _, ...inherited } = process.env;
  const env = { ...inherited, LICENSES_API_URL: system.apiUrl, LC_ALL: 'C.UTF-8' };
  const result = await run('bash', ['examples.sh'], { cwd: workDir, env, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error) => error as { stdout: string; stderr: string; code: number },
  );
  const context = `${result.stdout}\n${result.stderr}`.slice(-4000);

  const mismatches: string[] = [];
  for (const [index, step] of steps.entries()) {
    const where = `${step.example.document}:${step.command?.line ?? step.example.line}`;
    const status = await readFile(join(workDir, `step-${index}.status`), 'utf8').catch(() => undefined);
    expect(
      status,
      `${where}: the example did not run to its end\n${context}\n${system.output().slice(-3000)}`,
    ).toBeDefined();
    const output = step.command ? await readFile(join(workDir, `step-${index}.out`), 'utf8') : '';
    const label = `${where}: ${step.command?.command ?? 'sh block'}\n${output}`;
    if (Number(status) !== step.expectedStatus)
      mismatches.push(`${label}exited ${Number(status)}, the document says ${step.expectedStatus}`);
    const printed = output.split(/\r?\n/).map((line) => line.trim().replace(/\s+/g, ' '));
    for (const shown of step.command?.shown ?? []) {
      if (/^\[[#.]+\]/.test(shown.trim())) continue; // the bar of a terminal: plain lines here
      const wanted = pattern(shown);
      if (!printed.some((line) => wanted.test(line)))
        mismatches.push(`${label}shows "${shown}", which was not printed`);
    }
  }
  expect(mismatches, mismatches.join('\n\n')).toEqual([]);
}, 600_000);
