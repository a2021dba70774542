// What `pnpm client:generate` writes into packages/client from the API's own declarations: the types
// of the OpenAPI document (openapi-typescript), the list of problem codes, and the package's version,
// which follows the document's `info.version`.
import openapiTS, { astToString } from 'openapi-typescript';

const clientRoot = new URL('../packages/client/', import.meta.url);
export const SCHEMA_FILE = new URL('src/schema.gen.ts', clientRoot);
export const PROBLEM_CODES_FILE = new URL('src/problem-codes.gen.ts', clientRoot);
export const IDEMPOTENT_ROUTES_FILE = new URL('src/idempotent-routes.gen.ts', clientRoot);
export const CLIENT_PACKAGE_FILE = new URL('package.json', clientRoot);

const HEADER =
  "// Generated from the API's declarations by `pnpm client:generate`; do not edit.\n" +
  '// `pnpm lint` and a test fail when this file differs from what they produce.\n\n';

/**
 * The TypeScript source of `schema.gen.ts` for an OpenAPI document: `paths`, `operations` and a
 * named type per component schema (openapi-typescript), under a header saying how to regenerate.
 */
export async function generateSchemaSource(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as never, { alphabetize: false });
  return HEADER + astToString(ast);
}

/** The TypeScript source of `problem-codes.gen.ts`: every problem `code` the API answers, described. */
export function generateProblemCodesSource(codes: Record<string, string>): string {
  const entries = Object.entries(codes)
    .map(([code, description]) => `  /** ${description.replaceAll('*/', '* /')} */\n  ${JSON.stringify(code)},`)
    .join('\n');
  return (
    HEADER +
    '/** Every problem `code` the API answers (the framework may add a few of its own, in lower case). */\n' +
    `export const PROBLEM_CODES = [\n${entries}\n] as const;\n\n` +
    'export type KnownProblemCode = (typeof PROBLEM_CODES)[number];\n'
  );
}

/**
 * The TypeScript source of `idempotent-routes.gen.ts`: the path of every POST operation of the
 * document that takes an `Idempotency-Key` header (the client gives those a key by default).
 */
export function generateIdempotentRoutesSource(document: Record<string, unknown>): string {
  const paths = (document.paths ?? {}) as Record<
    string,
    Record<string, { parameters?: { in: string; name: string }[] }>
  >;
  const routes = Object.entries(paths)
    .filter(([, item]) =>
      (item.post?.parameters ?? []).some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'),
    )
    .map(([path]) => `  ${JSON.stringify(path)},`)
    .join('\n');
  return (
    HEADER +
    '/** The POST routes that take an Idempotency-Key header (path templates of the OpenAPI document). */\n' +
    `export const IDEMPOTENT_ROUTES = [\n${routes}\n] as const;\n`
  );
}

/** The client's package.json with its version set to the API document's `info.version`. */
export function withApiVersion(packageJson: string, document: Record<string, unknown>): string {
  const version = (document.info as { version?: unknown } | undefined)?.version;
  if (typeof version !== 'string') throw new Error('the OpenAPI document has no info.version');
  const manifest = JSON.parse(packageJson) as Record<string, unknown>;
  if (manifest.version === version) return packageJson;
  manifest.version = version;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
