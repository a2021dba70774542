// The checked-in generated files are what the API's declarations produce: a route whose declaration
// changed without `pnpm client:generate` fails here, and so does a problem code or a version bump.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, PROBLEM_CODES } from '@licensing/api';
import { createsJob } from '@licensing/client';
import {
  CLIENT_PACKAGE_FILE,
  generateIdempotentRoutesSource,
  generateProblemCodesSource,
  IDEMPOTENT_ROUTES_FILE,
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

  it('idempotent-routes.gen.ts lists the POST routes that take an Idempotency-Key, which get one by default', async () => {
    const document = await buildOpenApiDocument();
    expect(await readFile(IDEMPOTENT_ROUTES_FILE, 'utf8')).toBe(generateIdempotentRoutesSource(document));
    const base = 'http://127.0.0.1:3000/v1/customers/7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11/license-jobs';
    expect(createsJob('POST', base)).toBe(true);
    expect(createsJob('POST', `${base}/0b6a5d9e-3f0e-4f8e-9a47-0d5f4c3b2a10/retry`)).toBe(true);
    expect(createsJob('GET', base)).toBe(false);
    expect(createsJob('POST', `${base}/preview`)).toBe(false);
    expect(createsJob('POST', `${base}/0b6a5d9e-3f0e-4f8e-9a47-0d5f4c3b2a10/cancel`)).toBe(false);
  });
});
