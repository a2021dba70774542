// The checked-in generated types are what the served OpenAPI document produces: a route whose
// declaration changed without `pnpm client:generate` fails here.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@licensing/api';
import { generateSchemaSource, SCHEMA_FILE } from '@licensing/client/generate';

describe('packages/client/src/schema.gen.ts', () => {
  it('matches the OpenAPI document the API serves', async () => {
    const expected = await generateSchemaSource(await buildOpenApiDocument());
    const actual = await readFile(SCHEMA_FILE, 'utf8');
    expect(actual === expected, 'schema.gen.ts is stale: run `pnpm client:generate` and commit it').toBe(true);
  });
});
