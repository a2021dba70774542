/**
 * How a route declares itself in the OpenAPI document. The document is served at /docs/json,
 * linted in CI with Redocly's recommended rules (`pnpm openapi:lint`, 0 errors and 0 warnings),
 * and the typed client in packages/client is generated from it (`pnpm client:generate`; re-run it
 * after changing a route and commit packages/client/src/schema.gen.ts: `pnpm lint` fails otherwise).
 *
 * Every route's `schema` has:
 * - `operationId`: camelCase verb and noun (`createLicenseJob`, `listUsers`), unique; it is what
 *   client code and the CLI call, so never rename one.
 * - `summary` (one line) and `description` (what it does and guarantees, in a sentence or three).
 * - `tags`: one of the names in API_TAGS.
 * - `params`, `querystring`, `body`: zod schemas. Request bodies and every object a client names
 *   carry `.meta({ id: 'PascalCase', description })`: they become components under
 *   `#/components/schemas`, referenced through `$ref`, and named types in the generated client.
 *   Path ids are `idParam('Customer')` (documented as UUIDs; a malformed one answers 404).
 * - `headers`: request headers the route reads, through `requestHeaders({...})` (loose, so the
 *   other headers stay on the request), e.g. `requestHeaders({ 'idempotency-key': IDEMPOTENCY_KEY })`.
 * - `response`: the success answer through `jsonResponse(schema, description, headers?)` (or
 *   `noContent(description)`, or `declaredResponse` for other media types such as text/csv), then
 *   `...problemResponses({ 404: ['not_found'], 422: ['unknown_product'] })` naming every status the
 *   route can answer and the problem `code`s of each. Statuses may also be given bare
 *   (`problemResponses(400, 404)`) to take their usual codes. 401, 429 and 503 are added for every
 *   route; a new code gets a line in PROBLEM_CODES so that its description reads the same everywhere.
 * - `bodyExamples`: `{ name: { summary, value } }` for the main requests (shown in /docs and
 *   checked by the linter against the body's schema).
 * - Operator routes add `security: OPERATOR_SECURITY`. Partner routes declare the scope their key
 *   needs beside the schema, as `config: { scope: 'read' }` (plus `allCustomers: true` when the route
 *   acts for every customer); the partner scope turns that into the operation's `security` and its
 *   401/403 responses, and refuses to register a partner route without one (see auth.ts).
 */
import { z } from 'zod';
import type { OpenApiInfo } from '@licensing/http';

/** Tags, in the order /docs shows them. */
export const API_TAGS = [
  { name: 'catalog', description: 'Products and their service plans, as published by the catalog service.' },
  { name: 'customers', description: "The partner's customers (tenants)." },
  { name: 'users', description: "A customer's users and the licenses they hold." },
  {
    name: 'subscriptions',
    description: 'How many seats of each product a customer has bought, and how many are used.',
  },
  { name: 'licenses', description: 'The "manage licenses" view of a selection of users.' },
  { name: 'license jobs', description: 'Bulk assignment and revocation of products, run in the background.' },
  {
    name: 'groups',
    description:
      'License groups: products every member holds, members listed (static) or selected by a rule (dynamic); ' +
      'changes are applied in the background, members without a free seat wait for one.',
  },
  {
    name: 'webhooks',
    description: "The partner's webhook: signed `license_job.finished` events, and the record of their deliveries.",
  },
  {
    name: 'api keys',
    description: "The partner's own API keys: each grants chosen scopes, for chosen customers, until it expires.",
  },
  { name: 'operators', description: 'Administration with the operator token.' },
] as const;

export const PARTNER_SECURITY_SCHEME = 'partnerApiKey';
export const OPERATOR_SECURITY_SCHEME = 'operatorToken';
export const OPERATOR_SECURITY = [{ [OPERATOR_SECURITY_SCHEME]: [] }];

/**
 * Every problem `code` the API answers, with the sentence that describes it. A route lists the
 * codes it can give per status; the descriptions come from here.
 */
