// `pnpm client:generate`: regenerates packages/client from the API's declarations: the types of the
// OpenAPI document (src/schema.gen.ts), the problem codes (src/problem-codes.gen.ts), the routes that
// take an Idempotency-Key (src/idempotent-routes.gen.ts) and the package's
// version (the document's info.version). Run it after changing a route and commit the result.
// `--check` (part of `pnpm lint`) changes nothing and fails when a checked-in file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument, PROBLEM_CODES } from '@licensing/api';
import {
  CLIENT_PACKAGE_FILE,
  generateIdempotentRoutesSource,
  generateProblemCodesSource,
  generateSchemaSource,
  IDEMPOTENT_ROUTES_FILE,
  PROBLEM_CODES_FILE,
  SCHEMA_FILE,
  withApiVersion,
} from './client-sources.ts';

const document = await buildOpenApiDocument();
const currentPackage = await readFile(CLIENT_PACKAGE_FILE, 'utf8');
const files: [URL, string][] = [
  [SCHEMA_FILE, await generateSchemaSource(document)],
  [PROBLEM_CODES_FILE, generateProblemCodesSource(PROBLEM_CODES)],
  [IDEMPOTENT_ROUTES_FILE, generateIdempotentRoutesSource(document)],
  [CLIENT_PACKAGE_FILE, withApiVersion(currentPackage, document)],
];
const check = process.argv.includes('--check');
for (const [file, source] of files) {
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current === source) continue;
  if (check) {
    console.error(`${fileURLToPath(file)} is stale: run \`pnpm client:generate\` and commit it.`);
    process.exitCode = 1;
  } else {
    await writeFile(file, source);
    console.log(`wrote ${fileURLToPath(file)}`);
  }
}
