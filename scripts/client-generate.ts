// `pnpm client:generate`: regenerates packages/client/src/schema.gen.ts from the OpenAPI document
// the API serves. Run it after changing a route's declaration and commit the result.
// `--check` (part of `pnpm lint`) changes nothing and fails when the checked-in file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '@licensing/api';
import { generateSchemaSource, SCHEMA_FILE } from '@licensing/client/generate';

const source = await generateSchemaSource(await buildOpenApiDocument());
if (process.argv.includes('--check')) {
  const current = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
  if (current !== source) {
    console.error(`${fileURLToPath(SCHEMA_FILE)} is stale: run \`pnpm client:generate\` and commit it.`);
    process.exitCode = 1;
  }
} else {
  await writeFile(SCHEMA_FILE, source);
  console.log(`wrote ${fileURLToPath(SCHEMA_FILE)}`);
}
