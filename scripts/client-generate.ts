// `pnpm client:generate`: regenerates packages/client/src/schema.gen.ts from the OpenAPI document
// the API serves. Run it after changing a route's declaration and commit the result.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '@licensing/api';
import { generateSchemaSource, SCHEMA_FILE } from '@licensing/client/generate';

await writeFile(SCHEMA_FILE, await generateSchemaSource(await buildOpenApiDocument()));
console.log(`wrote ${fileURLToPath(SCHEMA_FILE)}`);
