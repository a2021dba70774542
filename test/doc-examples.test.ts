// The documents' examples, run as a reader would run them, so that they cannot drift: the system
// is started as the README says (`pnpm start`), then README.md's marked blocks and docs/cli.md's
// marked blocks run in order in one bash session (docs/cli.md continues from the README's
// walk-through: its key, its customer, the demo catalog's products). An `sh` block must succeed
// line by line (`set -e`); in a `console` block every `$ ` command must exit 0 unless the document
// shows `$ echo $?` after it with another status, and every output line the document shows must be
// printed (whitespace collapsed, `…` standing for anything, the progress bar of a terminal skipped).
// The address of the documents (http://localhost:3000, LICENSES_API_URL's default) is pointed at the
// started system. README's webhook receiver (a `js` block saved as receiver.mjs) is then started
// with the secret of the walk-through's partner and must print the job a real signed delivery
// reports, and refuse a forged one. The client's README example runs in
// test/client-package.test.ts, from the packed package.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleCommand, consoleCommands, type DocExample, docExamples } from './support/doc-examples.ts';
import { freePort } from './support/processes.ts';
import { type StartedSystem, startSystem } from './support/started-system.ts';
import { until } from './support/webhook-receiver.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the repository, so that `pnpm exec licenses` finds the workspace's command.
const workDir = join(root, `.doc-examples-${randomUUID()}`);
// Inside test/, so that a JavaScript example finds the test package's dependencies (standardwebhooks).
const jsDir = join(root, 'test', `.doc-examples-${randomUUID()}`);

let system: StartedSystem;

beforeAll(async () => {
  await mkdir(workDir);
  await mkdir(jsDir);
  system = await startSystem({ how: 'pnpm start', env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
}, 240_000);

afterAll(async () => {
  await system?.stop();
  await rm(workDir, { recursive: true, force: true });
  await rm(jsDir, { recursive: true, force: true });
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
  const programs: DocExample[] = [];
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
    } else if (example.lang === 'js' && example.file) programs.push(example);
    else throw new Error(`${example.document}:${example.line}: an example in "${example.lang}" cannot be run here`);
  }
  // What the programs below need of the session: the partner key and the customer of the walk-through.
  script += 'printf \'%s\\n%s\\n\' "$KEY" "$C" > session.txt\n';
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

  const [key, customerId] = (await readFile(join(workDir, 'session.txt'), 'utf8')).trim().split('\n');
  expect(programs.map((p) => `${p.document} ${p.file}`)).toEqual(['README.md receiver.mjs']);
  await runWebhookReceiver(programs[0]!, key!, customerId!);
}, 600_000);

/** README's receiver, given the webhook's secret: a real delivery is printed, a forged one refused. */
async function runWebhookReceiver(example: DocExample, key: string, customerId: string) {
  await writeFile(join(jsDir, example.file!), example.code);
  const port = await freePort();
  const partner = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const webhook = await fetch(`${system.apiUrl}/v1/webhook`, {
    method: 'PUT',
    headers: partner,
    body: JSON.stringify({ url: `http://127.0.0.1:${port}/licensing-events` }),
  });
  expect(webhook.status).toBe(200);
  const { secret } = (await webhook.json()) as { secret: string };
  let output = '';
  const child = spawn(process.execPath, [example.file!], {
    cwd: jsDir,
    env: { ...process.env, LICENSING_WEBHOOK_SECRET: secret, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    const forged = await until('the receiver listening', () =>
      fetch(`http://127.0.0.1:${port}/licensing-events`, {
        method: 'POST',
        headers: {
          'webhook-id': 'msg_forged',
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': 'v1,Zm9yZ2Vk',
        },
        body: '{"type":"license_job.finished","data":{"id":"forged","status":"completed"}}',
      }).catch(() => undefined),
    );
    expect(forged.status).toBe(400);
    const job = await fetch(`${system.apiUrl}/v1/customers/${customerId}/license-jobs`, {
      method: 'POST',
      headers: partner,
      body: JSON.stringify({ userFilter: {}, assign: [{ productId: 'SPE_E3', disabledServicePlans: ['TEAMS1'] }] }),
    });
    expect(job.status).toBe(202);
    const { id } = (await job.json()) as { id: string };
    await until('the receiver printing the job', () => output.includes(`job ${id} completed`), 60_000).catch(() => {
      throw new Error(`the receiver printed: ${output}`);
    });
    expect(output).not.toContain('forged');
  } finally {
    child.kill('SIGTERM');
    await fetch(`${system.apiUrl}/v1/webhook`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
  }
}
