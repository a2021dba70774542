// The checked-in generated files are what the API's declarations produce: a route whose declaration
// changed without `pnpm client:generate` fails here, and so does a problem code or a version bump.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, PROBLEM_CODES } from '@licensing/api';
import {
  CLIENT_PACKAGE_FILE,
  generateProblemCodesSource,
  generateSchemaSource,
  PROBLEM_CODES_FILE,
  SCHEMA_FILE,
} from '../../../scripts/client-sources.ts';

describe('packages/client generated files', () => {
  it('schema.gen.ts matches the OpenAPI document the API serves', async () => {
    const expected = await generateSchemaSource(await buildOpenApiDocument());
    const actual = await readFile(SCHEMA_FILE, 'utf8');
    expect(actual === expected, 'schema.gen.ts is stale: run `pnpm client:generate` and commit it').toBe(true);
  });

  it('problem-codes.gen.ts lists every problem code the API declares', async () => {
    expect(await readFile(PROBLEM_CODES_FILE, 'utf8')).toBe(generateProblemCodesSource(PROBLEM_CODES));
  });

  it("the package's version is the API document's", async () => {
    const document = await buildOpenApiDocument();
    const manifest = JSON.parse(await readFile(CLIENT_PACKAGE_FILE, 'utf8'));
    expect(manifest.version).toBe((document.info as { version: string }).version);
  });
});
