import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  ResponseSerializationError,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { rejectUnknownQueryParameters } from './strict-query.ts';

export interface OpenApiInfo {
  title: string;
  description: string;
  version?: string;
  license?: { name: string; url?: string };
  contact?: { name?: string; url?: string; email?: string };
  servers?: { url: string; description?: string }[];
  tags?: { name: string; description: string }[];
  /** Security schemes by name; the first one is the default requirement of every operation. */
  securitySchemes?: Record<string, { type: 'http'; scheme: 'bearer'; description: string; bearerFormat?: string }>;
}

const SCHEMA_REF = '#/components/schemas/';
type Json = Record<string, unknown>;

const zodTransform = createJsonSchemaTransform({ skipList: ['/docs', '/docs/', '/docs/json', '/docs/yaml'] });

/**
 * fastify-type-provider-zod turns zod schemas into JSON Schema but keeps only `description` and
 * `content` of a response declared per content type; this keeps its `headers` too (plain JSON
 * Schema objects with a `description`, which @fastify/swagger turns into response headers), and
 * moves a route's `bodyExamples` onto the request body's media type. A route whose body may be left
 * out (`bodyOptional: true`, with an optional zod body) is marked for `optionalRequestBodies`.
 */
function transform(document: Parameters<typeof zodTransform>[0]) {
  const schema = document.schema as Json | undefined;
  if (!schema) return zodTransform(document);
  const { bodyExamples, bodyOptional, response, ...rest } = schema;
  const headersByStatus = new Map<string, unknown>();
  let strippedResponse: Json | undefined;
  if (response && typeof response === 'object') {
    strippedResponse = {};
    for (const [status, declared] of Object.entries(response as Json)) {
      if (declared && typeof declared === 'object' && 'content' in declared && 'headers' in declared) {
        const { headers, ...withoutHeaders } = declared as Json;
        headersByStatus.set(status, headers);
        strippedResponse[status] = withoutHeaders;
      } else {
        strippedResponse[status] = declared;
      }
    }
  }
  const result = zodTransform({
    ...document,
    schema: { ...rest, ...(strippedResponse ? { response: strippedResponse } : {}) },
  } as typeof document);
  const out = result.schema as Json;
  if (out.response) {
    for (const [status, headers] of headersByStatus) {
      (out.response as Record<string, Json>)[status]!.headers = headers;
    }
  }
  if (bodyExamples && out.body) out.body = { ...(out.body as Json), 'x-examples': bodyExamples };
  if (bodyOptional === true && out.body) out[OPTIONAL_BODY] = true;
  return result;
}

const OPTIONAL_BODY = 'x-optional-body';

/**
 * @fastify/swagger declares every request body required; an operation marked by `transform` takes
 * none as well (its zod body is optional), so its `requestBody.required` is false.
 */
function optionalRequestBodies(document: Json): Json {
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, Json>>))
    for (const operation of Object.values(item)) {
      if (!operation || typeof operation !== 'object' || !(OPTIONAL_BODY in operation)) continue;
      delete operation[OPTIONAL_BODY];
      if (operation.requestBody) (operation.requestBody as Json).required = false;
    }
  return document;
}

/** Every `$ref` string below a value. */
function collectRefs(value: unknown, into: Set<string>) {
  if (Array.isArray(value)) for (const v of value) collectRefs(v, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') into.add(child);
      else collectRefs(child, into);
    }
  }
}

/** `{ allOf: [one] }` with nothing beside it (zod's wrapping of a derived or optional named schema) is just `one`. */
function collapseSingleAllOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(collapseSingleAllOf);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (
    entries.length === 1 &&
    entries[0]![0] === 'allOf' &&
    Array.isArray(entries[0]![1]) &&
    entries[0]![1].length === 1
  )
    return collapseSingleAllOf(entries[0]![1][0]);
  return Object.fromEntries(entries.map(([key, child]) => [key, collapseSingleAllOf(child)]));
}

