// `pnpm openapi:lint`: lints the OpenAPI document the API serves (built from the real app) with
// Redocly's recommended rules (redocly.yaml); fails on any error or warning.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '@licensing/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
try {
  const file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(await buildOpenApiDocument(), null, 2));
  const redocly = (format: string) =>
    spawnSync(
      join(root, 'node_modules/.bin/redocly'),
      ['lint', file, `--config=${join(root, 'redocly.yaml')}`, `--format=${format}`],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
  const run = redocly('json');
  let totals: { errors: number; warnings: number };
  try {
    totals = JSON.parse(run.stdout).totals;
  } catch {
    console.error(run.stdout, run.stderr);
    throw new Error(`redocly lint did not answer a report (exit status ${run.status})`);
  }
  if (totals.errors + totals.warnings > 0) {
    console.error(redocly('codeframe').stdout);
    console.error(`OpenAPI lint: ${totals.errors} errors, ${totals.warnings} warnings (0 of each allowed).`);
    process.exitCode = 1;
  } else {
    console.log('OpenAPI lint: 0 errors, 0 warnings (Redocly recommended rules).');
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
