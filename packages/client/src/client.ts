import createClient, { type Client } from 'openapi-fetch';
import { type FetchLike, licensingFetch, type RetryOptions } from './fetch.ts';
import type { paths } from './schema.gen.ts';

export interface LicensingClientOptions {
  /** The API's address, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** A partner API key (or the operator token for operator routes), sent as a Bearer credential. */
  apiKey: string;
  /** A fetch implementation (default: the global one). */
  fetch?: FetchLike;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Retrying of 429 and 503 answers after their Retry-After (default: on, 4 attempts); `false` turns it off. */
  retry?: RetryOptions | false;
  /**
   * Whether job creations (the POST routes that take an Idempotency-Key: …/license-jobs, …/retry,
   * …/revert) without one get a random one
   * (default true), so that the client's own retries never create a second job. Pass your own key
   * (`params.header['idempotency-key']`) to make a re-run of your script answer the same job.
   */
  idempotencyKeys?: boolean;
}

/**
 * The media types the client's typed answers are read as: JSON and problem documents. The few
 * answers in other media types (results as text/csv, job events as text/event-stream) are read with
 * `parseAs: 'text'` or `parseAs: 'stream'`.
 */
export type JsonMedia = 'application/json' | 'application/problem+json';

/** The typed client: `GET`, `POST`, `PUT`, `PATCH`, `DELETE` by path, with typed params, bodies and answers. */
export type LicensingClient = Client<paths, JsonMedia>;

/**
 * A typed client of the API (openapi-fetch over the generated `paths`), which retries 429 and 503
 * answers after their Retry-After and gives job creations an Idempotency-Key.
 */
export function createLicensingClient(options: LicensingClientOptions): LicensingClient {
  const inner: FetchLike = options.fetch ?? ((request) => fetch(request));
  return createClient<paths, JsonMedia>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { ...options.headers, authorization: `Bearer ${options.apiKey}` },
    fetch: licensingFetch(inner, {
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
      ...(options.idempotencyKeys !== undefined ? { idempotencyKeys: options.idempotencyKeys } : {}),
    }),
  });
}