function renameRef(document: Json, from: string, to: string): Json {
  const quoted = JSON.stringify(SCHEMA_REF + from);
  return JSON.parse(JSON.stringify(document).replaceAll(quoted, JSON.stringify(SCHEMA_REF + to)));
}

/**
 * Components come from the zod registry (schemas given `.meta({ id })`), each in an output and an
 * `…Input` version. Keep one name where both are the same or only one is used, and drop the
 * components no operation refers to, so generated clients get one named type per schema.
 */
function tidyComponents(input: Json): Json {
  let document = dropUnreferenced(collapseSingleAllOf(input) as Json);
  const schemasOf = (d: Json) => ((d.components as Json).schemas ?? {}) as Record<string, unknown>;
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of Object.keys(schemasOf(document))) {
      if (!name.endsWith('Input')) continue;
      const base = name.slice(0, -'Input'.length);
      const schemas = schemasOf(document);
      if (base in schemas && JSON.stringify(schemas[base]) !== JSON.stringify(schemas[name])) continue;
      if (!(base in schemas)) schemas[base] = schemas[name];
      delete schemas[name];
      document = renameRef(document, name, base);
      changed = true;
    }
  }
  return dropUnreferenced(document);
}

/** The document without the schemas that no operation reaches, the others sorted by name. */
function dropUnreferenced(document: Json): Json {
  const schemas = ((document.components as Json).schemas ?? {}) as Record<string, unknown>;
  const reached = new Set<string>();
  const pending: unknown[] = [document.paths, { ...(document.components as Json), schemas: undefined }];
  while (pending.length) {
    const refs = new Set<string>();
    collectRefs(pending.pop(), refs);
    for (const ref of refs) {
      const name = ref.startsWith(SCHEMA_REF) ? ref.slice(SCHEMA_REF.length) : undefined;
      if (name && !reached.has(name)) {
        reached.add(name);
        pending.push(schemas[name]);
      }
    }
  }
  const kept = Object.keys(schemas)
    .filter((name) => reached.has(name))
    .sort()
    .map((name) => [name, schemas[name]]);
  return { ...document, components: { ...(document.components as Json), schemas: Object.fromEntries(kept) } };
}

/**
 * A route's answers checked by their schema's parse instead of its encode (what the app's serializer
 * does), for answers of thousands of objects: zod compiles an object's parse, not its encode, and the
 * 10,000 users a batch import answers with took 60–75 ms to encode against 10–15 ms to parse. Only for
 * schemas without transforms or codecs, for which both give the same JSON.
 */
export const parsingSerializerCompiler =
  ({ schema, method, url }: { schema: unknown; method: string; url: string }) =>
  (data: unknown): string => {
    const result = (schema as z.ZodType).safeParse(data);
    if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
    return JSON.stringify(result.data);
  };

/**
 * zod schemas drive validation, serialisation and the OpenAPI document (served at /docs/json), and
 * a route's querystring schema names every query parameter it accepts. Call before adding routes.
 * Schemas given `.meta({ id: 'Name' })` become named components referenced through `$ref`.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  info: OpenApiInfo,
  servers: OpenApiInfo['servers'] = info.servers,
) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  rejectUnknownQueryParameters(app);
  const securitySchemes = info.securitySchemes ?? {
    bearer: { type: 'http', scheme: 'bearer', description: 'A Bearer credential.' },
  };
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: info.title,
        description: info.description,
        version: info.version ?? '1.0.0',
        ...(info.license ? { license: info.license } : {}),
        ...(info.contact ? { contact: info.contact } : {}),
      },
      ...(servers ? { servers } : {}),
      ...(info.tags ? { tags: info.tags } : {}),
      components: { securitySchemes },
      security: [{ [Object.keys(securitySchemes)[0]!]: [] }],
    },
    transform,
    transformObject: (document) =>
      optionalRequestBodies(tidyComponents(jsonSchemaTransformObject(document) as unknown as Json)) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
