// Writes the API's OpenAPI document, as served at /docs/json, to a file (default openapi.json).
//   node --import tsx scripts/openapi.ts [out.json]
import { writeFile } from 'node:fs/promises';
import { buildOpenApiDocument } from '@licensing/api';

const out = process.argv[2] ?? 'openapi.json';
await writeFile(out, `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`);
console.log(`OpenAPI document written to ${out}`);