export const PROBLEM_CODES = {
  validation_error:
    'the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue',
  invalid_request: 'a query parameter the route does not take; `parameters` names them',
  malformed_json: 'the body is not valid JSON, or its bytes are not UTF-8',
  invalid_idempotency_key: 'the Idempotency-Key header is empty or longer than 255 characters',
  unauthorized: 'the Bearer credential is missing or wrong (or the API key was revoked)',
  key_expired: 'the API key has expired (its `expiresAt` has passed); use another key',
  insufficient_scope:
    'the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them',
  key_outlives_issuer: 'a key cannot be issued to expire later than the key that issues it (`expiresAt` of the caller)',
  unknown_customers: 'some `customerIds` are not customers of the partner; `customerIds` lists them',
  invalid_expiry: '`expiresAt` is not in the future',
  not_found: 'the resource does not exist or belongs to another partner (a malformed id answers the same)',
  invisible_characters:
    'a userPrincipalName contains invisible or format characters (zero-width, bidirectional controls…); `userPrincipalNames` lists them',
  duplicate_user_principal_name:
    'a userPrincipalName is repeated in the request or already taken in the customer; `userPrincipalNames` lists them',
  quantity_below_usage:
    'the quantity is below the seats assigned and reserved; `minimumQuantity`, `assigned` and `reserved` tell the floor',
  insufficient_licenses:
    'a product lacks free seats for the selection; nothing was reserved; `shortages` lists `{productId, required, available}`',
  idempotency_key_in_use: 'a request with this Idempotency-Key is still being answered; retry shortly',
  job_finished: 'the job has already finished',
  too_many_api_keys:
    'the partner already has as many live API keys as allowed (2 operator-issued, 25 of its own); revoke one first (`maxLiveKeys`)',
  job_not_finished: 'the job has not finished yet; wait for it (or cancel it) before retrying or reverting it',
  nothing_to_retry: 'no user of the job failed or was cancelled (among those that still exist)',
  not_before_too_far:
    '`notBefore` is more than 90 days ahead; `maxDays` is the limit and `latest` the last time accepted now',
  nothing_to_revert:
    'the job changed no license of a user that still exists (no user succeeded, or each change left the license as it was)',
  unknown_users: 'some selected users do not exist in the customer; `userIds` lists them',
  unknown_product: 'a product id is not in the catalog; `productIds` lists them',
  unknown_service_plan:
    'a disabled service plan is not a plan of its product; `productId` and `servicePlanIds` name them',
  invalid_service_plans:
    'the disabled service plans break a plan dependency of the product itself; `productId` and `servicePlanIds` name them',
  no_subscription: 'the customer has no subscription to an assigned product; `productIds` lists them',
  too_many_users: 'the filter matches more than 50,000 users; `maxUsers` is the limit',
  no_matching_users: 'no user of the customer matches the filter',
  idempotency_key_reused: 'this Idempotency-Key was used before with a different request',
  invalid_webhook_url:
    'the webhook URL is not https (http outside production), carries credentials, or resolves to an address that is not public',
  webhook_test_rate_limited:
    'the partner has sent its WEBHOOK_TESTS_PER_MINUTE test pings (or redeliveries of pings) in the last minute; `limit` is that number; nothing was queued: retry after `Retry-After` seconds',
  payload_too_large: 'the body exceeds the route’s size limit',
  unsupported_media_type: 'the body is not application/json',
  rate_limited: 'more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds',
  too_many_pending_jobs:
    'some of the selected users already have MAX_PENDING_JOBS_PER_USER unfinished jobs (`userIds`: up to 100 of them, ' +
    '`limit`); nothing was created: wait for `Retry-After` seconds, or for those jobs to finish',
  partner_queue_full:
    "the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at " +
    'UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after ' +
    '`Retry-After`, once some have finished (a partner with no unfinished job is never refused)',
  partner_concurrency_limit:
    'the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended',
  authentication_throttled:
    'too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is',
  service_unavailable: 'Postgres or Redis is unreachable for now; retry after `Retry-After` seconds',
  shutting_down:
    'the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)',
  group_name_taken: 'the customer already has a group of this name (case aside); `name` repeats it',
  group_type_fixed: 'a static group cannot take a membership rule, nor a dynamic group lose its rule',
  group_has_licenses:
    'the group still grants licenses (`productIds`); set its licenses to [] first. With `membersHold: true`: members still hold, wait for or were refused them through it',
  confirmation_required:
    'the change would remove licenses from more than 100 users (`usersLosing`; `impact` says who and what): send `confirmRemovals` of at least that number',
  group_job:
    'the job processes a change of a group: it is not cancelled, retried or reverted (change the group, or reprocess it)',
  group_is_dynamic: "a dynamic group's members are the users its rule selects; they cannot be added or removed",
  overloaded:
    'too many large selections of users, or results downloads as CSV, are being served at once (each waited a few seconds for room); retry after `Retry-After` seconds',
} as const satisfies Record<string, string>;
export type ProblemCode = keyof typeof PROBLEM_CODES;

