// The one place that talks HTTP to the API (same origin, proxied by the portal's server): the
// typed client of packages/client for JSON calls, plain fetch for the event stream and CSV. The
// partner's key comes from the tab's session (features/auth/session.ts) and goes only into the
// Authorization header; problem documents become ApiProblem errors with a readable message. Every
// request asks for the portal's language (Accept-Language), in which the API words its messages.

import { createLicensingClient, type LicensingClient } from '@licensing/client';
import { readApiKey } from '../features/auth/session.ts';
import { currentLanguage } from '../i18n/setup.ts';

export interface ProblemDocument {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  [extra: string]: unknown;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: ProblemDocument;
  constructor(problem: ProblemDocument) {
    super(problem.detail ?? problem.title ?? `The request failed (${problem.status})`);
    this.name = 'ApiProblem';
    this.status = problem.status;
    this.code = problem.code ?? 'unknown';
    this.problem = problem;
  }
}

/** The connection itself failed (server down, network lost). */
export class ConnectionLost extends Error {
  constructor() {
    super('The portal cannot reach the service. Check your connection and try again.');
    this.name = 'ConnectionLost';
  }
}

let onUnauthorized: (() => void) | undefined;
/** Called when the API answers 401: the key was revoked or is wrong; the app signs out. */
export function setUnauthorizedHandler(handler: (() => void) | undefined) {
  onUnauthorized = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Use this key instead of the session's (signing in). */
  apiKey?: string;
}

let client: { key: string; api: LicensingClient } | undefined;

/** The typed client for the signed-in partner (rebuilt when the key changes). */
export function api(apiKey = readApiKey() ?? ''): LicensingClient {
  if (client?.key !== apiKey)
    client = {
      key: apiKey,
      // No automatic retries: a person is waiting, and sees the problem (429, 503) with what to do.
      api: createLicensingClient({ baseUrl: location.origin, apiKey, fetch: fetchOrConnectionLost, retry: false }),
    };
  return client.api;
}

async function fetchOrConnectionLost(request: Request): Promise<Response> {
  request.headers.set('accept-language', currentLanguage());
  try {
    return await fetch(request, { cache: 'no-store', credentials: 'omit' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ConnectionLost();
  }
}

/** The body of a typed client's answer; a problem answer is thrown as an ApiProblem. */
export async function data<T>(
  answer: Promise<{ data?: T; error?: unknown; response: Response }>,
  options: { signIn?: boolean } = {},
): Promise<T> {
  const { data: body, error, response } = await answer;
  if (response.ok) return body as T;
  const problem =
    error && typeof error === 'object' && 'status' in error
      ? { ...(error as ProblemDocument), status: response.status }
      : fallbackProblem(response);
  if (response.status === 401 && !options.signIn) onUnauthorized?.();
  throw new ApiProblem(problem);
}

export async function apiResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  const key = options.apiKey ?? readApiKey();
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': currentLanguage(),
    ...options.headers,
  };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ConnectionLost();
  }
  if (!response.ok && response.status !== 304) {
    const problem = await readProblem(response);
    if (response.status === 401 && !options.apiKey) onUnauthorized?.();
    throw new ApiProblem(problem);
  }
  return response;
}

async function readProblem(response: Response): Promise<ProblemDocument> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as ProblemDocument;
    if (parsed && typeof parsed === 'object') return { ...parsed, status: response.status };
  } catch {
    /* not JSON: a proxy or gateway error page */
  }
  return fallbackProblem(response);
}

/** A failure without a problem document (a proxy's error page): the portal words it (problemText). */
function fallbackProblem(response: Response): ProblemDocument {
  return { status: response.status };
}

/** Query string from defined values only. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
