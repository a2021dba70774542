// The client as someone outside the repository gets it: the README's install (`pnpm pack`, which
// builds dist/, and plain npm installing the tarball into a new project), run in a directory under
// the system's temporary directory (no workspace above it), the README's example type-checked against the package's declarations with TypeScript from the
// registry, then run against a started system (catalog, API, worker, demo catalog) with this Node
// (20) and with Node 24 (the registry's node-<platform>-<arch> package, kept between runs).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docExamples } from './support/doc-examples.ts';
import { type StartedSystem, startSystem } from './support/started-system.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const clientDir = join(root, 'packages/client');
const NODE_24 = '24';

let scratch: string;
let system: StartedSystem;

const npm = (args: string[], cwd: string) =>
  run('npm', ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...args], {
    cwd,
    env: { ...process.env, npm_config_workspaces: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });

/** A Node 24 binary from the npm registry's per-platform package, installed once per machine. */
async function node24(): Promise<string> {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = join(tmpdir(), `licensing-test-node${NODE_24}`);
  const binary = join(dir, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(binary)) return binary;
  const staging = await mkdtemp(join(tmpdir(), 'licensing-test-node-'));
  await writeFile(join(staging, 'package.json'), '{"private":true}\n');
  await npm(['install', '--no-save', `${pkg}@${NODE_24}`], staging);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir).catch(async (error) => {
    if (!existsSync(binary)) throw error; // another run installed it meanwhile
    await rm(staging, { recursive: true, force: true });
  });
  return binary;
}

async function newPartnerKey(name: string): Promise<string> {
  const response = await fetch(`${system.apiUrl}/v1/admin/partners`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-operator-token', 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { apiKey: string }).apiKey;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'licensing-client-scratch-'));
  system = await startSystem({ how: 'services' });
}, 240_000);

afterAll(async () => {
  await system?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the packed @licensing/client', () => {
  it('installs with npm outside the workspace; its README example type-checks and runs on Node 20 and 24', async () => {
    // The README's install, with its /tmp and project in the scratch directory.
    const [install, ...programs] = docExamples('packages/client/README.md');
    expect(install!.lang).toBe('sh');
    const project = join(scratch, 'my-automation');
    await run('bash', ['-ec', install!.code.replaceAll('/tmp', scratch).replaceAll('my-automation', project)], {
      cwd: root,
      env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
    }).catch((error) => {
      throw new Error(`the README's install: ${error.stdout}${error.stderr}`);
    });
    const manifest = JSON.parse(await readFile(join(clientDir, 'package.json'), 'utf8'));
    expect(existsSync(join(scratch, `licensing-client-${manifest.version}.tgz`))).toBe(true);
    const typescript = JSON.parse(
      await readFile(fileURLToPath(import.meta.resolve('typescript/package.json')), 'utf8'),
    ).version;
    await npm(['install', `typescript@${typescript}`, '@types/node@20'], project);
    const installed = JSON.parse(await readFile(join(project, 'node_modules/@licensing/client/package.json'), 'utf8'));
    expect(installed.version).toBe(manifest.version);
    expect(Object.keys(installed.dependencies)).toEqual(['openapi-fetch']);
    expect(existsSync(join(project, 'node_modules/@licensing/client/dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/@licensing/client/src'))).toBe(false);

    const examples = programs;
    expect(examples.map((e) => e.file)).toEqual(['example.mjs']);
    for (const example of examples) await writeFile(join(project, example.file!), example.code);

    // The declarations as a TypeScript user's editor reads them (strict, Node's module resolution).
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          allowJs: true,
          checkJs: true,
          noEmit: true,
          strict: true,
          skipLibCheck: false,
          types: ['node'],
        },
        include: ['*.mjs'],
      }),
    );
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', '.'], { cwd: project }).catch((error) => {
      throw new Error(`tsc: ${error.stdout}${error.stderr}`);
    });
    // and it does notice a mistake.
    await writeFile(join(project, 'mistake.mjs'), `// @ts-check\n${examples[0]!.code.replace("'SPE_E3' }", '3 }')}`);
    await expect(run(process.execPath, [tsc, '-p', '.'], { cwd: project })).rejects.toMatchObject({
      stdout: expect.stringContaining('mistake.mjs'),
    });
    await rm(join(project, 'mistake.mjs'));

    const sql = postgres(system.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      for (const node of [process.execPath, await node24()]) {
        const { stdout: version } = await run(node, ['--version']);
        expect(version).toMatch(node === process.execPath ? /^v20\./ : /^v24\./);
        const apiKey = await newPartnerKey(`Automation on Node ${version.trim()}`);
        const { stdout } = await run(node, ['example.mjs'], {
          cwd: project,
          env: { ...process.env, LICENSES_API_KEY: apiKey, LICENSES_API_URL: system.apiUrl },
        }).catch((error) => {
          throw new Error(`node ${version}: ${error.stdout}${error.stderr}\n${system.output()}`);
        });
        expect(stdout).toMatch(/^job [0-9a-f-]{36} completed$/m);
        expect(stdout).toContain('ana@northwind.example succeeded assigned');
        expect(stdout).toContain('E3 cannot go below 3 seats');
        const held = await sql<{ upn: string; disabled: string[] }[]>`
          select u.user_principal_name as upn, l.disabled_service_plans as disabled
          from users u join user_licenses l on l.user_id = u.id
          join customers c on c.id = u.customer_id join partners p on p.id = c.partner_id
          where p.name = ${`Automation on Node ${version.trim()}`} and l.product_id = 'SPE_E3'
          order by 1`;
        expect(held).toEqual(
          ['ana', 'ben', 'cy'].map((n) => ({ upn: `${n}@northwind.example`, disabled: ['TEAMS1'] })),
        );
      }
    } finally {
      await sql.end();
    }
  }, 600_000);
});