export const problemSchema = z
  .looseObject({
    type: z.string().meta({ description: 'A URI naming the problem type.' }),
    title: z.string().meta({ description: 'The HTTP status in words.' }),
    status: z.number().int().meta({ description: 'The HTTP status code.' }),
    detail: z.string().meta({ description: 'What went wrong, for a person to read.' }),
    code: z.string().meta({ description: 'Stable machine-readable code (see each response).' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'validation_error: one entry per invalid field.' }),
    userIds: z.array(z.string()).optional().meta({ description: 'unknown_users: the users that do not exist.' }),
    requiredScope: z
      .string()
      .optional()
      .meta({ description: 'insufficient_scope: the scope the request needs.', example: 'licenses:write' }),
    customerIds: z
      .array(z.string())
      .optional()
      .meta({ description: 'unknown_customers, insufficient_scope: the customers refused.' }),
    scopes: z.array(z.string()).optional().meta({ description: 'insufficient_scope: the scopes refused.' }),
    userPrincipalNames: z.array(z.string()).optional().meta({
      description:
        'duplicate_user_principal_name: the names repeated or taken; invisible_characters: the names refused.',
    }),
    productId: z.string().optional(),
    productIds: z.array(z.string()).optional(),
    servicePlanIds: z.array(z.string()).optional(),
    limit: z.number().int().optional().meta({
      description:
        "partner_concurrency_limit: the partner's share, held in full; webhook_test_rate_limited: test pings per minute.",
    }),
    shortages: z
      .array(z.object({ productId: z.string(), required: z.number().int(), available: z.number().int() }))
      .optional()
      .meta({ description: 'insufficient_licenses: the products short of seats.' }),
  })
  .meta({
    id: 'Problem',
    description:
      'An RFC 9457 problem document, sent as application/problem+json. Fields beyond the five standard ones depend on `code`.',
  });

type HeaderSpec = { description: string; type: 'string' | 'integer'; format?: string; minimum?: number };

/** Response headers, as declared on responses. */
export const HEADERS = {
  location: { description: 'The URL of the created resource.', type: 'string', format: 'uri-reference' },
  retryAfter: {
    description: 'Seconds to wait before polling again (or before retrying).',
    type: 'integer',
    minimum: 0,
  },
  rateLimitLimit: {
    description: 'Requests allowed per minute for this API key (when rate limiting is on).',
    type: 'integer',
    minimum: 0,
  },
  rateLimitRemaining: {
    description: 'Requests left in the current minute (when rate limiting is on).',
    type: 'integer',
    minimum: 0,
  },
  rateLimitReset: {
    description: 'Seconds until the current window ends (when rate limiting is on).',
    type: 'integer',
    minimum: 0,
  },
  wwwAuthenticate: { description: 'The authentication scheme expected (Bearer).', type: 'string' },
  etag: {
    description: 'A tag of the current representation; send it in If-None-Match to get 304 while it is unchanged.',
    type: 'string',
  },
  contentDisposition: {
    description: 'With CSV: `attachment; filename="…"`, so that a browser saves the file.',
    type: 'string',
  },
} as const satisfies Record<string, HeaderSpec>;

const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': HEADERS.rateLimitLimit,
  'X-RateLimit-Remaining': HEADERS.rateLimitRemaining,
  'X-RateLimit-Reset': HEADERS.rateLimitReset,
};

