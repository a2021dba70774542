import openapiTS, { astToString } from 'openapi-typescript';

export const SCHEMA_FILE = new URL('./schema.gen.ts', import.meta.url);

/**
 * The TypeScript source of `schema.gen.ts` for an OpenAPI document: `paths`, `operations` and a
 * named type per component schema (openapi-typescript), under a header saying how to regenerate.
 */
export async function generateSchemaSource(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as never, { alphabetize: false });
  return (
    "// Generated from the API's OpenAPI document by `pnpm client:generate`; do not edit.\n" +
    '// A test fails when this file differs from what the served document produces.\n\n' +
    astToString(ast)
  );
}
