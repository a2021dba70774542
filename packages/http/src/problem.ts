/**
 * RFC 9457 problem documents. Every error a client sees is one of these, with a stable `code`.
 * The `title` and `detail` are worded in the request's language from packages/i18n's catalog
 * (PROBLEM_TEXTS, by code, built from the problem's extensions and params); the detail given
 * where a problem is thrown is the English fallback for a code the catalog does not word.
 */
import { DEFAULT_LANGUAGE, problemDetail, problemTitle, type Language, type NotFoundResource } from '@licensing/i18n';

export type { NotFoundResource };

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  /** Values the catalog's texts use beyond the extensions; not sent to the client. */
  readonly params: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    detail: string,
    extensions: Record<string, unknown> = {},
    headers: Record<string, string> = {},
    params: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.code = code;
    this.extensions = extensions;
    this.headers = headers;
    this.params = params;
  }

  toDocument(language: Language = DEFAULT_LANGUAGE): ProblemDocument {
    return problemDocument(this.status, this.code, this.message, this.extensions, language, this.params);
  }
}

export function problemDocument(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  language: Language = DEFAULT_LANGUAGE,
  params: Record<string, unknown> = {},
): ProblemDocument {
  return {
    type: `https://licensing.example.com/problems/${code.replaceAll('_', '-')}`,
    title: problemTitle(status, language),
    status,
    detail: problemDetail(code, language, { ...extensions, ...params }) ?? detail,
    code,
    ...extensions,
  };
}

/** 404 `not_found` for a resource (worded by the catalog), with the id asked for when it helps. */
export const notFound = (resource: NotFoundResource, id?: string) =>
  new ProblemError(404, 'not_found', `${resource} was not found.`, {}, {}, { resource, id });
/** 401 `unauthorized`; `reason` picks the catalog's sentence (revoked, partner, operator, queues). */
export const unauthorized = (reason?: 'revoked' | 'partner' | 'operator' | 'queues') =>
  new ProblemError(
    401,
    'unauthorized',
    'A valid Bearer credential is required.',
    {},
    { 'www-authenticate': 'Bearer' },
    {
      reason,
    },
  );
export const badRequest = (
  code: string,
  detail: string,
  extensions?: Record<string, unknown>,
  params?: Record<string, unknown>,
) => new ProblemError(400, code, detail, extensions, {}, params);
export const conflict = (
  code: string,
  detail: string,
  extensions?: Record<string, unknown>,
  params?: Record<string, unknown>,
) => new ProblemError(409, code, detail, extensions, {}, params);
export const unprocessable = (
  code: string,
  detail: string,
  extensions?: Record<string, unknown>,
  params?: Record<string, unknown>,
) => new ProblemError(422, code, detail, extensions, {}, params);

/** The driver error under a query error: drizzle wraps postgres.js errors in `cause`. */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (
    let depth = 0;
    depth < 5 && current && typeof current === 'object' && 'cause' in current && (current as { cause?: unknown }).cause;
    depth++
  ) {
    current = (current as { cause: unknown }).cause;
  }
  return current;
}