/** The `Idempotency-Key` request header of routes that create something. */
export const IDEMPOTENCY_KEY = z
  .string()
  .optional()
  .meta({
    description:
      'Makes a retried request safe: per partner and kept at least 24 hours, the same key with the same body answers ' +
      'the same job again; with another body 422 `idempotency_key_reused`. 1 to 255 characters.',
    example: 'order-4711-licenses',
  });

/** The `If-None-Match` request header of a resource that sends an ETag. */
export const IF_NONE_MATCH = z.string().optional().meta({
  description: 'An ETag received before (or a list of them, or `*`): 304 without a body while the resource matches it.',
  example: '"3q2-7w"',
});

/** The `Prefer` request header (RFC 7240) of a route that can answer without a body. */
export const PREFER = z.string().optional().meta({
  description: '`return=minimal`: answer 204 without a body (and `Preference-Applied: return=minimal`).',
  example: 'return=minimal',
});

/** Whether a `Prefer` header asks for `return=minimal` (preferences are comma-separated, case-insensitive). */
export function prefersMinimal(prefer: string | string[] | undefined): boolean {
  const values = Array.isArray(prefer) ? prefer : prefer === undefined ? [] : [prefer];
  return values.some((value) =>
    value.split(',').some((p) => /^return\s*=\s*"?minimal"?$/i.test(p.split(';')[0]!.trim())),
  );
}

/** Request headers a route reads; other headers pass through untouched. */
export const requestHeaders = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape);

/** A UUID path parameter. Validated by the route (a malformed id answers 404, as an unknown one). */
export const idParam = (what: string) =>
  z.string().meta({ format: 'uuid', description: `The ${what.toLowerCase()}'s id (a UUID).` });

/** A response of any media type; `headers` are JSON Schema objects with a description. */
export function declaredResponse<C extends Record<string, z.ZodType>>(
  description: string,
  content: C,
  headers?: Record<string, HeaderSpec>,
) {
  return {
    description,
    content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])) as {
      [K in keyof C]: { schema: C[K] };
    },
    headers: { ...headers, ...RATE_LIMIT_HEADERS } as Record<string, HeaderSpec>,
  };
}

/** A JSON success response. */
export const jsonResponse = <T extends z.ZodType>(
  schema: T,
  description: string,
  headers?: Record<string, HeaderSpec>,
) => declaredResponse(description, { 'application/json': schema }, headers);

/** A response without a body (204); the handler sends nothing (`reply.status(204).send()`). */
export const noContent = (description: string) => z.undefined().describe(description);

type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** The codes a bare status stands for in `problemResponses(400, 404)`. */
const USUAL_CODES: Record<ProblemStatus, ProblemCode[]> = {
  400: ['validation_error', 'invalid_request'],
  401: ['unauthorized'],
  403: ['insufficient_scope'],
  404: ['not_found'],
  409: [],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  422: [],
  429: ['rate_limited', 'authentication_throttled'],
  503: ['service_unavailable', 'shutting_down'],
};

const PROBLEM_TITLES: Record<ProblemStatus, string> = {
  400: 'The request is malformed.',
  401: 'Not authenticated.',
  403: 'The API key may not do this.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The body is too large.',
  415: 'The body is not JSON.',
  422: 'The request is well-formed but cannot be carried out.',
  429: 'Too many requests.',
  503: 'A backing service is unavailable.',
};

const PROBLEM_HEADERS: Partial<Record<ProblemStatus, Record<string, HeaderSpec>>> = {
  401: { 'WWW-Authenticate': HEADERS.wwwAuthenticate },
  429: { 'Retry-After': HEADERS.retryAfter, ...RATE_LIMIT_HEADERS },
  503: { 'Retry-After': HEADERS.retryAfter },
};

