/**
 * RFC 9457 problem documents. Every error a client sees is one of these, with a stable `code`.
 */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    extensions: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.code = code;
    this.extensions = extensions;
    this.headers = headers;
  }

  toDocument(): ProblemDocument {
    return problemDocument(this.status, this.code, this.message, this.extensions);
  }
}

export function problemDocument(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): ProblemDocument {
  return {
    type: `https://licensing.example.com/problems/${code.replaceAll('_', '-')}`,
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail,
    code,
    ...extensions,
  };
}

export const notFound = (what: string) => new ProblemError(404, 'not_found', `${what} was not found.`);
export const unauthorized = (detail = 'A valid Bearer credential is required.') =>
  new ProblemError(401, 'unauthorized', detail, {}, { 'www-authenticate': 'Bearer' });
export const badRequest = (code: string, detail: string, extensions?: Record<string, unknown>) =>
  new ProblemError(400, code, detail, extensions);
export const conflict = (code: string, detail: string, extensions?: Record<string, unknown>) =>
  new ProblemError(409, code, detail, extensions);
export const unprocessable = (code: string, detail: string, extensions?: Record<string, unknown>) =>
  new ProblemError(422, code, detail, extensions);

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