const problemResponse = (status: ProblemStatus, codes: readonly ProblemCode[]) => ({
  description: `${PROBLEM_TITLES[status]} Problem codes:\n${[...new Set(codes)]
    .map((code) => `- \`${code}\`: ${PROBLEM_CODES[code]}`)
    .join('\n')}`,
  content: { 'application/problem+json': { schema: problemSchema } },
  ...(PROBLEM_HEADERS[status] ? { headers: PROBLEM_HEADERS[status] } : {}),
});

/**
 * The problem responses of a route, as application/problem+json with the Problem schema: the
 * statuses given (bare, or with their codes) plus 401, 429 and 503, which every route can answer.
 * Usual codes of a status are added to the ones named (400 always includes `validation_error`).
 */
export function problemResponses(
  ...declared: (ProblemStatus | Partial<Record<ProblemStatus, readonly ProblemCode[]>>)[]
): Record<number, ReturnType<typeof problemResponse>> {
  const codes = new Map<ProblemStatus, ProblemCode[]>();
  const add = (status: ProblemStatus, more: readonly ProblemCode[] = []) =>
    codes.set(status, [...(codes.get(status) ?? USUAL_CODES[status]), ...more]);
  for (const entry of declared) {
    if (typeof entry === 'number') add(entry);
    else for (const [status, list] of Object.entries(entry)) add(Number(status) as ProblemStatus, list);
  }
  for (const status of [401, 429, 503] as const) if (!codes.has(status)) add(status);
  return Object.fromEntries(
    [...codes.entries()].sort(([a], [b]) => a - b).map(([status, list]) => [status, problemResponse(status, list)]),
  );
}

/**
 * What every partner route can answer because of its key: 401 also for an expired key, 403 when the
 * key lacks the route's scope. A route that declares 403 itself (with more codes) keeps its own.
 */
export function partnerRouteProblems(declares403: boolean) {
  const { 401: expired, 403: forbidden } = problemResponses({ 401: ['key_expired'] }, 403);
  return declares403 ? { 401: expired! } : { 401: expired!, 403: forbidden! };
}

/** What any route with a JSON body can answer besides its own problems. */
export const JSON_BODY_PROBLEMS = {
  400: ['validation_error', 'malformed_json'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
} as const satisfies Partial<Record<ProblemStatus, readonly ProblemCode[]>>;

/** The document's head: description, servers, license, security schemes and tags. */
export const API_DOCUMENT_INFO: OpenApiInfo = {
  title: 'Bulk license service',
  version: '1.2.0',
  description: [
    'Partners assign and revoke software licenses for many users of their customers at once.',
    '',
    '- **Authentication**: partner calls send `Authorization: Bearer <partner API key>`; operator calls send the ' +
      'operator token the same way. A partner sees only its own customers: anything else answers 404.',
    '- **Scopes**: a partner key grants scopes (`read`, `users:write`, `licenses:write`, `subscriptions:write`, ' +
      '`webhooks:manage`, `keys:manage`; `*` for keys an operator issues), may be limited to some customers and may ' +
      "expire. Each operation's `security` names the scope it needs: without it 403 `insufficient_scope` " +
      '(`requiredScope`); a customer outside a limited key answers 404; an expired key 401 `key_expired`.',
    '- **Errors** are RFC 9457 problem documents (`application/problem+json`) with a stable `code`; each response ' +
      'below lists the codes it can carry.',
    '- **Bulk jobs** reserve their seats before answering 202; poll the job at `Location`, honouring `Retry-After`, ' +
      'until `finishedAt` is set. `Idempotency-Key` makes a retried POST safe.',
    '- **Rate limiting**: with `RATE_LIMIT_PER_MINUTE` above 0, responses carry `X-RateLimit-Limit`, ' +
      '`X-RateLimit-Remaining` and `X-RateLimit-Reset`; beyond the limit the answer is 429 with `Retry-After`.',
    '- Lists are paged: `?page=1&pageSize=50` (at most 500) answer `{items, page, pageSize, total, totalPages}`.',
  ].join('\n'),
  license: { name: 'Proprietary', url: 'https://licensing.example.com/terms' },
  servers: [{ url: 'http://127.0.0.1:3000', description: 'A local API started with `pnpm start` (API_PORT 3000)' }],
  tags: API_TAGS.map((tag) => ({ ...tag })),
  securitySchemes: {
    [PARTNER_SECURITY_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      description:
        'An API key of a partner: issued by an operator (POST /v1/admin/partners, every scope) or by the partner ' +
        "itself (POST /v1/keys). The scope listed in an operation's requirement is the one the key must hold.",
    },
    [OPERATOR_SECURITY_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      description: 'The operator token (OPERATOR_TOKEN).',
    },
  },
};
